package org.ltz4d.engine.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.ltz4d.api.analysis.BufferSpec;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.FitOutput;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.analysis.Frame;
import org.ltz4d.api.analysis.FrameProcessor;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.engine.BlockFitter;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.FitBlock;
import org.ltz4d.api.engine.FitPass;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.error.CancelledException;
import org.ltz4d.api.error.Ltz4dException;
import org.ltz4d.api.error.PluginException;
import org.ltz4d.api.param.Parameters;

/**
 * Streams a dataset through passes of fitters on all cores with bounded memory: each worker owns
 * one block buffer (frames are read into it, processed, and the buffer is reused), one processor
 * per fitter and one row of per-position values; blocks of consecutive frames are handed out from
 * a shared counter. Per-position (NAV) values are written into result arrays by frame index, so
 * they need no merge; SIG/SINGLE partials are merged with each fitter's associative merge.
 */
public final class FitRunner {
    /** Target bytes of one worker's block buffer. */
    static final long BLOCK_BYTES = 8L << 20;

    private final int threads;
    private final int blockFramesOverride;
    private final BlockFitter remote; // null: fit on this runner's threads
    private final Path input;

    public FitRunner(int threads, int blockFrames) {
        this(threads, blockFrames, null, null);
    }

    /** A runner that hands every pass to {@code remote} (when not null) for the file {@code input}. */
    public FitRunner(int threads, int blockFrames, BlockFitter remote, Path input) {
        this.threads = Math.max(1, threads);
        this.blockFramesOverride = blockFrames;
        this.remote = remote;
        this.input = input;
    }

    /** Runs the passes in order; each later pass sees the results of the earlier ones. */
    public MapSet run(Dataset ds, Calibration cal, Parameters params, List<List<Fitter>> passes,
            ProgressListener progress, Cancellation cancel) {
        MapSet results = MapSet.empty();
        for (int p = 0; p < passes.size(); p++) {
            String stage = passes.size() == 1 ? "fit" : "fit pass " + (p + 1) + "/" + passes.size();
            results = results.plus(runPass(ds, cal, params, passes.get(p), results, stage, progress, cancel));
        }
        return results;
    }

    /** Layout of one pass: per fitter, its buffers and the first slot of its NAV values in a row. */
    private static final class Layout {
        final List<Fitter> fitters;
        final List<List<BufferSpec>> buffers = new ArrayList<>();
        final int[] base;
        final Map<String, Integer> navSlot = new LinkedHashMap<>(); // buffer name → absolute slot
        final Map<String, BufferSpec> navSpec = new LinkedHashMap<>();
        final List<Ctx> contexts = new ArrayList<>();
        int width;

        Layout(List<Fitter> fitters) {
            this.fitters = fitters;
            this.base = new int[fitters.size()];
        }
    }

    private final class Ctx implements FitContext {
        final Dataset ds;
        final Calibration cal;
        final Parameters params;
        final MapSet previous;
        final Layout layout;
        final int index; // fitter index in the pass

        Ctx(Dataset ds, Calibration cal, Parameters params, MapSet previous, Layout layout, int index) {
            this.ds = ds;
            this.cal = cal;
            this.params = params;
            this.previous = previous;
            this.layout = layout;
            this.index = index;
        }

        @Override
        public Dataset dataset() { return ds; }

        @Override
        public Calibration calibration() { return cal; }

        @Override
        public Parameters parameters() { return params; }

        @Override
        public int slot(String name) {
            if (layout.buffers.size() <= index) {
                throw new IllegalStateException("slot(" + name + ") asked before buffers() returned");
            }
            int s = 0;
            for (BufferSpec b : layout.buffers.get(index)) {
                if (b.kind() != BufferSpec.Kind.NAV) continue;
                if (b.name().equals(name)) return s;
                s += b.length();
            }
            throw new IllegalArgumentException("fitter '" + layout.fitters.get(index).name() + "' declares no NAV buffer '" + name + "'");
        }

