package org.ltz4d.amorphous;

import java.util.Map;
import java.util.WeakHashMap;
import org.ltz4d.api.data.Dataset;

/**
 * The mean of up to {@code maxFrames} frames sampled evenly over the scan, each shifted by whole
 * pixels so that its direct beam lands on the first one's (so descan and deflection do not blur the
 * ring), with the direct beam's position and radius in it. Computed once per dataset and shared by
 * the fitters of a run (set-up only, not the hot path).
 */
final class MeanPattern {
    final int rows, cols, frames;
    final double[] mean;
    final double beamX, beamY, beamRadius;
    final boolean hasBeam;

    private static final Map<Dataset, Map<Integer, MeanPattern>> CACHE = new WeakHashMap<>();

    private MeanPattern(int rows, int cols, int frames, double[] mean, double bx, double by, double br, boolean hasBeam) {
        this.rows = rows;
        this.cols = cols;
        this.frames = frames;
        this.mean = mean;
        this.beamX = bx;
        this.beamY = by;
        this.beamRadius = br;
        this.hasBeam = hasBeam;
    }

    static MeanPattern of(Dataset ds, int maxFrames) {
        synchronized (CACHE) {
            Map<Integer, MeanPattern> m = CACHE.computeIfAbsent(ds, k -> new java.util.HashMap<>());
            return m.computeIfAbsent(maxFrames, k -> compute(ds, k));
        }
    }

    private static MeanPattern compute(Dataset ds, int maxFrames) {
        int rows = ds.sigShape().rows(), cols = ds.sigShape().cols(), px = rows * cols;
        long total = ds.frameCount();
        int n = (int) Math.max(1, Math.min(maxFrames, total));
        float[] f = new float[px];
        double[] sum = new double[px];
        int[] cover = new int[px];
        double[] c = new double[2];
        int refX = 0, refY = 0;
        boolean first = true, anyBeam = false;
        for (int k = 0; k < n; k++) {
            long idx = n == 1 ? total / 2 : Math.round(k * (total - 1) / (double) (n - 1));
            ds.readFrames(idx, 1, f, 0);
            int sx = 0, sy = 0;
            if (brightSpot(f, rows, cols, c)) {
                centroid(f, 0, rows, cols, c, 6, 2);
                int ix = (int) Math.round(c[0]), iy = (int) Math.round(c[1]);
                if (first) { refX = ix; refY = iy; }
                sx = refX - ix;
                sy = refY - iy;
                anyBeam = true;
            }
            first = false;
            for (int r = 0; r < rows; r++) {
                int rr = r + sy;
                if (rr < 0 || rr >= rows) continue;
                for (int q = 0; q < cols; q++) {
                    int cc = q + sx;
                    if (cc < 0 || cc >= cols) continue;
                    sum[rr * cols + cc] += f[r * cols + q];
                    cover[rr * cols + cc]++;
                }
            }
        }
        double[] mean = new double[px];
        for (int i = 0; i < px; i++) mean[i] = cover[i] > 0 ? sum[i] / cover[i] : 0;
        float[] mf = new float[px];
        for (int i = 0; i < px; i++) mf[i] = (float) mean[i];
        double bx = Double.NaN, by = Double.NaN, br = Double.NaN;
        boolean hasBeam = anyBeam && brightSpot(mf, rows, cols, c);
        if (hasBeam) {
            centroid(mf, 0, rows, cols, c, 6, 2);
            double peak = 0;
            for (int r = Math.max(0, (int) c[1] - 3); r <= Math.min(rows - 1, (int) c[1] + 3); r++) {
                for (int q = Math.max(0, (int) c[0] - 3); q <= Math.min(cols - 1, (int) c[0] + 3); q++) peak = Math.max(peak, mean[r * cols + q]);
            }
            int count = 0;
            for (int r = Math.max(0, (int) c[1] - 30); r <= Math.min(rows - 1, (int) c[1] + 30); r++) {
                for (int q = Math.max(0, (int) c[0] - 30); q <= Math.min(cols - 1, (int) c[0] + 30); q++) {
                    if (Math.hypot(q - c[0], r - c[1]) <= 30 && mean[r * cols + q] > 0.5 * peak) count++;
                }
            }
            br = Math.max(1, Math.sqrt(count / Math.PI));
            double rm = 1.5 * br + 2;
            centroid(mf, 0, rows, cols, c, rm, 3);
            bx = c[0];
            by = c[1];
        }
        return new MeanPattern(rows, cols, n, mean, bx, by, br, hasBeam);
    }

