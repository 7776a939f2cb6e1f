package org.ltz4d.crystalline;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.ltz4d.api.analysis.BufferSpec;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.FitOutput;
import org.ltz4d.api.analysis.FitSetup;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.analysis.Frame;
import org.ltz4d.api.analysis.FrameProcessor;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.Ltz4dException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.osgi.service.component.annotations.Component;

/**
 * {@code disks}: Bragg disks per pattern (cross-correlation with a probe template, peaks with a
 * minimum spacing and relative intensity, Poisson maximum-likelihood sub-pixel refinement) and the
 * lattice fit in the same pass: disks indexed on (origin, g1, g2) — the basis found on the mean of
 * sampled frames, or given with {@code --g1 x,y --g2 x,y} — and a weighted least-squares fit per
 * pattern. The lattice origin (the (0,0) disk as the whole lattice places it) is also written as
 * {@code beam/center_x|y} for the B deriver {@code magnetic-beam}.
 */
@Component(service = Fitter.class)
public class DiskFitter implements Fitter {
    public static final String NAME = "disks";
    public static final String P_PROBE = "probe";
    public static final String P_RADIUS = "disk-radius-px";
    public static final String P_EDGE = "disk-edge-px";
    public static final String P_SPACING = "min-spacing-px";
    public static final String P_REL = "min-relative-intensity";
    public static final String P_SIGMA = "min-significance";
    public static final String P_MAX = "max-disks";
    public static final String P_G1 = "g1";
    public static final String P_G2 = "g2";
    public static final String P_SAMPLE = "sample-frames";
    public static final String P_MODEL = "disk-model";
    public static final String P_GAIN = "counts-per-electron";
    public static final String P_REFLECTIONS = "reflections";
    public static final String P_ROW_MEMORY = "row-memory";
    /** Margin (px) of {@code --reflections circle} inside the frame, for the beam's shift across the scan. */
    static final double CIRCLE_MARGIN = 3;

    public static final String G1X = "lattice/g1x", G1Y = "lattice/g1y", G2X = "lattice/g2x", G2Y = "lattice/g2y";
    public static final String OX = "lattice/origin_x", OY = "lattice/origin_y";
    public static final String BX = "beam/center_x", BY = "beam/center_y";
    public static final String NDISKS = "lattice/n_disks", MASK = "fit/mask", CHI2 = "fit/chi2_reduced";
    public static final String THRESHOLD = "fit/disk_threshold_sigma";

    /** Index tolerance as a fraction of the shortest |g|. */
    static final double INDEX_TOL = 0.2;

