package org.ltz4d.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * A user's plugin bundle (a jar of the plugin folder), shipped from the driver to every executor
 * with the tasks, so a lab's drop-in bundle runs on the cluster without a shared plugin folder.
 */
public record PluginBundle(String name, byte[] bytes) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The {@code *.jar} files of a plugin folder, by name (none when the folder does not exist). */
    public static List<PluginBundle> of(Path folder) {
        List<PluginBundle> out = new ArrayList<>();
        if (folder == null || !Files.isDirectory(folder)) return out;
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                out.add(new PluginBundle(p.getFileName().toString(), Files.readAllBytes(p)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the plugin folder " + folder, e);
        }
        return out;
    }

    /** Identifies a set of bundles (names and contents), for one runtime per distinct set. */
    static String key(List<PluginBundle> bundles) {
        StringBuilder sb = new StringBuilder();
        for (PluginBundle b : bundles) sb.append(b.name).append(':').append(Arrays.hashCode(b.bytes)).append(';');
        return sb.toString();
    }
}