    /**
     * The direct-beam centre of one frame: from the seed in {@code c} (the previous frame's centre
     * when {@code warm}, else the brightest pixel of the frame), a coarse centre of mass over a wide
     * disk (to re-centre after a jump such as a new scan row), then the masked, background-corrected
     * centre of mass of radius {@code radius} twice. False when there is no beam.
     */
    static boolean locateBeam(float[] f, int off, int rows, int cols, double[] c, double radius, boolean warm) {
        if (!warm) {
            if (!brightSpot(f, off, rows, cols, c)) return false;
        }
        double sx = c[0], sy = c[1];
        if (coarse(f, off, rows, cols, c, Math.max(2 * radius, radius + 6))
                && centroid(f, off, rows, cols, c, radius, 2) && Math.hypot(c[0] - sx, c[1] - sy) < 4 * radius) {
            return true;
        }
        if (!warm) return false;
        return locateBeam(f, off, rows, cols, c, radius, false);
    }

    /** Plain centre of mass within {@code radius} of c (one step). */
    private static boolean coarse(float[] f, int off, int rows, int cols, double[] c, double radius) {
        double cx = c[0], cy = c[1];
        int r0 = (int) Math.max(0, Math.floor(cy - radius)), r1 = (int) Math.min(rows - 1, Math.ceil(cy + radius));
        int c0 = (int) Math.max(0, Math.floor(cx - radius)), c1 = (int) Math.min(cols - 1, Math.ceil(cx + radius));
        double s = 0, sx = 0, sy = 0, rad2 = radius * radius;
        for (int r = r0; r <= r1; r++) {
            double dy = r - cy;
            int base = off + r * cols;
            for (int q = c0; q <= c1; q++) {
                double dx = q - cx;
                if (dx * dx + dy * dy > rad2) continue;
                float v = f[base + q];
                s += v; sx += v * dx; sy += v * dy;
            }
        }
        if (!(s > 0)) return false;
        c[0] = cx + sx / s;
        c[1] = cy + sy / s;
        return true;
    }

    static boolean brightSpot(float[] f, int rows, int cols, double[] out) {
        return brightSpot(f, 0, rows, cols, out);
    }

    /** Finds the brightest pixel; true when it stands well above the frame's mean (a direct beam). */
    static boolean brightSpot(float[] f, int off, int rows, int cols, double[] out) {
        int px = rows * cols, best = off;
        double s = 0;
        float bv = f[off];
        for (int i = off, e = off + px; i < e; i++) {
            float v = f[i];
            s += v;
            if (v > bv) { bv = v; best = i; }
        }
        out[0] = (best - off) % cols;
        out[1] = (best - off) / cols;
        return bv > 20 * (s / px) && bv > 0;
    }

    /**
     * Centre of mass within radius {@code radius} of {@code c}, minus the mean level on a 2 px
     * ring just outside, iterated {@code iterations} times; returns false (c then is the last
     * good estimate) when there is no signal.
     */
    static boolean centroid(float[] f, int off, int rows, int cols, double[] c, double radius, int iterations) {
        for (int it = 0; it < iterations; it++) {
            double cx = c[0], cy = c[1];
            double ro = radius + 2;
            int r0 = (int) Math.max(0, Math.floor(cy - ro)), r1 = (int) Math.min(rows - 1, Math.ceil(cy + ro));
            int c0 = (int) Math.max(0, Math.floor(cx - ro)), c1 = (int) Math.min(cols - 1, Math.ceil(cx + ro));
            double bs = 0;
            int bn = 0;
            double s = 0, sx = 0, sy = 0, sdx = 0, sdy = 0;
            int n = 0;
            double rad2 = radius * radius, ro2 = ro * ro;
            for (int r = r0; r <= r1; r++) {
                double dy = r - cy;
                int base = off + r * cols;
                for (int q = c0; q <= c1; q++) {
                    double dx = q - cx;
                    double d2 = dx * dx + dy * dy;
                    float v = f[base + q];
                    if (d2 <= rad2) {
                        s += v; sx += v * dx; sy += v * dy; sdx += dx; sdy += dy; n++;
                    } else if (d2 <= ro2) {
                        bs += v; bn++;
                    }
                }
            }
            double bg = bn > 0 ? bs / bn : 0;
            double w = s - bg * n;
            if (!(w > 0)) return false;
            // Σ(v − bg)·d = Σ v·d − bg·Σ d (Σ d over the pixel disk is not exactly 0 off-grid)
            c[0] = cx + (sx - bg * sdx) / w;
            c[1] = cy + (sy - bg * sdy) / w;
        }
        return Double.isFinite(c[0]) && Double.isFinite(c[1]);
    }
}
