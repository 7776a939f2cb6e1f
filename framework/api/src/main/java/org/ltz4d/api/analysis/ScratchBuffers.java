package org.ltz4d.api.analysis;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.ltz4d.api.error.Ltz4dException;

/**
 * Float storage for results that grow with the scan (per-position stacks such as S(q) and G(r)):
 * on the heap while small, beyond {@link #heapLimitValues()} values a memory-mapped scratch file,
 * so the heap does not grow with the scan. The scratch file is deleted as soon as it is mapped
 * (the mapping keeps its pages; the disk space is freed when the buffer is collected), so a killed
 * run leaves nothing behind. The folder is the system property {@code ltz4d.scratch}, else
 * {@code java.io.tmpdir}. The buffers are zero-filled; writers use absolute puts, which threads
 * may do concurrently on disjoint ranges.
 */
public final class ScratchBuffers {
    /** Largest buffer of one mapping: Java's buffers are int-indexed (bytes). */
    public static final long MAX_VALUES = (Integer.MAX_VALUE - 8L) / Float.BYTES;

    private ScratchBuffers() {
    }

    /**
     * Values kept on the heap: the system property {@code ltz4d.scratch.heap-values}, else 1/32 of
     * the maximum heap in floats (4 Mi values at a 512 MiB heap).
     */
    public static long heapLimitValues() {
        String p = System.getProperty("ltz4d.scratch.heap-values");
        if (p != null) {
            try {
                return Long.parseLong(p.trim());
            } catch (NumberFormatException e) {
                throw new Ltz4dException("system property ltz4d.scratch.heap-values: expected a number of values, got '" + p + "'");
            }
        }
        return Runtime.getRuntime().maxMemory() / 32 / Float.BYTES;
    }

    /** A zero-filled buffer of {@code values} floats for {@code what} (named in errors). */
    public static FloatBuffer allocate(String what, long values) {
        if (values < 0 || values > MAX_VALUES) {
            throw new Ltz4dException(what + ": " + values + " values exceed one buffer's " + MAX_VALUES
                    + " (2 GiB); analyse an ROI of the scan or use fewer bins");
        }
        if (values <= heapLimitValues()) return FloatBuffer.wrap(new float[(int) values]);
        Path dir = Path.of(System.getProperty("ltz4d.scratch", System.getProperty("java.io.tmpdir")));
        Path file = null;
        try {
            Files.createDirectories(dir);
            file = Files.createTempFile(dir, ".ltz4d-scratch-", ".f32");
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                FloatBuffer b = ch.map(FileChannel.MapMode.READ_WRITE, 0, values * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
                return b;
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new Ltz4dException(what + ": cannot map a scratch file of " + values * Float.BYTES + " bytes in " + dir
                    + " (set -Dltz4d.scratch=DIR to a folder with space): " + e, e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // the mapping stays valid; the file is left for the OS's tmp cleaning
                }
            }
        }
    }
}
