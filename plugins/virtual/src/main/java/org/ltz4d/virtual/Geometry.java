package org.ltz4d.virtual;

import java.util.Arrays;
import org.ltz4d.api.analysis.FitSetup;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.error.ShapeMismatchException;

/**
 * The virtual detectors of a run: a bright-field disk on the direct beam, an annular dark-field
 * detector outside it, and an annulus over the first ring (or first strong scattering), all
 * centred on the direct beam of the run's mean pattern. Each detector is held as row segments of
 * flat pixel offsets, [start, end) per segment, so a frame's sum is a few contiguous loops.
 * Pixel i covers [i−½, i+½); a pixel belongs to a detector when its centre's radius r satisfies
 * inner ≤ r &lt; outer.
 *
 * <p>What the mean pattern gave is the fitter's set-up ({@link #place}: the numbers only, read once
 * by the engine that starts the run, on a cluster by its driver); the segments are built from it
 * ({@link #of(FitSetup, int, int, java.nio.file.Path)}) wherever frames are fitted, reading no frame.
 */
final class Geometry {
    /** Set-up names: detector rows, cols; centre x, y (px); radii bf outer, adf inner, adf outer, ring inner, ring outer (px, NaN: none). */
    static final String S_DETECTOR = "detector_px", S_CENTRE = "centre_px", S_RADII = "radii_px";
    /** Set-up names: the beam's and the first ring's radius found (px, NaN: none), frames averaged, polygon vertices (px, empty: none). */
    static final String S_BEAM = "beam_radius_px", S_RING = "ring_radius_px", S_FRAMES = "mean_pattern_frames", S_POLYGON = "polygon_px";

    /** Centre (x = column, y = row) in px, and the radii in px: bf outer; adf inner, outer; ring inner, outer. */
    final double cx, cy, bfOuter, adfInner, adfOuter, ringInner, ringOuter;
    /** The direct beam's radius and the first ring's radius found in the mean pattern (NaN when not found), px. */
    final double beamRadius, ringRadius;
    /** Frames averaged for the mean pattern. */
    final int meanFrames;
    /** The detector's rows and columns. */
    final int rows, cols;
    final int[] bf, adf, ring;
    /** The drawn polygon's row segments (null when none was drawn) and its vertices x1,y1,x2,y2... in px. */
    final int[] mask;
    final double[] polygon;

    private Geometry(double cx, double cy, double[] radii, double beamRadius, double ringRadius, int meanFrames, int rows, int cols,
            double[] polygon) {
        this.cx = cx;
        this.cy = cy;
        this.bfOuter = radii[0];
        this.adfInner = radii[1];
        this.adfOuter = radii[2];
        this.ringInner = radii[3];
        this.ringOuter = radii[4];
        this.beamRadius = beamRadius;
        this.ringRadius = ringRadius;
        this.meanFrames = meanFrames;
        this.rows = rows;
        this.cols = cols;
        this.bf = segments(rows, cols, cx, cy, 0, bfOuter);
        this.adf = segments(rows, cols, cx, cy, adfInner, adfOuter);
        this.ring = segments(rows, cols, cx, cy, ringInner, ringOuter);
        this.polygon = polygon.clone();
        this.mask = polygon.length >= 6 ? polygonSegments(rows, cols, polygon) : null;
    }

