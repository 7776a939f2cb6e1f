package org.example.vadf;

import java.util.List;
import org.ltz4d.api.analysis.BufferSpec;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.FitSetup;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.analysis.FrameProcessor;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.units.Unit;
import org.osgi.service.component.annotations.Component;

/**
 * A virtual annular detector: per frame, the counts inside a disk (bright field) and inside an
 * annulus (dark field) around the direct beam. Radii in pixels. The beam is found once per run in
 * {@link #setup} from the mean of a few frames; the pixel lists are built once from that set-up
 * ({@link FitSetup#decoded}) and shared by every processor, so the per-frame work is two sums over
 * precomputed indices.
 */
@Component(service = Fitter.class)
public class VirtualAnnularFitter implements Fitter {
    public static final String NAME = "vadf";
    /** Set-up values: the detectors' centre x (column), y (row) in px; their radii (bf, adf inner, adf outer) in px; the detector's rows, columns. */
    static final String CENTRE = "centre_px", RADII = "radii_px", DETECTOR = "detector_px";
    /** Frames averaged (evenly over the scan) for the mean pattern. */
    static final int MEAN_FRAMES = 8;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.number("bf-radius-px", "outer radius of the virtual bright-field disk", Unit.PIXEL, 8.0, 0, 1e4),
                ParameterSpec.number("adf-inner-px", "inner radius of the virtual annular dark-field detector", Unit.PIXEL, 20.0, 0, 1e4),
                ParameterSpec.number("adf-outer-px", "outer radius of the virtual annular dark-field detector", Unit.PIXEL, 60.0, 0, 1e4));
    }

    /**
     * Everything that needs the data, once per run: the engine calls this before any processor (on
     * a cluster, on the driver only, and ships the numbers to the executors). Here: the direct beam
     * of the mean of {@link #MEAN_FRAMES} frames.
     */
    @Override
    public FitSetup setup(FitContext ctx) {
        Dataset ds = ctx.dataset();
        int px = ds.framePixels();
        int n = (int) Math.min(MEAN_FRAMES, ds.frameCount());
        float[] frame = new float[px];
        double[] mean = new double[px];
        for (int k = 0; k < n; k++) {
            ds.readFrames(k * ds.frameCount() / n, 1, frame, 0);
            for (int i = 0; i < px; i++) mean[i] += frame[i] / n;
        }
        int h = ctx.sigShape().dim(0), w = ctx.sigShape().dim(1);
        double bf = ctx.parameters().number("bf-radius-px", 8);
        double in = ctx.parameters().number("adf-inner-px", 20);
        double out = ctx.parameters().number("adf-outer-px", 60);
        return FitSetup.builder().put(CENTRE, beamCentre(mean, h, w)).put(RADII, bf, in, out).put(DETECTOR, h, w).build();
    }

    /** The two detectors' pixel lists, built once per set-up (everything they depend on is in it). */
    record Detectors(int[] bf, int[] adf) {
        static Detectors from(FitSetup s) {
            double[] c = s.values(CENTRE), r = s.values(RADII), d = s.values(DETECTOR);
            int h = (int) d[0], w = (int) d[1];
            return new Detectors(indices(h, w, c[0], c[1], 0, r[0]), indices(h, w, c[0], c[1], r[1], r[2]));
        }
    }

    /** Centroid (x, y) of the pixels above half the maximum; the detector centre when none stands out (maximum below 2 × the mean). */
    static double[] beamCentre(double[] pattern, int h, int w) {
        double max = 0, sum = 0;
        for (double v : pattern) {
            max = Math.max(max, v);
            sum += v;
        }
        if (!(max > 2 * sum / pattern.length)) return new double[] {(w - 1) / 2.0, (h - 1) / 2.0};
        double sx = 0, sy = 0, sw = 0;
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i] < max / 2) continue;
            sx += pattern[i] * (i % w);
            sy += pattern[i] * (i / w);
            sw += pattern[i];
        }
        return new double[] {sx / sw, sy / sw};
    }

    @Override
    public List<BufferSpec> buffers(FitContext ctx) {
        return List.of(BufferSpec.nav("virtual/bf", Unit.COUNTS, "counts in the virtual bright-field disk"),
                BufferSpec.nav("virtual/adf", Unit.COUNTS, "counts in the virtual annular dark-field detector"));
    }

    /** Built from the set-up only: a processor never reads frames itself, and shares the run's pixel lists. */
    @Override
    public FrameProcessor processor(FitContext ctx) {
        Detectors det = ctx.setup().decoded(Detectors.class, Detectors::from);
        int[] bfIdx = det.bf();
        int[] adfIdx = det.adf();
        int bfSlot = ctx.slot("virtual/bf");
        int adfSlot = ctx.slot("virtual/adf");
        return (frame, o) -> {
            float[] d = frame.data();
            int off = frame.offset();
            double sb = 0;
            for (int i : bfIdx) sb += d[off + i];
            double sa = 0;
            for (int i : adfIdx) sa += d[off + i];
            o.set(bfSlot, (float) sb);
            o.set(adfSlot, (float) sa);
        };
    }

    /** Flat indices of the pixels whose centres lie at r0 ≤ r &lt; r1 from (cx, cy). */
    static int[] indices(int h, int w, double cx, double cy, double r0, double r1) {
        int n = 0;
        int[] tmp = new int[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double r = Math.hypot(x - cx, y - cy);
                if (r >= r0 && r < r1) tmp[n++] = y * w + x;
            }
        }
        return java.util.Arrays.copyOf(tmp, n);
    }
}
