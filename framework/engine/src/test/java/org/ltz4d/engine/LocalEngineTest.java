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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.Plan;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.engine.AnalysisRequest;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.engine.RunSummary;
import org.ltz4d.api.error.CancelledException;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.PluginException;
import org.ltz4d.api.error.UnsupportedFormatException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.ltz4d.engine.results.Hdf5Results;

class LocalEngineTest {
    @TempDir
    Path dir;

    LocalEngine engine;
    TestPlugins.SumFitter sum = new TestPlugins.SumFitter();

    @BeforeEach
    void setUp() {
        engine = new LocalEngine();
        engine.register(new TestPlugins.MemReader(), "test.reader", "1.0.0");
        engine.register(sum, "test.fitters", "1.0.0");
        engine.register(new TestPlugins.DoubleFitter(), "test.fitters", "1.0.0");
        engine.register(new TestPlugins.ScaleDeriver(), "test.derivers", "2.0.0");
        engine.register(new TestPlugins.FigureCorrelator(), "test.correlators", "1.0.0");
        engine.register(TestPlugins.pipeline("basic", new Plan(List.of(List.of("sum", "double")), List.of("scale"), List.of("fig"))),
                "test.pipelines", "1.0.0");
    }

    private Path mem(String shape) {
        return TestPlugins.memFile(dir, shape);
    }

    private static double expectedTotal(long frame) {
        return 64 * frame + 63 * 64 / 2.0; // Σ_p (frame + p), p < 64
    }

    @Test
    void fitsEveryFrameOnAllThreadsAndMergesPartials() {
        for (int threads : new int[] {1, 2, 3}) {
            try (var ds = engine.open(mem("13x7"), Parameters.empty())) {
                MapSet m = engine.fit(ds, List.of("sum", "double"), Parameters.of(Map.of("threads", "" + threads, "block-frames", "4")),
                        ProgressListener.NONE, new Cancellation());
                DataMap total = m.require("virtual/total");
                assertEquals(Shape.of(13, 7), total.shape());
                for (int i = 0; i < 91; i++) {
                    assertEquals(expectedTotal(i), total.get(i), 1e-3, "frame " + i);
                    assertEquals(2 * expectedTotal(i), m.require("virtual/double").get(i), 1e-2);
                }
                DataMap stack = m.require("virtual/first2");
                assertEquals(Shape.of(13, 7, 2), stack.shape());
                assertEquals(50f, stack.get(50 * 2), 0f);
                assertEquals(51f, stack.get(50 * 2 + 1), 0f);
                DataMap sig = m.require("virtual/sum_pattern");
                assertEquals(Shape.of(8, 8), sig.shape());
                // Σ_i (i + p) over 91 frames = 91·p + 90·91/2
                assertEquals(91 * 5 + 90 * 91 / 2.0, sig.get(5), 1e-2);
                assertEquals(91f, m.require("virtual/frames").get(0), 0f);
            }
        }
    }

    @Test
    void aPartialMapsListenerSeesEveryFrameOnceWithTheFinalValues() {
        try (var ds = engine.open(mem("13x7"), Parameters.empty())) {
            float[] seen = new float[91 * 2];
            java.util.Arrays.fill(seen, Float.NaN);
            java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
            java.util.BitSet covered = new java.util.BitSet();
            org.ltz4d.api.engine.PartialMapsListener listener = new org.ltz4d.api.engine.PartialMapsListener() {
                @Override
                public void update(String stage, long done, long total) {
                }

                @Override
                public synchronized void fitted(String stage, long first, int count, Map<String, float[]> values) {
                    calls.incrementAndGet();
                    assertEquals(count, values.get("virtual/total").length);
                    assertEquals(2 * count, values.get("virtual/first2").length, "a NAV stack: count × length values");
                    assertFalse(covered.get((int) first, (int) first + count).cardinality() > 0, "frames " + first + "+" + count + " twice");
                    covered.set((int) first, (int) first + count);
                    System.arraycopy(values.get("virtual/first2"), 0, seen, (int) first * 2, 2 * count);
                }
            };
            MapSet m = engine.fit(ds, List.of("sum"), Parameters.of(Map.of("threads", "2", "block-frames", "4")), listener, new Cancellation());
            assertEquals(91, covered.cardinality());
            assertTrue(calls.get() > 1, "blocks as they finish, not one call at the end: " + calls.get());
            float[] fin = m.require("virtual/first2").toArray();
            for (int i = 0; i < fin.length; i++) assertEquals(fin[i], seen[i], 0f, "value " + i);
        }
    }

