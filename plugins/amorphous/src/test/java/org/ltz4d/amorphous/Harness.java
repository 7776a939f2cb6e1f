package org.ltz4d.amorphous;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.ltz4d.api.analysis.BufferSpec;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.FitOutput;
import org.ltz4d.api.analysis.FitSetup;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.analysis.Frame;
import org.ltz4d.api.analysis.FrameProcessor;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.simulator.SimulationSpec;
import org.ltz4d.simulator.Simulator;

/** Test doubles for the engine: a context, frames, outputs, an in-memory dataset and a runner. */
final class Harness {
    private Harness() {
    }

    /** All frames of a simulated scan, drawn once (in parallel) and held in memory. */
    static final class MemoryDataset implements Dataset {
        final int ny, nx, rows, cols;
        final float[] data;
        final DType dtype;
        final Calibration cal;

        MemoryDataset(int ny, int nx, int rows, int cols, float[] data, DType dtype, Calibration cal) {
            this.ny = ny; this.nx = nx; this.rows = rows; this.cols = cols; this.data = data; this.dtype = dtype; this.cal = cal;
        }

        static MemoryDataset of(SimulationSpec s, boolean vacuum) {
            int px = s.detY() * s.detX();
            float[] d = new float[(int) (s.frameCount() * px)];
            IntStream.range(0, (int) s.frameCount()).parallel().forEach(f -> {
                if (vacuum) Simulator.sampleVacuum(s, f / s.scanX(), f % s.scanX(), d, f * px);
                else Simulator.sample(s, f / s.scanX(), f % s.scanX(), d, f * px);
            });
            return new MemoryDataset(s.scanY(), s.scanX(), s.detY(), s.detX(), d, s.dtype(), s.calibration());
        }

        @Override public Path source() { return Path.of("memory.npy"); }
        @Override public String format() { return "memory"; }
        @Override public Shape navShape() { return Shape.of(ny, nx); }
        @Override public Shape sigShape() { return Shape.of(rows, cols); }
        @Override public DType dtype() { return dtype; }
        @Override public Calibration calibration() { return cal; }
        @Override public void readFrames(long first, int count, float[] dest, int off) {
            System.arraycopy(data, (int) first * rows * cols, dest, off, count * rows * cols);
        }
        @Override public void close() { }
    }

    static final class Context implements FitContext {
        final Dataset ds;
        final Parameters params;
        final Map<String, Integer> slots = new HashMap<>();
        final Map<String, Integer> upstream = new HashMap<>();
        /** What the engine would give: the fitter's set-up for the run ({@link #withSetup}). */
        FitSetup setup = FitSetup.NONE;

        Context(Dataset ds, Parameters params) {
            this.ds = ds;
            this.params = params;
        }

        /** This context with {@code f}'s set-up computed on it, as the engine does before buffers and processors. */
        Context withSetup(Fitter f) {
            setup = f.setup(this);
            return this;
        }

        @Override public FitSetup setup() { return setup; }

        @Override public Dataset dataset() { return ds; }
        @Override public Calibration calibration() { return ds.calibration(); }
        @Override public Parameters parameters() { return params; }
        @Override public int slot(String name) {
            Integer s = slots.get(name);
            if (s == null) throw new IllegalArgumentException("no NAV buffer " + name);
            return s;
        }
        @Override public OptionalInt upstreamSlot(String name) {
            Integer s = upstream.get(name);
            return s == null ? OptionalInt.empty() : OptionalInt.of(s);
        }
        @Override public Optional<DataMap> previous(String name) { return Optional.empty(); }
    }

    /** The ring fitter's set-up of a run on {@code ds}, computed and decoded as in a run. */
    static RingSetup ringSetup(Dataset ds, Parameters p) {
        RingFitter f = new RingFitter();
        return f.ringSetup(new Context(ds, p).withSetup(f));
    }

    static final class TestFrame implements Frame {
        long index;
        int y, x, rows, cols, offset;
        float[] data;
        float[] upstream;

        @Override public long index() { return index; }
        @Override public int scanY() { return y; }
        @Override public int scanX() { return x; }
        @Override public int height() { return rows; }
        @Override public int width() { return cols; }
        @Override public float[] data() { return data; }
        @Override public int offset() { return offset; }
        @Override public float upstream(int slot) { return upstream[slot]; }
    }

    static final class Out implements FitOutput {
        final float[] values;

        Out(int n) { values = new float[n]; }

        void reset() { Arrays.fill(values, Float.NaN); }

        @Override public void set(int slot, float value) { values[slot] = value; }
        @Override public double[] partial(int buffer) { throw new UnsupportedOperationException(); }
    }

    /**
     * Runs the fitters as one pass over the dataset in scan order, in {@code threads} workers over
     * contiguous blocks of frames (each worker its own processors), a later fitter seeing the
     * earlier ones' values. Returns every NAV output as a flat array over the scan.
     */
    static Map<String, float[]> run(Dataset ds, Parameters params, int threads, Fitter... fitters) {
        return run(ds, params, threads, 0, fitters);
    }

