package org.ltz4d.cli.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.Ltz4dException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * The runtime's bundle folder ({@code $LTZ4D_HOME/plugins}, default {@code ~/.ltz4d/plugins}):
 * drop-in analysis bundles that the runtime installs and starts when it starts, and that
 * {@code ltz4d plugins install/uninstall} add and remove while it runs. OSGi does the loading.
 */
public final class PluginFolder {
    private final Path dir;
    private final BundleContext context;

    public PluginFolder(BundleContext context) {
        this.context = context;
        String home = System.getProperty("ltz4d.home", System.getenv("LTZ4D_HOME"));
        Path base = home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".ltz4d");
        this.dir = base.resolve("plugins");
    }

    public Path dir() {
        return dir;
    }

    /** Installs and starts every jar of the folder that is not installed yet; returns problems as lines. */
    public List<String> installAll() {
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(dir)) return problems;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path jar : s.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                try {
                    start(jar);
                } catch (Ltz4dException e) {
                    problems.add(e.getMessage());
                }
            }
        } catch (IOException e) {
            problems.add(dir + ": " + e.getMessage());
        }
        return problems;
    }

    private Bundle start(Path jar) {
        String location = jar.toUri().toString();
        try {
            Bundle b = context.getBundle(location);
            if (b == null) b = context.installBundle(location);
            if (b.getHeaders().get("Fragment-Host") == null) b.start();
            return b;
        } catch (BundleException e) {
            throw new Ltz4dException(jar + ": bundle could not be started: " + e.getMessage(), e);
        }
    }

    /** Copies a bundle jar into the folder and installs and starts it in the running runtime. */
    public Bundle install(Path jar) {
        if (!Files.isRegularFile(jar)) throw new InvalidInputException(jar, "file", "a bundle .jar", "no such file");
        String bsn;
        try (JarFile jf = new JarFile(jar.toFile())) {
            var mf = jf.getManifest();
            bsn = mf == null ? null : mf.getMainAttributes().getValue("Bundle-SymbolicName");
        } catch (IOException e) {
            throw new InvalidInputException(jar, "jar", "a readable jar file", e.getMessage(), e);
        }
        if (bsn == null) throw new InvalidInputException(jar, "MANIFEST.MF Bundle-SymbolicName", "an OSGi bundle", "a plain jar");
        String name = bsn.split(";")[0].trim();
        try {
            Files.createDirectories(dir);
            // replace an earlier version of the same bundle
            for (Bundle b : context.getBundles()) {
                if (name.equals(b.getSymbolicName()) && b.getLocation().startsWith(dir.toUri().toString())) uninstall(b);
            }
            Path target = dir.resolve(name + ".jar");
            Files.copy(jar, target, StandardCopyOption.REPLACE_EXISTING);
            return start(target);
        } catch (IOException e) {
            throw new InvalidInputException(dir, "plugin folder", "a writable folder", e.getMessage(), e);
        }
    }

    /** Stops and uninstalls a bundle from the folder (by symbolic name) and deletes its jar. */
    public Bundle uninstall(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName()) && b.getLocation().startsWith(dir.toUri().toString())) {
                uninstall(b);
                return b;
            }
        }
        throw new Ltz4dException("no plugin bundle named '" + symbolicName + "' in " + dir
                + " (bundles shipped with ltz4d cannot be uninstalled)");
    }

    private void uninstall(Bundle b) {
        try {
            Path jar = Path.of(java.net.URI.create(b.getLocation()));
            b.uninstall();
            Files.deleteIfExists(jar);
        } catch (BundleException | IOException | IllegalArgumentException e) {
            throw new Ltz4dException("could not uninstall " + b.getSymbolicName() + ": " + e.getMessage(), e);
        }
    }
}
