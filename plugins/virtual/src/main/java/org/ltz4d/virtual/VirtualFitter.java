package org.ltz4d.virtual;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ltz4d.api.analysis.BufferSpec;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.FitOutput;
import org.ltz4d.api.analysis.FitSetup;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.analysis.Frame;
import org.ltz4d.api.analysis.FrameProcessor;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.MissingCalibrationException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.osgi.service.component.annotations.Component;

/**
 * {@code virtual}: virtual bright-field ({@code virtual/bf}), annular dark-field
 * ({@code virtual/adf}) and first-ring ({@code virtual/ring}) images — the counts inside each
 * virtual detector per scan position. Run in the same pass as the other fitters, it sums the frame
 * already in memory: three short loops over precomputed row segments, no allocation. The detectors
 * are centred on the direct beam of the run's mean pattern (fixed over the scan) and their radii,
 * unless given, come from that pattern ({@link Geometry}); every map records them in px and, with a
 * detector calibration, in mrad. The mean pattern is read in {@link #setup} only (once per run, on a
 * cluster by its driver); {@code buffers}, {@code processor} and {@code attributes} build from the
 * set-up and read no frame.
 */
@Component(service = Fitter.class)
public class VirtualFitter implements Fitter {
    public static final String NAME = "virtual";
    public static final String BF = "virtual/bf", ADF = "virtual/adf", RING = "virtual/ring";
    /** Centre of mass of the whole frame from the detectors' centre, px (x = column, y = row; detector frame). */
    public static final String COM_X = "virtual/com_x", COM_Y = "virtual/com_y";
    /** Counts inside the user's polygon ({@code virtual-mask-polygon}). */
    public static final String MASK = "virtual/mask";
    /** Σ of every frame (a SIG buffer; ÷ frames is the mean pattern), with {@code virtual-sum-pattern}. */
    public static final String SUM_PATTERN = "virtual/sum_pattern";
    static final String P_BF = "virtual-bf-px";
    static final String P_ADF = "virtual-adf-px";
    static final String P_RING = "virtual-ring-px";
    static final String P_FRAMES = "virtual-mean-frames";
    static final String P_CENTRE = "virtual-centre-px";
    static final String P_MASK = "virtual-mask-polygon";
    static final String P_SUM = "virtual-sum-pattern";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.number(P_BF, "outer radius of the virtual bright-field disk (default: the direct beam's radius "
                        + "in the mean pattern + 1 px)", Unit.PIXEL, null, 0.5, 1e5),
                new ParameterSpec(P_ADF, ParameterSpec.Type.DOUBLE_LIST, "inner,outer radii of the virtual annular dark-field "
                        + "detector (default: 2 × the beam radius + 2 px out to the largest circle inside the detector)",
                        Unit.PIXEL, null, 0, 0, List.of()),
                new ParameterSpec(P_RING, ParameterSpec.Type.DOUBLE_LIST, "inner,outer radii of the first-ring band (default: "
                        + "the half-maximum flanks of the strongest peak of the mean pattern's azimuthal profile beyond the beam)",
                        Unit.PIXEL, null, 0, 0, List.of()),
                ParameterSpec.integer(P_FRAMES, "frames averaged (evenly over the scan) for the mean pattern that places the detectors",
                        64, 1, 100000),
                new ParameterSpec(P_CENTRE, ParameterSpec.Type.DOUBLE_LIST, "x,y of the detectors' centre (column, row) "
                        + "(default: the direct beam of the mean pattern)", Unit.PIXEL, null, 0, 0, List.of()),
                new ParameterSpec(P_MASK, ParameterSpec.Type.DOUBLE_LIST, "x1,y1,x2,y2,... vertices (column, row) of a polygon "
                        + "drawn on the detector: map virtual/mask counts the pixels whose centre lies inside it (even-odd rule)",
                        Unit.PIXEL, null, 0, 0, List.of()),
                ParameterSpec.flag(P_SUM, "also write virtual/sum_pattern, the sum of every frame (÷ frames: the mean pattern)"));
    }

    @Override
    public List<BufferSpec> buffers(FitContext context) {
        List<BufferSpec> out = new java.util.ArrayList<>(List.of(
                BufferSpec.nav(BF, Unit.COUNTS, "counts in the virtual bright-field disk on the direct beam"),
                BufferSpec.nav(ADF, Unit.COUNTS, "counts in the virtual annular dark-field detector"),
                BufferSpec.nav(RING, Unit.COUNTS, "counts in the virtual annulus over the first ring"),
                BufferSpec.nav(COM_X, Unit.PIXEL, "centre of mass of the frame, x (column) from the detectors' centre"),
                BufferSpec.nav(COM_Y, Unit.PIXEL, "centre of mass of the frame, y (row) from the detectors' centre")));
        if (geometry(context).mask != null) out.add(BufferSpec.nav(MASK, Unit.COUNTS, "counts inside the drawn polygon"));
        if (context.parameters().flag(P_SUM)) out.add(BufferSpec.sig(SUM_PATTERN, Unit.COUNTS, "sum of every frame"));
        return out;
    }

    /**
     * The detectors' numbers for the run: from the mean of {@code virtual-mean-frames} frames
     * spread over the scan (the only frames this fitter reads itself), and the user's overrides and
     * polygon. Everything else is built from it.
     */
    @Override
    public FitSetup setup(FitContext context) {
        Parameters p = context.parameters();
        double[] adf = pair(p, P_ADF);
        double[] ring = pair(p, P_RING);
        double[] centre = centre(p);
        double[] override = {p.number(P_BF, Double.NaN), adf[0], adf[1], ring[0], ring[1], centre[0], centre[1]};
        return Geometry.place(context.dataset(), p.integer(P_FRAMES, 64), override, polygon(p));
    }

    /**
     * The run's detectors, built from its set-up ({@link FitContext#setup()}) once per set-up and
     * shared read-only by the processors; reads no frame. A context that carries no set-up of this
     * fitter (a test harness) gets one computed here.
     */
    Geometry geometry(FitContext context) {
        FitSetup s = context.setup();
        if (!s.has(Geometry.S_CENTRE)) s = setup(context);
        int rows = context.sigShape().dim(0), cols = context.sigShape().dim(1);
        java.nio.file.Path source = context.dataset().source();
        Geometry g = s.decoded(Geometry.class, x -> Geometry.of(x, rows, cols, source));
        // (built for the detector it was first asked for; another detector size is checked, and refused, anew)
        return g.rows == rows && g.cols == cols ? g : Geometry.of(s, rows, cols, source);
    }

    private static double[] pair(Parameters p, String name) {
        Optional<double[]> v = p.doubleList(name);
        if (v.isEmpty()) return new double[] {Double.NaN, Double.NaN};
        double[] d = v.get();
        if (d.length != 2 || !(d[0] >= 0) || !(d[1] > d[0]) || !Double.isFinite(d[1])) {
            throw new InvalidParameterException(name, "inner,outer radii in px with 0 ≤ inner < outer", p.string(name).orElse(""));
        }
        return d;
    }

    private static double[] centre(Parameters p) {
        Optional<double[]> v = p.doubleList(P_CENTRE);
        if (v.isEmpty()) return new double[] {Double.NaN, Double.NaN};
        double[] d = v.get();
        if (d.length != 2 || !Double.isFinite(d[0]) || !Double.isFinite(d[1])) {
            throw new InvalidParameterException(P_CENTRE, "x,y of the centre in detector px", p.string(P_CENTRE).orElse(""));
        }
        return d;
    }

    /** The polygon's vertices x1,y1,x2,y2... (empty when none was drawn). */
    static double[] polygon(Parameters p) {
        Optional<double[]> v = p.doubleList(P_MASK);
        if (v.isEmpty()) return new double[0];
        double[] d = v.get();
        boolean finite = java.util.Arrays.stream(d).allMatch(Double::isFinite);
        if (d.length < 6 || d.length % 2 != 0 || !finite) {
            throw new InvalidParameterException(P_MASK, "x1,y1,x2,y2,x3,y3,... (at least three vertices, detector px)",
                    p.string(P_MASK).orElse(""));
        }
        return d;
    }

    @Override
    public FrameProcessor processor(FitContext context) {
        Geometry g = geometry(context);
        int rows = context.sigShape().dim(0), cols = context.sigShape().dim(1);
        boolean mask = g.mask != null;
        boolean sum = context.parameters().flag(P_SUM);
        int[] slots = {context.slot(BF), context.slot(ADF), context.slot(RING), context.slot(COM_X), context.slot(COM_Y),
            mask ? context.slot(MASK) : -1, sum ? 5 + (mask ? 1 : 0) : -1};
        return new Processor(g, rows, cols, slots, context.dataset());
    }

    @Override
    public Map<String, Map<String, Object>> attributes(FitContext context) {
        Geometry g = geometry(context);
        double mrad = context.calibration().detectorPixel().isPresent()
                ? mradPerPixel(context) : Double.NaN;
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        out.put(BF, radii(g, mrad, 0, g.bfOuter, g.bf));
        out.put(ADF, radii(g, mrad, g.adfInner, g.adfOuter, g.adf));
        out.put(RING, radii(g, mrad, g.ringInner, g.ringOuter, g.ring));
        for (String com : List.of(COM_X, COM_Y)) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("centre_x_px", g.cx);
            a.put("centre_y_px", g.cy);
            if (Double.isFinite(mrad)) a.put("mrad_per_px", mrad);
            a.put("definition", "Σ(v·x)/Σv (or y) over every detector pixel, minus the centre; x = column, y = row, in the "
                    + "detector frame (not rotated to the scan); NaN when Σv ≤ 0. × mrad_per_px gives the deflection in mrad");
            out.put(com, a);
        }
        if (g.mask != null) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("polygon_px", g.polygon);
            a.put("pixels", Geometry.pixels(g.mask));
            a.put("definition", "counts of the pixels whose centre lies inside the polygon (x = column, y = row; even-odd rule)");
            out.put(MASK, a);
        }
        return out;
    }

    private static double mradPerPixel(FitContext context) {
        try {
            return context.calibration().requireMradPerPixel("virtual detector radii");
        } catch (MissingCalibrationException e) {
            return Double.NaN; // a reciprocal-space calibration without the beam energy: radii in px only
        }
    }

    private static Map<String, Object> radii(Geometry g, double mrad, double inner, double outer, int[] seg) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("inner_radius_px", inner);
        a.put("outer_radius_px", outer);
        if (Double.isFinite(mrad)) {
            a.put("inner_radius_mrad", inner * mrad);
            a.put("outer_radius_mrad", outer * mrad);
        }
        a.put("centre_x_px", g.cx);
        a.put("centre_y_px", g.cy);
        a.put("pixels", Geometry.pixels(seg));
        a.put("mean_pattern_frames", g.meanFrames);
        a.put("beam_radius_px", g.beamRadius);
        a.put("ring_radius_px", g.ringRadius);
        a.put("definition", "counts of the pixels whose centre lies at inner ≤ r < outer from the centre (the direct beam "
                + "of the mean pattern)");
        return a;
    }

    /** Per-thread hot path: sums over precomputed row segments and one pass for the centre of mass, no allocation. */
    static final class Processor implements FrameProcessor {
        private final int[] bf, adf, ring, mask;
        private final int rows, cols, sBf, sAdf, sRing, sComX, sComY, sMask, bSum;
        private final double cx, cy;
        private final Dataset dataset;

        /** {@code slots}: bf, adf, ring, com_x, com_y, mask (−1: none) NAV slots and the sum pattern's buffer (−1: none). */
        Processor(Geometry g, int rows, int cols, int[] slots, Dataset dataset) {
            this.bf = g.bf;
            this.adf = g.adf;
            this.ring = g.ring;
            this.mask = g.mask;
            this.cx = g.cx;
            this.cy = g.cy;
            this.rows = rows;
            this.cols = cols;
            this.sBf = slots[0];
            this.sAdf = slots[1];
            this.sRing = slots[2];
            this.sComX = slots[3];
            this.sComY = slots[4];
            this.sMask = slots[5];
            this.bSum = slots[6];
            this.dataset = dataset;
        }

        @Override
        public void process(Frame frame, FitOutput out) {
            if (frame.height() != rows || frame.width() != cols) {
                throw new ShapeMismatchException(dataset.source(), "frame " + frame.index(), rows + "×" + cols + " detector pixels",
                        frame.height() + "×" + frame.width());
            }
            float[] d = frame.data();
            int off = frame.offset();
            if (bf.length > 0) out.set(sBf, (float) Geometry.sum(d, off, bf));
            if (adf.length > 0) out.set(sAdf, (float) Geometry.sum(d, off, adf));
            if (ring.length > 0) out.set(sRing, (float) Geometry.sum(d, off, ring));
            if (mask != null) out.set(sMask, (float) Geometry.sum(d, off, mask));
            double[] total = bSum >= 0 ? out.partial(bSum) : null;
            double s = 0, sx = 0, sy = 0;
            for (int r = 0; r < rows; r++) {
                int o = off + r * cols;
                float rs = 0, rx = 0;
                if (total == null) {
                    for (int c = 0; c < cols; c++) {
                        float v = d[o + c];
                        rs += v;
                        rx += v * c;
                    }
                } else {
                    int t = r * cols;
                    for (int c = 0; c < cols; c++) {
                        float v = d[o + c];
                        rs += v;
                        rx += v * c;
                        total[t + c] += v;
                    }
                }
                s += rs;
                sx += rx;
                sy += (double) rs * r;
            }
            out.set(sComX, s > 0 ? (float) (sx / s - cx) : Float.NaN);
            out.set(sComY, s > 0 ? (float) (sy / s - cy) : Float.NaN);
        }
    }
}