    @Test
    void analyzeWritesResultsWithUnitsProvenanceAndFigures() throws Exception {
        Path out = dir.resolve("out");
        RunSummary s = engine.analyze(new AnalysisRequest(mem("4x5"), "basic",
                Parameters.of(Map.of("factor", "3", "beam-kv", "300")), out), ProgressListener.NONE, new Cancellation());
        assertEquals(out.resolve("results.h5"), s.results());
        assertEquals(20, s.frames());
        assertEquals(10, s.failedPositions(), "odd frames are flagged in fit/mask");
        assertTrue(Files.exists(out.resolve("fig.png")));
        MapSet back = Hdf5Results.read(s.results());
        DataMap scaled = back.require("virtual/scaled");
        assertEquals(Unit.COUNTS, scaled.unit());
        assertEquals(3 * expectedTotal(7), scaled.get(7), 1e-2);
        assertTrue(back.require("fit/mask").integer());
        Map<String, Object> root = Hdf5Results.rootAttributes(s.results());
        String prov = root.get("provenance").toString();
        assertTrue(prov.contains("\"factor\" : \"3\""), prov);
        assertTrue(prov.contains("test.derivers"), prov);
        assertTrue(prov.contains("header_sha256") || prov.contains("\"error\""), prov);
        assertEquals(300.0, ((Number) root.get("calibration_beam_kv")).doubleValue(), 0);
        try (Stream<Path> files = Files.list(out)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(".ltz4d-staging")), "staging folder removed");
        }
    }

    @Test
    void aThrowingFitterIsReportedAndTheEngineStaysUsable() {
        engine.register(new TestPlugins.FailingFitter(17), "test.bad", "0.1.0");
        engine.register(TestPlugins.pipeline("bad", new Plan(List.of(List.of("failing")), List.of(), List.of())), "test.bad", "0.1.0");
        Path out = dir.resolve("bad");
        PluginException e = assertThrows(PluginException.class, () -> engine.analyze(
                new AnalysisRequest(mem("6x6"), "bad", Parameters.empty(), out), ProgressListener.NONE, new Cancellation()));
        assertEquals("failing", e.plugin());
        assertTrue(e.getMessage().contains("frame 17"), e.getMessage());
        assertFalse(Files.exists(out.resolve("results.h5")), "no half-written results");
        // the engine still runs other pipelines
        RunSummary ok = engine.analyze(new AnalysisRequest(mem("2x2"), "basic", Parameters.empty(), dir.resolve("ok")),
                ProgressListener.NONE, new Cancellation());
        assertEquals(4, ok.frames());
    }

    @Test
    void aBrokenCorrelatorBecomesAWarning() {
        engine.register(new TestPlugins.BrokenCorrelator(), "test.bad", "0.1.0");
        engine.register(TestPlugins.pipeline("withbroken", new Plan(List.of(List.of("sum")), List.of("scale"), List.of("broken", "fig"))),
                "test.pipelines", "1.0.0");
        RunSummary s = engine.analyze(new AnalysisRequest(mem("2x2"), "withbroken", Parameters.empty(), dir.resolve("w")),
                ProgressListener.NONE, new Cancellation());
        assertEquals(1, s.warnings().size(), s.warnings().toString());
        assertTrue(s.warnings().get(0).contains("correlator bug"));
        assertEquals(1, s.figures().size());
    }

    @Test
    void aFitterRemovedMidRunEndsTheRunWithAClearError() throws Exception {
        TestPlugins.SlowFitter slow = new TestPlugins.SlowFitter();
        engine.register(slow, "test.slow", "1.0.0");
        engine.register(TestPlugins.pipeline("slow", new Plan(List.of(List.of("slow")), List.of(), List.of())), "test.slow", "1.0.0");
        CompletableFuture<RunSummary> run = CompletableFuture.supplyAsync(() -> engine.analyze(
                new AnalysisRequest(mem("40x40"), "slow", Parameters.of(Map.of("block-frames", "8")), dir.resolve("s")),
                ProgressListener.NONE, new Cancellation()));
        assertTrue(slow.started.await(10, TimeUnit.SECONDS));
        engine.unregister(slow);
        var ex = assertThrows(java.util.concurrent.ExecutionException.class, () -> run.get(20, TimeUnit.SECONDS));
        assertTrue(ex.getCause() instanceof PluginException, ex.getCause().toString());
        assertTrue(ex.getCause().getMessage().contains("went away"), ex.getCause().getMessage());
        // re-registered, the rerun succeeds
        engine.register(new TestPlugins.SlowFitter(), "test.slow", "1.0.0");
        RunSummary s = engine.analyze(new AnalysisRequest(mem("3x3"), "slow", Parameters.empty(), dir.resolve("s")),
                ProgressListener.NONE, new Cancellation());
        assertEquals(9, s.frames());
    }

    @Test
    void cancellationStopsTheRun() throws Exception {
        TestPlugins.SlowFitter slow = new TestPlugins.SlowFitter();
        engine.register(slow, "test.slow", "1.0.0");
        engine.register(TestPlugins.pipeline("slow", new Plan(List.of(List.of("slow")), List.of(), List.of())), "test.slow", "1.0.0");
        Cancellation c = new Cancellation();
        CompletableFuture<RunSummary> run = CompletableFuture.supplyAsync(() -> engine.analyze(
                new AnalysisRequest(mem("40x40"), "slow", Parameters.of(Map.of("block-frames", "8")), dir.resolve("c")),
                ProgressListener.NONE, c));
        assertTrue(slow.started.await(10, TimeUnit.SECONDS));
        c.cancel("user pressed Ctrl-C");
        var ex = assertThrows(java.util.concurrent.ExecutionException.class, () -> run.get(20, TimeUnit.SECONDS));
        assertTrue(ex.getCause() instanceof CancelledException, ex.getCause().toString());
        assertFalse(Files.exists(dir.resolve("c/results.h5")));
    }

    @Test
    void unknownParametersAndPipelinesAndFormatsAreTypedErrors() {
        var e = assertThrows(InvalidParameterException.class, () -> engine.analyze(new AnalysisRequest(mem("2x2"), "basic",
                Parameters.of(Map.of("factr", "3")), dir.resolve("u")), ProgressListener.NONE, new Cancellation()));
        assertEquals("factr", e.parameter());
        assertTrue(e.getMessage().contains("factor"), "lists the known ones: " + e.getMessage());
        assertThrows(InvalidParameterException.class, () -> engine.analyze(new AnalysisRequest(mem("2x2"), "nope",
                Parameters.empty(), dir.resolve("u")), ProgressListener.NONE, new Cancellation()));
        assertThrows(InvalidParameterException.class, () -> engine.analyze(new AnalysisRequest(mem("2x2"), "basic",
                Parameters.of(Map.of("beam-kv", "-3")), dir.resolve("u")), ProgressListener.NONE, new Cancellation()));
        Path other = dir.resolve("x.txt");
        assertThrows(Exception.class, () -> engine.open(other, Parameters.empty()));
    }

    @Test
    void aFileNoReaderClaimsNamesTheFile() throws Exception {
        Path f = dir.resolve("data.xyz");
        Files.writeString(f, "not a dataset");
        UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class, () -> engine.open(f, Parameters.empty()));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }

    @Test
    void infoSumsAllPixels() {
        var info = engine.info(mem("3x4"), Parameters.empty(), true, ProgressListener.NONE);
        double expected = 0;
        for (int i = 0; i < 12; i++) expected += expectedTotal(i);
        assertEquals(expected, info.sum(), 1e-6);
        assertEquals(List.of(3, 4), info.navList());
    }

    @Test
    void correlateReadsResultsAndKeepsTheirCalibration() {
        Path out = dir.resolve("o");
        RunSummary s = engine.analyze(new AnalysisRequest(mem("4x5"), "basic",
                Parameters.of(Map.of("beam-kv", "200")), out), ProgressListener.NONE, new Cancellation());
        RunSummary c = engine.correlate(s.results(), List.of("fig"), Parameters.empty(), dir.resolve("corr"), ProgressListener.NONE);
        assertTrue(Files.exists(dir.resolve("corr/correlation.h5")));
        assertEquals(1, c.figures().size());
        Map<String, Object> root = Hdf5Results.rootAttributes(c.results());
        assertEquals(200.0, ((Number) root.get("calibration_beam_kv")).doubleValue(), 0);
    }

    @Test
    void pluginListShowsKindsAndBundles() {
        var list = engine.plugins();
        assertTrue(list.stream().anyMatch(p -> p.kind().equals("fitter") && p.name().equals("sum") && p.bundle().equals("test.fitters")));
        assertTrue(list.stream().anyMatch(p -> p.kind().equals("reader") && p.name().equals("mem")));
        assertTrue(list.stream().anyMatch(p -> p.kind().equals("pipeline") && p.name().equals("basic")));
    }
}
