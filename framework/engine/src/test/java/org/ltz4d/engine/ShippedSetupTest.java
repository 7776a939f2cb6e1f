package org.ltz4d.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.BufferSpec;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.FitSetup;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.analysis.FrameProcessor;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.Plan;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.engine.AnalysisRequest;
import org.ltz4d.api.engine.BlockFitter;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.FitBlock;
import org.ltz4d.api.engine.FitPass;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.error.Ltz4dException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.ltz4d.engine.results.Hdf5Results;
import org.ltz4d.io.testing.GuardedDataset;
import org.ltz4d.io.testing.Shipping;

/**
 * A fitter's set-up is computed once, by the engine that starts the run, and shipped with the pass
 * to whoever fits ranges of it ({@link BlockFitter}, e.g. Spark's executors): the fitting engine
 * reads exactly its frames, never the set-up's samples, and gets the same answers.
 */
class ShippedSetupTest {
    @TempDir
    Path dir;

    /** Frames read through every dataset this reader opened. */
    static final class CountingReader implements DatasetReader {
        private final List<GuardedDataset> opened = java.util.Collections.synchronizedList(new ArrayList<>());
        private final TestPlugins.MemReader mem = new TestPlugins.MemReader();

        @Override public String name() { return "mem"; }
        @Override public List<String> suffixes() { return List.of("mem"); }
        @Override public double probe(Path file, ByteBuffer head) { return mem.probe(file, head); }

        @Override
        public Dataset open(Path file, Parameters options) {
            GuardedDataset d = new GuardedDataset(mem.open(file, options));
            opened.add(d);
            return d;
        }

        long framesRead() {
            synchronized (opened) {
                return opened.stream().mapToLong(GuardedDataset::framesRead).sum();
            }
        }
    }

    /**
     * Set-up: the mean of the first pixel over {@code seed-frames} frames spread over the scan (its
     * samples are read here only). Per frame: the frame's first pixel minus that seed.
     */
    static final class SeededFitter implements Fitter {
        final AtomicInteger setups = new AtomicInteger();
        final List<FitSetup> seen = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override public String name() { return "seeded"; }

        @Override
        public FitSetup setup(FitContext ctx) {
            setups.incrementAndGet();
            Dataset ds = ctx.dataset();
            int k = 5;
            float[] one = new float[ds.framePixels()];
            double s = 0;
            for (int i = 0; i < k; i++) {
                ds.readFrames(Math.round(i * (ds.frameCount() - 1) / (double) (k - 1)), 1, one, 0);
                s += one[0];
            }
            return FitSetup.builder().put("seed", s / k).put("pattern", one).build();
        }

        @Override
        public List<BufferSpec> buffers(FitContext ctx) {
            ctx.setup().value("seed"); // a fitter may size its buffers from its set-up
            return List.of(BufferSpec.nav("seeded/offset", Unit.COUNTS, "first pixel minus the set-up's mean first pixel"));
        }

        @Override
        public FrameProcessor processor(FitContext ctx) {
            FitSetup s = ctx.setup();
            seen.add(s);
            double seed = s.value("seed");
            int slot = ctx.slot("seeded/offset");
            return (frame, out) -> out.set(slot, (float) (frame.data()[frame.offset()] - seed));
        }
    }

    private record Side(LocalEngine engine, CountingReader reader, SeededFitter fitter) {
        static Side start() {
            LocalEngine e = new LocalEngine();
            CountingReader r = new CountingReader();
            SeededFitter f = new SeededFitter();
            e.register(r, "test.reader", "1.0.0");
            e.register(f, "test.fitters", "1.0.0");
            e.register(new TestPlugins.SumFitter(), "test.fitters", "1.0.0");
            e.register(TestPlugins.pipeline("seeded", new Plan(List.of(List.of("sum", "seeded")), List.of(), List.of())), "test.pipelines",
                    "1.0.0");
            return new Side(e, r, f);
        }
    }

    /** Fits the pass on {@code worker} in ranges of {@code rows} whole scan rows, as a cluster's executors would; keeps the passes it saw. */
    private static BlockFitter cluster(LocalEngine worker, int rows, List<FitPass> passes, boolean dropSetups) {
        return (pass, cancel) -> {
            FitPass p = dropSetups ? new FitPass(pass.input(), pass.parameters(), pass.fitters(), pass.previous(), pass.navShape(),
                    pass.blockFrames()) : pass;
            passes.add(p);
            int cols = pass.navShape().dim(1);
            List<FitBlock> out = new ArrayList<>();
            for (int r = 0; r < pass.navShape().dim(0); r += rows) {
                int n = Math.min(rows, pass.navShape().dim(0) - r);
                out.add(worker.fitBlock(p, (long) r * cols, n * cols, cancel));
            }
            return out;
        };
    }

