package org.ltz4d.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.apache.felix.framework.FrameworkFactory;
import org.ltz4d.api.engine.Engine;
import org.ltz4d.api.error.Ltz4dException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The ltz4d runtime embedded in a JVM that is not an OSGi application (a Spark driver or
 * executor): Apache Felix started once per JVM with the bundles of the runtime jar (resource
 * {@code runtime/ltz4d.jar}, the same {@code launcher/target/ltz4d.jar} the CLI runs) and the
 * user's plugin bundles, reached only through its {@link Engine} service. The API packages come
 * from this JVM's class path (exported by the system bundle with the API bundle's own versions), so
 * requests and results cross the boundary as the same classes; every other class (readers, fitters,
 * Jackson, jHDF) stays inside Felix, away from Spark's.
 */
public final class EmbeddedRuntime {
    static final String RUNTIME_RESOURCE = "/runtime/ltz4d.jar";
    /** Bundles of the runtime jar that are not started here: the API (from the class path), the CLI, the shell, the launcher. */
    private static final List<String> SKIPPED = List.of("org.ltz4d.api-", "org.ltz4d.cli-", "org.apache.felix.gogo.",
            "org.apache.felix.framework-", "biz.aQute.launcher");
    private static final long ENGINE_WAIT_MILLIS = 60_000;
    private static final Map<String, EmbeddedRuntime> RUNNING = new HashMap<>();

    private final Framework framework;
    private final Engine engine;
    private final Path dir;

    private EmbeddedRuntime(Framework framework, Engine engine, Path dir) {
        this.framework = framework;
        this.engine = engine;
        this.dir = dir;
    }

    /**
     * The runtime of this JVM with these plugin bundles (name → bytes of a bundle jar), started on
     * first use and stopped when the JVM exits.
     */
    public static Engine engine(List<PluginBundle> plugins) {
        return runtime(plugins).engine;
    }

    /** A service of an API type (e.g. the simulator) in the runtime of this JVM with these plugin bundles, if one is registered. */
    public static <T> java.util.Optional<T> service(List<PluginBundle> plugins, Class<T> type) {
        BundleContext ctx = runtime(plugins).framework.getBundleContext();
        var ref = ctx.getServiceReference(type);
        return ref == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(ctx.getService(ref));
    }

    private static EmbeddedRuntime runtime(List<PluginBundle> plugins) {
        String key = PluginBundle.key(plugins);
        synchronized (RUNNING) {
            EmbeddedRuntime rt = RUNNING.get(key);
            if (rt == null) {
                rt = start(plugins);
                RUNNING.put(key, rt);
                EmbeddedRuntime started = rt;
                Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "ltz4d-runtime-stop"));
            }
            return rt;
        }
    }

    private static EmbeddedRuntime start(List<PluginBundle> plugins) {
        Path dir;
        try {
            dir = Files.createTempDirectory("ltz4d-runtime");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a folder for the embedded ltz4d runtime", e);
        }
        try {
            List<Path> bundles = new ArrayList<>();
            String apiExports = extract(dir.resolve("bundles"), bundles);
            Path userDir = Files.createDirectories(dir.resolve("plugins"));
            for (PluginBundle p : plugins) bundles.add(Files.write(userDir.resolve(p.name()), p.bytes()));
            Map<String, String> config = new HashMap<>();
            config.put(Constants.FRAMEWORK_STORAGE, dir.resolve("cache").toString());
            config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
            config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, apiExports);
            config.put("felix.log.level", "1");
            System.setProperty("java.awt.headless", "true");
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
            System.setProperty("org.slf4j.simpleLogger.log.io.jhdf", "error");
            System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
            Framework fw = new FrameworkFactory().newFramework(config);
            fw.start();
            BundleContext ctx = fw.getBundleContext();
            List<Bundle> installed = new ArrayList<>();
            for (Path b : bundles) installed.add(ctx.installBundle(b.toUri().toString()));
            for (Bundle b : installed) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) b.start();
            }
            // hdfs:// (and every scheme Hadoop has a FileSystem for) inputs: Hadoop's client is Spark's, on this JVM's class path
            ctx.registerService(org.ltz4d.api.data.ByteSourceProvider.class, new HadoopStorage("hdfs"), null);
            ServiceTracker<Engine, Engine> tracker = new ServiceTracker<>(ctx, Engine.class, null);
            tracker.open();
            Engine engine = tracker.waitForService(ENGINE_WAIT_MILLIS);
            if (engine == null) {
                fw.stop();
                throw new Ltz4dException("the embedded ltz4d runtime started no Engine service within "
                        + ENGINE_WAIT_MILLIS / 1000 + " s (bundles in " + dir + ")");
            }
            return new EmbeddedRuntime(fw, engine, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out the embedded ltz4d runtime in " + dir, e);
        } catch (BundleException e) {
            throw new Ltz4dException("the embedded ltz4d runtime did not start: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Ltz4dException("interrupted while the embedded ltz4d runtime started", e);
        }
    }

    /** Copies the runtime's bundles to {@code to} (adding them to {@code bundles}) and returns the API bundle's Export-Package. */
    private static String extract(Path to, List<Path> bundles) throws IOException {
        Files.createDirectories(to);
        String apiExports = null;
        try (InputStream in = EmbeddedRuntime.class.getResourceAsStream(RUNTIME_RESOURCE)) {
            if (in == null) {
                throw new Ltz4dException("the runtime jar " + RUNTIME_RESOURCE + " is missing from the class path; "
                        + "build launcher/target/ltz4d.jar before runners/spark (mvn -B package)");
            }
            JarInputStream jar = new JarInputStream(in);
            ZipEntry e;
            while ((e = jar.getNextEntry()) != null) {
                String name = e.getName();
                if (!name.startsWith("jar/") || !name.endsWith(".jar")) continue;
                String file = name.substring(4);
                Path out = to.resolve(file);
                Files.copy(jar, out);
                if (file.startsWith("org.ltz4d.api-")) apiExports = exportPackage(out);
                if (SKIPPED.stream().noneMatch(file::startsWith)) bundles.add(out);
            }
        }
        if (apiExports == null) throw new Ltz4dException("the runtime jar " + RUNTIME_RESOURCE + " holds no org.ltz4d.api bundle");
        bundles.sort(Comparator.comparing(Path::toString));
        return apiExports;
    }

    private static String exportPackage(Path bundle) throws IOException {
        try (JarFile jf = new JarFile(bundle.toFile())) {
            Manifest m = jf.getManifest();
            return m.getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
        }
    }

    private void stop() {
        try {
            framework.stop();
            framework.waitForStop(10_000);
        } catch (BundleException | InterruptedException e) {
            // the JVM is exiting: nothing more to do
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary folder
        }
    }
}
