package org.ltz4d.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.engine.AnalysisRequest;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.Engine;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.engine.RunSummary;
import org.ltz4d.api.error.PluginException;
import org.ltz4d.api.param.Parameters;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * Hot swap inside a real framework: the example plugin bundle (built against the API jar alone)
 * is installed from its jar while the runtime runs, used by a pipeline, stopped, started,
 * uninstalled and reinstalled; the engine's view of the plugins follows at once, and a run whose
 * fitter bundle is stopped mid-run ends with a clear error and no hang.
 */
class PluginLifecycleIT {
    static final String EXAMPLE = "org.example.vadf";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10000)
    Engine engine;

    @TempDir
    Path dir;

    Bundle example;

    @BeforeEach
    void installExample() throws Exception {
        String jar = context.getProperty("ltz4d.example.jar");
        assertTrue(jar != null && Files.isRegularFile(Path.of(jar)), "example plugin jar " + jar);
        example = context.installBundle(Path.of(jar).toUri().toString());
        example.start();
        awaitPlugin("fitter", "vadf", true);
    }

    @AfterEach
    void uninstallExample() throws Exception {
        for (Bundle b : context.getBundles()) if (EXAMPLE.equals(b.getSymbolicName())) b.uninstall();
    }

    private boolean hasPlugin(String kind, String name) {
        return engine.plugins().stream().anyMatch(p -> p.kind().equals(kind) && p.name().equals(name));
    }

    private void awaitPlugin(String kind, String name, boolean present) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (hasPlugin(kind, name) == present) return;
            Thread.sleep(10);
        }
        fail(kind + " '" + name + "' should be " + (present ? "registered" : "gone") + "; plugins: " + engine.plugins());
    }

    @Test
    void servicesOfEveryKindAppear() throws Exception {
        awaitPlugin("reader", "npy", true);
        awaitPlugin("fitter", "vadf", true);
        awaitPlugin("deriver", "vadf-contrast", true);
        awaitPlugin("pipeline", "virtual-detector", true);
        awaitPlugin("deriver", "magnetic", true);
        awaitPlugin("deriver", "strain", true);
        awaitPlugin("correlator", "figures", true);
        var info = engine.plugins().stream().filter(p -> p.name().equals("vadf")).findFirst().orElseThrow();
        assertEquals(EXAMPLE, info.bundle());
        assertEquals("1.0.0", info.version());
        assertEquals("active", info.state());
    }

    @Test
    void theExampleInstalledAtRunTimeIsUsedByAPipeline() throws Exception {
        Path data = TestData.npy(dir, "d.npy", 6, 5, 48, 48);
        RunSummary s = engine.analyze(new AnalysisRequest(data, "virtual-detector", Parameters.of(Map.of("bf-radius-px", "8")),
                dir.resolve("out")), ProgressListener.NONE, new Cancellation());
        assertEquals(30, s.frames());
        MapSet maps = engine.readResults(s.results());
        int disk = TestData.pixelsIn(48, 48, 0, 8);
        for (int i = 0; i < 30; i++) assertEquals(disk * (i % 7 + 1), maps.require("virtual/bf").get(i), 1e-3, "frame " + i);
        assertTrue(maps.contains("virtual/df_fraction"));
        String provenance = org.ltz4d.it.Hdf5.rootText(s.results(), "provenance");
        assertTrue(provenance.contains(EXAMPLE), provenance);
    }

    @Test
    void stoppedUninstalledAndReinstalledBundlesDisappearAndComeBack() throws Exception {
        example.stop();
        awaitPlugin("fitter", "vadf", false);
        awaitPlugin("pipeline", "virtual-detector", false);
        example.start();
        awaitPlugin("fitter", "vadf", true);
        example.uninstall();
        awaitPlugin("fitter", "vadf", false);
        assertFalse(hasPlugin("deriver", "vadf-contrast"));
        installExample();
        awaitPlugin("deriver", "vadf-contrast", true);
        Path data = TestData.npy(dir, "d.npy", 2, 2, 32, 32);
        RunSummary s = engine.analyze(new AnalysisRequest(data, "virtual-detector", Parameters.empty(), dir.resolve("o")),
                ProgressListener.NONE, new Cancellation());
        assertEquals(4, s.frames());
    }

    @Test
    void aRunWhoseFitterBundleStopsMidRunEndsWithAClearErrorAndARerunSucceeds() throws Exception {
        Path data = TestData.npy(dir, "big.npy", 60, 60, 32, 32);
        AtomicBoolean stopped = new AtomicBoolean();
        CompletableFuture<Void> stopping = new CompletableFuture<>();
        ProgressListener stopOnFirstBlock = (stage, done, total) -> {
            if (done > 0 && done < total && stopped.compareAndSet(false, true)) {
                // stop the fitter's bundle from another thread while the run goes on
                CompletableFuture.runAsync(() -> {
                    try {
                        example.stop();
                        stopping.complete(null);
                    } catch (Exception e) {
                        stopping.completeExceptionally(e);
                    }
                });
            }
        };
        Parameters slow = Parameters.of(Map.of("block-frames", "4", "threads", "1"));
        CompletableFuture<RunSummary> run = CompletableFuture.supplyAsync(() -> engine.analyze(
                new AnalysisRequest(data, "virtual-detector", slow, dir.resolve("mid")), stopOnFirstBlock, new Cancellation()));
        var ex = assertThrows(java.util.concurrent.ExecutionException.class, () -> run.get(60, TimeUnit.SECONDS), "no hang");
        stopping.get(10, TimeUnit.SECONDS);
        assertTrue(ex.getCause() instanceof PluginException, "a plugin error, not a crash: " + ex.getCause());
        assertTrue(ex.getCause().getMessage().contains("vadf"), ex.getCause().getMessage());
        assertFalse(Files.exists(dir.resolve("mid/results.h5")), "nothing half-written");
        example.start();
        awaitPlugin("pipeline", "virtual-detector", true);
        RunSummary s = engine.analyze(new AnalysisRequest(data, "virtual-detector", Parameters.empty(), dir.resolve("mid")),
                ProgressListener.NONE, new Cancellation());
        assertEquals(3600, s.frames());
        assertTrue(Files.exists(dir.resolve("mid/results.h5")));
    }
}