    @Test
    void theSetUpIsComputedOnceByTheDriverAndTheWorkerReadsOnlyItsFrames() {
        Path file = TestPlugins.memFile(dir, "9x7");
        Parameters p = Parameters.of(Map.of("threads", "2", "block-frames", "7"));
        Side local = Side.start(), driver = Side.start(), worker = Side.start();

        MapSet expected = Hdf5Results.read(local.engine.analyze(new AnalysisRequest(file, "seeded", p, dir.resolve("local")),
                ProgressListener.NONE, new Cancellation()).results());
        List<FitPass> passes = new ArrayList<>();
        MapSet got = Hdf5Results.read(driver.engine.analyze(new AnalysisRequest(file, "seeded", p, dir.resolve("cluster")),
                ProgressListener.NONE, new Cancellation(), cluster(worker.engine, 2, passes, false)).results());

        assertEquals(1, driver.fitter.setups.get(), "the driver computes the set-up once");
        assertEquals(0, worker.fitter.setups.get(), "the worker never computes it");
        assertEquals(63, worker.reader.framesRead(), "the worker reads each of its frames once, no set-up samples");
        assertEquals(5, driver.reader.framesRead(), "the driver reads the set-up's samples only");
        FitSetup shipped = passes.get(0).setups().get("seeded");
        assertTrue(passes.get(0).setups().get("sum").isEmpty(), "a fitter without set-up ships NONE");
        assertEquals(local.fitter.seen.get(0), shipped, "the driver's set-up is the one a local run computes");
        for (FitSetup s : worker.fitter.seen) assertSame(shipped, s, "every processor of the worker gets the shipped set-up");
        for (String m : List.of("seeded/offset", "virtual/total")) {
            assertArrayEquals(expected.require(m).toArray(), got.require(m).toArray(), m + ": same maps as the local engine");
        }
    }

    @Test
    void aPassWithoutSetUpsHasTheWorkerComputeItsOwn() {
        Path file = TestPlugins.memFile(dir, "6x5");
        Parameters p = Parameters.of(Map.of("threads", "1", "block-frames", "5"));
        Side driver = Side.start(), worker = Side.start();
        MapSet got = Hdf5Results.read(driver.engine.analyze(new AnalysisRequest(file, "seeded", p, dir.resolve("old")),
                ProgressListener.NONE, new Cancellation(), cluster(worker.engine, 3, new ArrayList<>(), true)).results());
        assertEquals(2, worker.fitter.setups.get(), "one set-up per range it fits (an engine of API 1.4 behaved so)");
        assertEquals(-(0 + 7 + 15 + 22 + 29) / 5f, got.require("seeded/offset").get(0), 1e-4f, "frame 0 minus the mean of frames 0, 7, 15, 22, 29");
    }

    @Test
    void aSetUpValueIsReadBackExactlyAndMissingNamesAreNamed() {
        float[] pattern = {1.1f, 2.2f, Float.NaN};
        FitSetup s = FitSetup.builder().put("pattern", pattern).put("seed", 0.1, 0.2).put("gradient", true)
                .put("bad", new boolean[] {true, false}).put("n", new int[] {3}).build();
        assertArrayEquals(pattern, s.floats("pattern"));
        assertArrayEquals(new double[] {0.1, 0.2}, s.values("seed"));
        assertTrue(s.flag("gradient"));
        assertArrayEquals(new boolean[] {true, false}, s.flags("bad"));
        assertEquals(3, s.value("n"));
        assertEquals(12 + 16 + 8 + 16 + 8, s.bytes());
        Ltz4dException e = assertThrows(Ltz4dException.class, () -> s.values("radius"));
        assertTrue(e.getMessage().contains("'radius'") && e.getMessage().contains("pattern, seed"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FitSetup.builder().put("a", 1).put("a", 2));
        assertSame(FitSetup.NONE, FitSetup.builder().build());
        // arrays are copied in and out
        pattern[0] = 9;
        s.floats("pattern")[1] = 9;
        assertEquals(1.1f, s.floats("pattern")[0]);
        assertEquals(2.2f, s.floats("pattern")[1]);
    }

    @Test
    void whatAFitterBuildsFromASetUpIsMadeOncePerSetUpObject() throws Exception {
        FitSetup s = FitSetup.builder().put("seed", 1.5).build();
        AtomicInteger made = new AtomicInteger();
        java.util.function.Function<FitSetup, double[]> decode = x -> {
            made.incrementAndGet();
            return new double[] {x.value("seed")};
        };
        List<java.util.concurrent.Future<double[]>> got = new ArrayList<>();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            for (int i = 0; i < 16; i++) got.add(pool.submit(() -> s.decoded(double[].class, decode)));
            for (var g : got) assertSame(got.get(0).get(), g.get(), "every processor of the run shares one decoded value");
        } finally {
            pool.shutdown();
        }
        assertEquals(1, made.get());
        FitSetup shipped = Shipping.ship(s);
        assertEquals(1.5, shipped.decoded(double[].class, decode)[0], "decoded again where the set-up arrives (not shipped)");
        assertEquals(2, made.get());
        FitSetup.NONE.decoded(double[].class, x -> new double[0]);
        FitSetup.NONE.decoded(double[].class, x -> {
            made.incrementAndGet();
            return new double[0];
        });
        assertEquals(3, made.get(), "the shared empty set-up keeps nothing");
    }

    @Test
    void aSetUpSurvivesJavaSerialisationAsSparkShipsIt() throws Exception {
        FitSetup s = FitSetup.builder().put("pattern", new float[] {1, 2, 3}).put("seed", Math.PI).build();
        FitSetup back = Shipping.ship(s);
        assertEquals(s, back);
        assertEquals(Math.PI, back.value("seed"));
    }
}
