package org.ltz4d.engine.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.ltz4d.api.error.InvalidInputException;

/**
 * Writes a run's outputs into a hidden staging folder inside the output folder and moves them
 * into place only when everything is written ({@link #commit()}); {@link #close()} without commit
 * removes the staging folder, so a failed run leaves no half-written results and never touches
 * what was there before.
 */
public final class AtomicOutput implements AutoCloseable {
    private final Path outDir;
    private final Path staging;
    private final List<String> names = new ArrayList<>();

    public AtomicOutput(Path outDir) {
        this.outDir = outDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.outDir);
            this.staging = Files.createTempDirectory(this.outDir, ".ltz4d-staging-");
        } catch (IOException e) {
            throw new InvalidInputException(outDir, "output folder", "a writable folder", e.getMessage(), e);
        }
    }

    /** Where to write file {@code name} before commit. */
    public Path stage(String name) {
        if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("output name must be a plain file name: " + name);
        }
        names.add(name);
        return staging.resolve(name);
    }

    /** The final path of {@code name}. */
    public Path target(String name) {
        return outDir.resolve(name);
    }

    /** Moves every staged file into the output folder (each move atomic where the file system allows). */
    public List<Path> commit() {
        List<Path> out = new ArrayList<>();
        try {
            for (String n : names) {
                Path src = staging.resolve(n);
                if (!Files.exists(src)) continue;
                Path dst = outDir.resolve(n);
                try {
                    Files.move(src, dst, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(src, dst, StandardCopyOption.REPLACE_EXISTING);
                }
                out.add(dst);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("moving results into " + outDir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Removes the staging folder; without {@link #commit()} the output folder keeps what it held before. */
    @Override
    public void close() {
        try (Stream<Path> s = Files.walk(staging)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // staging folder already gone: nothing to clean
        }
    }
}
