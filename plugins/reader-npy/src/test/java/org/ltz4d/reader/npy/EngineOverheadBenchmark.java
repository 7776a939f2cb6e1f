package org.ltz4d.reader.npy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.analysis.BufferSpec;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.analysis.FrameProcessor;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.ltz4d.engine.LocalEngine;

/**
 * The engine's overhead: frames/s of a no-op fitter run by the engine over a memory-mapped .npy,
 * against a plain sequential read of the same file (FileChannel into a direct buffer, converted
 * to float32 like the engine hands frames to fitters). Not a unit test: run by hand, see
 * plugins/reader-npy/README.md.
 *
 * <pre>java -cp ... org.ltz4d.reader.npy.EngineOverheadBenchmark [FILE.npy] [scanY scanX det]</pre>
 */
public final class EngineOverheadBenchmark {
    private EngineOverheadBenchmark() {
    }

    /** Reads one pixel per frame so that the JIT cannot drop the work. */
    static final class NoOpFitter implements Fitter {
        @Override public String name() { return "noop"; }

        @Override
        public List<BufferSpec> buffers(FitContext ctx) {
            return List.of(BufferSpec.nav("noop/first", Unit.COUNTS, "first pixel"));
        }

        @Override
        public FrameProcessor processor(FitContext ctx) {
            return (frame, out) -> out.set(0, frame.data()[frame.offset()]);
        }
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "/tmp/ltz4d-engine-bench.npy");
        int ny = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int nx = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        int det = args.length > 3 ? Integer.parseInt(args[3]) : 256;
        boolean made = false;
        if (!Files.exists(file)) {
            write(file, ny, nx, det);
            made = true;
        }
        long bytes = Files.size(file);
        long frames;
        try (Dataset ds = new NpyReader().open(file, Parameters.empty())) {
            frames = ds.frameCount();
            System.out.printf("file %s: %d frames of %s, %.2f GB%n", file, frames, ds.sigShape(), bytes / 1e9);
        }
        LocalEngine engine = new LocalEngine();
        engine.register(new NpyReader(), "org.ltz4d.reader.npy", "bench");
        engine.register(new NoOpFitter(), "bench", "bench");
        for (int round = 0; round < 3; round++) {
            double plain = plainRead(file, frames);
            double e1 = engine(engine, file, 1);
            double e2 = engine(engine, file, 2);
            System.out.printf("round %d: plain sequential read+convert %.0f frames/s (%.2f GB/s) | engine no-op fitter: "
                    + "1 thread %.0f frames/s (%.0f%% of plain), 2 threads %.0f frames/s (%.0f%%)%n", round, plain,
                    plain * bytes / frames / 1e9, e1, 100 * e1 / plain, e2, 100 * e2 / plain);
        }
        if (made) Files.delete(file);
    }

    private static double engine(LocalEngine engine, Path file, int threads) {
        long t0 = System.nanoTime();
        try (Dataset ds = engine.open(file, Parameters.empty())) {
            engine.fit(ds, List.of("noop"), Parameters.of(Map.of("threads", Integer.toString(threads))), ProgressListener.NONE,
                    new Cancellation());
            return ds.frameCount() / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static double plainRead(Path file, long frames) throws IOException {
        long t0 = System.nanoTime();
        float[] f = new float[1 << 22];
        double sink = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocateDirect(8 << 20).order(ByteOrder.LITTLE_ENDIAN);
            while (ch.read(b) > 0) {
                b.flip();
                ShortBuffer s = b.asShortBuffer();
                int n = s.remaining();
                for (int i = 0; i < n; i++) f[i] = s.get(i) & 0xffff;
                sink += f[0];
                b.clear();
            }
        }
        if (sink < 0) System.out.print("");
        return frames / ((System.nanoTime() - t0) / 1e9);
    }

    private static void write(Path f, int ny, int nx, int det) throws IOException {
        String dict = "{'descr': '<u2', 'fortran_order': False, 'shape': (" + ny + ", " + nx + ", " + det + ", " + det + "), }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer pre = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
            pre.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
            pre.put(header.getBytes(StandardCharsets.ISO_8859_1)).flip();
            ch.write(pre);
            ByteBuffer frame = ByteBuffer.allocateDirect(2 * det * det).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < det * det; i++) frame.putShort((short) (i * 7 % 1000));
            for (long i = 0; i < (long) ny * nx; i++) {
                frame.clear();
                while (frame.hasRemaining()) ch.write(frame);
            }
        }
    }
}
