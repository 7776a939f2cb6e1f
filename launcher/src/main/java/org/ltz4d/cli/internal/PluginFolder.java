package org.ltz4d.cli.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.Ltz4dException;
import org.ltz4d.cli.bundles.BundleInstaller;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The runtime's bundle folder ({@code $LTZ4D_HOME/plugins}, default {@code ~/.ltz4d/plugins}):
 * drop-in analysis bundles that the runtime installs and starts when it starts, and that
 * {@code ltz4d plugins install/update/uninstall} add, replace and remove while it runs. OSGi does
 * the loading; {@link BundleInstaller} updates bundles in place and refreshes the wiring.
 */
public final class PluginFolder {
    private final Path dir;
    private final BundleContext context;
    private final BundleInstaller installer;

    public PluginFolder(BundleContext context) {
        this.context = context;
        this.installer = new BundleInstaller(context);
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
                    installer.installAndStart(jar.toUri().toString());
                } catch (Ltz4dException e) {
                    problems.add(e.getMessage());
                }
            }
        } catch (IOException e) {
            problems.add(dir + ": " + e.getMessage());
        }
        return problems;
    }

    /**
     * Copies a bundle jar into the folder and installs and starts it in the running runtime; when a
     * bundle of the same symbolic name is already installed from the folder, it is updated in place.
     */
    public Bundle install(Path jar) {
        String name = symbolicName(jar);
        Optional<Bundle> existing = installed(name);
        return existing.isPresent() ? replace(existing.get(), jar, name) : copyAndStart(jar, name);
    }

    /** Updates a bundle installed from the folder with a new jar of the same symbolic name. */
    public Bundle update(Path jar) {
        String name = symbolicName(jar);
        Bundle b = installed(name).orElseThrow(() -> new InvalidInputException(jar, "MANIFEST.MF Bundle-SymbolicName",
                "a bundle installed in " + dir + " (see 'ltz4d plugins'; new plugins are added with 'plugins install')", name));
        return replace(b, jar, name);
    }

    /** Stops, uninstalls (with a refresh of the wiring) and deletes a bundle of the folder, by symbolic name. */
    public Bundle uninstall(String symbolicName) {
        Bundle b = installed(symbolicName).orElseThrow(() -> new Ltz4dException("no plugin bundle named '" + symbolicName + "' in "
                + dir + " (bundles shipped with ltz4d cannot be uninstalled)"));
        Path jar = jarOf(b);
        installer.uninstall(b);
        try {
            if (jar != null) Files.deleteIfExists(jar);
        } catch (IOException e) {
            throw new InvalidInputException(jar, "file", "a deletable plugin jar", e.getMessage(), e);
        }
        return b;
    }

    private Bundle copyAndStart(Path jar, String name) {
        return installer.installAndStart(copy(jar, dir.resolve(name + ".jar")).toUri().toString());
    }

    /**
     * Overwrites the jar the bundle was installed from (so the next start of the runtime installs
     * the new version too), then updates the bundle in place from it.
     */
    private Bundle replace(Bundle b, Path jar, String name) {
        Path old = jarOf(b);
        Path target = old != null && old.startsWith(dir.toAbsolutePath()) ? old : dir.resolve(name + ".jar");
        return installer.update(b, copy(jar, target));
    }

    private Path copy(Path jar, Path target) {
        try {
            Files.createDirectories(dir);
            if (!Files.exists(target) || !Files.isSameFile(jar, target)) Files.copy(jar, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new InvalidInputException(dir, "plugin folder", "a writable folder", e.getMessage(), e);
        }
    }

    private Optional<Bundle> installed(String symbolicName) {
        String prefix = dir.toUri().toString();
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName()) && b.getLocation().startsWith(prefix)) return Optional.of(b);
        }
        return Optional.empty();
    }

    private static Path jarOf(Bundle b) {
        try {
            return Path.of(java.net.URI.create(b.getLocation()));
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }

    private static String symbolicName(Path jar) {
        if (!Files.isRegularFile(jar)) throw new InvalidInputException(jar, "file", "a bundle .jar", "no such file");
        String bsn;
        try (JarFile jf = new JarFile(jar.toFile())) {
            var mf = jf.getManifest();
            bsn = mf == null ? null : mf.getMainAttributes().getValue("Bundle-SymbolicName");
        } catch (IOException e) {
            throw new InvalidInputException(jar, "jar", "a readable jar file", e.getMessage(), e);
        }
        if (bsn == null) throw new InvalidInputException(jar, "MANIFEST.MF Bundle-SymbolicName", "an OSGi bundle", "a plain jar");
        return bsn.split(";")[0].trim();
    }
}
