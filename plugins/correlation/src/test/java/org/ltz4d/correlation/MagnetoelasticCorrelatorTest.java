package org.ltz4d.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.units.Unit;
import org.junit.jupiter.api.Test;

class MagnetoelasticCorrelatorTest {

    /**
     * Hand computation: ε_com = −0.010, ε_ten = 0.004 → ε_v/2 = −0.003, deviatoric principal strains
     * ∓0.007; E = 100 GPa, ν = 0.25 → E/(1+ν) = 80 GPa, σ_ten = +5.6e8 Pa, σ_com = −5.6e8 Pa.
     * Axis at 30°, B at 90° → α = 60°: sin²α = 0.75, cos²α = 0.25.
     * e_ME = −1.5 · 40e-6 · (−5.6e8·0.75 + 5.6e8·0.25) = −6e-5 · (−2.8e8) = 16 800 J/m³.
     * B along the axis (α = 0): e_ME = −6e-5 · 5.6e8 = −33 600 J/m³.
     */
    @Test
    void energyMatchesHandComputation() {
        Sim sim = new Sim(1, 3);
        sim.set(0, 1.0, 90, -0.010, 0.004, 30);
        sim.set(1, 0.3, 210, -0.010, 0.004, 30);
        sim.set(2, 1.0, 120, -0.010, 0.004, 30);
        Correlation c = new MagnetoelasticCorrelator().correlate(sim.maps(),
                new TestContext(sim.shape(), Map.of("young-gpa", "100", "poisson", "0.25"), 1));
        DataMap e = c.maps().require("correlation/e_me");
        assertEquals(Unit.JOULE_PER_CUBIC_METRE, e.unit());
        assertEquals(16800, e.get(0), 0.05);
        assertEquals(-33600, e.get(1), 0.05);
        assertEquals(33600, e.get(2), 0.05);
        assertEquals(0.56, c.maps().require("correlation/sigma_ten").get(0), 1e-6);
        assertEquals(-0.56, c.maps().require("correlation/sigma_com").get(0), 1e-6);
        assertEquals(Unit.GIGAPASCAL, c.maps().require("correlation/sigma_ten").unit());
    }

    @Test
    void withoutModulusInUnitsOfEOver1PlusNuAndLambdaScales() {
        Sim sim = new Sim(1, 1);
        sim.set(0, 1.0, 90, -0.010, 0.004, 30);
        Correlation c = new MagnetoelasticCorrelator().correlate(sim.maps(), new TestContext(sim.shape(), Map.of("lambda-s", "-20e-6"), 1));
        DataMap e = c.maps().require("correlation/e_me");
        assertEquals(MagnetoelasticCorrelator.E_OVER_1_PLUS_NU, e.unit());
        assertTrue(String.valueOf(e.attributes().get("unit_note")).contains("E_Y/(1+ν)"));
        // 16 800 J/m³ / 80e9 Pa = 2.1e-7, times λ_s ratio −0.5
        assertEquals(-1.05e-7, e.get(0), 1e-12);
    }

    @Test
    void modulusNeedsBothParameters() {
        Sim sim = new Sim(1, 1);
        sim.set(0, 1.0, 90, -0.010, 0.004, 30);
        InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> new MagnetoelasticCorrelator()
                .correlate(sim.maps(), new TestContext(sim.shape(), Map.of("young-gpa", "100"), 1)));
        assertEquals("poisson", e.parameter());
        InvalidParameterException e2 = assertThrows(InvalidParameterException.class, () -> new MagnetoelasticCorrelator()
                .correlate(sim.maps(), new TestContext(sim.shape(), Map.of("young-gpa", "100", "poisson", "0.7"), 1)));
        assertEquals("poisson", e2.parameter());
    }
}
