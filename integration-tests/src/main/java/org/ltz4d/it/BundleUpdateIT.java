package org.ltz4d.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.BufferSpec;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.analysis.FrameProcessor;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.Engine;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.ltz4d.cli.bundles.BundleInstaller;
import org.ltz4d.it.swap.SwapFitter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * Bundle updates inside a real Felix, as {@code ltz4d plugins install/update} do them (the
 * launcher's {@link BundleInstaller}): two versions of a small bundle are written here, differing
 * in the code of their one class, and the run after an update must use the new code — also when
 * the fitter sits in another bundle that imports the updated one, which only a refresh of the
 * wiring achieves. And of two fitters of one name, the engine uses the OSGi service order.
 */
class BundleUpdateIT {
    static final String SWAP = "org.ltz4d.it.swap";
    static final String USER = "org.ltz4d.it.swapuser";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10000)
    Engine engine;

    @TempDir
    Path dir;

    final List<Bundle> installed = new ArrayList<>();
    final List<ServiceRegistration<?>> registered = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (ServiceRegistration<?> r : registered) r.unregister();
        for (Bundle b : installed) if (b.getState() != Bundle.UNINSTALLED) b.uninstall();
        new BundleInstaller(context).refresh(null);
    }

    @Test
    void anUpdatedBundlesNewClassIsWhatTheNextRunUses() throws Exception {
        BundleInstaller installer = new BundleInstaller(context);
        Path v1 = bundle("swap-1.jar", SWAP, "1.0.0", 1, true);
        Path v2 = bundle("swap-2.jar", SWAP, "2.0.0", 2, true);
        Bundle b = track(installer.installAndStart(v1.toUri().toString()));
        assertEquals(1, versionUsed(), "before the update");
        long id = b.getBundleId();
        installer.update(b, v2);
        assertEquals(id, b.getBundleId(), "updated in place, not reinstalled");
        assertEquals("2.0.0", b.getVersion().toString());
        assertEquals(Bundle.ACTIVE, b.getState());
        assertEquals(2, versionUsed(), "the run after the update uses the new class");
        assertEquals(1, engine.plugins().stream().filter(p -> p.name().equals("swap")).count(), engine.plugins().toString());
        installer.uninstall(b);
        awaitFitter(false);
    }

    @Test
    void aPluginImportingAnUpdatedBundleUsesItsNewClassOnlyAfterTheRefresh() throws Exception {
        BundleInstaller installer = new BundleInstaller(context);
        // the library exports the class; the plugin bundle imports it and uses it as its activator
        Bundle lib = track(installer.installAndStart(bundle("lib-1.jar", SWAP, "1.0.0", 1, false).toUri().toString()));
        Bundle user = track(installer.installAndStart(userBundle("user.jar").toUri().toString()));
        assertEquals(1, versionUsed());

        // Bundle.update alone (the old way, and what uninstall+install amounted to) leaves the plugin wired to the old class
        try (InputStream in = Files.newInputStream(bundle("lib-2.jar", SWAP, "2.0.0", 2, false))) {
            lib.update(in);
        }
        user.stop();
        user.start();
        assertEquals(1, versionUsed(), "without a refresh the importer still runs the old revision's class");
        assertEquals(2, revisions(lib), "the old revision is kept for its importer");

        // the installer's update refreshes: the importer is rewired (and restarted) before update returns
        installer.update(lib, bundle("lib-3.jar", SWAP, "3.0.0", 2, false));
        assertEquals(1, revisions(lib), "no stale revision left");
        assertEquals(Bundle.ACTIVE, user.getState(), "the importer is started again after the refresh");
        assertEquals(2, versionUsed(), "the importer now runs the new class");
    }

    @Test
    void ofTwoFittersWithOneNameTheHighestRankingThenTheLowestServiceIdIsUsed() throws Exception {
        ServiceRegistration<Fitter> first = register(1, 0);
        register(2, 0);
        assertEquals(1, valueUsed(), "equal rankings: the lowest service id");
        ServiceRegistration<Fitter> ranked = register(3, 10);
        assertEquals(3, valueUsed(), "the highest ranking");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, 20);
        first.setProperties(props);
        assertEquals(1, valueUsed(), "a ranking changed while registered counts at once");
        ranked.unregister();
        registered.remove(ranked);
        assertEquals(1, valueUsed());
    }

    // ---- helpers ----

    private Bundle track(Bundle b) {
        installed.add(b);
        return b;
    }

    private float versionUsed() throws Exception {
        awaitFitter(true);
        return fit("swap", "swap/version");
    }

    private float valueUsed() throws Exception {
        return fit("dup", "dup/value");
    }

    private float fit(String fitter, String map) throws Exception {
        Path data = TestData.npy(dir, "d.npy", 2, 2, 8, 8);
        try (Dataset ds = engine.open(data, Parameters.empty())) {
            return engine.fit(ds, List.of(fitter), Parameters.empty(), ProgressListener.NONE, new Cancellation()).require(map).get(0);
        }
    }

    private void awaitFitter(boolean present) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (engine.plugins().stream().anyMatch(p -> p.name().equals("swap")) == present) return;
            Thread.sleep(10);
        }
        fail("fitter 'swap' should be " + (present ? "registered" : "gone") + ": " + engine.plugins());
    }

    private static int revisions(Bundle b) {
        return b.adapt(org.osgi.framework.wiring.BundleRevisions.class).getRevisions().size();
    }

    /** A fitter {@code dup} writing {@code value}, registered with a service ranking. */
    private ServiceRegistration<Fitter> register(float value, int ranking) {
        Fitter f = new Fitter() {
            @Override public String name() { return "dup"; }

            @Override
            public List<BufferSpec> buffers(FitContext c) {
                return List.of(BufferSpec.nav("dup/value", Unit.DIMENSIONLESS, "which one ran"));
            }

            @Override
            public FrameProcessor processor(FitContext c) {
                return (frame, out) -> out.set(0, value);
            }
        };
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, ranking);
        ServiceRegistration<Fitter> r = context.registerService(Fitter.class, f, props);
        registered.add(r);
        return r;
    }

    private Path bundle(String file, String bsn, String version, int classVersion, boolean activator) throws IOException {
        return SwapBundles.bundle(dir, file, bsn, version, classVersion, activator);
    }

    /** A bundle without classes: it imports the swap package and takes its activator from there. */
    private Path userBundle(String file) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(Constants.BUNDLE_SYMBOLICNAME, USER);
        h.put(Constants.BUNDLE_VERSION, "1.0.0");
        h.put(Constants.IMPORT_PACKAGE, "org.ltz4d.it.swap;version=\"[1,4)\"");
        h.put(Constants.BUNDLE_ACTIVATOR, SwapFitter.class.getName());
        return jar(file, h, Map.of());
    }

    private Path jar(String file, Map<String, String> headers, Map<String, byte[]> entries) throws IOException {
        return SwapBundles.jar(dir, file, headers, entries);
    }
}
