package org.ltz4d.api.param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.error.InvalidParameterException;

/** The command-line reading the CLI and the Spark runner share. */
class OptionTokensTest {

    @Test
    void valuesFlagsEqualsRepeatsAndPositionals() {
        OptionTokens t = OptionTokens.parse(List.of("scan.npy", "--pixel-mrad", "0.16", "--bf", "--roi=0:4,0:4", "--structure", "A.cif",
                "--structure", "B.cif", "--shift", "-3.5", "more"), Set.of("bf")::contains);
        assertEquals(List.of("scan.npy", "more"), t.positional());
        assertEquals(Map.of("pixel-mrad", "0.16", "bf", "true", "roi", "0:4,0:4", "structure", "A.cif,B.cif", "shift", "-3.5"),
                t.parameters().asMap());
    }

    @Test
    void anOptionWithoutItsValueIsNamed() {
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> OptionTokens.parse(List.of("--pixel-mrad", "--bf"), Set.of("bf")::contains));
        assertEquals("pixel-mrad", e.parameter());
        assertThrows(InvalidParameterException.class, () -> OptionTokens.parse(List.of("--out"), n -> false));
    }
}
