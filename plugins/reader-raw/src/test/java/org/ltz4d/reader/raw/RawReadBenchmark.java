package org.ltz4d.reader.raw;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.param.Parameters;

/**
 * Read throughput of the raw reader against a plain sequential FileChannel read of the same file.
 * Not a unit test: run by hand (command in plugins/reader-mib/README.md):
 * {@code java -cp target/classes:target/test-classes:API_JAR org.ltz4d.reader.raw.RawReadBenchmark [MiB]}.
 * Writes a ~1.5 GiB little-endian uint16 file of 256×256 frames in /tmp. It is deleted afterwards. The file is in the page cache for every
 * measurement (it was just written), so this measures the reader's path, not the disk.
 */
@SuppressWarnings("unused")
public final class RawReadBenchmark {
    private RawReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long target = (args.length > 0 ? Long.parseLong(args[0]) : 1536L) << 20;
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "ltz4d-bench-");
        try {
            Path f = dir.resolve("bench.raw");
            int px = 256 * 256;
            long frames = target / (2L * px);
            frames -= frames % 100;
            ByteBuffer rec = ByteBuffer.allocate(2 * px).order(ByteOrder.LITTLE_ENDIAN);
            for (int p = 0; p < px; p++) rec.putShort((short) (p & 0xFFF));
            writeRecords(f, new byte[0], rec, frames, null);
            try (Dataset ds = new RawReader().open(f, Parameters.of(Map.of("raw-shape", (frames / 100) + ",100,256,256",
                    "raw-dtype", "uint16", "raw-byte-order", "little")))) {
                run("raw", f, ds, 64);
            }
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : (Iterable<Path>) s::iterator) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        }
    }

    /** Writes {@code count} copies of {@code record} (patched by {@code patch} per record) after {@code head}. */
    static void writeRecords(Path f, byte[] head, ByteBuffer record, long count, java.util.function.ObjLongConsumer<ByteBuffer> patch) throws IOException {
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

    // ---- the same harness in every reader module's benchmark (test code, kept identical) ----

    static void run(String format, Path file, Dataset ds, int block) throws Exception {
        long bytes = Files.size(file);
        System.out.printf(Locale.ROOT, "%s: %s, %.2f GB, %d frames %s %s, %d CPUs%n", format, file, bytes / 1e9, ds.frameCount(),
                ds.sigShape(), ds.dtype(), Runtime.getRuntime().availableProcessors());
        frames(ds, 1, block); // warm-up: JIT, page cache
        double seq = 0;
        double one = 0;
        double two = 0;
        for (int rep = 0; rep < 3; rep++) {
            seq = Math.max(seq, sequential(file));
            one = Math.max(one, bytes / frames(ds, 1, block));
            two = Math.max(two, bytes / frames(ds, 2, block));
        }
        System.out.printf(Locale.ROOT, "%s: sequential FileChannel read %.2f GB/s; readFrames 1 thread %.2f GB/s (%.0f frames/s); "
                + "2 threads %.2f GB/s (%.0f frames/s); best of 3, file in page cache%n", format, seq / 1e9, one / 1e9,
                one / bytes * ds.frameCount(), two / 1e9, two / bytes * ds.frameCount());
    }

    /** Bytes/s of reading the whole file into a 16 MiB direct buffer. */
    static double sequential(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(16 << 20);
        long t0 = System.nanoTime();
        long n = 0;
        long check = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int r;
            while ((r = ch.read(b)) >= 0) {
                n += r;
                if (b.position() > 0) check += b.get(0);
                b.clear();
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (check == 42) System.out.print("");
        return n / s;
    }

    /** Seconds to read every frame with {@code threads} threads, each a contiguous share, in blocks. */
    static double frames(Dataset ds, int threads, int block) throws Exception {
        long total = ds.frameCount();
        int px = ds.framePixels();
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        try {
            long t0 = System.nanoTime();
            List<Future<Double>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long from = total * t / threads;
                long to = total * (t + 1) / threads;
                fs.add(ex.submit(() -> {
                    float[] buf = new float[block * px];
                    double check = 0;
                    for (long f = from; f < to; f += block) {
                        int n = (int) Math.min(block, to - f);
                        ds.readFrames(f, n, buf, 0);
                        check += buf[px / 2];
                    }
                    return check;
                }));
            }
            double check = 0;
            for (Future<Double> fu : fs) check += fu.get();
            double s = (System.nanoTime() - t0) / 1e9;
            if (check == 42) System.out.print("");
            return s;
        } finally {
            ex.shutdownNow();
        }
    }
}
