package org.ltz4d.virtual;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.ltz4d.io.testing.GuardedDataset;
import org.ltz4d.io.testing.Shipping;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.FitSetup;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.Pipeline;
import org.ltz4d.api.analysis.Plan;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.engine.AnalysisRequest;
import org.ltz4d.api.engine.BlockFitter;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.FitBlock;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.engine.LocalEngine;
import org.ltz4d.simulator.SimulationSpec;
import org.ltz4d.simulator.Simulator;

/**
 * Issue 14 through the real engine: a driver engine computes the virtual fitter's set-up and hands
 * the pass to a worker engine (its own reader and fitter, as a Spark executor has) range by range
 * of whole scan rows. The worker reads each of its frames once and never the mean pattern's; the
 * driver reads the mean pattern's frames only; the maps and their attributes are bit for bit the
 * local engine's.
 */
class VirtualOnClusterTest {
    @TempDir
    Path dir;

    /** Serves the simulated scan for files ending in {@code .sim}, counting the frames read. */
    record SimReader(GuardedDataset ds) implements DatasetReader {
        @Override public String name() { return "sim"; }
        @Override public List<String> suffixes() { return List.of("sim"); }
        @Override public double probe(Path file, ByteBuffer head) { return file.toString().endsWith(".sim") ? 0.9 : 0; }
        @Override public Dataset open(Path file, Parameters options) { return ds; }
    }

    /** One engine with the reader, the virtual fitter and a pipeline of it alone. */
    static LocalEngine engine(GuardedDataset sim) {
        LocalEngine e = new LocalEngine();
        e.register(new SimReader(sim), "test.reader", "1.0.0");
        e.register(new VirtualFitter(), "org.ltz4d.virtual", "1.0.0");
        e.register(new Pipeline() {
            @Override public String name() { return "virtual-only"; }
            @Override public String description() { return "the virtual fitter alone"; }
            @Override public Plan plan(Parameters parameters) { return new Plan(List.of(List.of(VirtualFitter.NAME)), List.of(), List.of()); }
        }, "test.pipelines", "1.0.0");
        return e;
    }

    @Test
    void aWorkerFitsFromTheDriversSetUpAndTheMapsAreTheLocalEngines() throws Exception {
        SimulationSpec spec = VirtualFitterTest.spec();
        Dataset sim = Simulator.dataset(spec);
        Path file = Files.createFile(dir.resolve("glass.sim"));
        Parameters p = Parameters.of(Map.of("threads", "2", "block-frames", "5", "virtual-mean-frames", "16", "virtual-sum-pattern", "true",
                "virtual-mask-polygon", "10.3,12.7,70.2,12.7,70.2,30.5,30.6,30.5"));
        GuardedDataset driverData = new GuardedDataset(sim), workerData = new GuardedDataset(sim);
        LocalEngine local = engine(new GuardedDataset(sim)), driver = engine(driverData), worker = engine(workerData);
        MapSet expected = local.readResults(local.analyze(new AnalysisRequest(file, "virtual-only", p, dir.resolve("local")),
                ProgressListener.NONE, new Cancellation()).results());
        List<FitSetup> shipped = new ArrayList<>();
        BlockFitter rowsOfTwo = (pass, cancel) -> {
            FitSetup s = pass.setups().get(VirtualFitter.NAME);
            shipped.add(s);
            int cols = pass.navShape().dim(1), rows = pass.navShape().dim(0);
            List<FitBlock> out = new ArrayList<>();
            for (int r = 0; r < rows; r += 2) {
                // each range as an executor gets it: the set-up through Java serialisation
                var one = new org.ltz4d.api.engine.FitPass(pass.input(), pass.parameters(), pass.fitters(), pass.previous(),
                        pass.navShape(), pass.blockFrames(), Map.of(VirtualFitter.NAME, Shipping.ship(s)));
                out.add(worker.fitBlock(one, (long) r * cols, Math.min(2, rows - r) * cols, cancel));
            }
            return out;
        };
        MapSet got = driver.readResults(driver.analyze(new AnalysisRequest(file, "virtual-only", p, dir.resolve("cluster")),
                ProgressListener.NONE, new Cancellation(), rowsOfTwo).results());
        assertEquals(1, shipped.size());
        assertEquals(16, shipped.get(0).value(Geometry.S_FRAMES));
        assertEquals(16, driverData.framesRead(), "the driver reads the mean pattern's frames only");
        assertEquals(spec.frameCount(), workerData.framesRead(), "the worker reads each of its frames once, no mean pattern");
        List<String> names = expected.maps().stream().map(DataMap::path).toList();
        assertEquals(names, got.maps().stream().map(DataMap::path).toList());
        for (String m : List.of(VirtualFitter.BF, VirtualFitter.ADF, VirtualFitter.RING, VirtualFitter.COM_X, VirtualFitter.MASK,
                VirtualFitter.SUM_PATTERN)) {
            assertTrue(names.contains(m), m + " in " + names);
        }
        for (String m : names) {
            DataMap want = expected.require(m), have = got.require(m);
            assertArrayEquals(want.toArray(), have.toArray(), m + ": bit for bit the local engine's");
            assertEquals(want.attributes().keySet(), have.attributes().keySet(), m);
            for (var a : want.attributes().entrySet()) {
                assertTrue(Objects.deepEquals(a.getValue(), have.attributes().get(a.getKey())), m + " attribute " + a.getKey());
            }
        }
    }
}
