package org.ltz4d.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.Plan;
import org.ltz4d.api.analysis.QuantityDeriver;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.engine.AnalysisRequest;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.engine.RunSummary;
import org.ltz4d.api.error.CancelledException;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.MissingCalibrationException;
import org.ltz4d.api.param.Parameters;

/** Runs in flight and engine shutdown, pixel sums through the frame runner, and the choice among same-named plugins. */
class EngineRunsTest {
    @TempDir
    Path dir;

    LocalEngine engine;
    TestPlugins.SlowFitter slow = new TestPlugins.SlowFitter();

    @BeforeEach
    void setUp() {
        engine = new LocalEngine();
        engine.register(new TestPlugins.MemReader(), "test.reader", "1.0.0");
        engine.register(slow, "test.slow", "1.0.0");
        engine.register(TestPlugins.pipeline("slow", new Plan(List.of(List.of("slow")), List.of(), List.of())), "test.slow", "1.0.0");
    }

    private Path mem(String shape) {
        return TestPlugins.memFile(dir, shape);
    }

    @Test
    void deactivationCancelsRunsInFlightAndWritesNothing() throws Exception {
        Cancellation callers = new Cancellation();
        CompletableFuture<RunSummary> run = CompletableFuture.supplyAsync(() -> engine.analyze(
                new AnalysisRequest(mem("40x40"), "slow", Parameters.of(Map.of("block-frames", "8", "threads", "2")), dir.resolve("d")),
                ProgressListener.NONE, callers));
        assertTrue(slow.started.await(10, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        engine.deactivate();
        ExecutionException ex = assertThrows(ExecutionException.class, () -> run.get(2, TimeUnit.SECONDS));
        // 1600 frames at 2 ms on 2 threads take 1.6 s: stopping at the next block of 8 frames is far sooner
        assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(1000), "the run stopped at its next block, not at its end");
        assertTrue(ex.getCause() instanceof CancelledException, ex.getCause().toString());
        assertTrue(ex.getCause().getMessage().contains("engine is stopping"), ex.getCause().getMessage());
        assertFalse(callers.isCancelled(), "the caller's own token is left alone");
        assertFalse(Files.exists(dir.resolve("d/results.h5")));
    }

    @Test
    void aCallersCancellationReachesAFitAndThenNoLongerListens() throws Exception {
        Cancellation c = new Cancellation();
        CompletableFuture<MapSet> run = CompletableFuture.supplyAsync(() -> {
            try (Dataset ds = engine.open(mem("60x60"), Parameters.empty())) {
                return engine.fit(ds, List.of("slow"), Parameters.of(Map.of("block-frames", "4")), ProgressListener.NONE, c);
            }
        });
        assertTrue(slow.started.await(10, TimeUnit.SECONDS));
        c.cancel("stop now");
        ExecutionException ex = assertThrows(ExecutionException.class, () -> run.get(10, TimeUnit.SECONDS));
        assertTrue(ex.getCause() instanceof CancelledException, ex.getCause().toString());
        assertTrue(ex.getCause().getMessage().contains("stop now"), ex.getCause().getMessage());
        // a finished run leaves no listener behind: a token reused for a later run still works
        Cancellation reused = new Cancellation();
        try (Dataset ds = engine.open(mem("2x3"), Parameters.empty())) {
            engine.fit(ds, List.of("slow"), Parameters.empty(), ProgressListener.NONE, reused);
            MapSet m = engine.fit(ds, List.of("slow"), Parameters.empty(), ProgressListener.NONE, reused);
            assertEquals(6, m.require("slow/v").size());
        }
    }

    @Test
    void sumsGoThroughTheFrameRunnerWithProgressOnAnyThreadCount() throws Exception {
        double expected = 0;
        for (int i = 0; i < 35; i++) expected += 64 * i + 63 * 64 / 2.0;
        for (String threads : List.of("1", "2", "3")) {
            AtomicLong last = new AtomicLong();
            ProgressListener p = (stage, done, total) -> {
                assertEquals("sum", stage);
                assertEquals(35, total);
                last.accumulateAndGet(done, Math::max);
            };
            var info = engine.info(mem("5x7"), Parameters.of(Map.of("threads", threads, "block-frames", "3")), true, p);
            assertEquals(expected, info.sum(), 0, "threads " + threads);
            assertEquals(35, last.get(), "progress reaches every frame");
        }
        assertTrue(Double.isNaN(engine.info(mem("5x7"), Parameters.empty(), false, ProgressListener.NONE).sum()));
    }

    @Test
    void aReaderErrorDuringASumIsTheReadersTypedError() throws Exception {
        engine.register(new TestPlugins.MemReader("broken", 5), "test.broken", "1.0.0");
        Path f = dir.resolve("4x4.broken");
        Files.createFile(f);
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> engine.info(f, Parameters.of(Map.of("block-frames", "2")), true, ProgressListener.NONE));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }

    @Test
    void ofSameNamedPluginsTheHighestRankingThenTheEarliestIsUsed() throws Exception {
        engine.register(new TestPlugins.ConstantFitter("dup", 1), "a", "1", 0);
        TestPlugins.ConstantFitter high = new TestPlugins.ConstantFitter("dup", 2);
        engine.register(high, "b", "1", 5);
        TestPlugins.ConstantFitter laterSameRank = new TestPlugins.ConstantFitter("dup", 3);
        engine.register(laterSameRank, "c", "1", 5);
        engine.register(new TestPlugins.ConstantFitter("dup", 4), "d", "1", -1);
        assertEquals(2, used(), "highest ranking; of equal rankings the earlier registration");
        engine.unregister(high);
        assertEquals(3, used());
        engine.unregister(laterSameRank);
        assertEquals(1, used());
        // the plugin list shows them in the same order
        List<String> bundles = engine.plugins().stream().filter(p -> p.name().equals("dup")).map(p -> p.bundle()).toList();
        assertEquals(List.of("a", "d"), bundles);
    }

    private float used() {
        try (Dataset ds = engine.open(mem("1x2"), Parameters.empty())) {
            return engine.fit(ds, List.of("dup"), Parameters.empty(), ProgressListener.NONE, new Cancellation()).require("const/value").get(0);
        }
    }

    /** A deriver's missing calibration is found before any frame is read, and the error names the input file. */
    @Test
    void aDeriversMissingCalibrationFailsBeforeTheFit() {
        engine.register(new QuantityDeriver() {
            @Override public String name() { return "needs-kv"; }
            @Override public List<String> requires() { return List.of("slow/v"); }
            @Override public void check(AnalysisContext context) { context.calibration().requireBeamKv("the test deriver"); }
            @Override public MapSet derive(MapSet inputs, AnalysisContext context) { return MapSet.empty(); }
        }, "test.kv", "1.0.0");
        engine.register(TestPlugins.pipeline("slow-kv", new Plan(List.of(List.of("slow")), List.of("needs-kv"), List.of())), "test.kv", "1.0.0");
        Path input = mem("40x40");
        MissingCalibrationException ex = assertThrows(MissingCalibrationException.class, () -> engine.analyze(
                new AnalysisRequest(input, "slow-kv", Parameters.empty(), dir.resolve("k")), ProgressListener.NONE, new Cancellation()));
        assertEquals(input, ex.file(), ex.getMessage());
        assertTrue(ex.getMessage().startsWith(input + ": beam energy"), ex.getMessage());
        assertEquals(1, slow.started.getCount(), "no frame was processed");
        assertFalse(Files.exists(dir.resolve("k/results.h5")));
    }
}