        @Override
        public OptionalInt upstreamSlot(String name) {
            for (int f = 0; f < index && f < layout.buffers.size(); f++) {
                int s = layout.base[f];
                for (BufferSpec b : layout.buffers.get(f)) {
                    if (b.kind() != BufferSpec.Kind.NAV) continue;
                    if (b.name().equals(name)) return OptionalInt.of(s);
                    s += b.length();
                }
            }
            return OptionalInt.empty();
        }

        @Override
        public Optional<DataMap> previous(String name) {
            return previous.get(name);
        }
    }

    /** The per-worker frame view and output sink (one object serves both roles). */
    private static final class Slot implements Frame, FitOutput {
        float[] data;
        int offset;
        int height;
        int width;
        int navCols;
        long index;
        float[] row;
        int base;
        double[][] partials; // per buffer index of the current fitter

        @Override public long index() { return index; }
        @Override public int scanY() { return (int) (index / navCols); }
        @Override public int scanX() { return (int) (index % navCols); }
        @Override public int height() { return height; }
        @Override public int width() { return width; }
        @Override public float[] data() { return data; }
        @Override public int offset() { return offset; }
        @Override public float upstream(int slot) { return row[slot]; }
        @Override public void set(int slot, float value) { row[base + slot] = value; }

        @Override
        public double[] partial(int buffer) {
            double[] p = partials == null || buffer < 0 || buffer >= partials.length ? null : partials[buffer];
            if (p == null) throw new IllegalArgumentException("buffer " + buffer + " is not a SIG or SINGLE buffer of this fitter");
            return p;
        }
    }

    MapSet runPass(Dataset ds, Calibration cal, Parameters params, List<Fitter> fitters, MapSet previous,
            String stage, ProgressListener progress, Cancellation cancel) {
        Layout layout = layout(ds, cal, params, fitters, previous);
        final long frames = ds.frameCount();
        final int rowWidth = layout.width;
        // NAV storage: one float array per pass, [frame * width + slot]; frame-major so a worker
        // copies its row with one arraycopy. Split per buffer at the end.
        final float[] nav = navStorage(rowWidth, frames);
        int block = blockFrames(ds, ds.framePixels());
        List<double[][][]> partialsPerWorker = remote == null
                ? fitRange(ds, layout, nav, 0, frames, block, stage, progress, cancel)
                : fitRemote(ds, params, layout, previous, nav, block, stage, progress, cancel);
        return assemble(ds, layout, nav, partialsPerWorker);
    }

    /**
     * Fits frames {@code first .. first+count-1} on this runner's threads, in blocks of
     * {@code block} frames from {@code first}: the per-position values and the merged partials.
     */
    public FitBlock fitBlock(Dataset ds, Calibration cal, Parameters params, List<Fitter> fitters, MapSet previous, long first,
            int count, int block, Cancellation cancel) {
        Layout layout = layout(ds, cal, params, fitters, previous);
        float[] nav = navStorage(layout.width, count);
        List<double[][][]> parts = fitRange(ds, layout, nav, first, first + count, block, "fit", ProgressListener.NONE, cancel);
        mergePartials(layout, parts);
        List<double[]> flat = new ArrayList<>();
        for (int f = 0; f < fitters.size(); f++) {
            for (double[] a : parts.get(0)[f]) if (a != null) flat.add(a);
        }
        return new FitBlock(first, count, layout.width, nav, flat);
    }

    /** Declares every fitter's buffers (the fitters' set-up runs here) and lays out a row of NAV values. */
    private Layout layout(Dataset ds, Calibration cal, Parameters params, List<Fitter> fitters, MapSet previous) {
        Layout layout = new Layout(fitters);
        for (int f = 0; f < fitters.size(); f++) {
            Fitter fitter = fitters.get(f);
            Ctx ctx = new Ctx(ds, cal, params, previous, layout, f);
            layout.contexts.add(ctx);
            List<BufferSpec> specs = guard(fitter, "declaring its buffers", () -> List.copyOf(fitter.buffers(ctx)));
            layout.buffers.add(specs);
            layout.base[f] = layout.width;
            for (BufferSpec b : specs) {
                if (b.kind() == BufferSpec.Kind.NAV) {
                    if (layout.navSlot.containsKey(b.name())) {
                        throw new PluginException(fitter.name(), "buffer '" + b.name() + "' is declared twice in one pass", null);
                    }
                    layout.navSlot.put(b.name(), layout.width);
                    layout.navSpec.put(b.name(), b);
                    layout.width += b.length();
                }
            }
        }
        return layout;
    }

