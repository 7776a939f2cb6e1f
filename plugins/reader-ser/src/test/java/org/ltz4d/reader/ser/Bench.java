package org.ltz4d.reader.ser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ltz4d.api.data.Dataset;

/** Timing helpers shared by this module's benchmark main class (not a unit test). */
final class Bench {
    private Bench() {
    }

    /** Seconds to read the whole file sequentially through a 16 MiB direct buffer. */
    static double plainRead(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(16 << 20);
        long t0 = System.nanoTime();
        long n = 0;
        long x = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int r;
            while ((r = ch.read(buf)) >= 0) {
                n += r;
                x += buf.get(0);
                buf.clear();
            }
        }
        double s = (System.nanoTime() - t0) * 1e-9;
        if (x == 42) System.out.print("");
        return s;
    }

    /** Seconds to read every frame through readFrames on {@code threads} threads (contiguous halves), blocks of {@code block} frames. */
    static double readAll(Dataset d, int threads, int block) throws Exception {
        long frames = d.frameCount();
        int px = d.framePixels();
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        try {
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
        } finally {
            ex.shutdown();
        }
        return (System.nanoTime() - t0) * 1e-9;
    }

    static String line(String what, long bytes, long frames, double seconds) {
        return String.format(Locale.ROOT, "%-44s %7.3f s  %6.2f GB/s  %9.0f frames/s", what, seconds, bytes / seconds / 1e9, frames / seconds);
    }

    /** Best of {@code n} runs. */
    interface Run {
        double time() throws Exception;
    }

    static double best(int n, Run r) throws Exception {
        double b = Double.MAX_VALUE;
        for (int i = 0; i < n; i++) b = Math.min(b, r.time());
        return b;
    }

    /** Prints the standard comparison: plain read, readFrames on 1 and 2 threads. */
    static void compare(String label, Path file, long fileBytes, long dataBytes, Dataset d, int block) throws Exception {
        System.out.println("# " + label + ": " + file + ", " + fileBytes + " bytes on disk, " + dataBytes + " bytes of pixels as stored, "
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
}
