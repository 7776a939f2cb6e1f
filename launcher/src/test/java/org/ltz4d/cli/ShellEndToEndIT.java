package org.ltz4d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ltz4d shell}: the ltz4d commands inside Gogo, and a bundle stopped live takes its plugins with it. */
class ShellEndToEndIT {
    @TempDir
    Path dir;

    @Test
    void shellRunsTheCommandsAndFollowsABundleStoppedLive() throws Exception {
        String input = "plugins\nstop org.ltz4d.derivers\nltz4d:plugins\nexit\n";
        Cli.Result r = Cli.runWithInput(dir, Map.of("LTZ4D_HOME", dir.resolve("home").toString()), List.of(), input, "shell");
        assertEquals(0, r.exit(), r.toString());
        String[] listings = r.out().split("KIND ");
        assertEquals(3, listings.length, "two plugin listings\n" + r);
        assertTrue(listings[1].contains("deriver     magnetic "), "before the stop\n" + r);
        assertFalse(listings[2].contains("deriver     magnetic "), "after the stop\n" + r);
        assertTrue(listings[2].contains("reader      npy"), r.toString());
    }
}
