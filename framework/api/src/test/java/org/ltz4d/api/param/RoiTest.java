package org.ltz4d.api.param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ltz4d.api.error.InvalidParameterException;

class RoiTest {
    @Test
    void parsesRowsThenColumnsHalfOpen() {
        Roi r = Roi.parse("reference-roi", " 0:64, 2:12 ");
        assertEquals(new Roi(0, 64, 2, 12), r);
        assertEquals(64 * 10, r.size());
        assertTrue(r.contains(0, 2));
        assertTrue(r.contains(63, 11));
        assertFalse(r.contains(64, 5), "row end is exclusive");
        assertFalse(r.contains(5, 12), "column end is exclusive");
        assertFalse(r.contains(5, 1));
        assertEquals("0:64,2:12", r.toString());
        assertEquals(r, Roi.parse("x", r.toString()), "toString parses back");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0:64", "0:64,0:12,1:2", "a:b,0:1", "0:64,0-12", "5:5,0:1", "0:1,3:2", "-1:2,0:1", "", "0:1:2,0:1"})
    void badTextIsAnErrorNamingTheParameterAndTheForm(String text) {
        InvalidParameterException e = ParametersTest.names("reference-roi", text, () -> Roi.parse("reference-roi", text));
        assertTrue(e.getMessage().contains("r0:r1,c0:c1"), e.getMessage());
    }

    @Test
    void theConstructorRejectsEmptyAndNegativeRegions() {
        assertThrows(IllegalArgumentException.class, () -> new Roi(2, 2, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Roi(0, 1, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Roi(3, 1, 0, 1));
    }

    @Test
    void withinChecksTheScanBounds() {
        Roi r = new Roi(0, 24, 0, 6);
        assertEquals(r, r.within("reference-roi", 24, 30));
        InvalidParameterException e = ParametersTest.names("reference-roi", "0:24,0:6", () -> r.within("reference-roi", 23, 30));
        assertTrue(e.getMessage().contains("23×30"), e.getMessage());
        ParametersTest.names("reference-roi", "0:24,0:6", () -> r.within("reference-roi", 24, 5));
    }

    @Test
    void equalityIsByBounds() {
        assertEquals(new Roi(1, 2, 3, 4), new Roi(1, 2, 3, 4));
        assertEquals(new Roi(1, 2, 3, 4).hashCode(), new Roi(1, 2, 3, 4).hashCode());
        assertNotEquals(new Roi(1, 2, 3, 4), new Roi(1, 2, 3, 5));
    }

    @Test
    void parametersRoiUsesTheParameterName() {
        assertEquals(new Roi(0, 2, 0, 3), Parameters.single("roi", "0:2,0:3").roi("roi").orElseThrow());
        assertTrue(Parameters.empty().roi("roi").isEmpty());
        ParametersTest.names("roi", "0:2", () -> Parameters.single("roi", "0:2").roi("roi"));
    }
}
