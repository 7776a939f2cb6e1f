package org.ltz4d.virtual;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.ltz4d.io.testing.GuardedDataset;
import org.ltz4d.io.testing.Shipping;
import org.ltz4d.api.analysis.FitSetup;
import org.ltz4d.api.analysis.FrameProcessor;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.simulator.SimulationSpec;
import org.ltz4d.simulator.Simulator;

/**
 * Issue 14: the virtual detectors' set-up (the mean pattern's beam centre and radii) is computed
 * once, where the run starts, and shipped to the executors as Java-serialised numbers. Built from
 * the shipped copy on a dataset that refuses every read, {@code buffers}, {@code processor} and
 * {@code attributes} give bit for bit what the locally computed set-up gives; the mean pattern's
 * frames are read in {@code setup} only.
 */
class VirtualSetupShippedTest {

    /** Every output of a processor over the scan, as raw bits: 6 NAV values per frame, then the sum pattern. */
    static long[] outputs(FrameProcessor p, Dataset frames, SimulationSpec spec) {
        int rows = spec.detY(), cols = spec.detX(), n = (int) spec.frameCount();
        float[] frame = new float[rows * cols];
        VirtualFitterTest.Out o = new VirtualFitterTest.Out();
        o.sum = new double[rows * cols];
        long[] bits = new long[6 * n + rows * cols];
        for (int i = 0; i < n; i++) {
            frames.readFrames(i, 1, frame, 0);
            java.util.Arrays.fill(o.v, Float.NaN);
            p.process(new VirtualFitterTest.F(i, i / spec.scanX(), i % spec.scanX(), rows, cols, frame, 0), o);
            for (int k = 0; k < 6; k++) bits[6 * i + k] = Float.floatToRawIntBits(o.v[k]);
        }
        for (int k = 0; k < o.sum.length; k++) bits[6 * n + k] = Double.doubleToRawLongBits(o.sum[k]);
        return bits;
    }

    @Test
    void theShippedSetUpGivesBitForBitTheSameOutputsAndNothingButTheSetUpReadsFrames() throws Exception {
        SimulationSpec spec = VirtualFitterTest.spec();
        Dataset sim = Simulator.dataset(spec);
        Parameters p = Parameters.of(Map.of("virtual-mean-frames", "16", "virtual-sum-pattern", "true",
                "virtual-mask-polygon", "10.3,12.7,70.2,12.7,70.2,30.5,30.6,30.5"));
        // where the run starts: the set-up reads the mean pattern's 16 frames, and nothing after it reads any
        VirtualFitter driver = new VirtualFitter();
        GuardedDataset counted = new GuardedDataset(sim);
        FitSetup local = driver.setup(new VirtualFitterTest.Ctx(counted, p));
        assertEquals(16, counted.framesRead(), "the set-up reads virtual-mean-frames frames");
        assertEquals(16, local.value(Geometry.S_FRAMES));
        VirtualFitterTest.Ctx localCtx = new VirtualFitterTest.Ctx(counted, p, local);
        FrameProcessor localProc = driver.processor(localCtx);
        var localBuffers = driver.buffers(localCtx);
        var localAttributes = driver.attributes(localCtx);
        assertEquals(16, counted.framesRead(), "buffers, processor and attributes read no frame");
        // shipped: Java serialisation (as Spark broadcasts it) to a fresh fitter whose dataset refuses every read
        FitSetup shipped = Shipping.ship(local);
        assertNotSame(local, shipped);
        assertEquals(local, shipped);
        assertTrue(shipped.bytes() < 200, "a few numbers, not a pattern: " + shipped.bytes() + " bytes");
        VirtualFitter executor = new VirtualFitter();
        VirtualFitterTest.Ctx remote = new VirtualFitterTest.Ctx(new GuardedDataset(sim).serve(0, 0), p, shipped);
        FrameProcessor remoteProc = executor.processor(remote);
        assertEquals(localBuffers, executor.buffers(remote));
        assertEquals(localAttributes.keySet(), executor.attributes(remote).keySet());
        for (var e : localAttributes.entrySet()) {
            Map<String, Object> got = executor.attributes(remote).get(e.getKey());
            assertEquals(e.getValue().keySet(), got.keySet(), e.getKey());
            for (var a : e.getValue().entrySet()) {
                assertTrue(Objects.deepEquals(a.getValue(), got.get(a.getKey())), e.getKey() + " " + a.getKey());
            }
        }
        assertSame(executor.geometry(remote), executor.geometry(remote), "one geometry per set-up");
        // the frames the engine hands over give the same bits; the outputs are real (the mask and the beam's counts)
        long[] want = outputs(localProc, sim, spec), got = outputs(remoteProc, sim, spec);
        assertArrayEquals(want, got, "bit for bit the same outputs from the shipped set-up");
        double bf = 0, mask = 0;
        for (int i = 0; i < spec.frameCount(); i++) {
            bf += Float.intBitsToFloat((int) want[6 * i]);
            mask += Float.intBitsToFloat((int) want[6 * i + 5]);
        }
        assertTrue(bf > 0 && mask > 0, "BF " + bf + " and mask " + mask + " counts over the scan");
        assertEquals(16, counted.framesRead(), "still only the set-up's reads");
        // a harness context without a set-up gets the same one computed for it
        assertArrayEquals(want, outputs(new VirtualFitter().processor(new VirtualFitterTest.Ctx(sim, p)), sim, spec));
    }

    @Test
    void aSetUpPlacedOnAnotherDetectorIsATypedErrorNamingTheDataset() {
        SimulationSpec spec = VirtualFitterTest.spec();
        VirtualFitter f = new VirtualFitter();
        FitSetup other = FitSetup.builder().put(Geometry.S_DETECTOR, spec.detY() + 1, spec.detX()).put(Geometry.S_CENTRE, 3, 4)
                .put(Geometry.S_RADII, 1, 2, 3, 4, 5).put(Geometry.S_BEAM, 1).put(Geometry.S_RING, 4.5).put(Geometry.S_FRAMES, 1)
                .put(Geometry.S_POLYGON, new double[0]).build();
        Dataset ds = new GuardedDataset(Simulator.dataset(spec)).serve(0, 0);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> f.processor(new VirtualFitterTest.Ctx(ds, Parameters.empty(), other)));
        assertTrue(e.getMessage().contains(Geometry.S_DETECTOR), e.getMessage());
    }
}
