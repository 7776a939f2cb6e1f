package org.ltz4d.api.param;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.units.Unit;

class ParametersTest {
    @TempDir
    Path dir;

    /** Asserts that {@code body} throws an InvalidParameterException naming {@code name} and the bad value. */
    static InvalidParameterException names(String name, String found, Executable body) {
        InvalidParameterException e = assertThrows(InvalidParameterException.class, body);
        assertEquals(name, e.parameter(), e.getMessage());
        assertTrue(e.getMessage().startsWith("parameter --" + name + ": expected "), e.getMessage());
        if (found != null) assertTrue(e.getMessage().contains("found '" + found + "'"), e.getMessage());
        return e;
    }

    @Test
    void isACopyOfTheGivenMapAndCannotBeChanged() {
        Map<String, String> src = new HashMap<>(Map.of("beam-kv", "300"));
        Parameters p = Parameters.of(src);
        src.put("beam-kv", "200");
        src.put("extra", "1");
        assertEquals(Map.of("beam-kv", "300"), p.asMap());
        assertThrows(UnsupportedOperationException.class, () -> p.asMap().put("x", "1"));
    }

    @Test
    void withAndWithAllReturnNewValuesAndLeaveTheOriginal() {
        Parameters p = Parameters.of(Map.of("a", "1", "b", "2"));
        Parameters q = p.with("a", "9");
        assertEquals("1", p.string("a", null));
        assertEquals("9", q.string("a", null));
        Parameters r = p.withAll(Parameters.of(Map.of("b", "7", "c", "3")));
        assertEquals(Map.of("a", "1", "b", "7", "c", "3"), r.asMap());
        assertEquals(Map.of("a", "1", "b", "2"), p.asMap());
    }

    @Test
    void equalityIsByValues() {
        assertEquals(Parameters.of(Map.of("a", "1")), Parameters.single("a", "1"));
        assertEquals(Parameters.of(Map.of("a", "1")).hashCode(), Parameters.single("a", "1").hashCode());
        assertNotEquals(Parameters.single("a", "1"), Parameters.single("a", "2"));
        assertEquals(Parameters.empty(), Parameters.of(Map.of()));
    }