    /**
     * As above; with {@code block} > 0 the workers take blocks of {@code block} consecutive frames
     * in turn (worker t gets blocks t, t + threads, ...), like the engine, so a worker's frames jump.
     */
    static Map<String, float[]> run(Dataset ds, Parameters params, int threads, int block, Fitter... fitters) {
        Pass pass = new Pass(ds, params, null, fitters);
        int total = (int) ds.frameCount();
        Map<String, float[]> maps = pass.maps(total);
        Thread[] ts = new Thread[threads];
        RuntimeException[] err = new RuntimeException[1];
        for (int t = 0; t < threads; t++) {
            final int tid = t;
            ts[t] = new Thread(() -> {
                try {
                    Worker w = pass.worker(ds);
                    int bs = block > 0 ? block : (total + threads - 1) / threads;
                    for (int b0 = tid * bs; b0 < total; b0 += threads * bs) w.fit(b0, Math.min(total, b0 + bs), maps);
                } catch (RuntimeException e) {
                    err[0] = e;
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        }
        if (err[0] != null) throw err[0];
        return maps;
    }

    /**
     * One pass of fitters over a dataset as the engine lays it out: a context per fitter holding its
     * set-up (computed here, or given: as shipped by a cluster's driver), its NAV slots and the
     * upstream slots of the fitters before it.
     */
    static final class Pass {
        final Fitter[] fitters;
        final List<Context> contexts = new ArrayList<>();
        final List<List<String>> names = new ArrayList<>();
        final Map<String, Integer> global = new LinkedHashMap<>();

        /** {@code setups}: one per fitter, or null to compute each with the fitter's {@code setup}. */
        Pass(Dataset ds, Parameters params, FitSetup[] setups, Fitter... fitters) {
            this.fitters = fitters;
            for (int k = 0; k < fitters.length; k++) {
                Fitter f = fitters[k];
                Context c = new Context(ds, params);
                if (setups == null) c.withSetup(f);
                else c.setup = setups[k];
                c.upstream.putAll(global);
                List<String> n = new ArrayList<>();
                int slot = 0;
                for (BufferSpec b : f.buffers(c)) {
                    c.slots.put(b.name(), slot);
                    n.add(b.name());
                    slot += b.length();
                }
                for (String name : n) global.put(name, global.size());
                contexts.add(c);
                names.add(n);
            }
        }

        FitSetup[] setups() {
            return contexts.stream().map(c -> c.setup).toArray(FitSetup[]::new);
        }

        /** Every NAV output of {@code frames} frames, NaN until fitted. */
        Map<String, float[]> maps(int frames) {
            Map<String, float[]> maps = new LinkedHashMap<>();
            for (String name : global.keySet()) {
                float[] m = new float[frames];
                Arrays.fill(m, Float.NaN);
                maps.put(name, m);
            }
            return maps;
        }

        /** A worker: its own processors (one thread's), reading frames from {@code ds}. */
        Worker worker(Dataset ds) {
            return new Worker(this, ds);
        }
    }

    /** One thread's processors of a {@link Pass}. */
    static final class Worker {
        private final Pass pass;
        private final Dataset ds;
        private final List<FrameProcessor> ps = new ArrayList<>();
        private final List<Out> outs = new ArrayList<>();
        private final List<String> all;
        private final TestFrame fr = new TestFrame();

        Worker(Pass pass, Dataset ds) {
            this.pass = pass;
            this.ds = ds;
            this.all = new ArrayList<>(pass.global.keySet());
            for (int k = 0; k < pass.fitters.length; k++) {
                ps.add(pass.fitters[k].processor(pass.contexts.get(k)));
                outs.add(new Out(pass.names.get(k).size()));
            }
            fr.rows = ds.sigShape().rows();
            fr.cols = ds.sigShape().cols();
            fr.data = new float[ds.framePixels()];
            fr.upstream = new float[pass.global.size()];
        }

        /** Fits frames [from, to) in order, a later fitter seeing the earlier ones' values; writes into {@code maps}. */
        void fit(int from, int to, Map<String, float[]> maps) {
            int nx = ds.navShape().cols();
            for (int i = from; i < to; i++) {
                ds.readFrames(i, 1, fr.data, 0);
                fr.index = i;
                fr.y = i / nx;
                fr.x = i % nx;
                int g = 0;
                for (int k = 0; k < ps.size(); k++) {
                    Out o = outs.get(k);
                    o.reset();
                    ps.get(k).process(fr, o);
                    for (int s = 0; s < o.values.length; s++, g++) {
                        fr.upstream[g] = o.values[s];
                        synchronized (maps) { maps.get(all.get(g))[i] = o.values[s]; }
                    }
                }
            }
        }
    }
}