    private static float[] navStorage(int rowWidth, long frames) {
        if ((long) rowWidth * frames > Integer.MAX_VALUE - 8) {
            throw new Ltz4dException("per-position results of " + rowWidth + " values × " + frames
                    + " frames exceed 2^31 values; run stacks (S(q), G(r)) on an ROI or with fewer bins");
        }
        return new float[(int) (rowWidth * frames)];
    }

    /** Fits frames {@code from .. to-1} on this runner's threads into {@code nav} (frame {@code from} first); per-worker partials. */
    private List<double[][][]> fitRange(Dataset ds, Layout layout, float[] nav, long from, long to, int block, String stage,
            ProgressListener progress, Cancellation cancel) {
        final long frames = to - from;
        long nBlocks = (frames + block - 1) / block;
        int workers = (int) Math.min(threads, Math.max(1, nBlocks));
        AtomicLong nextBlock = new AtomicLong();
        AtomicLong done = new AtomicLong();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<double[][][]> partialsPerWorker = new ArrayList<>(); // [worker][fitter][buffer]
        for (int w = 0; w < workers; w++) partialsPerWorker.add(newPartials(layout, ds.sigShape()));

        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "ltz4d-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                double[][][] partials = partialsPerWorker.get(w);
                futures.add(pool.submit(() -> work(ds, layout, layout.contexts, partials, nav, block, nBlocks, nextBlock, done,
                        from, to, failure, cancel, progress, stage)));
            }
            for (Future<?> fu : futures) {
                try {
                    fu.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancel.cancel("interrupted");
                } catch (java.util.concurrent.ExecutionException e) {
                    failure.compareAndSet(null, e.getCause() instanceof RuntimeException re ? re
                            : new Ltz4dException("worker failed: " + e.getCause(), e.getCause()));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (failure.get() != null) throw failure.get();
        if (cancel.isCancelled()) throw new CancelledException("run cancelled: " + cancel.reason());
        return partialsPerWorker;
    }

    /** Hands the pass to the {@link BlockFitter} and puts the blocks it returns in place, checking they cover every frame once. */
    private List<double[][][]> fitRemote(Dataset ds, Parameters params, Layout layout, MapSet previous, float[] nav, int block,
            String stage, ProgressListener progress, Cancellation cancel) {
        long frames = ds.frameCount();
        List<String> names = layout.fitters.stream().map(FitRunner::safeName).toList();
        List<FitBlock> blocks = remote.fit(new FitPass(input, params, names, previous, ds.navShape(), block), cancel);
        if (cancel.isCancelled()) throw new CancelledException("run cancelled: " + cancel.reason());
        List<double[][][]> partials = new ArrayList<>();
        partials.add(newPartials(layout, ds.sigShape())); // the merge target: zero
        java.util.BitSet seen = new java.util.BitSet();
        long done = 0;
        for (FitBlock b : blocks) {
            if (b.width() != layout.width || b.first() + b.count() > frames) {
                throw new Ltz4dException("a block of frames " + b.first() + ".." + (b.first() + b.count() - 1) + " with " + b.width()
                        + " values per frame does not fit the pass (" + frames + " frames, " + layout.width + " values per frame)");
            }
            int a = (int) b.first();
            if (seen.nextSetBit(a) >= 0 && seen.nextSetBit(a) < a + b.count()) {
                throw new Ltz4dException("frames " + b.first() + ".." + (b.first() + b.count() - 1) + " were fitted twice");
            }
            seen.set(a, a + b.count());
            System.arraycopy(b.nav(), 0, nav, (int) (b.first() * layout.width), b.nav().length);
            double[][][] p = newPartials(layout, ds.sigShape());
            int k = 0;
            for (double[][] perFitter : p) {
                for (int i = 0; i < perFitter.length; i++) {
                    if (perFitter[i] == null) continue;
                    double[] src = k < b.partials().size() ? b.partials().get(k) : null;
                    if (src == null || src.length != perFitter[i].length) {
                        throw new Ltz4dException("a block of frames from " + b.first() + " lacks partial buffer " + k + " of the pass");
                    }
                    perFitter[i] = src;
                    k++;
                }
            }
            partials.add(p);
            done += b.count();
            progress.update(stage, done, frames);
        }
        if (seen.cardinality() != frames) {
            throw new Ltz4dException("the blocks fitted " + seen.cardinality() + " of " + frames + " frames");
        }
        return partials;
    }

    /** Merges every worker's SIG/SINGLE partials into the first worker's, with each fitter's merge. */
    private static void mergePartials(Layout layout, List<double[][][]> partialsPerWorker) {
        for (int f = 0; f < layout.fitters.size(); f++) {
            List<BufferSpec> specs = layout.buffers.get(f);
            for (int bi = 0; bi < specs.size(); bi++) {
                BufferSpec b = specs.get(bi);
                if (b.kind() == BufferSpec.Kind.NAV) continue;
                double[] target = partialsPerWorker.get(0)[f][bi];
                for (int w = 1; w < partialsPerWorker.size(); w++) {
                    double[] src = partialsPerWorker.get(w)[f][bi];
                    Fitter fitter = layout.fitters.get(f);
                    guard(fitter, "merging buffer " + b.name(), () -> {
                        fitter.merge(b, target, src);
                        return null;
                    });
                }
            }
        }
    }

    /** Splits the NAV storage into maps and merges the SIG/SINGLE partials into maps. */
    private static MapSet assemble(Dataset ds, Layout layout, float[] nav, List<double[][][]> partialsPerWorker) {
        final long frames = ds.frameCount();
        final int rowWidth = layout.width;
        List<Fitter> fitters = layout.fitters;
        mergePartials(layout, partialsPerWorker);
        // Split NAV storage into maps, merge SIG/SINGLE partials.
        Shape navShape = ds.navShape();
        List<DataMap> maps = new ArrayList<>();
        for (Map.Entry<String, Integer> e : layout.navSlot.entrySet()) {
            BufferSpec b = layout.navSpec.get(e.getKey());
            int s0 = e.getValue();
            float[] v = new float[(int) (frames * b.length())];
            for (long i = 0; i < frames; i++) {
                System.arraycopy(nav, (int) (i * rowWidth + s0), v, (int) (i * b.length()), b.length());
            }
            Shape shape = b.length() == 1 ? navShape : Shape.of(navShape.dim(0), navShape.dim(1), b.length());
            maps.add(map(b, shape, v));
        }
        for (int f = 0; f < fitters.size(); f++) {
            List<BufferSpec> specs = layout.buffers.get(f);
            for (int bi = 0; bi < specs.size(); bi++) {
                BufferSpec b = specs.get(bi);
                if (b.kind() == BufferSpec.Kind.NAV) continue;
                double[] target = partialsPerWorker.get(0)[f][bi];
                float[] v = new float[target.length];
                for (int i = 0; i < v.length; i++) v[i] = (float) target[i];
                Shape shape = b.kind() == BufferSpec.Kind.SIG ? ds.sigShape() : Shape.of(b.length());
                maps.add(map(b, shape, v));
            }
        }
        return MapSet.of(maps);
    }

    private static DataMap map(BufferSpec b, Shape shape, float[] v) {
        return b.unit().equals(org.ltz4d.api.units.Unit.LABEL)
                ? DataMap.labels(b.name(), shape, v, b.unit(), b.description())
                : DataMap.of(b.name(), shape, v, b.unit(), b.description());
    }

    private static double[][][] newPartials(Layout layout, Shape sig) {
        double[][][] p = new double[layout.fitters.size()][][];
        for (int f = 0; f < p.length; f++) {
            List<BufferSpec> specs = layout.buffers.get(f);
            p[f] = new double[specs.size()][];
            for (int b = 0; b < specs.size(); b++) {
                BufferSpec s = specs.get(b);
                if (s.kind() == BufferSpec.Kind.SIG) p[f][b] = new double[(int) sig.size()];
                else if (s.kind() == BufferSpec.Kind.SINGLE) p[f][b] = new double[s.length()];
            }
        }
        return p;
    }

    private int blockFrames(Dataset ds, int px) {
        if (blockFramesOverride > 0) return blockFramesOverride;
        int byBytes = (int) Math.max(1, Math.min(4096, BLOCK_BYTES / (4L * px)));
        int pref = Math.max(1, ds.preferredBlockFrames());
        if (pref > 1) byBytes = Math.max(pref, (byBytes / pref) * pref);
        // enough blocks for every worker several times over, for balance
        long perWorker = ds.frameCount() / (threads * 4L);
        if (perWorker >= 1 && perWorker < byBytes) byBytes = (int) Math.max(pref, perWorker);
        return byBytes;
    }

    private void work(Dataset ds, Layout layout, List<Ctx> contexts, double[][][] partials, float[] nav, int block,
            long nBlocks, AtomicLong nextBlock, AtomicLong done, long from, long to, AtomicReference<RuntimeException> failure,
            Cancellation cancel, ProgressListener progress, String stage) {
        int px = ds.framePixels();
        int nf = layout.fitters.size();
        FrameProcessor[] procs = new FrameProcessor[nf];
        for (int f = 0; f < nf; f++) {
            Fitter fitter = layout.fitters.get(f);
            Ctx ctx = contexts.get(f);
            procs[f] = guard(fitter, "creating a processor", () -> fitter.processor(ctx));
        }
        float[] buf = new float[block * px];
        Slot slot = new Slot();
        slot.height = ds.sigShape().dim(0);
        slot.width = ds.sigShape().dim(1);
        slot.navCols = ds.navShape().dim(1);
        slot.row = new float[layout.width];
        slot.data = buf;
        int rowWidth = layout.width;
        long b;
        while ((b = nextBlock.getAndIncrement()) < nBlocks) {
            if (cancel.isCancelled() || failure.get() != null) return;
            long first = from + b * block;
            int count = (int) Math.min(block, to - first);
            ds.readFrames(first, count, buf, 0);
            for (int i = 0; i < count; i++) {
                long idx = first + i;
                slot.index = idx;
                slot.offset = i * px;
                Arrays.fill(slot.row, Float.NaN);
                for (int f = 0; f < nf; f++) {
                    slot.base = layout.base[f];
                    slot.partials = partials[f];
                    try {
                        procs[f].process(slot, slot);
                    } catch (RuntimeException | LinkageError | AssertionError e) {
                        String msg = "failed on frame " + idx + " (scan y=" + slot.scanY() + ", x=" + slot.scanX() + "): " + e;
                        RuntimeException pe = e instanceof Ltz4dException le ? le
                                : new PluginException(layout.fitters.get(f).name(), msg, e);
                        failure.compareAndSet(null, pe);
                        cancel.cancel(pe.getMessage());
                        return;
                    }
                }
                if (rowWidth > 0) System.arraycopy(slot.row, 0, nav, (int) ((idx - from) * rowWidth), rowWidth);
            }
            long d = done.addAndGet(count);
            progress.update(stage, d, to - from);
        }
    }

    interface Body<T> {
        T get();
    }

    static <T> T guard(Fitter fitter, String what, Body<T> body) {
        try {
            return body.get();
        } catch (Ltz4dException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw new PluginException(safeName(fitter), "failed " + what + ": " + e, e);
        }
    }

    static String safeName(Fitter f) {
        try {
            return f.name();
        } catch (RuntimeException e) {
            return f.getClass().getName();
        }
    }
}
