package org.ltz4d.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.Pipeline;
import org.ltz4d.api.analysis.Plan;
import org.ltz4d.api.engine.AnalysisRequest;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.Engine;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.error.Ltz4dException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.cli.bundles.BundleInstaller;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * Hot swap under load: 50 cycles of stop/update/start of a fitter bundle and of the npy reader
 * bundle while a pipeline using both runs in a loop. Every run ends with a result or a typed
 * error; afterwards no worker thread is left, the thread count is back, every replaced
 * revision's class loader is collected, and nothing hangs (a timeout fails with a thread dump).
 */
class HotSwapUnderLoadIT {
    static final int CYCLES = 50;
    static final String READER = "org.ltz4d.reader.npy";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10000)
    Engine engine;

    @TempDir
    Path dir;

    final List<Bundle> installed = new ArrayList<>();
    ServiceRegistration<Pipeline> pipeline;

    @AfterEach
    void cleanUp() throws Exception {
        if (pipeline != null) pipeline.unregister();
        for (Bundle b : installed) if (b.getState() != Bundle.UNINSTALLED) b.uninstall();
        new BundleInstaller(context).refresh(null);
        for (Bundle b : context.getBundles()) if (READER.equals(b.getSymbolicName()) && b.getState() != Bundle.ACTIVE) b.start();
    }

    private static String threadDump() {
        StringBuilder sb = new StringBuilder("thread dump:\n");
        for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) sb.append(t);
        return sb.toString();
    }

    private static int workers() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("ltz4d-worker")) n++;
        return n;
    }

    private static WeakReference<ClassLoader> loader(Bundle b) {
        BundleWiring w = b.adapt(BundleWiring.class);
        return new WeakReference<>(w == null ? null : w.getClassLoader());
    }

    /** Issue 15: 50 cycles of stop/update/start of a fitter bundle and of the npy reader while pipelines run in a loop. */
    @Test
    void fiftyCyclesOfStopUpdateStartWhilePipelinesRun() throws Exception {
        BundleInstaller installer = new BundleInstaller(context);
        Path v1 = SwapBundles.bundle(dir, "swap-1.jar", BundleUpdateIT.SWAP, "1.0.0", 1, true);
        Path v2 = SwapBundles.bundle(dir, "swap-2.jar", BundleUpdateIT.SWAP, "2.0.0", 2, true);
        Bundle fitter = installer.installAndStart(v1.toUri().toString());
        installed.add(fitter);
        Bundle reader = null;
        for (Bundle b : context.getBundles()) if (READER.equals(b.getSymbolicName())) reader = b;
        assertTrue(reader != null, "the npy reader bundle is installed");
        Bundle npy = reader;
        pipeline = context.registerService(Pipeline.class, new Pipeline() {
            @Override public String name() { return "swap-loop"; }
            @Override public String description() { return "the swap fitter alone"; }
            @Override public Plan plan(Parameters p) { return new Plan(List.of(List.of("swap")), List.of(), List.of()); }
        }, null);
        Path data = TestData.npy(dir, "d.npy", 8, 8, 16, 16);
        // the workers of runs before this test are gone
        for (int i = 0; i < 200 && workers() > 0; i++) Thread.sleep(10);
        int threadsBefore = Thread.activeCount();

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger results = new AtomicInteger();
        Map<String, Integer> errors = new ConcurrentHashMap<>();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        List<WeakReference<ClassLoader>> replaced = Collections.synchronizedList(new ArrayList<>());
        Thread loop = new Thread(() -> {
            int i = 0;
            while (!stop.get()) {
                try {
                    engine.analyze(new AnalysisRequest(data, "swap-loop", Parameters.empty(), dir.resolve("out" + (i++ % 2))),
                            ProgressListener.NONE, new Cancellation());
                    results.incrementAndGet();
                } catch (Ltz4dException e) {
                    errors.merge(e.getClass().getSimpleName(), 1, Integer::sum); // a clear, typed error
                } catch (Throwable t) {
                    unexpected.compareAndSet(null, t);
                    return;
                }
            }
        }, "swap-loop");
        long t0 = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofMinutes(5), () -> {
            loop.start();
            for (int c = 0; c < CYCLES && unexpected.get() == null; c++) {
                replaced.add(loader(fitter));
                fitter.stop();
                installer.update(fitter, c % 2 == 0 ? v2 : v1); // update, refresh, start
                replaced.add(loader(npy));
                npy.stop();
                npy.update();
                installer.refresh(List.of(npy));
                npy.start();
                Thread.sleep(5); // let a run get going on the new revisions
            }
            stop.set(true);
            loop.join(TimeUnit.MINUTES.toMillis(2));
            if (loop.isAlive()) fail("the run loop hangs after the cycles\n" + threadDump());
        }, HotSwapUnderLoadIT::threadDump);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (unexpected.get() != null) throw new AssertionError("a run ended with an untyped error", unexpected.get());
        assertTrue(results.get() > 0, "some runs completed: errors " + errors);

        // no thread left behind
        for (int i = 0; i < 500 && (workers() > 0 || Thread.activeCount() > threadsBefore + 1); i++) Thread.sleep(10);
        assertEquals(0, workers(), threadDump());
        int threadsAfter = Thread.activeCount();
        assertTrue(threadsAfter <= threadsBefore + 1, "threads before " + threadsBefore + ", after " + threadsAfter + "\n" + threadDump());

        // every replaced revision's class loader can be collected
        int alive = replaced.size();
        for (int i = 0; i < 50 && alive > 0; i++) {
            System.gc();
            Thread.sleep(50);
            alive = 0;
            for (WeakReference<ClassLoader> r : replaced) if (r.get() != null) alive++;
        }
        assertEquals(0, alive, alive + " of " + replaced.size() + " replaced class loaders are still reachable");
        assertEquals(Bundle.ACTIVE, npy.getState());
        System.out.printf("[reliability] hot swap: %d cycles × (fitter + reader) in %.1f s; runs: %d results, typed errors %s; "
                + "threads before %d, after %d; %d replaced class loaders, %d alive after GC%n", CYCLES, seconds, results.get(), errors,
                threadsBefore, threadsAfter, replaced.size(), alive);
    }
}
