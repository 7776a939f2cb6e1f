package org.ltz4d.amorphous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.simulator.SimulationSpec;
import org.ltz4d.simulator.Simulator;

/** Positions without a usable ring are flagged and NaN, never a silent zero. */
class FailureTest {

    @Test
    void vacuumAndSaturatedPositionsAreFlaggedAndNaN() {
        SimulationSpec spec = SimulationSpec.builder().scan(4, 6).dose(1.5e5).seed(4).build();
        Harness.MemoryDataset ds = Harness.MemoryDataset.of(spec, false);
        int px = spec.detY() * spec.detX();
        float[] vac = new float[px];
        // positions 7 and 8 (consecutive) and 15: vacuum (no sample); position 20: a saturated pixel on the ring
        for (int i : new int[] {7, 8, 15}) {
            Simulator.sampleVacuum(spec, i / 6, i % 6, vac, 0);
            System.arraycopy(vac, 0, ds.data, i * px, px);
        }
        var t = Simulator.truth(spec, 20 / 6, 20 % 6);
        int sr = (int) Math.round(t.ringCenterY()), sc = (int) Math.round(t.ringCenterX() + 55);
        ds.data[20 * px + sr * spec.detX() + sc] = 65535;
        Map<String, float[]> m = Harness.run(ds, Parameters.single(RingFitter.P_SEED_FRAMES, "24"), 1, new BeamFitter(), new RingFitter());
        for (int i = 0; i < 24; i++) {
            boolean bad = i == 7 || i == 8 || i == 15 || i == 20;
            assertEquals(bad ? 1f : 0f, m.get("fit/mask")[i], "mask at " + i);
            for (String o : RingFitter.OUTPUTS) {
                if (o.startsWith("ring/")) assertEquals(bad, Float.isNaN(m.get(o)[i]), o + " at " + i);
            }
            if (!bad) assertEquals(t.q11(), m.get("ring/q11")[i], 0.01 * t.q11());
        }
        // the direct beam is still found in the vacuum frames
        assertTrue(Float.isFinite(m.get("beam/center_x")[7]));
    }

    @Test
    void wrongFrameShapeIsATypedError() {
        SimulationSpec spec = SimulationSpec.builder().scan(2, 2).seed(4).build();
        Harness.MemoryDataset ds = Harness.MemoryDataset.of(spec, false);
        RingFitter f = new RingFitter();
        Harness.Context c = new Harness.Context(ds, Parameters.single(RingFitter.P_SEED_FRAMES, "4"));
        for (int i = 0; i < RingFitter.OUTPUTS.size(); i++) c.slots.put(RingFitter.OUTPUTS.get(i), i);
        var proc = f.processor(c);
        Harness.TestFrame fr = new Harness.TestFrame();
        fr.rows = 100;
        fr.cols = 192;
        fr.data = new float[100 * 192];
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> proc.process(fr, new Harness.Out(12)));
        assertTrue(e.getMessage().contains("192×192"), e.getMessage());
    }

    @Test
    void noRingInTheMeanPatternNamesTheParameter() {
        SimulationSpec spec = SimulationSpec.builder().scan(2, 3).seed(4).build();
        Harness.MemoryDataset vac = Harness.MemoryDataset.of(spec, true);
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> Harness.run(vac, Parameters.single(RingFitter.P_SEED_FRAMES, "6"), 1, new RingFitter()));
        assertEquals(RingFitter.P_RADIUS, e.parameter());
    }
}
