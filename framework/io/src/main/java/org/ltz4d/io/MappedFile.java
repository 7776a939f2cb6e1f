package org.ltz4d.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;

/**
 * A file mapped read-only in segments of at most 1 GiB (plus an overlap), so files of any size
 * map without one 2 GiB-limited buffer and without being read into the heap. Segment {@code i}
 * starts at {@code i·segment} and reaches {@code overlap} bytes into the next one: every record
 * (frame plus its own header) no longer than the overlap lies wholly inside one segment, so a
 * frame is decoded with absolute gets on one buffer. Absolute gets do not touch a buffer's
 * position, so the buffers are shared by all reading threads without copies or locks.
 */
public final class MappedFile {
    public static final long DEFAULT_SEGMENT = 1L << 30;

    private final Path path;
    private final long size;
    private final long segment;
    private final ByteBuffer[] segments;

    public MappedFile(Path path, ByteOrder order, long maxRecordBytes) {
        this(path, order, maxRecordBytes, DEFAULT_SEGMENT);
    }

    /** {@code segment} is configurable so tests can check reads across segment borders on small files. */
    public MappedFile(Path path, ByteOrder order, long maxRecordBytes, long segment) {
        this.path = path;
        this.segment = segment;
        if (maxRecordBytes > segment) {
            throw new CorruptFileException(path, "frame size", "at most " + segment + " bytes per frame", maxRecordBytes + " bytes");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            this.size = ch.size();
            int n = (int) Math.max(1, (size + segment - 1) / segment);
            segments = new ByteBuffer[n];
            for (int i = 0; i < n; i++) {
                long start = i * segment;
                long len = Math.min(size - start, segment + maxRecordBytes);
                MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, start, Math.max(0, len));
                m.order(order);
                segments[i] = m;
            }
        } catch (IOException e) {
            throw new InvalidInputException(path, "file", "a readable file", describe(e), e);
        }
    }

    /** An I/O failure as a few words for an error message ("no such file", "permission denied", ...). */
    public static String describe(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file";
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return f.getReason();
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    public long size() {
        return size;
    }

    public Path path() {
        return path;
    }

    /** The buffer holding the record that starts at {@code offset}. */
    public ByteBuffer buffer(long offset) {
        return segments[(int) (offset / segment)];
    }

    /** Index of {@code offset} inside {@link #buffer(long)}. */
    public int index(long offset) {
        return (int) (offset % segment);
    }
}
