package org.ltz4d.amorphous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.simulator.Descan;
import org.ltz4d.simulator.MagneticField;
import org.ltz4d.simulator.SimulationSpec;
import org.ltz4d.simulator.Simulator;
import org.ltz4d.simulator.StrainField;

/** DESIGN.md §3–4 signs, seen through the fitters on simulated data with a known uniform field. */
class SignConventionTest {

    private static double mean(float[] a) {
        double s = 0;
        for (float v : a) s += v;
        return s / a.length;
    }

    private static float[] minus(float[] a, float[] b) {
        float[] d = new float[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i] - b[i];
        return d;
    }

    @Test
    void fieldAlongPlusXDeflectsTheRingCentreAlongMinusY() {
        SimulationSpec spec = SimulationSpec.builder().scan(4, 5).dose(2e6).descan(Descan.typical(3))
                .magneticField(MagneticField.uniform(2.0, 0)).seed(5).build();
        Parameters p = Parameters.single(RingFitter.P_SEED_FRAMES, "20");
        Map<String, float[]> s = Harness.run(Harness.MemoryDataset.of(spec, false), p, 1, new BeamFitter(), new RingFitter());
        Map<String, float[]> v = Harness.run(Harness.MemoryDataset.of(spec, true), p, 1, new BeamFitter());
        double k = Simulator.deflectionPxPerTesla(spec);
        double dx = mean(minus(s.get("ring/center_x"), v.get("beam/center_x")));
        double dy = mean(minus(s.get("ring/center_y"), v.get("beam/center_y")));
        // ring centre σ ≈ 0.014 px per frame at 2e6, 20 frames; the vacuum beam centre is far better
        assertEquals(-2.0 * k, dy, 0.02, "shift along y");
        assertEquals(0, dx, 0.02, "shift along x");
        assertTrue(dy < -0.3, "B along +x must deflect along −y, got " + dy + " px");
    }

    @Test
    void compressionAlongXEnlargesTheFittedRingAlongX() {
        SimulationSpec spec = SimulationSpec.builder().scan(3, 4).dose(2e6).distortion(0.01, 30).descan(Descan.none())
                .strainField(StrainField.uniaxial(-0.02, 0, 0)).seed(9).build();
        Map<String, float[]> m = Harness.run(Harness.MemoryDataset.of(spec, false),
                Parameters.single(RingFitter.P_SEED_FRAMES, "12"), 1, new BeamFitter(), new RingFitter());
        // the reference form as the strain deriver gets it: fitted on an unstrained area (here a scan of its own)
        Map<String, float[]> r = Harness.run(Harness.MemoryDataset.of(spec.toBuilder().strainField(StrainField.uniaxial(0, 0, 0)).build(), false),
                Parameters.single(RingFitter.P_SEED_FRAMES, "12"), 1, new BeamFitter(), new RingFitter());
        double[] qref = {mean(r.get("ring/q11")), mean(r.get("ring/q12")), mean(r.get("ring/q22"))};
        for (int i = 0; i < 12; i++) {
            double[] e = Crb.strain(qref, m.get("ring/q11")[i], m.get("ring/q12")[i], m.get("ring/q22")[i]);
            assertEquals(-0.02, e[0], 0.0015, "exx");
            assertEquals(0, e[1], 0.0015, "eyy");
            assertEquals(0, e[2], 0.0015, "exy");
        }
        // without detector distortion the ring's long axis lies along x
        SimulationSpec plain = spec.toBuilder().distortion(0, 0).build();
        Map<String, float[]> n = Harness.run(Harness.MemoryDataset.of(plain, false),
                Parameters.single(RingFitter.P_SEED_FRAMES, "12"), 1, new BeamFitter(), new RingFitter());
        for (int i = 0; i < 12; i++) {
            double ang = n.get("ring/angle_deg")[i];
            assertTrue(ang < 2 || ang > 178, "a along x, angle " + ang);
            assertEquals(1 / 0.98, n.get("ring/a")[i] / n.get("ring/b")[i], 0.002);
        }
    }

    @Test
    void theLongAxisFollowsTheCompressionAxis() {
        for (double axis : new double[] {30, 45, 120}) {
            SimulationSpec spec = SimulationSpec.builder().scan(2, 3).dose(2e6).distortion(0, 0).descan(Descan.none())
                    .strainField(StrainField.uniaxial(-0.02, axis, 0.3)).seed(10).build();
            Map<String, float[]> m = Harness.run(Harness.MemoryDataset.of(spec, false),
                    Parameters.single(RingFitter.P_SEED_FRAMES, "6"), 1, new BeamFitter(), new RingFitter());
            for (int i = 0; i < 6; i++) {
                assertEquals(axis, m.get("ring/angle_deg")[i], 2.0, "compression axis " + axis); // σ ≈ 0.6° here
                assertEquals(1.006 / 0.98, m.get("ring/a")[i] / m.get("ring/b")[i], 0.002);
            }
        }
    }
}
