package org.ltz4d.virtual;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import org.ltz4d.api.analysis.BufferSpec;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.FitOutput;
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
 * detector calibration, in mrad.
 */
@Component(service = Fitter.class)
public class VirtualFitter implements Fitter {
    public static final String NAME = "virtual";
    public static final String BF = "virtual/bf", ADF = "virtual/adf", RING = "virtual/ring";
    static final String P_BF = "virtual-bf-px";
    static final String P_ADF = "virtual-adf-px";
    static final String P_RING = "virtual-ring-px";
    static final String P_FRAMES = "virtual-mean-frames";

    private final Map<Dataset, Map<List<Object>, Geometry>> geometries = new WeakHashMap<>();

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
                        64, 1, 100000));
    }

    @Override
    public List<BufferSpec> buffers(FitContext context) {
        return List.of(BufferSpec.nav(BF, Unit.COUNTS, "counts in the virtual bright-field disk on the direct beam"),
                BufferSpec.nav(ADF, Unit.COUNTS, "counts in the virtual annular dark-field detector"),
                BufferSpec.nav(RING, Unit.COUNTS, "counts in the virtual annulus over the first ring"));
    }

    /** The run's detectors, computed once per dataset and parameters. */
    Geometry geometry(FitContext context) {
        Dataset ds = context.dataset();
        Parameters p = context.parameters();
        double[] adf = pair(p, P_ADF);
        double[] ring = pair(p, P_RING);
        double[] override = {p.number(P_BF, Double.NaN), adf[0], adf[1], ring[0], ring[1]};
        int frames = p.integer(P_FRAMES, 64);
        List<Object> key = List.of(frames, List.of(override[0], override[1], override[2], override[3], override[4]));
        synchronized (geometries) {
            return geometries.computeIfAbsent(ds, d -> new java.util.HashMap<>()).computeIfAbsent(key, k -> Geometry.of(ds, frames, override));
        }
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

    @Override
    public FrameProcessor processor(FitContext context) {
        Geometry g = geometry(context);
        int rows = context.sigShape().dim(0), cols = context.sigShape().dim(1);
        return new Processor(g, rows, cols, context.slot(BF), context.slot(ADF), context.slot(RING), context.dataset());
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

    /** Per-thread hot path: three sums over precomputed row segments, no allocation. */
    static final class Processor implements FrameProcessor {
        private final int[] bf, adf, ring;
        private final int rows, cols, sBf, sAdf, sRing;
        private final Dataset dataset;

        Processor(Geometry g, int rows, int cols, int sBf, int sAdf, int sRing, Dataset dataset) {
            this.bf = g.bf;
            this.adf = g.adf;
            this.ring = g.ring;
            this.rows = rows;
            this.cols = cols;
            this.sBf = sBf;
            this.sAdf = sAdf;
            this.sRing = sRing;
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
        }
    }
}
