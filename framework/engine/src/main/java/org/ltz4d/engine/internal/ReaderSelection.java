package org.ltz4d.engine.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ltz4d.api.data.ByteSource;
import org.ltz4d.api.data.ByteSourceProvider;
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

    /** {@code scheme:/…} as a path keeps of {@code scheme://authority/…} (a path folds the double slash). */
    private static final Pattern REMOTE = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]+):/+([^/].*)");

    private final PluginRegistry registry;
    private final List<ByteSourceProvider> storage = new CopyOnWriteArrayList<>();

    public ReaderSelection(PluginRegistry registry) {
        this.registry = registry;
    }

    /** Adds a provider of remote storage ({@code hdfs://}, …); inputs of its scheme are read through it. */
    public void addStorage(ByteSourceProvider p) {
        storage.add(p);
    }

    public void removeStorage(ByteSourceProvider p) {
        storage.remove(p);
    }

    /**
     * The URI of an input on remote storage: {@code SCHEME://AUTHORITY/PATH} given as a path (which
     * keeps it as {@code SCHEME:/AUTHORITY/PATH}); empty for a local path or a {@code file:} URI.
     */
    public static Optional<URI> remote(Path file) {
        Matcher m = REMOTE.matcher(file.toString().replace('\\', '/'));
        if (!m.matches() || m.group(1).equalsIgnoreCase("file")) return Optional.empty();
        return Optional.of(URI.create(m.group(1).toLowerCase(Locale.ROOT) + "://" + m.group(2)));
    }

    /** Opens a file with the most confident reader; the dataset has a 2D scan and 2D frames. */
    public Dataset open(Path file, Parameters options) {
        Optional<URI> uri = remote(file);
        ByteSource source = uri.isPresent() ? source(file, uri.get()) : null;
        try {
            Dataset ds = open(file, source, options);
            source = null; // the dataset owns it now
            return ds;
        } finally {
            if (source != null) {
                try {
                    source.close();
                } catch (IOException e) {
                    // already failing: the first error is the one to report
                }
            }
        }
    }

    /**
     * Opens an input on remote storage ({@link #remote} is not empty) for positioned reads through
     * the provider of its scheme (the caller closes it): what the reader reads, and what the
     * provenance hashes.
     */
    public ByteSource source(Path file) {
        return source(file, remote(file).orElseThrow(() -> new IllegalArgumentException(file + " is not on remote storage")));
    }

    private ByteSource source(Path file, URI uri) {
        ByteSourceProvider p = provider(uri.getScheme());
        if (p == null) {
            throw new UnsupportedFormatException(file, "storage", "a local file"
                    + (storage.isEmpty() ? "" : " or one of " + storage.stream().map(s -> s.scheme() + "://").toList())
                    + " (remote storage is read by a runner that provides it, e.g. hdfs:// by the Spark runner)", uri.toString());
        }
        try {
            return p.open(uri);
        } catch (IOException e) {
            throw new InvalidInputException(file, "file", "a readable " + uri.getScheme() + ":// file",
                    e.getMessage() == null ? e.toString() : e.getMessage(), e);
        } catch (Ltz4dException e) {
            throw e; // the provider's own typed error (e.g. no implementation of the scheme on the class path)
        } catch (RuntimeException e) {
            throw new PluginException(uri.getScheme() + " storage", "failed to open " + uri + ": " + e, e);
        }
    }

    /** The provider of {@code scheme}: the one registered for it, else the first that serves it; null if none. */
    private ByteSourceProvider provider(String scheme) {
        for (ByteSourceProvider p : storage) if (p.scheme().equalsIgnoreCase(scheme)) return p;
        for (ByteSourceProvider p : storage) if (p.serves(scheme.toLowerCase(Locale.ROOT))) return p;
        return null;
    }

    private Dataset open(Path file, ByteSource source, Parameters options) {
        ByteBuffer head = source == null ? head(file) : head(file, source);
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
            DatasetReader reader = (DatasetReader) best.plugin();
            ds = source == null ? reader.open(file, options) : reader.open(file, source, options);
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

    private static ByteBuffer head(Path file, ByteSource source) {
        try {
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(PROBE_BYTES, source.size()));
            source.read(0, head);
            return head.flip();
        } catch (IOException e) {
            throw new InvalidInputException(file, "file", "a readable file", e.getMessage() == null ? e.toString() : e.getMessage(), e);
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
