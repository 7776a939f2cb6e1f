package org.ltz4d.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.BufferSpec;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.analysis.FrameProcessor;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;

/**
 * The fit's results are bit for bit the same for 1, 2 and 4 worker threads and any block size,
 * for the two things that made them differ: sums over the scan whose value depends on the order
 * of the additions (values of very different size), and processors that seed each frame from the
 * frame before (as the ring and lattice fitters do).
 */
class SameAnswersTest {
    @TempDir
    Path dir;

    /** Pixel p of frame i: values spanning twelve decades, so a double sum depends on the order of the terms. */
    static float value(long i, int p) {
        return (float) (Math.pow(10, (i * 7 + p * 3) % 13 - 4) * (1 + 0.1 * Math.sin(i * 0.37 + p)));
    }

    record WideDataset(Path source, int ny, int nx) implements Dataset {
        @Override public String format() { return "wide"; }
        @Override public Shape navShape() { return Shape.of(ny, nx); }
        @Override public Shape sigShape() { return Shape.of(6, 5); }
        @Override public DType dtype() { return DType.FLOAT32; }
        @Override public Calibration calibration() { return Calibration.none(); }

        @Override
        public void readFrames(long first, int count, float[] dest, int off) {
            for (int f = 0; f < count; f++) for (int p = 0; p < 30; p++) dest[off + f * 30 + p] = value(first + f, p);
        }

        @Override public void close() { }
    }

    static final class WideReader implements DatasetReader {
        @Override public String name() { return "wide"; }
        @Override public List<String> suffixes() { return List.of("wide"); }
        @Override public double probe(Path file, ByteBuffer head) { return file.toString().endsWith(".wide") ? 0.9 : 0; }

        @Override
        public Dataset open(Path file, Parameters options) {
            return new WideDataset(file, 23, 29);
        }
    }

    /** NAV: the frame's mean, relaxed towards the previous frame's value (a seeded chain); SIG: the sum pattern; SINGLE: Σ total. */
    static final class ChainFitter implements Fitter {
        @Override public String name() { return "chain"; }

        @Override
        public List<BufferSpec> buffers(FitContext ctx) {
            return List.of(BufferSpec.nav("chain/value", Unit.COUNTS, "seeded by the previous frame"),
                    BufferSpec.sig("chain/sum_pattern", Unit.COUNTS, "sum of all frames"),
                    BufferSpec.single("chain/total", 1, Unit.COUNTS, "sum of everything"));
        }

        @Override
        public FrameProcessor processor(FitContext ctx) {
            int slot = ctx.slot("chain/value");
            double[] seed = {Double.NaN};
            return (frame, out) -> {
                float[] d = frame.data();
                int o = frame.offset();
                double s = 0;
                double[] sig = out.partial(1);
                for (int i = 0; i < 30; i++) {
                    s += d[o + i];
                    sig[i] += d[o + i];
                }
                out.partial(2)[0] += s;
                double v = Double.isNaN(seed[0]) ? s / 30 : 0.999 * (s / 30) + 0.001 * seed[0];
                seed[0] = v;
                out.set(slot, (float) v);
            };
        }
    }

    private Map<String, float[]> fit(LocalEngine engine, Map<String, String> options) {
        try (Dataset ds = engine.open(TestPlugins.memFile(dir, "scan").resolveSibling("scan.wide"), Parameters.empty())) {
            MapSet m = engine.fit(ds, List.of("chain"), Parameters.of(options), ProgressListener.NONE, new Cancellation());
            Map<String, float[]> out = new LinkedHashMap<>();
            for (DataMap map : m.maps()) out.put(map.path(), map.toArray());
            return out;
        }
    }

    @Test
    void resultsAreIdenticalForAnyThreadsAndBlockSize() throws Exception {
        java.nio.file.Files.createFile(dir.resolve("scan.wide"));
        LocalEngine engine = new LocalEngine();
        engine.register(new WideReader(), "test.reader", "1.0.0");
        engine.register(new ChainFitter(), "test.fitters", "1.0.0");
        Map<String, float[]> ref = fit(engine, Map.of("threads", "1"));
        assertEquals(List.of("chain/value", "chain/sum_pattern", "chain/total"), List.copyOf(ref.keySet()));
        // the test can fail: summed in another order, the total differs
        double forward = 0;
        double backward = 0;
        for (long i = 0; i < 23 * 29; i++) for (int p = 0; p < 30; p++) forward += value(i, p);
        for (long i = 23 * 29 - 1; i >= 0; i--) for (int p = 29; p >= 0; p--) backward += value(i, p);
        assertNotEquals(forward, backward, "the data make the order of the sum matter");
        for (String threads : List.of("1", "2", "4")) {
            for (String block : List.of("", "1", "3", "7", "1000")) {
                Map<String, String> o = new LinkedHashMap<>(Map.of("threads", threads));
                if (!block.isEmpty()) o.put("block-frames", block);
                Map<String, float[]> r = fit(engine, o);
                for (String k : ref.keySet()) assertArrayEquals(ref.get(k), r.get(k), k + " with " + o);
            }
        }
    }
}
