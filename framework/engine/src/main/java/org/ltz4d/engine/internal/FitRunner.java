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
import org.ltz4d.api.analysis.FitSetup;
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
import org.ltz4d.api.engine.PartialMapsListener;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.error.CancelledException;
import org.ltz4d.api.error.Ltz4dException;
import org.ltz4d.api.error.PluginException;
import org.ltz4d.api.param.Parameters;

/**
 * Streams a dataset through passes of fitters on all cores with bounded memory: each worker owns
 * one block buffer (frames are read into it, processed, and the buffer is reused) and one row of
 * per-position values; groups of consecutive frames are handed out from a shared counter.
 * Per-position (NAV) values are written into result arrays by frame index, so they need no merge.
 *
 * <p>Same answers whatever the threads and block size: the groups depend on the dataset only
 * ({@link #groupFrames}); each group is analysed by fresh processors (a processor seeds a frame
 * from the previous one, so its chain of seeds must not depend on which worker got which
 * frames), in scan order, read in blocks of at most {@code block-frames}; and the SIG/SINGLE
 * partials of the groups are merged with each fitter's merge in group order (a group finished
 * ahead of an earlier one waits, at most a few groups per worker, so memory stays bounded).
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
        FitSetup setup = FitSetup.NONE; // set once in layout(), before buffers()

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
        public FitSetup setup() { return setup; }

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
        Layout layout = layout(ds, cal, params, fitters, previous, null);
        // NAV storage: one buffer per NAV buffer, [frame * length + k]; a stack beyond the heap
        // share of ScratchBuffers is a mapped scratch file, so the heap does not grow with the scan
        final NavStore nav = new NavStore(layout.navSlot, layout.navSpec, layout.width, ds.frameCount());
        double[][][] total = remote == null
                ? fitRange(ds, layout, nav::put, 0, ds.frameCount(), stage, progress, cancel)
                : fitRemote(ds, params, layout, previous, nav, stage, progress, cancel);
        return assemble(ds, layout, nav, total);
    }

    /** Where a worker puts the row of NAV values of frame {@code frame} (counted from the range's first). */
    interface RowSink {
        void put(long frame, float[] row);
    }

    /**
     * Fits frames {@code first .. first+count-1} on this runner's threads: the per-position values
     * and the merged partials. The groups are the dataset's (as in a whole run), cut at the range's
     * ends, so a range of whole groups gives bit for bit what a whole run gives for it;
     * {@code block} is not used (the read size follows the groups and {@code block-frames}).
     */
    public FitBlock fitBlock(Dataset ds, Calibration cal, Parameters params, List<Fitter> fitters, MapSet previous,
            Map<String, FitSetup> setups, long first, int count, int block, Cancellation cancel) {
        Layout layout = layout(ds, cal, params, fitters, previous, setups);
        float[] nav = navStorage(layout.width, count);
        final int width = layout.width;
        double[][][] total = fitRange(ds, layout, (i, row) -> System.arraycopy(row, 0, nav, (int) (i * width), width), first,
                first + count, "fit", ProgressListener.NONE, cancel);
        List<double[]> flat = new ArrayList<>();
        for (int f = 0; f < fitters.size(); f++) {
            for (double[] a : total[f]) if (a != null) flat.add(a);
        }
        return new FitBlock(first, count, layout.width, nav, flat);
    }

    /**
     * Runs every fitter's set-up (or takes the one {@code shipped} by the driver of the run, by fitter
     * name; null: none shipped), declares its buffers and lays out a row of NAV values.
     */
    private Layout layout(Dataset ds, Calibration cal, Parameters params, List<Fitter> fitters, MapSet previous,
            Map<String, FitSetup> shipped) {
        Layout layout = new Layout(fitters);
        for (int f = 0; f < fitters.size(); f++) {
            Fitter fitter = fitters.get(f);
            Ctx ctx = new Ctx(ds, cal, params, previous, layout, f);
            layout.contexts.add(ctx);
            FitSetup given = shipped == null ? null : shipped.get(fitter.name());
            ctx.setup = given != null ? given : guard(fitter, "computing its set-up", () -> {
                FitSetup s = fitter.setup(ctx);
                return s == null ? FitSetup.NONE : s;
            });
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

    /**
     * Fits frames {@code from .. to-1} on this runner's threads into {@code nav} (frame {@code from}
     * first), group by group; returns the SIG/SINGLE partials merged in group order.
     */
    private double[][][] fitRange(Dataset ds, Layout layout, RowSink nav, long from, long to, String stage,
            ProgressListener progress, Cancellation cancel) {
        int group = groupFrames(ds, ds.framePixels());
        int block = blockFramesOverride > 0 ? Math.min(blockFramesOverride, group) : group;
        long firstGroup = from / group;
        long nGroups = to > from ? (to - 1) / group - firstGroup + 1 : 0;
        int workers = (int) Math.min(threads, Math.max(1, nGroups));
        AtomicLong nextGroup = new AtomicLong();
        AtomicLong done = new AtomicLong();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Reduction reduction = new Reduction(layout, ds.sigShape(), workers);
        Range range = new Range(from, to, group, firstGroup, nGroups, block);

        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "ltz4d-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(() -> work(ds, layout, reduction, nav, range, nextGroup, done, failure, cancel, progress,
                        stage)));
            }
            for (Future<?> fu : futures) {
                try {
                    fu.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancel.cancel("interrupted");
                    reduction.wake();
                } catch (java.util.concurrent.ExecutionException e) {
                    failure.compareAndSet(null, e.getCause() instanceof RuntimeException re ? re
                            : new Ltz4dException("worker failed: " + e.getCause(), e.getCause()));
                    reduction.wake();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (failure.get() != null) throw failure.get();
        if (cancel.isCancelled()) throw new CancelledException("run cancelled: " + cancel.reason());
        return reduction.total();
    }

    /** The frames a call of {@link #fitRange} covers and how they are cut into groups and read blocks. */
    private record Range(long from, long to, int group, long firstGroup, long groups, int block) {
        long start(long k) {
            return Math.max(from, (firstGroup + k) * group);
        }

        long end(long k) {
            return Math.min(to, (firstGroup + k + 1) * group);
        }
    }

    /**
     * Hands the pass to the {@link BlockFitter} and puts the blocks it returns in place, checking
     * they cover every frame once; their partials are merged in frame order.
     */
    private double[][][] fitRemote(Dataset ds, Parameters params, Layout layout, MapSet previous, NavStore nav, String stage,
            ProgressListener progress, Cancellation cancel) {
        long frames = ds.frameCount();
        List<String> names = layout.fitters.stream().map(FitRunner::safeName).toList();
        int group = groupFrames(ds, ds.framePixels());
        Map<String, FitSetup> setups = new LinkedHashMap<>();
        for (int f = 0; f < layout.fitters.size(); f++) setups.put(names.get(f), layout.contexts.get(f).setup);
        List<FitBlock> blocks = new ArrayList<>(remote.fit(new FitPass(input, params, names, previous, ds.navShape(), group, setups),
                cancel));
        if (cancel.isCancelled()) throw new CancelledException("run cancelled: " + cancel.reason());
        blocks.sort(java.util.Comparator.comparingLong(FitBlock::first));
        double[][][] total = newPartials(layout, ds.sigShape()); // the merge target: zero
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
            nav.putRows(b.first(), b.nav(), b.count());
            int k = 0;
            for (int f = 0; f < layout.fitters.size(); f++) {
                List<BufferSpec> specs = layout.buffers.get(f);
                Fitter fitter = layout.fitters.get(f);
                for (int bi = 0; bi < specs.size(); bi++) {
                    BufferSpec spec = specs.get(bi);
                    if (spec.kind() == BufferSpec.Kind.NAV) continue;
                    double[] target = total[f][bi];
                    double[] src = k < b.partials().size() ? b.partials().get(k) : null;
                    if (src == null || src.length != target.length) {
                        throw new Ltz4dException("a block of frames from " + b.first() + " lacks partial buffer " + k + " of the pass");
                    }
                    guard(fitter, "merging buffer " + spec.name(), () -> {
                        fitter.merge(spec, target, src);
                        return null;
                    });
                    k++;
                }
            }
            done += b.count();
            progress.update(stage, done, frames);
            if (progress instanceof PartialMapsListener pm) publish(pm, stage, layout, b.nav(), b.first(), b.first(), b.count());
        }
        if (seen.cardinality() != frames) {
            throw new Ltz4dException("the blocks fitted " + seen.cardinality() + " of " + frames + " frames");
        }
        return total;
    }

    /** Splits the NAV storage into maps and turns the merged SIG/SINGLE partials into maps. */
    private static MapSet assemble(Dataset ds, Layout layout, NavStore nav, double[][][] total) {
        List<Fitter> fitters = layout.fitters;
        Shape navShape = ds.navShape();
        List<DataMap> maps = new ArrayList<>();
        int n = 0;
        for (String name : layout.navSlot.keySet()) {
            BufferSpec b = layout.navSpec.get(name);
            Shape shape = b.length() == 1 ? navShape : Shape.of(navShape.dim(0), navShape.dim(1), b.length());
            maps.add(nav.map(n++, b, shape));
        }
        for (int f = 0; f < fitters.size(); f++) {
            List<BufferSpec> specs = layout.buffers.get(f);
            for (int bi = 0; bi < specs.size(); bi++) {
                BufferSpec b = specs.get(bi);
                if (b.kind() == BufferSpec.Kind.NAV) continue;
                double[] target = total[f][bi];
                float[] v = new float[target.length];
                for (int i = 0; i < v.length; i++) v[i] = (float) target[i];
                Shape shape = b.kind() == BufferSpec.Kind.SIG ? ds.sigShape() : Shape.of(b.length());
                maps.add(map(b, shape, v));
            }
        }
        return MapSet.of(withAttributes(maps, fitters, layout.contexts, layout));
    }

    /** The fitters' {@link Fitter#attributes} on their own buffers' maps. */
    private static List<DataMap> withAttributes(List<DataMap> maps, List<Fitter> fitters, List<Ctx> contexts, Layout layout) {
        Map<String, Map<String, Object>> extra = new LinkedHashMap<>();
        for (int f = 0; f < fitters.size(); f++) {
            Fitter fitter = fitters.get(f);
            Ctx ctx = contexts.get(f);
            Map<String, Map<String, Object>> a = guard(fitter, "giving its attributes", () -> fitter.attributes(ctx));
            if (a == null) continue;
            for (BufferSpec b : layout.buffers.get(f)) if (a.containsKey(b.name())) extra.put(b.name(), a.get(b.name()));
        }
        if (extra.isEmpty()) return maps;
        List<DataMap> out = new ArrayList<>(maps.size());
        for (DataMap m : maps) {
            Map<String, Object> a = extra.get(m.path());
            if (a != null) for (Map.Entry<String, Object> e : a.entrySet()) m = m.withAttribute(e.getKey(), e.getValue());
            out.add(m);
        }
        return out;
    }

    static DataMap map(BufferSpec b, Shape shape, float[] v) {
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

    /**
     * Frames per group: about {@link #BLOCK_BYTES} of float pixels (at most 4096 frames), a
     * multiple of the reader's preferred block, and small enough for some 32 groups per scan (at
     * least 8 frames) so every worker gets several. Depends on the dataset only.
     */
    static int groupFrames(Dataset ds, int px) {
        int byBytes = (int) Math.max(1, Math.min(4096, BLOCK_BYTES / (4L * px)));
        int pref = Math.max(1, ds.preferredBlockFrames());
        if (pref > 1) byBytes = Math.max(pref, (byBytes / pref) * pref);
        long balanced = Math.max(8, (ds.frameCount() + 31) / 32);
        if (balanced < byBytes) byBytes = (int) Math.max(pref, pref > 1 ? (balanced + pref - 1) / pref * pref : balanced);
        return byBytes;
    }

    /**
     * The SIG/SINGLE partials of the groups, merged in group order (so the sums do not depend on
     * which worker finished first). A worker may start group {@code g} only when fewer than
     * {@code window} groups lie between it and the next one to merge; used arrays are reused.
     */
    private static final class Reduction {
        final Layout layout;
        final Shape sig;
        final boolean any;
        final int window;
        final java.util.Map<Long, double[][][]> pending = new java.util.HashMap<>();
        final java.util.ArrayDeque<double[][][]> free = new java.util.ArrayDeque<>();
        double[][][] total;
        long merged;

        Reduction(Layout layout, Shape sig, int workers) {
            this.layout = layout;
            this.sig = sig;
            boolean a = false;
            for (List<BufferSpec> specs : layout.buffers) for (BufferSpec b : specs) a |= b.kind() != BufferSpec.Kind.NAV;
            this.any = a;
            this.window = 2 * workers;
        }

        /** Waits until group {@code g} may start (false when the run ends meanwhile); returns zeroed partials for it. */
        synchronized double[][][] begin(long g, Cancellation cancel, AtomicReference<RuntimeException> failure) {
            if (!any) return null;
            while (g - merged >= window) {
                if (cancel.isCancelled() || failure.get() != null) return null;
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            double[][][] p = free.poll();
            if (p == null) return newPartials(layout, sig);
            for (double[][] f : p) for (double[] b : f) if (b != null) Arrays.fill(b, 0);
            return p;
        }

        /** Hands in group {@code g}'s partials and merges every group now in order. */
        synchronized void end(long g, double[][][] partials) {
            if (!any) return;
            pending.put(g, partials);
            double[][][] p;
            while ((p = pending.remove(merged)) != null) {
                if (total == null) {
                    total = p;
                } else {
                    for (int f = 0; f < layout.fitters.size(); f++) {
                        List<BufferSpec> specs = layout.buffers.get(f);
                        Fitter fitter = layout.fitters.get(f);
                        for (int bi = 0; bi < specs.size(); bi++) {
                            BufferSpec b = specs.get(bi);
                            if (b.kind() == BufferSpec.Kind.NAV) continue;
                            double[] target = total[f][bi];
                            double[] src = p[f][bi];
                            guard(fitter, "merging buffer " + b.name(), () -> {
                                fitter.merge(b, target, src);
                                return null;
                            });
                        }
                    }
                    free.push(p);
                }
                merged++;
            }
            notifyAll();
        }

        synchronized void wake() {
            notifyAll();
        }

        /** The merged partials (zeros when no frame was analysed). */
        synchronized double[][][] total() {
            if (total == null) total = newPartials(layout, sig);
            return total;
        }
    }

    private void work(Dataset ds, Layout layout, Reduction reduction, RowSink nav, Range range, AtomicLong nextGroup,
            AtomicLong done, AtomicReference<RuntimeException> failure, Cancellation cancel, ProgressListener progress,
            String stage) {
        List<Ctx> contexts = layout.contexts;
        int block = range.block();
        long frames = range.to() - range.from();
        int px = ds.framePixels();
        int nf = layout.fitters.size();
        FrameProcessor[] procs = new FrameProcessor[nf];
        float[] buf = new float[block * px];
        Slot slot = new Slot();
        slot.height = ds.sigShape().dim(0);
        slot.width = ds.sigShape().dim(1);
        slot.navCols = ds.navShape().dim(1);
        slot.row = new float[layout.width];
        slot.data = buf;
        int rowWidth = layout.width;
        // the values of the current block, kept only for a listener of partial maps
        float[] shown = progress instanceof PartialMapsListener && rowWidth > 0 ? new float[block * rowWidth] : null;
        long g;
        while ((g = nextGroup.getAndIncrement()) < range.groups()) {
            if (cancel.isCancelled() || failure.get() != null) return;
            double[][][] partials = reduction.begin(g, cancel, failure);
            if (reduction.any && partials == null) return;
            // fresh processors per group: their seeds from frame to frame stay within the group
            for (int f = 0; f < nf; f++) {
                Fitter fitter = layout.fitters.get(f);
                Ctx ctx = contexts.get(f);
                procs[f] = guard(fitter, "creating a processor", () -> fitter.processor(ctx));
            }
            long groupEnd = range.end(g);
            for (long first = range.start(g); first < groupEnd; first += block) {
                if (cancel.isCancelled() || failure.get() != null) return;
                int count = (int) Math.min(block, groupEnd - first);
                ds.readFrames(first, count, buf, 0);
                for (int i = 0; i < count; i++) {
                    long idx = first + i;
                    slot.index = idx;
                    slot.offset = i * px;
                    Arrays.fill(slot.row, Float.NaN);
                    for (int f = 0; f < nf; f++) {
                        slot.base = layout.base[f];
                        slot.partials = partials == null ? null : partials[f];
                        try {
                            procs[f].process(slot, slot);
                        } catch (RuntimeException | LinkageError | AssertionError e) {
                            String msg = "failed on frame " + idx + " (scan y=" + slot.scanY() + ", x=" + slot.scanX() + "): " + e;
                            RuntimeException pe = e instanceof Ltz4dException le ? le
                                    : new PluginException(layout.fitters.get(f).name(), msg, e);
                            failure.compareAndSet(null, pe);
                            cancel.cancel(pe.getMessage());
                            reduction.wake();
                            return;
                        }
                    }
                    if (rowWidth > 0) nav.put(idx - range.from(), slot.row);
                    if (shown != null) System.arraycopy(slot.row, 0, shown, i * rowWidth, rowWidth);
                }
                long d = done.addAndGet(count);
                progress.update(stage, d, frames);
                if (shown != null) publish((PartialMapsListener) progress, stage, layout, shown, first, first, count);
            }
            reduction.end(g, partials);
        }
    }

    /** Hands a listener the NAV values of frames {@code first .. first+count-1}, one array per buffer (a copy: the listener's to keep). */
    private static void publish(PartialMapsListener pm, String stage, Layout layout, float[] nav, long from, long first, int count) {
        Map<String, float[]> values = new LinkedHashMap<>();
        int w = layout.width;
        for (Map.Entry<String, Integer> e : layout.navSlot.entrySet()) {
            int len = layout.navSpec.get(e.getKey()).length();
            int slot = e.getValue();
            float[] v = new float[count * len];
            int row = (int) ((first - from) * w) + slot;
            for (int i = 0; i < count; i++, row += w) System.arraycopy(nav, row, v, i * len, len);
            values.put(e.getKey(), v);
        }
        pm.fitted(stage, first, count, values);
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
