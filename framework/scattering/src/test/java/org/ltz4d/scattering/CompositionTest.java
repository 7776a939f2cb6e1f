package org.ltz4d.scattering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.error.InvalidParameterException;

class CompositionTest {
    final java.util.Set<String> known = ScatteringFactors.of(ScatteringFactors.Kind.LOBATO).symbols();

    @Test
    void parsesAndNormalisesAtomicPercent() {
        Composition c = Composition.parse("composition", "Fe85.2Si0.5B9.5P4Cu0.8", known);
        Map<String, Double> f = c.fractions();
        assertEquals(List.of("Fe", "Si", "B", "P", "Cu"), c.symbols());
        assertEquals(0.852, f.get("Fe"), 1e-12);
        assertEquals(0.005, f.get("Si"), 1e-12);
        assertEquals(0.095, f.get("B"), 1e-12);
        assertEquals(0.04, f.get("P"), 1e-12);
        assertEquals(0.008, f.get("Cu"), 1e-12);
        Composition d = Composition.parse("composition", "Zr2Cu", known);
        assertEquals(2.0 / 3, d.fractions().get("Zr"), 1e-12);
        assertEquals(1.0 / 3, d.fractions().get("Cu"), 1e-12);
        Composition e = Composition.parse("composition", "Pd40 Ni40 P20", known);
        assertEquals(0.4, e.fractions().get("Ni"), 1e-12);
    }

    @Test
    void badCompositionsNameTheParameter() {
        for (String bad : new String[] {"", "fe80B20", "Fe80Xx20", "Fe80-B20", "Fe0"}) {
            InvalidParameterException ex = assertThrows(InvalidParameterException.class, () -> Composition.parse("composition", bad, known), bad);
            assertEquals("composition", ex.parameter());
            assertTrue(ex.getMessage().contains("composition"), ex.getMessage());
        }
    }
}
