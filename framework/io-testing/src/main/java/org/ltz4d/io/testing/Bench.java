package org.ltz4d.io.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.ObjLongConsumer;
import java.util.stream.Stream;
import org.ltz4d.api.data.Dataset;

/**
 * The read-throughput harness of the reader benchmarks (their {@code main} classes, not unit tests):
 * generating a file in {@code /tmp}, then timing a plain sequential read of it against
 * {@link Dataset#readFrames} on 1 and 2 threads, best of 3 after a warm-up, printed in s, GB/s and
 * frames/s. The file was just written, so it is in the page cache: this measures the reader's path,
 * not the disk.
 */
public final class Bench {
    private Bench() {
    }

    /** A new directory {@code ltz4d-bench-*} in {@code java.io.tmpdir} (normally /tmp); remove it with {@link #delete(Path)}. */
    public static Path tempDir() throws IOException {
        return Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "ltz4d-bench-");
    }

    /** Deletes {@code dir} and the files in it (not recursive: benchmarks write flat directories). */
    public static void delete(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) Files.deleteIfExists(p);
        }
        Files.deleteIfExists(dir);
    }

    /** Writes {@code head}, then {@code count} copies of {@code record} (patched by {@code patch}, if not null, per record). */
    public static void writeRecords(Path f, byte[] head, ByteBuffer record, long count, ObjLongConsumer<ByteBuffer> patch) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer h = ByteBuffer.wrap(head);
            while (h.hasRemaining()) ch.write(h);
            for (long k = 0; k < count; k++) {
                if (patch != null) patch.accept(record, k);
                record.clear();
                while (record.hasRemaining()) ch.write(record);
            }
        }
    }

    /**
     * Prints the standard comparison: plain sequential read of {@code file} (GB/s of its size on
     * disk), readFrames on 1 and 2 threads in blocks of {@code block} frames (GB/s of
     * {@code dataBytes}, the pixel bytes as stored, or the file size where the two are compared
     * directly).
     */
    public static void compare(String label, Path file, long dataBytes, Dataset d, int block) throws Exception {
        long fileBytes = Files.size(file);
        System.out.println("# " + label + ": " + file + ", " + fileBytes + " bytes on disk, " + dataBytes + " bytes counted for readFrames, "
                + d.frameCount() + " frames of " + d.sigShape() + " " + d.dtype() + ", block " + block + " frames, "
                + Runtime.getRuntime().availableProcessors() + " CPUs");
        readAll(d, 1, block); // warm-up: JIT and page cache
        double plain = best(3, () -> plainRead(file));
        double one = best(3, () -> readAll(d, 1, block));
        double two = best(3, () -> readAll(d, 2, block));
        System.out.println(line("plain sequential FileChannel read (file bytes)", fileBytes, d.frameCount(), plain));
        System.out.println(line("readFrames -> float32, 1 thread", dataBytes, d.frameCount(), one));
        System.out.println(line("readFrames -> float32, 2 threads", dataBytes, d.frameCount(), two));
    }

    /** Seconds to read the whole file sequentially through a 16 MiB direct buffer. */
    static double plainRead(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(16 << 20);
        long t0 = System.nanoTime();
        long x = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf) >= 0) {
                if (buf.position() > 0) x += buf.get(0);
                buf.clear();
            }
        }
        double s = (System.nanoTime() - t0) * 1e-9;
        if (x == 42) System.out.print("");
        return s;
    }

    /** Seconds to read every frame through readFrames on {@code threads} threads (contiguous shares), blocks of {@code block} frames. */
    static double readAll(Dataset d, int threads, int block) throws Exception {
        long frames = d.frameCount();
        int px = d.framePixels();
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        try {
            long t0 = System.nanoTime();
            Future<?>[] fs = new Future<?>[threads];
            for (int t = 0; t < threads; t++) {
                long from = frames * t / threads, to = frames * (t + 1) / threads;
                fs[t] = ex.submit(() -> {
                    float[] buf = new float[block * px];
                    double sum = 0;
                    for (long f = from; f < to; f += block) {
                        int n = (int) Math.min(block, to - f);
                        d.readFrames(f, n, buf, 0);
                        sum += buf[0] + buf[n * px - 1];
                    }
                    return sum;
                });
            }
            for (Future<?> f : fs) f.get();
            return (System.nanoTime() - t0) * 1e-9;
        } finally {
            ex.shutdownNow();
        }
    }

    static String line(String what, long bytes, long frames, double seconds) {
        return String.format(Locale.ROOT, "%-44s %7.3f s  %6.2f GB/s  %9.0f frames/s", what, seconds, bytes / seconds / 1e9, frames / seconds);
    }

    private interface Run {
        double time() throws Exception;
    }

    /** Best (shortest) of {@code n} runs. */
    private static double best(int n, Run r) throws Exception {
        double b = Double.MAX_VALUE;
        for (int i = 0; i < n; i++) b = Math.min(b, r.time());
        return b;
    }
}
