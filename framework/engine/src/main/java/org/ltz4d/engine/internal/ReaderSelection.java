package org.ltz4d.engine.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.Ltz4dException;
import org.ltz4d.api.error.PluginException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.error.UnsupportedFormatException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.engine.internal.PluginRegistry.Entry;
import org.ltz4d.engine.internal.PluginRegistry.Kind;

/**
 * Chooses the reader of a file: every installed reader probes the file's first
 * {@value #PROBE_BYTES} bytes and the most confident one opens it ({@code format} forces one by
 * name). Among equally confident readers the first in the registry's order wins. A probe that
 * throws counts as "not mine".
 */
public final class ReaderSelection {
    static final int PROBE_BYTES = 4096;

    private final PluginRegistry registry;

    public ReaderSelection(PluginRegistry registry) {
        this.registry = registry;
    }

    /** Opens a file with the most confident reader; the dataset has a 2D scan and 2D frames. */
    public Dataset open(Path file, Parameters options) {
        ByteBuffer head = head(file);
        List<Entry> readers = registry.all(Kind.READER);
        if (readers.isEmpty()) throw new UnsupportedFormatException(file, "format", "a reader plugin", "no reader is installed");
        String forced = options.string("format").orElse(null);
        Entry best = null;
        double bestScore = 0;
        for (Entry e : readers) {
            double s = forced != null ? (e.name().equals(forced) ? 1 : 0) : probe((DatasetReader) e.plugin(), file, head);
            if (s > bestScore) {
                bestScore = s;
                best = e;
            }
        }
        if (best == null) {
            throw new UnsupportedFormatException(file, "format",
                    forced != null ? "a reader named '" + forced + "'" : "a format one of the installed readers ("
                            + String.join(", ", readers.stream().map(Entry::name).toList()) + ") recognises",
                    "none claims it");
        }
        Dataset ds;
        try {
            ds = ((DatasetReader) best.plugin()).open(file, options);
        } catch (Ltz4dException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PluginException(best.name(), "failed to open " + file + ": " + e, e);
        } catch (LinkageError e) {
            // the reader's bundle was updated, stopped or uninstalled while it opened the file
            throw new PluginException(best.name(), "went away while opening " + file + " (its bundle was stopped or updated): " + e, e);
        }
        if (ds.navShape().rank() != 2 || ds.sigShape().rank() != 2) {
            ds.close();
            throw new ShapeMismatchException(file, "shape", "nav (scan_y, scan_x) and sig (det_y, det_x) of rank 2",
                    "nav " + ds.navShape() + ", sig " + ds.sigShape());
        }
        return ds;
    }

    /** The registered reader whose name is the dataset's format. */
    public Optional<Entry> readerOf(Dataset ds) {
        return registry.find(Kind.READER, ds.format());
    }

    private static double probe(DatasetReader r, Path file, ByteBuffer head) {
        try {
            return r.probe(file, head.asReadOnlyBuffer());
        } catch (RuntimeException | LinkageError ex) {
            return 0; // a probe must not throw; a broken (or just updated) reader simply does not claim the file
        }
    }

    private static ByteBuffer head(Path file) {
        if (!Files.exists(file)) throw new InvalidInputException(file, "file", "an existing file", "no such file");
        if (Files.isDirectory(file)) throw new InvalidInputException(file, "file", "a data file", "a folder");
        ByteBuffer head = ByteBuffer.allocate(PROBE_BYTES);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (head.hasRemaining() && ch.read(head) > 0) {
                // fill the probe buffer
            }
        } catch (IOException e) {
            throw new InvalidInputException(file, "file", "a readable file", e.getMessage(), e);
        }
        return head.flip();
    }
}
