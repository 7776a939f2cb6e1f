package org.ltz4d.amorphous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.simulator.Descan;
import org.ltz4d.simulator.GlassModel;
import org.ltz4d.simulator.MagneticField;
import org.ltz4d.simulator.SimulationSpec;
import org.ltz4d.simulator.StrainField;

/**
 * Realistic patterns (DESIGN.md "What real patterns look like"): a metallic glass
 * (Fe85.2Si0.5B9.5P4Cu0.8, Percus–Yevick S(q) × Lobato scattering factors + background: an
 * asymmetric first peak, weaker outer rings), a direct beam with half the electrons, a 1 % detector
 * distortion, descan, stripe domains of B and five strain bands (±1 % uniaxial along four axes and
 * an unstrained reference band). The fitter runs with its defaults; RMS errors of the centre, the
 * strain components and the density must lie within 1.3× the Cramér–Rao bound of the glass model
 * (centre, strain, amplitude and background free) over the first ring from the valley before it to
 * the valley after it (33–82 px, ρ ≈ 0.6–1.5), and not below 0.8× (a broken bound cannot pass).
 * Each ratio is known to about ±5 % (250 positions).
 */
class GlassPrecisionTest {

    static SimulationSpec spec(double dose) {
        return SimulationSpec.builder().pattern(SimulationSpec.Pattern.GLASS).scan(10, 25).dose(dose).distortion(0.01, 30)
                .descan(Descan.typical(4)).strainField(StrainField.orientations(0.01, 5))
                .magneticField(MagneticField.domains(1.0, 3, 0.2)).seed(11).build();
    }

    @Test
    void theEnvelopeSlopeFollowsTheCompositionsScatteringFactors() {
        // −d ln⟨f⟩²/d ln q at the first ring from --composition and the pixel calibration, against the
        // simulator's own ⟨f⟩² (its glass model)
        SimulationSpec spec = spec(1e6);
        GlassModel g = spec.glassModel();
        double q = g.firstPeakQ(), h = 1e-3;
        double truth = -(Math.log(g.squareMeanF(q * (1 + h))) - Math.log(g.squareMeanF(q * (1 - h)))) / (Math.log(1 + h) - Math.log(1 - h));
        double k = RingSetup.envelopeFromComposition(Parameters.single(RingFitter.P_COMPOSITION, spec.composition()),
                spec.calibration(), spec.ringRadiusPx());
        assertEquals(truth, k, 0.02);
        assertEquals(1.8, k, 0.05); // the default is this glass's
        assertTrue(Double.isNaN(RingSetup.envelopeFromComposition(Parameters.empty(), spec.calibration(), 55)));
    }

    @ParameterizedTest(name = "dose {0}")
    @ValueSource(doubles = {1e5, 1e6, 1e7})
    void rmsErrorsWithinOnePointThreeOfTheGlassModelsBound(double dose) {
        SimulationSpec spec = spec(dose);
        Harness.MemoryDataset ds = Harness.MemoryDataset.of(spec, false);
        GlassScan g = GlassScan.run(spec, ds, Parameters.of(Map.of(RingFitter.P_SEED_FRAMES, "64")), 10, 33, 82);
        System.out.println(g);
        assertEquals(0, g.failedOnSample, "no position on the sample may fail: " + g);
        for (int k = 0; k < 6; k++) {
            assertTrue(g.ratio[k] <= 1.3, GlassScan.NAMES[k] + ": " + g);
            assertTrue(g.ratio[k] >= 0.8, GlassScan.NAMES[k] + ": " + g);
        }
    }
}
