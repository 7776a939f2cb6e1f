package org.ltz4d.engine;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.BufferSpec;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.Correlator;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.Figure;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.analysis.FrameProcessor;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.Pipeline;
import org.ltz4d.api.analysis.Plan;
import org.ltz4d.api.analysis.QuantityDeriver;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;

/** Small plugins with known answers for engine tests. */
final class TestPlugins {
    private TestPlugins() {
    }

    /** An empty file {@code dir/SHAPE.mem} the test reader "opens": its name ("NxM") gives the scan shape. */
    /** An engine with the mem reader, the sum and double fitters, the scale deriver and the figure correlator. */
    static LocalEngine engineWithTestPlugins() {
        LocalEngine engine = new LocalEngine();
        engine.register(new MemReader(), "test.reader", "1.0.0");
        engine.register(new SumFitter(), "test.fitters", "1.0.0");
        engine.register(new DoubleFitter(), "test.fitters", "1.0.0");
        engine.register(new ScaleDeriver(), "test.derivers", "2.0.0");
        engine.register(new FigureCorrelator(), "test.correlators", "1.0.0");
        return engine;
    }

    static Path memFile(Path dir, String shape) {
        Path p = dir.resolve(shape + ".mem");
        try {
            if (!Files.exists(p)) Files.createFile(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return p;
    }

    /**
     * Frames of a "file" named NxM.SUFFIX (default {@code mem}): pixel p of frame i has value i + p,
     * until frame {@code corruptFrom}, where reading throws a {@link CorruptFileException} naming the file.
     */
    static final class MemReader implements DatasetReader {
        final String suffix;
        final long corruptFrom;

        MemReader() {
            this("mem", Long.MAX_VALUE);
        }

        MemReader(String suffix, long corruptFrom) {
            this.suffix = suffix;
            this.corruptFrom = corruptFrom;
        }

        @Override public String name() { return suffix; }
        @Override public List<String> suffixes() { return List.of(suffix); }

        @Override
        public double probe(Path file, ByteBuffer head) {
            return file.toString().endsWith("." + suffix) ? 0.9 : 0;
        }

        @Override
        public Dataset open(Path file, Parameters options) {
            String[] n = file.getFileName().toString().replace("." + suffix, "").split("x");
            return new MemDataset(file, suffix, Integer.parseInt(n[0]), Integer.parseInt(n[1]), 8, 8, corruptFrom);
        }
    }

    record MemDataset(Path source, String format, int ny, int nx, int h, int w, long corruptFrom) implements Dataset {
        @Override public Shape navShape() { return Shape.of(ny, nx); }
        @Override public Shape sigShape() { return Shape.of(h, w); }
        @Override public DType dtype() { return DType.FLOAT32; }
        @Override public Calibration calibration() { return Calibration.builder().scanStepNm(2, 2).build(); }
        @Override public Map<String, String> metadata() { return Map.of("detector", "MemCam 8x8", "exposure_s", "0.001"); }

        @Override
        public void readFrames(long first, int count, float[] dest, int off) {
            if (first + count > corruptFrom) throw new CorruptFileException(source, "frame " + corruptFrom, "a complete frame", "garbage");
            for (int f = 0; f < count; f++) for (int p = 0; p < h * w; p++) dest[off + f * h * w + p] = first + f + p;
        }

        @Override public void close() { }
    }

    /** NAV: total counts and frame index; SIG: sum pattern; SINGLE: frame count. */
    static final class SumFitter implements Fitter {
        @Override public String name() { return "sum"; }

        @Override
        public List<BufferSpec> buffers(FitContext ctx) {
            return List.of(BufferSpec.nav("virtual/total", Unit.COUNTS, "sum of the frame"),
                    BufferSpec.sig("virtual/sum_pattern", Unit.COUNTS, "sum of all frames"),
                    BufferSpec.navStack("virtual/first2", 2, Unit.COUNTS, "first two pixels"),
                    BufferSpec.single("virtual/frames", 1, Unit.DIMENSIONLESS, "frames seen"));
        }

        @Override
        public FrameProcessor processor(FitContext ctx) {
            int total = ctx.slot("virtual/total");
            int first2 = ctx.slot("virtual/first2");
            return (frame, out) -> {
                double s = 0;
                double[] sig = out.partial(1);
                float[] d = frame.data();
                int o = frame.offset();
                for (int i = 0; i < frame.height() * frame.width(); i++) {
                    s += d[o + i];
                    sig[i] += d[o + i];
                }
                out.set(total, (float) s);
                out.set(first2, d[o]);
                out.set(first2 + 1, d[o + 1]);
                out.partial(3)[0] += 1;
            };
        }
    }

    /** Reads the upstream total and writes twice it. */
    static final class DoubleFitter implements Fitter {
        @Override public String name() { return "double"; }

        @Override
        public List<BufferSpec> buffers(FitContext ctx) {
            return List.of(BufferSpec.nav("virtual/double", Unit.COUNTS, "twice the total"));
        }

        @Override
        public FrameProcessor processor(FitContext ctx) {
            int up = ctx.upstreamSlot("virtual/total").orElseThrow();
            return (frame, out) -> out.set(0, 2 * frame.upstream(up));
        }
    }

    /** Throws on frame {@code bad}. */
    static final class FailingFitter implements Fitter {
        final long bad;

        FailingFitter(long bad) {
            this.bad = bad;
        }

        @Override public String name() { return "failing"; }

        @Override
        public List<BufferSpec> buffers(FitContext ctx) {
            return List.of(BufferSpec.nav("x/y", Unit.DIMENSIONLESS, ""));
        }

        @Override
        public FrameProcessor processor(FitContext ctx) {
            return (frame, out) -> {
                if (frame.index() == bad) throw new ArithmeticException("boom at " + bad);
                out.set(0, 1);
            };
        }
    }

    /** Waits on a latch at the first frame (so a test can remove it mid-run), then sleeps per frame. */
    static final class SlowFitter implements Fitter {
        final CountDownLatch started = new CountDownLatch(1);

        @Override public String name() { return "slow"; }

        @Override
        public List<BufferSpec> buffers(FitContext ctx) {
            return List.of(BufferSpec.nav("slow/v", Unit.DIMENSIONLESS, ""));
        }

        @Override
        public FrameProcessor processor(FitContext ctx) {
            return (frame, out) -> {
                started.countDown();
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                out.set(0, 1);
            };
        }
    }

    /** Writes one constant into NAV buffer {@code const/value}: tells which of several same-named fitters ran. */
    static final class ConstantFitter implements Fitter {
        final String name;
        final float value;

        ConstantFitter(String name, float value) {
            this.name = name;
            this.value = value;
        }

        @Override public String name() { return name; }

        @Override
        public List<BufferSpec> buffers(FitContext ctx) {
            return List.of(BufferSpec.nav("const/value", Unit.DIMENSIONLESS, "which fitter ran"));
        }

        @Override
        public FrameProcessor processor(FitContext ctx) {
            return (frame, out) -> out.set(0, value);
        }
    }

    /** Scales the total by a parameter and marks frames with odd index as failed in fit/mask. */
    static final class ScaleDeriver implements QuantityDeriver {
        @Override public String name() { return "scale"; }

        @Override
        public List<ParameterSpec> parameters() {
            return List.of(ParameterSpec.number("factor", "scale factor", Unit.DIMENSIONLESS, 1.0, -1e9, 1e9));
        }

        @Override public List<String> requires() { return List.of("virtual/total"); }

        @Override
        public MapSet derive(MapSet in, AnalysisContext ctx) {
            DataMap t = in.require("virtual/total");
            double f = ctx.parameters().number("factor", 1.0);
            float[] v = t.toArray();
            float[] mask = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                v[i] *= (float) f;
                mask[i] = i % 2;
            }
            return MapSet.of(DataMap.of("virtual/scaled", t.shape(), v, Unit.COUNTS, "scaled"),
                    DataMap.labels("fit/mask", t.shape(), mask, Unit.LABEL, "1 = failed"));
        }
    }

    static final class FigureCorrelator implements Correlator {
        @Override public String name() { return "fig"; }
        @Override public List<String> requires() { return List.of("virtual/scaled"); }

        @Override
        public Correlation correlate(MapSet maps, AnalysisContext ctx) {
            return new Correlation(MapSet.empty(), List.of(new Figure("fig.png", "a figure", Figure.PNG, new byte[] {1, 2, 3})),
                    java.util.Map.of("mean", 1.5));
        }
    }

    static final class BrokenCorrelator implements Correlator {
        @Override public String name() { return "broken"; }
        @Override public List<String> requires() { return List.of(); }

        @Override
        public Correlation correlate(MapSet maps, AnalysisContext ctx) {
            throw new IllegalStateException("correlator bug");
        }
    }

    static Pipeline pipeline(String name, Plan plan) {
        return new Pipeline() {
            @Override public String name() { return name; }
            @Override public String description() { return "test pipeline " + name; }
            @Override public Plan plan(Parameters p) { return plan; }
        };
    }
}