    /**
     * From the mean of up to {@code sample} frames spread evenly over the scan: the direct beam
     * (centroid and equivalent radius of the pixels above half the maximum), the azimuthal profile
     * around it and its strongest peak beyond the beam's tail (the first ring) with its half-maximum
     * flanks above the valley before it. {@code override} holds radii the user gave (NaN = find):
     * bf outer, adf inner, adf outer, ring inner, ring outer, and (optional) centre x, centre y;
     * {@code polygon} the vertices of a drawn mask (empty: none). Returns the numbers as a set-up.
     */
    static FitSetup place(Dataset ds, int sample, double[] override, double[] polygon) {
        int rows = ds.sigShape().dim(0), cols = ds.sigShape().dim(1);
        int px = rows * cols;
        long frames = ds.frameCount();
        int n = (int) Math.max(1, Math.min(sample, frames));
        double[] mean = new double[px];
        float[] buf = new float[px];
        for (int k = 0; k < n; k++) {
            long f = n == 1 ? frames / 2 : Math.round((double) k * (frames - 1) / (n - 1));
            ds.readFrames(f, 1, buf, 0);
            for (int i = 0; i < px; i++) {
                float v = buf[i];
                if (Float.isFinite(v)) mean[i] += v;
            }
        }
        for (int i = 0; i < px; i++) mean[i] /= n;
        // the direct beam: pixels above half the maximum, well above the median (else there is none)
        double[] sorted = mean.clone();
        Arrays.sort(sorted);
        double max = sorted[px - 1], median = sorted[px / 2];
        double cx = (cols - 1) / 2.0, cy = (rows - 1) / 2.0, beamR = Double.NaN;
        if (max > 10 * Math.max(median, 1e-12)) {
            double thr = 0.5 * max, sx = 0, sy = 0, sw = 0;
            int cnt = 0;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    double v = mean[r * cols + c];
                    if (v < thr) continue;
                    sx += v * c;
                    sy += v * r;
                    sw += v;
                    cnt++;
                }
            }
            cx = sx / sw;
            cy = sy / sw;
            beamR = Math.sqrt(cnt / Math.PI);
        }
        if (override.length > 6 && Double.isFinite(override[5]) && Double.isFinite(override[6])) {
            cx = override[5];
            cy = override[6];
        }
        double maxR = Math.min(Math.min(cx + 0.5, cols - 0.5 - cx), Math.min(cy + 0.5, rows - 0.5 - cy));
        // azimuthal mean profile, 1 px bins
        int nb = (int) Math.floor(maxR);
        double[] prof = new double[Math.max(nb, 1)];
        int[] cnt = new int[prof.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int b = (int) Math.hypot(c - cx, r - cy);
                if (b < prof.length) {
                    prof[b] += mean[r * cols + c];
                    cnt[b]++;
                }
            }
        }
        for (int b = 0; b < prof.length; b++) prof[b] = cnt[b] > 0 ? prof[b] / cnt[b] : 0;
        double beamEdge = Double.isNaN(beamR) ? 0 : beamR;
        int from = (int) Math.ceil(Double.isNaN(beamR) ? 2 : 1.5 * beamR + 2);
        int peak = -1;
        for (int b = from; b < prof.length - 1; b++) if (peak < 0 || prof[b] > prof[peak]) peak = b;
        double ringR = Double.NaN, rin = Double.NaN, rout = Double.NaN;
        if (peak > from && peak < prof.length - 2) {
            int valley = from;
            for (int b = from; b < peak; b++) if (prof[b] < prof[valley]) valley = b;
            double half = 0.5 * (prof[peak] + prof[valley]);
            int lo = peak, hi = peak;
            while (lo > valley && prof[lo - 1] >= half) lo--;
            while (hi < prof.length - 1 && prof[hi + 1] >= half) hi++;
            ringR = peak + 0.5;
            rin = lo;
            rout = hi + 1;
        }
        double[] radii = {
            Double.isNaN(beamR) ? Double.NaN : beamEdge + 1,
            Double.isNaN(beamR) ? Double.NaN : 2 * beamEdge + 2,
            maxR,
            rin,
            rout};
        for (int k = 0; k < 5; k++) if (Double.isFinite(override[k])) radii[k] = override[k];
        if (Double.isNaN(radii[1])) radii[1] = Double.isFinite(radii[0]) ? radii[0] + 1 : 0;
        return FitSetup.builder().put(S_DETECTOR, rows, cols).put(S_CENTRE, cx, cy).put(S_RADII, radii).put(S_BEAM, beamR)
                .put(S_RING, ringR).put(S_FRAMES, n).put(S_POLYGON, polygon).build();
    }

    /**
     * The detectors of a set-up made by {@link #place} for a detector of {@code rows} × {@code cols}
     * (a set-up placed on another detector is a {@link ShapeMismatchException} naming {@code source}).
     */
    static Geometry of(FitSetup s, int rows, int cols, java.nio.file.Path source) {
        double[] det = s.values(S_DETECTOR);
        if (det.length != 2 || det[0] != rows || det[1] != cols) {
            throw new ShapeMismatchException(source, "virtual fitter set-up " + S_DETECTOR, rows + "×" + cols + " detector pixels",
                    Arrays.toString(det));
        }
        double[] c = s.values(S_CENTRE);
        return new Geometry(c[0], c[1], s.values(S_RADII), s.value(S_BEAM), s.value(S_RING), (int) s.value(S_FRAMES), rows, cols,
                s.values(S_POLYGON));
    }

    /** Row segments [start, end) of flat offsets of the pixels with inner ≤ r &lt; outer (none when a radius is NaN). */
    static int[] segments(int rows, int cols, double cx, double cy, double inner, double outer) {
        if (!(outer > inner)) return new int[0];
        int[] tmp = new int[4 * rows + 4];
        int n = 0;
        for (int r = 0; r < rows; r++) {
            int start = -1;
            for (int c = 0; c <= cols; c++) {
                boolean in = c < cols && inside(Math.hypot(c - cx, r - cy), inner, outer);
                if (in && start < 0) start = c;
                if (!in && start >= 0) {
                    if (n + 2 > tmp.length) tmp = Arrays.copyOf(tmp, 2 * tmp.length);
                    tmp[n++] = r * cols + start;
                    tmp[n++] = r * cols + c;
                    start = -1;
                }
            }
        }
        return Arrays.copyOf(tmp, n);
    }

    /** Row segments of the pixels whose centre lies inside the polygon (even-odd rule; x = column, y = row). */
    static int[] polygonSegments(int rows, int cols, double[] poly) {
        int[] tmp = new int[4 * rows + 4];
        int n = 0;
        int nv = poly.length / 2;
        double[] xs = new double[nv];
        for (int r = 0; r < rows; r++) {
            int k = 0;
            for (int i = 0, j = nv - 1; i < nv; j = i++) {
                double yi = poly[2 * i + 1], yj = poly[2 * j + 1];
                if ((yi > r) != (yj > r)) xs[k++] = poly[2 * i] + (r - yi) * (poly[2 * j] - poly[2 * i]) / (yj - yi);
            }
            Arrays.sort(xs, 0, k);
            for (int e = 0; e + 1 < k; e += 2) {
                int start = Math.max(0, (int) Math.ceil(xs[e]));
                int end = Math.min(cols, (int) Math.ceil(xs[e + 1])); // centres c with xs[e] ≤ c < xs[e+1]
                if (end <= start) continue;
                if (n + 2 > tmp.length) tmp = Arrays.copyOf(tmp, 2 * tmp.length);
                tmp[n++] = r * cols + start;
                tmp[n++] = r * cols + end;
            }
        }
        return Arrays.copyOf(tmp, n);
    }

    private static boolean inside(double r, double inner, double outer) {
        return r >= inner && r < outer;
    }

    /** Σ of data[off + i] over the segments. */
    static double sum(float[] data, int off, int[] seg) {
        double s = 0;
        for (int k = 0; k < seg.length; k += 2) {
            float part = 0;
            int end = off + seg[k + 1];
            for (int i = off + seg[k]; i < end; i++) part += data[i];
            s += part;
        }
        return s;
    }

    /** Number of pixels in the segments. */
    static int pixels(int[] seg) {
        int n = 0;
        for (int k = 0; k < seg.length; k += 2) n += seg[k + 1] - seg[k];
        return n;
    }
}