    @Test
    void numbersParseOrNameTheParameter() {
        Parameters p = Parameters.of(Map.of("t", " 60.5 ", "bad", "sixty", "nan", "NaN"));
        assertEquals(60.5, p.number("t").getAsDouble(), 0);
        assertEquals(60.5, p.requireNumber("t", "a thickness"), 0);
        assertEquals(3.0, p.number("missing", 3.0), 0);
        assertTrue(p.number("missing").isEmpty());
        names("bad", "sixty", () -> p.number("bad"));
        names("nan", "NaN", () -> p.number("nan", 1));
        InvalidParameterException e = names("missing", null, () -> p.requireNumber("missing", "a thickness in nm"));
        assertTrue(e.getMessage().contains("a thickness in nm"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "Infinity", "-0.0"})
    void positiveRejectsZeroNegativeAndInfinite(String v) {
        names("dose", v, () -> Parameters.single("dose", v).positive("dose", 1));
    }

    @Test
    void positiveAcceptsAPositiveValueOrTheDefault() {
        assertEquals(2e6, Parameters.single("dose", "2e6").positive("dose", 1), 0);
        assertEquals(5, Parameters.empty().positive("dose", 5), 0);
    }

    @Test
    void integersFlagsAndChoices() {
        Parameters p = Parameters.of(Map.of("n", "12", "x", "1.5", "f", "yes", "g", "off", "h", "", "bad", "maybe", "m", "plane"));
        assertEquals(12, p.integer("n", 0));
        assertEquals(4, p.integer("missing", 4));
        names("x", "1.5", () -> p.integer("x", 0));
        assertTrue(p.flag("f"));
        assertFalse(p.flag("g"));
        assertTrue(p.flag("h"), "a bare flag is true");
        assertFalse(p.flag("missing"));
        names("bad", "maybe", () -> p.flag("bad"));
        assertEquals("plane", p.choice("m", "vacuum", "vacuum", "plane"));
        assertEquals("vacuum", p.choice("missing", "vacuum", "vacuum", "plane"));
        InvalidParameterException e = names("m", "plane", () -> p.choice("m", null, "a", "b"));
        assertTrue(e.getMessage().contains("one of a, b"), e.getMessage());
    }

    @Test
    void listsParseWithTheirSeparatorsAndLength() {
        Parameters p = Parameters.of(Map.of("scan", "64,32", "det", "256x128", "u", "3×4", "step", "1.5, 2", "three", "1,2,3",
                "word", "1,a"));
        assertArrayEquals(new int[] {64, 32}, p.intList("scan", 2).orElseThrow());
        assertArrayEquals(new int[] {256, 128}, p.intList("det", 2).orElseThrow());
        assertArrayEquals(new int[] {3, 4}, p.intList("u", 0).orElseThrow());
        assertArrayEquals(new double[] {1.5, 2}, p.doubleList("step").orElseThrow());
        assertTrue(p.intList("missing", 2).isEmpty());
        InvalidParameterException e = names("three", "1,2,3", () -> p.intList("three", 2));
        assertTrue(e.getMessage().contains("2 comma-separated integers"), e.getMessage());
        names("word", "1,a", () -> p.intList("word", 0));
        names("word", "a", () -> p.doubleList("word"));
    }

    @Test
    void requireStringRejectsBlank() {
        assertEquals("Fe", Parameters.single("c", "Fe").requireString("c", "a composition"));
        names("c", null, () -> Parameters.single("c", " ").requireString("c", "a composition"));
        names("c", null, () -> Parameters.empty().requireString("c", "a composition"));
    }

    @Test
    void checkAgainstEnforcesTheDeclaredRangeInclusive() {
        ParameterSpec kv = ParameterSpec.number("beam-kv", "beam", Unit.KILOVOLT, null, 1, 3000);
        Parameters.single("beam-kv", "1").checkAgainst(kv);
        Parameters.single("beam-kv", "3000").checkAgainst(kv);
        Parameters.empty().checkAgainst(kv);
        InvalidParameterException e = names("beam-kv", "3000.5", () -> Parameters.single("beam-kv", "3000.5").checkAgainst(kv));
        assertTrue(e.getMessage().contains("[1.0, 3000.0] kV"), "range with the unit: " + e.getMessage());
        names("beam-kv", "0.5", () -> kv.check("0.5"));

        ParameterSpec threads = ParameterSpec.integer("threads", "workers", null, 1, 8);
        threads.check("8");
        e = names("threads", "9", () -> threads.check("9"));
        assertTrue(e.getMessage().contains("an integer in [1, 8]"), e.getMessage());
        names("threads", "two", () -> threads.check("two"));

        names("descan", "none", () -> ParameterSpec.choice("descan", "reference", "plane", "plane", "vacuum").check("none"));
        names("roi", "0:2", () -> ParameterSpec.roi("roi", "reference").check("0:2"));
        names("pdf", "perhaps", () -> ParameterSpec.flag("pdf", "S(q)").check("perhaps"));
        ParameterSpec.text("composition", "c", null).check("anything at all");
    }

    @Test
    void aFileParameterMustNameAReadableFile() throws Exception {
        ParameterSpec vacuum = ParameterSpec.file("vacuum", "vacuum scan");
        Path f = Files.writeString(dir.resolve("v.npy"), "x");
        vacuum.check(f.toString());
        assertEquals(f, Parameters.single("vacuum", f.toString()).existingFile("vacuum").orElseThrow());
        names("vacuum", dir.resolve("none.npy").toString(), () -> vacuum.check(dir.resolve("none.npy").toString()));
        names("vacuum", dir.toString(), () -> vacuum.check(dir.toString()));
    }

    @Test
    void unknownListsTheNamesNoSpecDeclaresInOrder() {
        Parameters p = Parameters.of(new java.util.LinkedHashMap<>(Map.of("beam-kv", "300")));
        p = p.with("factr", "3").with("zz", "1");
        List<ParameterSpec> known = List.of(ParameterSpec.number("beam-kv", "b", Unit.KILOVOLT, null, 1, 3000),
                ParameterSpec.number("factor", "f", Unit.DIMENSIONLESS, 1.0, 0, 10));
        assertEquals(List.of("factr", "zz"), p.unknown(known));
        assertEquals(List.of(), Parameters.single("factor", "2").unknown(known));
    }

    @Test
    void parameterSpecCopiesChoicesAndDefaultsUnitAndChoices() {
        List<String> choices = new java.util.ArrayList<>(List.of("a", "b"));
        ParameterSpec s = new ParameterSpec("m", ParameterSpec.Type.CHOICE, "mode", null, "a", 0, 0, choices);
        choices.add("c");
        assertEquals(List.of("a", "b"), s.choices());
        assertEquals(Unit.DIMENSIONLESS, s.unit());
        assertThrows(UnsupportedOperationException.class, () -> s.choices().add("d"));
        assertEquals(List.of(), new ParameterSpec("x", ParameterSpec.Type.STRING, "x", Unit.NANOMETRE, null, 0, 0, null).choices());
        assertThrows(NullPointerException.class, () -> new ParameterSpec(null, ParameterSpec.Type.STRING, "x", null, null, 0, 0, null));
    }
}
