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
            if (!bad) assertEquals(Simulator.truth(spec, i / 6, i % 6).ringCenterX(), m.get("ring/center_x")[i], 0.3);
        }
        // the direct beam is still found in the vacuum frames
        assertTrue(Float.isFinite(m.get("beam/center_x")[7]));
    }

    @Test
    void hotAndDeadPixelsOnTheRingAreLeftOut() {
        SimulationSpec spec = SimulationSpec.builder().scan(4, 6).dose(1.5e5).seed(6).build();
        Harness.MemoryDataset ds = Harness.MemoryDataset.of(spec, false);
        int px = spec.detY() * spec.detX();
        var t0 = Simulator.truth(spec, 0, 0);
        int r = (int) Math.round(t0.ringCenterY()), c = (int) Math.round(t0.ringCenterX());
        int hot = (r + 3) * spec.detX() + c + 54, dead = (r - 40) * spec.detX() + c - 38, hot2 = (r + 50) * spec.detX() + c + 5;
        for (int i = 0; i < 24; i++) {
            ds.data[i * px + hot] = 40000;
            ds.data[i * px + hot2] = 900;
            ds.data[i * px + dead] = 0;
        }
        Map<String, float[]> m = Harness.run(ds, Parameters.single(RingFitter.P_SEED_FRAMES, "24"), 1, new BeamFitter(), new RingFitter());
        RingSetup su = Harness.ringSetup(ds, Parameters.single(RingFitter.P_SEED_FRAMES, "24"));
        assertTrue(su.excluded[hot] && su.excluded[hot2] && su.excluded[dead], "hot and dead pixels flagged");
        assertTrue(su.mean.badCount <= 5, "few false alarms: " + su.mean.badCount);
        assertEquals(0, su.mean.stopCount + su.mean.saturatedCount, "no beam stop, no saturation");
        double se = 0;
        for (int i = 0; i < 24; i++) {
            assertEquals(0f, m.get("fit/mask")[i], "mask at " + i);
            assertEquals(1.0, m.get("fit/chi2_reduced")[i], 0.1);
            se += Math.pow(m.get("ring/center_x")[i] - Simulator.truth(spec, i / 6, i % 6).ringCenterX(), 2);
        }
        assertTrue(Math.sqrt(se / 24) < 0.08, "centre RMS " + Math.sqrt(se / 24));
    }

    @Test
    void scaledCountsAreFittedAndTheirNoiseScaleFound() {
        // data in units of 8 "counts" per electron (a gain): Poisson weights are off by a constant,
        // which leaves the ML point unchanged; χ² checks are relative to the measured noise scale
        SimulationSpec spec = SimulationSpec.builder().scan(3, 5).dose(1.5e5).seed(12).output(SimulationSpec.Output.FLOAT32).build();
        Harness.MemoryDataset ds = Harness.MemoryDataset.of(spec, false);
        for (int i = 0; i < ds.data.length; i++) ds.data[i] *= 8;
        Map<String, float[]> m = Harness.run(ds, Parameters.single(RingFitter.P_SEED_FRAMES, "15"), 1, new BeamFitter(), new RingFitter());
        RingSetup su = Harness.ringSetup(ds, Parameters.single(RingFitter.P_SEED_FRAMES, "15"));
        assertEquals(8, su.noiseScale, 0.5);
        for (int i = 0; i < 15; i++) {
            assertEquals(0f, m.get("fit/mask")[i], "mask at " + i);
            assertEquals(8, m.get("fit/chi2_reduced")[i], 0.8);
            assertEquals(Simulator.truth(spec, i / 5, i % 5).ringCenterX(), m.get("ring/center_x")[i], 0.25);
        }
    }

    @Test
    void wrongFrameShapeIsATypedError() {
        SimulationSpec spec = SimulationSpec.builder().scan(2, 2).seed(4).build();
        Harness.MemoryDataset ds = Harness.MemoryDataset.of(spec, false);
        RingFitter f = new RingFitter();
        Harness.Context c = new Harness.Context(ds, Parameters.single(RingFitter.P_SEED_FRAMES, "4")).withSetup(f);
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
