package org.ltz4d.crystalline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.BufferSpec;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.FitOutput;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.analysis.Frame;
import org.ltz4d.api.analysis.FrameProcessor;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.param.Parameters;

/** Test doubles: an in-memory dataset, fit/analysis contexts, and a single-thread runner. */
final class Harness {
    private Harness() {
    }

    static class MemoryDataset implements Dataset {
        final int ny, nx, rows, cols;
        final float[] data;
        final Calibration cal;

        MemoryDataset(int ny, int nx, int rows, int cols, float[] data, Calibration cal) {
            this.ny = ny; this.nx = nx; this.rows = rows; this.cols = cols; this.data = data; this.cal = cal;
        }

        @Override public Path source() { return Path.of("memory"); }
        @Override public String format() { return "memory"; }
        @Override public Shape navShape() { return Shape.of(ny, nx); }
        @Override public Shape sigShape() { return Shape.of(rows, cols); }
        @Override public DType dtype() { return DType.FLOAT32; }
        @Override public Calibration calibration() { return cal; }
        @Override public void readFrames(long first, int count, float[] dest, int off) {
            int px = rows * cols;
            System.arraycopy(data, (int) first * px, dest, off, count * px);
        }
        @Override public void close() { }
    }

    static final class Ctx implements FitContext {
        final Dataset ds;
        final Parameters p;
        final Map<String, Integer> slots = new HashMap<>();

        Ctx(Dataset ds, Parameters p, List<BufferSpec> buffers) {
            this.ds = ds;
            this.p = p;
            int s = 0;
            for (BufferSpec b : buffers) if (b.kind() == BufferSpec.Kind.NAV) { slots.put(b.name(), s); s += b.length(); }
        }

        @Override public Dataset dataset() { return ds; }
        @Override public Calibration calibration() { return ds.calibration(); }
        @Override public Parameters parameters() { return p; }
        @Override public int slot(String name) { return slots.get(name); }
        @Override public OptionalInt upstreamSlot(String name) { return OptionalInt.empty(); }
        @Override public Optional<DataMap> previous(String name) { return Optional.empty(); }
    }

    static final class Fr implements Frame {
        long index; int sy, sx, h, w, off; float[] data;
        @Override public long index() { return index; }
        @Override public int scanY() { return sy; }
        @Override public int scanX() { return sx; }
        @Override public int height() { return h; }
        @Override public int width() { return w; }
        @Override public float[] data() { return data; }
        @Override public int offset() { return off; }
        @Override public float upstream(int slot) { return Float.NaN; }
    }

    static final class Out implements FitOutput {
        final float[] values;
        int base;
        final Map<Integer, double[]> partials = new HashMap<>();
        final List<BufferSpec> buffers;
        Out(int n, List<BufferSpec> buffers) { values = new float[n]; java.util.Arrays.fill(values, Float.NaN); this.buffers = buffers; }
        @Override public void set(int slot, float v) { values[base + slot] = v; }
        @Override public double[] partial(int buffer) {
            return partials.computeIfAbsent(buffer, b -> new double[buffers.get(b).length()]);
        }
    }

    /** Runs a fitter over every frame (one thread) and returns its NAV buffers as maps. */
    static MapSet run(Fitter f, MemoryDataset ds, Parameters p) {
        List<BufferSpec> bufs = f.buffers(null);
        Ctx ctx = new Ctx(ds, p, bufs);
        FrameProcessor proc = f.processor(ctx);
        int nslots = ctx.slots.size();
        int nf = ds.ny * ds.nx;
        Out out = new Out(nf * nslots, bufs);
        Fr fr = new Fr();
        fr.data = ds.data;
        fr.h = ds.rows;
        fr.w = ds.cols;
        for (int i = 0; i < nf; i++) {
            fr.index = i; fr.sy = i / ds.nx; fr.sx = i % ds.nx; fr.off = i * ds.rows * ds.cols;
            out.base = i * nslots;
            proc.process(fr, out);
        }
        List<DataMap> maps = new ArrayList<>();
        for (int bi = 0; bi < bufs.size(); bi++) {
            BufferSpec b = bufs.get(bi);
            if (b.kind() == BufferSpec.Kind.SINGLE) {
                double[] v = out.partials.getOrDefault(bi, new double[b.length()]);
                float[] fv = new float[v.length];
                for (int i = 0; i < v.length; i++) fv[i] = (float) v[i];
                maps.add(DataMap.of(b.name(), Shape.of(v.length), fv, b.unit(), b.description()));
                continue;
            }
            int s = ctx.slots.get(b.name());
            float[] v = new float[nf];
            for (int i = 0; i < nf; i++) v[i] = out.values[i * nslots + s];
            maps.add(DataMap.of(b.name(), Shape.of(ds.ny, ds.nx), v, b.unit(), b.description()));
        }
        return MapSet.of(maps);
    }

    static final class ACtx implements AnalysisContext {
        final Calibration cal;
        final Parameters p;
        final Shape nav;
        MapSet reference = MapSet.empty();
        ACtx(Calibration cal, Parameters p, Shape nav) { this.cal = cal; this.p = p; this.nav = nav; }
        @Override public Calibration calibration() { return cal; }
        @Override public Parameters parameters() { return p; }
        @Override public Shape navShape() { return nav; }
        @Override public MapSet analyzeReference(Path file, String fitter) { return reference; }
        @Override public void log(String message) { }
    }
}
