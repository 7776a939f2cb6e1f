package org.ltz4d.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.ltz4d.api.data.ByteSource;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.TruncatedFileException;

/**
 * Read-only memory mapping of a file that holds equal-size records at a constant stride (a record
 * being one frame, possibly with its own header or footer bytes). The file is mapped in windows of
 * at most 1 GiB, each holding whole records, so one record never straddles two mappings. Only
 * absolute bulk gets are used: no position state is shared, so any number of threads may copy
 * records at once. Nothing is read until asked; the OS pages the file in and out.
 *
 * <p>Shared by the reader bundles through the reader-support library bundle {@code org.ltz4d.io}
 * (which exports this package; the reader bundles themselves export nothing): depend on it, do
 * not copy it. {@link MappedDataset} puts a {@code Dataset} over it.
 */
public final class MappedFrames implements AutoCloseable {
    /** Largest single mapping; Java's MappedByteBuffer is int-indexed. */
    public static final long MAX_WINDOW = 1L << 30;

    private final FileChannel channel;
    /** The file's bytes when they are read by position (remote storage) instead of mapped; else null. */
    private final ByteSource source;
    private final Path file;
    private final long base;
    private final ByteBuffer[] windows;
    /** Little-endian float views of the windows, for the copy-free float32 path. */
    private final java.nio.FloatBuffer[] floatViews;
    private final long recordsPerWindow;
    private final long stride;
    private final int recordBytes;
    private final long records;

    /**
     * @param base        byte offset of record 0
     * @param stride      bytes from one record to the next (≥ recordBytes)
     * @param recordBytes bytes of one record that will be accessed
     * @param records     number of records; the caller has checked that the file holds them
     */
    public MappedFrames(Path file, long base, long stride, int recordBytes, long records) throws IOException {
        this(file, base, stride, recordBytes, records, MAX_WINDOW);
    }

    /** As above with a smaller window limit, so tests can cover records spread over several mappings. */
    public MappedFrames(Path file, long base, long stride, int recordBytes, long records, long window) throws IOException {
        if (recordBytes > window || window > MAX_WINDOW || stride < recordBytes || records < 1) {
            throw new IllegalArgumentException("record of " + recordBytes + " bytes at stride " + stride + " cannot be mapped");
        }
        this.stride = stride;
        this.recordBytes = recordBytes;
        this.records = records;
        this.recordsPerWindow = Math.max(1, (window - recordBytes) / stride + 1);
        int n = Math.toIntExact((records + recordsPerWindow - 1) / recordsPerWindow);
        this.source = null;
        this.file = file;
        this.base = base;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            windows = new ByteBuffer[n];
            floatViews = new java.nio.FloatBuffer[n];
            for (int w = 0; w < n; w++) {
                long first = w * recordsPerWindow;
                long count = Math.min(recordsPerWindow, records - first);
                long len = (count - 1) * stride + recordBytes;
                windows[w] = channel.map(FileChannel.MapMode.READ_ONLY, base + first * stride, len);
                floatViews[w] = windows[w].duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Records read by position from {@code source} (storage that cannot be mapped, e.g. an
     * {@code hdfs://} file) instead of mapped: each {@link #copy} is one positioned read of the
     * bytes asked for; nothing else of the file is fetched. {@code file} names it in errors. The
     * source is closed with this object.
     *
     * @since 1.2
     */
    public MappedFrames(Path file, ByteSource source, long base, long stride, int recordBytes, long records) {
        if (stride < recordBytes || records < 1 || recordBytes < 1) {
            throw new IllegalArgumentException("record of " + recordBytes + " bytes at stride " + stride + " cannot be read");
        }
        this.channel = null;
        this.source = source;
        this.file = file;
        this.base = base;
        this.windows = new ByteBuffer[0];
        this.floatViews = new java.nio.FloatBuffer[0];
        this.recordsPerWindow = records;
        this.stride = stride;
        this.recordBytes = recordBytes;
        this.records = records;
    }

    /** Whether the records are read by position from a {@link ByteSource} (remote storage) rather than mapped. */
    public boolean positioned() {
        return source != null;
    }

    public int windows() {
        return windows.length;
    }

    public long records() {
        return records;
    }

    /** Copies {@code len} bytes from offset {@code rel} of record {@code record} into {@code dst}. */
    public void copy(long record, int rel, byte[] dst, int dstOff, int len) {
        if (source != null) {
            read(record, rel, ByteBuffer.wrap(dst, dstOff, len));
            return;
        }
        ByteBuffer w = windows[(int) (record / recordsPerWindow)];
        int idx = (int) ((record % recordsPerWindow) * stride) + rel;
        w.get(idx, dst, dstOff, len); // absolute bulk get: no position change, thread-safe for reads
    }

    /**
     * Copies {@code n} little-endian float32 values from offset {@code rel} of a record straight into
     * {@code dst} (one bulk copy, no conversion pass) when the offset is 4-byte aligned; returns
     * false, copying nothing, otherwise.
     */
    public boolean copyFloatsLE(long record, int rel, float[] dst, int dstOff, int n) {
        if (source != null) return false;
        int idx = (int) ((record % recordsPerWindow) * stride) + rel;
        if ((idx & 3) != 0) return false;
        floatViews[(int) (record / recordsPerWindow)].get(idx >> 2, dst, dstOff, n); // absolute bulk get
        return true;
    }

    /** One byte at offset {@code rel} of record {@code record}. */
    public byte get(long record, int rel) {
        if (source != null) {
            ByteBuffer one = ByteBuffer.allocate(1);
            read(record, rel, one);
            return one.get(0);
        }
        ByteBuffer w = windows[(int) (record / recordsPerWindow)];
        return w.get((int) ((record % recordsPerWindow) * stride) + rel);
    }

    /** Bytes per accessible record. */
    public int recordBytes() {
        return recordBytes;
    }

    /** One positioned read from the source; a short file or an I/O failure as a typed error naming the file and record. */
    private void read(long record, int rel, ByteBuffer dst) {
        long at = base + record * stride + rel;
        try {
            source.read(at, dst);
        } catch (java.io.EOFException e) {
            throw new TruncatedFileException(file, "frame " + record, "the file as large as when it was opened (byte " + at + ")",
                    e.getMessage() == null ? "a shorter file" : e.getMessage(), e);
        } catch (IOException e) {
            throw new InvalidInputException(file, "frame " + record, "a readable record at byte " + at, MappedFile.describe(e), e);
        }
    }

    @Override
    public void close() {
        if (source != null) {
            try {
                source.close();
            } catch (IOException ignored) {
                // read-only: closing cannot lose data
            }
            return;
        }
        // Mappings are released when garbage collected (Java 17 has no public unmap); closing the
        // channel frees the file handle.
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a read-only channel cannot lose data
        }
    }
}