    /** Set-ups computed here for a context that brought none (an engine of API 1.4, a caller of {@link #processor} alone). */
    private final IdentityCache<FitContext, FitSetup> ownSetups = new IdentityCache<>(2);
    /** The run's row memory (null without {@code --row-memory}), shared by its workers' processors, by context identity. */
    private final IdentityCache<FitContext, RowMemory> rowMemories = new IdentityCache<>(4);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.file(P_PROBE, "probe template: a .npy vacuum / direct-beam pattern (a stack is averaged); default a synthetic disk"),
                ParameterSpec.number(P_RADIUS, "radius of the synthetic disk template; default from the mean pattern's direct beam", Unit.PIXEL, null, 0.6, 1000),
                ParameterSpec.number(P_EDGE, "edge width σ of the disk model (Gaussian blur of the rim)", Unit.PIXEL, 1.0, 0.1, 50),
                ParameterSpec.number(P_SPACING, "minimum distance between two disks; default 2·radius + 2", Unit.PIXEL, null, 1, 10000),
                ParameterSpec.number(P_REL, "optional override: keep only correlation peaks above this fraction of the strongest (the direct beam) "
                        + "instead of the automatic significance threshold", Unit.DIMENSIONLESS, null, 0, 1),
                ParameterSpec.number(P_SIGMA, "significance a correlation peak needs to be a disk: its template match in standard deviations "
                        + "of the match's own counting noise (Poisson, scaled by the data's measured variance/mean)",
                        Unit.DIMENSIONLESS, DiskFinder.Z_MIN, 1, 1e6),
                ParameterSpec.integer(P_MAX, "maximum number of disks per pattern", 64, 3, 1000),
                new ParameterSpec(P_G1, ParameterSpec.Type.DOUBLE_LIST, "first reciprocal basis vector x,y; default found on the mean pattern", Unit.PIXEL, null, 0, 0, List.of()),
                new ParameterSpec(P_G2, ParameterSpec.Type.DOUBLE_LIST, "second reciprocal basis vector x,y; default found on the mean pattern", Unit.PIXEL, null, 0, 0, List.of()),
                ParameterSpec.choice(P_MODEL, "disk model of the sub-pixel fit: uniform disk, or gradient: with an inner profile, a linear intensity "
                        + "gradient and a quadratic (real CBED disks with inner contrast: tilt, rocking-curve bands); auto: gradient when, with the uniform model, sampled patterns' disks scatter about their lattice "
                        + "by more than " + (int) CHI2_GRADIENT + "× their counting variance (median reduced χ²)", "auto", "auto", "uniform", "gradient"),
                ParameterSpec.number(P_GAIN, "detector counts per electron (1 for a counting detector): the disk significance assumes Poisson "
                        + "electrons, so the counts' variance is this times their mean", Unit.DIMENSIONLESS, 1.0, 1e-6, 1e6),
                ParameterSpec.integer(P_SAMPLE, "frames sampled for the mean pattern at set-up", 64, 1, 100000),
                ParameterSpec.choice(P_REFLECTIONS, "reflections of the lattice fit: all disks found (the most precise), or circle: only the "
                        + "reflections within the largest circle about the direct beam that the frame holds — the same reflections in every grain "
                        + "whatever its turn, so that their systematic centre errors (inner contrast the disk model does not take up) cancel "
                        + "against the reference; for high-dose scans, where those errors exceed the counting noise", "all", "all", "circle"),
                ParameterSpec.flag(P_ROW_MEMORY, "faster, but results depend on thread timing: when tracking from the previous pattern "
                        + "fails, start from the pattern one row above if some worker has already analysed it (else the full search); a "
                        + "position's fit may then start from another state and end up to ~1 σ (its own counting noise) apart, "
                        + "or, at a grain boundary, with the other grain's labels, from run to run and with the thread count; "
                        + "off (the default), the maps are identical for any threads and block size"));
    }

    @Override
    public List<BufferSpec> buffers(FitContext context) {
        return List.of(
                BufferSpec.nav(G1X, Unit.PIXEL, "x of reciprocal basis vector g1"),
                BufferSpec.nav(G1Y, Unit.PIXEL, "y of reciprocal basis vector g1"),
                BufferSpec.nav(G2X, Unit.PIXEL, "x of reciprocal basis vector g2"),
                BufferSpec.nav(G2Y, Unit.PIXEL, "y of reciprocal basis vector g2"),
                BufferSpec.nav(OX, Unit.PIXEL, "x of the lattice origin (the (0,0) disk as placed by the fitted lattice)"),
                BufferSpec.nav(OY, Unit.PIXEL, "y of the lattice origin"),
                BufferSpec.nav(BX, Unit.PIXEL, "direct-beam (lattice-centre) x"),
                BufferSpec.nav(BY, Unit.PIXEL, "direct-beam (lattice-centre) y"),
                BufferSpec.nav(NDISKS, Unit.DIMENSIONLESS, "number of disks indexed and fitted"),
                BufferSpec.nav(MASK, Unit.DIMENSIONLESS, "1 where the lattice fit failed (values NaN), else 0"),
                BufferSpec.nav(CHI2, Unit.DIMENSIONLESS, "reduced χ² of the disk centres against the fitted lattice"),
                BufferSpec.single(THRESHOLD, 3, Unit.DIMENSIONLESS, "disk detection: [0] significance threshold of a disk's template match "
                        + "(standard deviations of its counting noise), [1] counts per electron assumed, [2] disk model (0 uniform, 1 gradient)"));
    }

    /** Index of the SINGLE buffer {@link #THRESHOLD} in {@link #buffers}. */
    static final int THRESHOLD_BUFFER = 11;

    /** The detection record is the same in every worker: merging keeps it (max), never sums it. */
    @Override
    public void merge(BufferSpec buffer, double[] target, double[] source) {
        if (buffer.name().equals(THRESHOLD)) {
            for (int i = 0; i < target.length; i++) target[i] = Math.max(target[i], source[i]);
        } else {
            Fitter.super.merge(buffer, target, source);
        }
    }

    /**
     * Run-wide set-up: template, disk model, seed lattice {ox, oy, g1x, g1y, g2x, g2y}, limits. Everything in it
     * that came from frames or files travels as a {@link FitSetup} ({@link #toFitSetup}, {@link #from}); the FFT
     * spectrum of the template and the disk model's tables are rebuilt from those numbers, bit for bit.
     */
    record Setup(Template template, double minSpacing, double minRelative, double minSigma, int maxDisks, double[] seed, boolean gradient,
            double noiseFactor, ContrastLabels labels, double circle, int navCols) {
        DiskFinder finder() {
            DiskFinder f = new DiskFinder(template, minSpacing, minRelative, minSigma, maxDisks);
            f.gradient = gradient;
            f.noiseFactor = noiseFactor;
            return f;
        }

        /** This set-up as plain numbers (see the README's "Set-up" for what each holds). */
        FitSetup toFitSetup() {
            FitSetup.Builder b = FitSetup.builder()
                    .put(K_LAYOUT, SETUP_LAYOUT)
                    .put(K_FRAME, template.h, template.w)
                    .put(K_DISK, template.model.radius, template.model.edge);
            if (template.probe != null) b.put(K_PROBE, template.probe);
            b.put(K_SPACING, minSpacing).put(K_REL, minRelative).put(K_SIGMA, minSigma).put(K_MAX, maxDisks).put(K_SEED, seed)
                    .put(K_GRADIENT, gradient).put(K_GAIN, noiseFactor).put(K_CIRCLE, circle).put(K_NAV_COLS, navCols);
            if (labels != null) labels.put(b);
            return b.build();
        }

        /**
         * The set-up {@link #toFitSetup} encoded, for frames of {@code sig} of the dataset {@code source}: the same
         * numbers, the template and disk model rebuilt from them. Reads no frame and no file.
         */
        static Setup from(FitSetup s, Path source, org.ltz4d.api.data.Shape sig) {
            double layout = s.has(K_LAYOUT) ? s.value(K_LAYOUT) : Double.NaN;
            if (layout != SETUP_LAYOUT) {
                throw new Ltz4dException("the set-up of fitter '" + NAME + "' for " + source + " has layout " + layout + ", this version reads layout "
                        + SETUP_LAYOUT + " (was it computed by another version of the plugin?)");
            }
            int h = sig.rows(), w = sig.cols();
            double[] frame = values(s, K_FRAME, 2);
            if (frame[0] != h || frame[1] != w) {
                throw new ShapeMismatchException(source, "frame shape", "the frames the set-up was computed for, "
                        + java.util.Arrays.toString(frame) + " px", h + "×" + w + " px");
            }
            double[] disk = values(s, K_DISK, 2);
            DiskModel m = new DiskModel(disk[0], disk[1]);
            Template t = s.has(K_PROBE) ? Template.fromTemplate(h, w, s.floats(K_PROBE), m) : Template.synthetic(h, w, m);
            double[] seed = values(s, K_SEED, 6);
            return new Setup(t, s.value(K_SPACING), s.value(K_REL), s.value(K_SIGMA), (int) s.value(K_MAX), seed, s.flag(K_GRADIENT),
                    s.value(K_GAIN), ContrastLabels.from(s), s.value(K_CIRCLE), (int) s.value(K_NAV_COLS));
        }

        private static double[] values(FitSetup s, String name, int n) {
            double[] v = s.values(name);
            if (v.length != n) throw new Ltz4dException("set-up value '" + name + "' holds " + v.length + " values, expected " + n);
            return v;
        }
    }

    /** Layout of the set-up's values (below); a set-up of another layout is refused. */
    static final int SETUP_LAYOUT = 1;
    /** Names of the set-up's values. */
    static final String K_LAYOUT = "layout", K_FRAME = "frame_rows_cols_px", K_DISK = "disk_radius_edge_px", K_PROBE = "probe_template",
            K_SPACING = "min_spacing_px", K_REL = "min_relative_intensity", K_SIGMA = "min_significance_sigma", K_MAX = "max_disks",
            K_SEED = "seed_origin_g1_g2_px", K_GRADIENT = "gradient_model", K_GAIN = "counts_per_electron", K_CIRCLE = "circle_radius_px",
            K_NAV_COLS = "row_memory_columns";

    /**
     * Everything the fit needs from the data, read here only: the mean of {@code --sample-frames} frames (direct-beam
     * radius, seed lattice), the probe file, the disk-model decision of {@code --disk-model auto} and the contrast
     * signature of sampled frames. Processors build from it alone.
     */
    @Override
    public FitSetup setup(FitContext context) {
        return createSetup(context.dataset(), context.parameters()).toFitSetup();
    }

    /**
     * The run's set-up, decoded once per {@link FitContext#setup()} object. A context that brings none (an engine of
     * API 1.4, a caller of {@link #processor} alone) gets one computed here, once per context.
     */
    Setup diskSetup(FitContext ctx) {
        FitSetup fs = ctx.setup();
        if (fs.isEmpty()) fs = ownSetups.get(ctx, this::setup);
        return fs.decoded(Setup.class, k -> Setup.from(k, ctx.dataset().source(), ctx.sigShape()));
    }

    static Setup createSetup(Dataset ds, Parameters p) {
        int h = ds.sigShape().rows(), w = ds.sigShape().cols();
        float[] mean = meanPattern(ds, p.integer(P_SAMPLE, 64));
        double phi = p.positive(P_GAIN, 1);
        Optional<Path> probe = p.existingFile(P_PROBE);
        Template t;
        if (probe.isPresent()) {
            Npy.Image im = Npy.readMean(probe.get());
            try {
                t = Template.fromProbe(h, w, im.data(), im.rows(), im.cols());
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(probe.get(), "probe pattern", "a bright disk (vacuum / direct beam)", e.getMessage());
            }
        } else {
            double r = p.has(P_RADIUS) ? p.positive(P_RADIUS, 1) : estimateRadius(mean, h, w);
            t = Template.synthetic(h, w, new DiskModel(r, p.positive(P_EDGE, 1.0)));
        }
        double radius = t.model.radius;
        double spacing = p.has(P_SPACING) ? p.positive(P_SPACING, 1) : 2 * radius + 2;
        double rel = p.number(P_REL, Double.NaN);
        if (p.has(P_REL) && !(rel >= 0 && rel <= 1)) throw new InvalidParameterException(P_REL, "a number in [0, 1]", Double.toString(rel));
        double sig = p.number(P_SIGMA, Double.NaN);
        if (p.has(P_SIGMA) && !(sig >= 1)) throw new InvalidParameterException(P_SIGMA, "a significance ≥ 1 (Poisson σ)", Double.toString(sig));
        int max = p.integer(P_MAX, 64);
        String model = p.choice(P_MODEL, "auto", "auto", "uniform", "gradient");
        // the mean of k frames has 1/k of a frame's variance: treating it as one frame's counts understates its
        // significance by √k, which only makes the set-up search stricter
        DiskFinder f = new Setup(t, spacing, rel, sig, max, null, false, phi, null, 0, 0).finder();
        int n = f.find(mean, 0);
        String rule = p.has(P_REL) ? "above " + rel + " of the strongest peak" : "with a template match above the pattern's noise (z ≥ "
                + String.format(java.util.Locale.ROOT, "%.1f", f.threshold) + ")";
        if (n == 0) throw new InvalidInputException(ds.source(), "mean pattern", "at least one disk " + rule, "none");
        int origin = 0;
        for (int i = 1; i < n; i++) if (f.amp[i] > f.amp[origin]) origin = i;
        double[] g;
        Optional<double[]> g1 = p.doubleList(P_G1), g2 = p.doubleList(P_G2);
        if (g1.isPresent() || g2.isPresent()) {
            if (g1.isEmpty() || g1.get().length != 2) throw new InvalidParameterException(P_G1, "x,y in px (with --g2)", g1.map(java.util.Arrays::toString).orElse(null));
            if (g2.isEmpty() || g2.get().length != 2) throw new InvalidParameterException(P_G2, "x,y in px (with --g1)", g2.map(java.util.Arrays::toString).orElse(null));
            g = new double[] {g1.get()[0], g1.get()[1], g2.get()[0], g2.get()[1]};
            if (Math.abs(Lattice2.det(g)) < 1e-6) throw new InvalidParameterException(P_G2, "a vector not parallel to g1", java.util.Arrays.toString(g2.get()));
        } else {
            g = Lattice2.detect(f.x, f.y, n, origin, 0.5 * spacing);
            if (g == null) throw new InvalidInputException(ds.source(), "mean pattern", "disks of two independent lattice directions "
                    + rule + " (or give --g1 x,y --g2 x,y)", n + " disks");
            g = Lattice2.closestEquivalent(g, g); // the acute form: the labels every pattern's basis is given
        }
        double[] seed = {f.x[origin], f.y[origin], g[0], g[1], g[2], g[3]};
        // refine the seed on the mean pattern; its basis keeps the labels of the unrefined one (the mean of a scan
        // over several grains holds disks of all of them, which can pull the refined basis off the lattice's metric)
        LatticeFit lf = new LatticeFit(max);
        if (lf.index(f, seed, INDEX_TOL) >= 3 && lf.solve(f)) {
            double[] refined = lf.p.clone();
            double[] lab = Lattice2.closestEquivalent(new double[] {refined[2], refined[3], refined[4], refined[5]}, g);
            double dev = 0;
            for (int i = 0; i < 4; i++) dev = Math.max(dev, Math.abs(lab[i] - g[i]));
            if (dev < 0.05 * Math.min(Math.hypot(g[0], g[1]), Math.hypot(g[2], g[3]))) seed = refined;
        }
        // --reflections circle: the reflections within the largest circle about the origin that stays inside the frame
        double circle = p.choice(P_REFLECTIONS, "all", "all", "circle").equals("circle")
                ? Math.min(Math.min(seed[0], seed[1]), Math.min(w - 1 - seed[0], h - 1 - seed[1])) - (radius + 4 * t.model.edge + 1) - CIRCLE_MARGIN
                : 0;
        if (p.has(P_REFLECTIONS) && circle < 0) circle = 0;
        // the row length of the scan, for tracking from the pattern above (up to ROW_MEMORY columns); only with
        // --row-memory: whether the pattern above has been analysed yet depends on the workers' timing
        int cols = p.flag(P_ROW_MEMORY) && ds.navShape().cols() <= ROW_MEMORY ? ds.navShape().cols() : 0;
        Setup uniform = new Setup(t, spacing, rel, sig, max, seed, false, phi, null, circle, cols);
        boolean gradient = model.equals("gradient") || model.equals("auto") && medianChi2(ds, uniform, AUTO_FRAMES) > CHI2_GRADIENT;
        if (!gradient) return uniform;
        Setup grad = new Setup(t, spacing, rel, sig, max, seed, true, phi, null, circle, cols);
        // the set-up grain's inner contrast per reflection: labels turned grains by their reflections, not the closest turn
        return new Setup(t, spacing, rel, sig, max, seed, true, phi, ContrastLabels.build(ds, grad, p.integer(P_SAMPLE, 64)), circle, cols);
    }

    /** Longest scan row whose patterns' disks are kept for tracking the next row (per worker: columns × disks × 9 doubles). */
    static final int ROW_MEMORY = 4096;

    /** {@code --disk-model auto} takes the gradient model above this median reduced χ² of the uniform model. */
    static final double CHI2_GRADIENT = 3;
    /** Frames {@code --disk-model auto} looks at. */
    static final int AUTO_FRAMES = 8;

    /** Median reduced χ² of the lattice fits of up to {@code count} frames spread over the scan; NaN when none fits. */
    static double medianChi2(Dataset ds, Setup s, int count) {
        long total = ds.frameCount();
        int k = (int) Math.min(total, count);
        float[] one = new float[ds.framePixels()];
        double[] chi = new double[k];
        int m = 0;
        Processor proc = new Processor(s, new int[12]);
        for (int i = 0; i < k; i++) {
            long f = k == 1 ? 0 : Math.round(i * (total - 1) / (double) (k - 1));
            ds.readFrames(f, 1, one, 0);
            if (proc.analyse(one, 0) && Double.isFinite(proc.fit.chi2Reduced)) chi[m++] = proc.fit.chi2Reduced;
        }
        if (m == 0) return Double.NaN;
        java.util.Arrays.sort(chi, 0, m);
        return chi[m / 2];
    }

    /** The mean of up to {@code count} frames spread evenly over the scan. */
    static float[] meanPattern(Dataset ds, int count) {
        long total = ds.frameCount();
        int np = ds.framePixels();
        int k = (int) Math.min(total, Math.max(1, count));
        float[] one = new float[np];
        double[] acc = new double[np];
        for (int i = 0; i < k; i++) {
            long f = k == 1 ? 0 : Math.round(i * (total - 1) / (double) (k - 1));
            ds.readFrames(f, 1, one, 0);
            for (int j = 0; j < np; j++) acc[j] += one[j];
        }
        float[] out = new float[np];
        for (int j = 0; j < np; j++) out[j] = (float) (acc[j] / k);
        return out;
    }

    /** Direct-beam radius from the area above half of the maximum near the brightest pixel. */
    static double estimateRadius(float[] img, int h, int w) {
        int am = 0;
        for (int i = 1; i < img.length; i++) if (img[i] > img[am]) am = i;
        int r0 = am / w, c0 = am % w;
        // background: median-like low level from the frame's 20th percentile estimate via mean of lower half
        double sum = 0;
        for (float v : img) sum += v;
        double bg = Math.min(sum / img.length, img[am]);
        double half = bg + 0.5 * (img[am] - bg);
        int cnt = 0;
        int reach = Math.min(h, w) / 4;
        for (int r = Math.max(0, r0 - reach); r < Math.min(h, r0 + reach); r++) {
            for (int c = Math.max(0, c0 - reach); c < Math.min(w, c0 + reach); c++) if (img[r * w + c] > half) cnt++;
        }
        return Math.max(1.0, Math.sqrt(cnt / Math.PI));
    }

    @Override
    public FrameProcessor processor(FitContext context) {
        Setup s = diskSetup(context);
        RowMemory rows = rowMemories.get(context, c -> s.navCols() > 1 ? new RowMemory(s.navCols(), s.maxDisks(), s.gradient()) : null);
        int[] slots = new int[12];
        String[] names = {G1X, G1Y, G2X, G2Y, OX, OY, BX, BY, NDISKS, MASK, CHI2};
        for (int i = 0; i < names.length; i++) slots[i] = context.slot(names[i]);
        slots[11] = THRESHOLD_BUFFER;
        return new Processor(s, slots, rows);
    }

    /** One worker's processor: its own FFT plan, disk finder and lattice fit. */
    static final class Processor implements FrameProcessor {
        private final Setup s;
        private final int[] slots;
        private final RowMemory rows;
        final DiskFinder finder;
        final LatticeFit fit;
        private final double[] seed = new double[6];
        private final double[] ref4 = new double[4];
        private boolean haveSeed;
        /** Tracking on (the default); off, every pattern takes the full search (benchmark of that path). */
        boolean tracking = true;
        /** Patterns that took the full search (benchmark diagnostics). */
        long searches;

        Processor(Setup s, int[] slots) {
            this(s, slots, s.navCols() > 1 ? new RowMemory(s.navCols(), s.maxDisks(), s.gradient()) : null);
        }

        /** With the run's {@link RowMemory} shared by all workers (null: tracking from the previous pattern only). */
        Processor(Setup s, int[] slots, RowMemory rows) {
            this.s = s;
            this.rows = rows;
            trackH = new int[s.maxDisks()];
            trackK = new int[s.maxDisks()];
            trackProfile = new double[s.maxDisks() * DiskFinder.NL];
            this.slots = slots;
            this.finder = s.finder();
            this.fit = new LatticeFit(s.maxDisks());
            double[] sb = java.util.Arrays.copyOfRange(s.seed(), 2, 6);
            System.arraycopy(Lattice2.closestEquivalent(sb, sb), 0, ref4, 0, 4); // the labels, in their acute form
            if (s.circle() > 0) {
                fit.maxRadius2 = s.circle() * s.circle();
                fit.m11 = ref4[0] * ref4[0] + ref4[1] * ref4[1];
                fit.m12 = ref4[0] * ref4[2] + ref4[1] * ref4[3];
                fit.m22 = ref4[2] * ref4[2] + ref4[3] * ref4[3];
            }
        }

        @Override
        public void process(Frame frame, FitOutput out) {
            if (frame.height() != finder.h || frame.width() != finder.w) {
                throw new IllegalStateException("frame " + frame.index() + " is " + frame.height() + "×" + frame.width()
                        + ", the disk template " + finder.h + "×" + finder.w);
            }
            boolean ok = analyse(frame.data(), frame.offset(), frame.index());
            if (ok) {
                double[] p = fit.p;
                out.set(slots[0], (float) p[2]);
                out.set(slots[1], (float) p[3]);
                out.set(slots[2], (float) p[4]);
                out.set(slots[3], (float) p[5]);
                out.set(slots[4], (float) p[0]);
                out.set(slots[5], (float) p[1]);
                out.set(slots[6], (float) p[0]);
                out.set(slots[7], (float) p[1]);
                out.set(slots[10], (float) fit.chi2Reduced);
            }
            out.set(slots[8], ok ? fit.indexed : 0);
            out.set(slots[9], ok ? 0 : 1);
            double[] det = out.partial(slots[11]);
            det[0] = finder.threshold;
            det[1] = finder.noiseFactor;
            det[2] = finder.gradient ? 1 : 0;
        }

        /** Finds the disks and fits the lattice; the result is in {@link #fit}. */
        boolean analyse(float[] data, int off) {
            return analyse(data, off, -1);
        }

        /**
         * As {@link #analyse(float[], int)} for scan position {@code index} (−1: unknown). Tracking starts from the
         * previous pattern; when that fails (a new grain, the start of a row), with {@code --row-memory} from the pattern
         * one row above, which the scan visited a row earlier (a grain boundary crossed along the row is usually not
         * crossed between rows), if a worker has analysed it yet; the full search runs only when both fail. Without
         * {@code --row-memory} (the default) the result depends only on the frames of the engine's group.
         */
        boolean analyse(float[] data, int off, long index) {
            if (tracking && (haveSeed && track(data, off) || fromRowAbove(index) && track(data, off)) && contrastLabels(finder.n)) {
                System.arraycopy(fit.p, 0, seed, 0, 6);
                remember();
                keepForNextRow(index);
                return true;
            }
            searches++;
            int n = finder.find(data, off);
            if (n < 3) {
                haveSeed = false;
                return false;
            }
            double[] start = haveSeed ? seed : s.seed();
            boolean ok = tryFit(start, n);
            if (!ok && haveSeed) ok = tryFit(s.seed(), n);
            if (!ok) ok = redetect(n);
            if (ok) ok = canonical(n);
            if (ok) {
                System.arraycopy(fit.p, 0, seed, 0, 6);
                haveSeed = true;
                remember();
                searchedCount = trackCount;
                keepForNextRow(index);
            } else {
                haveSeed = false;
            }
            return ok;
        }

        private boolean tryFit(double[] start, int n) {
            int cnt = fit.index(finder, start, INDEX_TOL);
            if (cnt < 3 || cnt < 0.6 * Math.min(n, fit.inCircle)) return false;
            if (!fit.solve(finder)) return false;
            // re-index on the fitted lattice and solve again
            double[] p = fit.p;
            double o0 = p[0], o1 = p[1], a = p[2], b = p[3], c = p[4], d = p[5];
            seedTmp[0] = o0; seedTmp[1] = o1; seedTmp[2] = a; seedTmp[3] = b; seedTmp[4] = c; seedTmp[5] = d;
            if (fit.index(finder, seedTmp, INDEX_TOL) < 3) return false;
            return fit.solve(finder);
        }

        private final double[] seedTmp = new double[6];
        private final int[] trackH;
        private final int[] trackK;
        /** The tracked disks' intensity terms (gradient model), the next pattern's start. */
        private final double[] trackProfile;
        private int trackCount;
        private int searchedCount;

        private void keepForNextRow(long index) {
            if (index < 0 || rows == null) return;
            rows.put(index, seed, trackH, trackK, trackProfile, trackCount, searchedCount);
        }

        private final int[] rowCounts = new int[2];

        /** Loads the tracking state of the pattern one row above {@code index}; false when no worker has analysed it. */
        private boolean fromRowAbove(long index) {
            if (index < 0 || rows == null) return false;
            if (!rows.above(index, seed, trackH, trackK, trackProfile, rowCounts)) return false;
            trackCount = rowCounts[0];
            searchedCount = rowCounts[1];
            return true;
        }

        private void remember() {
            int k = 0;
            for (int i = 0; i < finder.n; i++) {
                if (!fit.used[i]) continue;
                trackH[k] = fit.hi[i];
                trackK[k] = fit.ki[i];
                if (s.gradient()) System.arraycopy(finder.profile, i * DiskFinder.NL, trackProfile, k * DiskFinder.NL, DiskFinder.NL);
                k++;
            }
            trackCount = k;
        }

        /**
         * Tracking: the previous pattern's indexed disks, predicted from its lattice, refined
         * directly (no correlation, no peak search). Accepted only when at least 90 % of the disks
         * of the last searched pattern are refined and all index on the new lattice; otherwise the
         * full search runs (new grain, lost disks, jumps).
         */
        private boolean track(float[] data, int off) {
            int np = trackCount;
            if (np < 3) return false;
            double lim = 0.5 * finder.model().radius;
            int k = 0;
            // more misses than 10 % of the searched pattern's disks allow: another grain, give up early
            int misses = 0, allowed = np - (int) Math.ceil(0.9 * searchedCount);
            for (int j = 0; j < np && misses <= allowed; j++) {
                double px = seed[0] + trackH[j] * seed[2] + trackK[j] * seed[4];
                double py = seed[1] + trackH[j] * seed[3] + trackK[j] * seed[5];
                if (px < 0 || py < 0 || px > finder.w - 1 || py > finder.h - 1) continue;
                if (finder.refine(data, off, px, py, k, s.gradient() ? trackProfile : null, j * DiskFinder.NL) && Math.hypot(finder.x[k] - px, finder.y[k] - py) < lim) {
                    k++;
                } else {
                    misses++;
                }
            }
            finder.n = k;
            if (k < 3 || k < 0.9 * searchedCount) return false;
            if (!tryFit(seed, k)) return false;
            return fit.indexed == k;
        }

        /**
         * Labels every searched pattern's basis like the set-up basis (the symmetry-equivalent basis with its
         * metric closest to it): a fit seeded by a neighbour of another grain may have come out with another
         * equivalent basis, and the labels then travel on through tracking. Allocates, on the search path only.
         */
        private boolean canonical(int n) {
            double[] p = fit.p;
            double[] lab = Lattice2.closestEquivalent(new double[] {p[2], p[3], p[4], p[5]}, ref4);
            double d = 0;
            for (int i = 0; i < 4; i++) d = Math.max(d, Math.abs(lab[i] - p[2 + i]));
            if (d >= 1e-6 && !tryFit(new double[] {p[0], p[1], lab[0], lab[1], lab[2], lab[3]}, n)) return false;
            return contrastLabels(n);
        }

        /**
         * The contrast labels on a tracked pattern too: a grain turned by a lattice symmetry (60° for
         * hexagonal) from its neighbour has its disks at the same places, so tracking crosses into it
         * with the neighbour's labels; its inner contrast tells. False when the relabelled fit fails.
         */
        private boolean contrastLabels(int n) {
            if (s.labels() == null) return true;
            double[] byContrast = s.labels().choose(fit.p, fit, finder);
            if (byContrast == null) return true;
            return tryFit(new double[] {fit.p[0], fit.p[1], byContrast[0], byContrast[1], byContrast[2], byContrast[3]}, n);
        }

        /** New basis from this pattern's own disks (another grain), labelled like the set-up basis. Allocates, but only when indexing fails. */
        private boolean redetect(int n) {
            double[] base = s.seed();
            int origin = 0;
            double best = Double.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                double dd = Lattice2.sq(finder.x[i] - base[0]) + Lattice2.sq(finder.y[i] - base[1]);
                if (dd < best) { best = dd; origin = i; }
            }
            double[] g = Lattice2.detect(finder.x, finder.y, n, origin, 0.5 * s.minSpacing());
            if (g == null) return false;
            g = Lattice2.closestEquivalent(g, ref4);
            double[] st = {finder.x[origin], finder.y[origin], g[0], g[1], g[2], g[3]};
            return tryFit(st, n);
        }
    }
}
