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

    /** Finds the brightest pixel; true when it stands well above the frame's mean (a direct beam). */
    static boolean brightSpot(float[] f, int rows, int cols, double[] out) {
        int px = rows * cols, best = 0;
        double s = 0;
        for (int i = 0; i < px; i++) {
            s += f[i];
            if (f[i] > f[best]) best = i;
        }
        out[0] = best % cols;
        out[1] = best / cols;
        return f[best] > 20 * (s / px) && f[best] > 0;
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
