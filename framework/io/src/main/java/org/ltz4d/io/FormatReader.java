package org.ltz4d.io;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.param.ParameterSpec;

/**
 * The part every reader shares: its name, its suffixes, its options, and a {@link #probe} that never throws.
 * A subclass answers {@link #confidence(Probe)} from a {@link Probe} (the lower-case file name,
 * whether it has one of the reader's suffixes, absolute reads of the head) and may throw anything
 * there: a {@code RuntimeException} counts as "not mine" (0). The subclass carries the
 * {@code @Component(service = DatasetReader.class)} annotation and implements {@code open}.
 */
public abstract class FormatReader implements DatasetReader {
    private final String name;
    private final List<String> suffixes;
    private final List<ParameterSpec> parameters;

    /** A reader without options; {@code suffixes}: lower case, without the dot. */
    protected FormatReader(String name, String... suffixes) {
        this(name, List.of(), suffixes);
    }

    /** A reader with the options {@code parameters} (e.g. {@code scan-shape}); {@code suffixes}: lower case, without the dot. */
    protected FormatReader(String name, List<ParameterSpec> parameters, String... suffixes) {
        this.name = name;
        this.parameters = List.copyOf(parameters);
        this.suffixes = List.of(suffixes);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<String> suffixes() {
        return suffixes;
    }

    @Override
    public final List<ParameterSpec> parameters() {
        return parameters;
    }

    @Override
    public final double probe(Path file, ByteBuffer head) {
        try {
            return confidence(new Probe(file, head, suffixes));
        } catch (RuntimeException e) {
            return 0.0;
        }
    }

    /** How sure this reader is (0 … 1) that it can open the file; see the table in docs/reader-guide.md. */
    protected abstract double confidence(Probe p);

    /**
     * What a probe looks at: the file's lower-case name and the head of the file (read-only, maybe
     * null; absolute gets only, so the caller's position and byte order are left alone).
     */
    public static final class Probe {
        private final Path file;
        private final ByteBuffer head;
        private final String name;
        private final boolean suffix;

        Probe(Path file, ByteBuffer head, List<String> suffixes) {
            this.file = file;
            this.head = head;
            this.name = file == null || file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
            boolean s = false;
            for (String x : suffixes) s |= name.endsWith("." + x);
            this.suffix = s;
        }

        public Path file() {
            return file;
        }

        /** The file name in lower case ("" when there is none). */
        public String name() {
            return name;
        }

        /** Whether the name ends in one of the reader's suffixes. */
        public boolean hasSuffix() {
            return suffix;
        }

        /** Whether the name ends in {@code .suffix} ({@code suffix} in lower case, without the dot). */
        public boolean hasSuffix(String suffix) {
            return name.endsWith("." + suffix);
        }

        /** The head (maybe null). */
        public ByteBuffer head() {
            return head;
        }

        /** Bytes in the head (0 when there is none). */
        public int headBytes() {
            return head == null ? 0 : head.limit();
        }

        /** Whether the head holds {@code bytes} at offset {@code at}. */
        public boolean bytesAt(int at, byte[] bytes) {
            if (at < 0 || at + bytes.length > headBytes()) return false;
            for (int i = 0; i < bytes.length; i++) if (head.get(at + i) != bytes[i]) return false;
            return true;
        }

        /** Whether the head starts with {@code magic}. */
        public boolean startsWith(byte[] magic) {
            return bytesAt(0, magic);
        }
    }
}
