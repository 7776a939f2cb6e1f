package org.ltz4d.crystalline;

import org.ltz4d.api.analysis.FitSetup;
import org.ltz4d.api.data.Dataset;

/**
 * Labels of symmetry-equivalent reflections from the disks' inner contrast. Disk positions cannot
 * tell a hexagonal grain turned by 40° from one turned by −20° (60° apart: the same lattice), but a
 * CBED pattern's contrast inside each disk (dynamical rocking curves, a slight tilt) differs from
 * reflection to reflection, and it turns with the crystal. A grain labelled by the lattice rotation
 * closest to the set-up basis may therefore carry other reflections as g1, g2 than the reference —
 * and so other systematic centre errors of whatever the disk model does not take up, which the
 * reference then no longer cancels. This signature holds the set-up grain's fitted inner gradient of
 * each reflection (h, k), in the set-up basis's frame; {@link #choose} picks, among the lattice's
 * own rotations of a pattern's labelling, the one whose reflections' gradients (turned back by the
 * candidate's turn) match it, so every grain's g1, g2 are the reference's physical reflections. A
 * pattern whose contrast is as symmetric as its lattice matches every candidate alike and keeps the
 * labelling closest to the set-up basis ({@link #MARGIN}). Immutable after {@link #build}.
 */
final class ContrastLabels {
    /** Largest |h|, |k| in the signature. */
    static final int S = 5;
    private static final int W = 2 * S + 1;
    /** χ² a candidate labelling must gain over the closest one to be taken (a likelihood-ratio margin). */
    static final double MARGIN = 25;

    private final double[] gx = new double[W * W];
    private final double[] gy = new double[W * W];
    private final double[] wsum = new double[W * W];
    private final double alpha0;
    /** Number of patterns the signature was taken from. */
    int patterns;

    private ContrastLabels(double alpha0) {
        this.alpha0 = alpha0;
    }

    /** Names of this signature's values in the fitter's {@link FitSetup}. */
    static final String K_ALPHA0 = "contrast/basis_angle_rad", K_GX = "contrast/gradient_x", K_GY = "contrast/gradient_y",
            K_WEIGHT = "contrast/weight", K_PATTERNS = "contrast/patterns";

    /**
     * Puts this signature into a set-up: the set-up basis's angle (rad), per reflection (h, k) with |h|, |k| ≤ {@link #S}
     * (row-major, h slowest) the mean inner gradient x and y (relative to the amplitude, per disk radius) and the sum of
     * its inverse variances (0: not seen), and the number of patterns it was taken from.
     */
    void put(FitSetup.Builder b) {
        b.put(K_ALPHA0, alpha0).put(K_GX, gx).put(K_GY, gy).put(K_WEIGHT, wsum).put(K_PATTERNS, patterns);
    }

    /** The signature {@link #put} into {@code s}, the same numbers bit for bit; null when {@code s} holds none. */
    static ContrastLabels from(FitSetup s) {
        if (!s.has(K_ALPHA0)) return null;
        ContrastLabels c = new ContrastLabels(s.value(K_ALPHA0));
        copy(s, K_GX, c.gx);
        copy(s, K_GY, c.gy);
        copy(s, K_WEIGHT, c.wsum);
        c.patterns = (int) s.value(K_PATTERNS);
        return c;
    }

    private static void copy(FitSetup s, String name, double[] into) {
        double[] v = s.values(name);
        if (v.length != into.length) {
            throw new org.ltz4d.api.error.Ltz4dException("set-up value '" + name + "' holds " + v.length + " values, expected "
                    + into.length + " (reflections up to |h|, |k| = " + S + ")");
        }
        System.arraycopy(v, 0, into, 0, into.length);
    }

    /** One sampled pattern's fitted basis {ox, oy, g1x, g1y, g2x, g2y} and its disks' labels and inner gradients. */
    private record Sample(double[] p, int n, int[] h, int[] k, double[] gx, double[] gy, double[] gv) {
        boolean[] used() {
            boolean[] u = new boolean[n];
            java.util.Arrays.fill(u, true);
            return u;
        }
    }

    /**
     * The signature from up to {@code count} patterns spread over the scan: the pattern closest to the
     * set-up basis starts it, every pattern is then labelled by its contrast against that start (so a
     * grain turned by 60° from it, whose disks lie at the same places, gets its own reflections' labels)
     * and added, turned back by its turn. Null when the disk model has no gradient or no pattern fits.
     */
    static ContrastLabels build(Dataset ds, DiskFitter.Setup s, int count) {
        if (!s.gradient()) return null;
        long total = ds.frameCount();
        int k = (int) Math.min(total, Math.max(1, count));
        float[] one = new float[ds.framePixels()];
        DiskFitter.Processor proc = new DiskFitter.Processor(s, new int[12]);
        proc.tracking = false;
        double a0 = Math.atan2(s.seed()[3], s.seed()[2]);
        java.util.List<Sample> samples = new java.util.ArrayList<>();
        Sample first = null;
        double best = Double.MAX_VALUE;
        for (int i = 0; i < k; i++) {
            long f = k == 1 ? 0 : Math.round(i * (total - 1) / (double) (k - 1));
            ds.readFrames(f, 1, one, 0);
            if (!proc.analyse(one, 0)) continue;
            DiskFinder fd = proc.finder;
            LatticeFit lf = proc.fit;
            int m = 0;
            int[] hs = new int[fd.n], ks = new int[fd.n];
            double[] gx = new double[fd.n], gy = new double[fd.n], gv = new double[fd.n];
            for (int j = 0; j < fd.n; j++) {
                if (!lf.used[j] || !(fd.gradVar[j] > 0)) continue;
                hs[m] = lf.hi[j];
                ks[m] = lf.ki[j];
                gx[m] = fd.gradX[j];
                gy[m] = fd.gradY[j];
                gv[m] = fd.gradVar[j];
                m++;
            }
            Sample smp = new Sample(lf.p.clone(), m, hs, ks, gx, gy, gv);
            samples.add(smp);
            double d = Math.atan2(lf.p[3], lf.p[2]) - a0;
            d = Math.abs(d - 2 * Math.PI * Math.rint(d / (2 * Math.PI)));
            if (d < best) {
                best = d;
                first = smp;
            }
        }
        if (first == null) return null;
        ContrastLabels start = new ContrastLabels(a0);
        start.add(first, new double[] {1, 0, 0, 1, Math.atan2(first.p()[3], first.p()[2]) - a0});
        start.finish();
        ContrastLabels c = new ContrastLabels(a0);
        for (Sample smp : samples) c.add(smp, start.best(smp.p(), smp.n(), smp.used(), smp.h(), smp.k(), smp.gx(), smp.gy(), smp.gv()));
        c.finish();
        return c;
    }

    /** Adds a pattern's gradients under the lattice rotation {a, b, c, d, turn} of its labels. */
    private void add(Sample smp, double[] m) {
        int a = (int) m[0], b = (int) m[1], c = (int) m[2], d = (int) m[3];
        double cs = Math.cos(-m[4]), sn = Math.sin(-m[4]);
        for (int j = 0; j < smp.n(); j++) {
            int h = smp.h()[j], k = smp.k()[j];
            int idx = index(h * d - k * c, -h * b + k * a);
            if (idx < 0) continue;
            double w = 1 / smp.gv()[j];
            gx[idx] += w * (cs * smp.gx()[j] - sn * smp.gy()[j]);
            gy[idx] += w * (sn * smp.gx()[j] + cs * smp.gy()[j]);
            wsum[idx] += w;
        }
        patterns++;
    }

    private void finish() {
        for (int i = 0; i < W * W; i++) {
            if (wsum[i] > 0) {
                gx[i] /= wsum[i];
                gy[i] /= wsum[i];
            }
        }
    }

    private static int index(int h, int k) {
        if (Math.abs(h) > S || Math.abs(k) > S || h == 0 && k == 0) return -1;
        return (h + S) * W + (k + S);
    }

    /**
     * Among the lattice rotations M·(g1, g2) of the fitted basis {@code p} ({ox, oy, g1x, g1y, g2x,
     * g2y}; integer M, det M = 1, the same metric), the basis whose disks' inner gradients match the
     * signature best; null when that is the fitted basis itself or it wins by less than {@link #MARGIN}.
     * Disks without a signature entry count as matched (χ² 2 for two components). Allocates (search path only).
     */
    double[] choose(double[] p, LatticeFit fit, DiskFinder f) {
        double[] m = best(p, f.n, fit.used, fit.hi, fit.ki, f.gradX, f.gradY, f.gradVar);
        if (m[0] == 1 && m[1] == 0 && m[2] == 0 && m[3] == 1) return null;
        return new double[] {m[5], m[6], m[7], m[8]};
    }

    /**
     * The best lattice rotation of the labelling of basis {@code p} by the disks' gradients:
     * {a, b, c, d, turn against the set-up basis (rad), g1x, g1y, g2x, g2y}; the identity unless another wins by {@link #MARGIN}.
     */
    private double[] best(double[] p, int n, boolean[] used, int[] hi, int[] ki, double[] gX, double[] gY, double[] gV) {
        double[] g = {p[2], p[3], p[4], p[5]};
        double l1 = g[0] * g[0] + g[1] * g[1], l2 = g[2] * g[2] + g[3] * g[3], dt = g[0] * g[2] + g[1] * g[3];
        double tol = Lattice2.METRIC_TOL * Math.max(l1, l2);
        double own = Double.NaN, bestChi = Double.MAX_VALUE;
        double[] out = null, id = null;
        for (int a = -2; a <= 2; a++) for (int b = -2; b <= 2; b++) for (int c = -2; c <= 2; c++) for (int d = -2; d <= 2; d++) {
            if (a * d - b * c != 1) continue;
            double x1 = a * g[0] + b * g[2], y1 = a * g[1] + b * g[3], x2 = c * g[0] + d * g[2], y2 = c * g[1] + d * g[3];
            if (Math.abs(x1 * x1 + y1 * y1 - l1) > tol || Math.abs(x2 * x2 + y2 * y2 - l2) > tol || Math.abs(x1 * x2 + y1 * y2 - dt) > tol) continue;
            double th = Math.atan2(y1, x1) - alpha0, cs = Math.cos(-th), sn = Math.sin(-th);
            double chi = 0;
            for (int i = 0; i < n; i++) {
                if (!used[i] || !(gV[i] > 0)) continue;
                int h = hi[i], k = ki[i];
                if (h == 0 && k == 0) continue;
                int idx = index(h * d - k * c, -h * b + k * a);
                if (idx < 0 || wsum[idx] == 0) {
                    chi += 2;
                    continue;
                }
                double rx = cs * gX[i] - sn * gY[i] - gx[idx], ry = sn * gX[i] + cs * gY[i] - gy[idx];
                chi += (rx * rx + ry * ry) / (gV[i] + 1 / wsum[idx]);
            }
            double[] cand = {a, b, c, d, th, x1, y1, x2, y2};
            if (a == 1 && b == 0 && c == 0 && d == 1) {
                own = chi;
                id = cand;
            }
            if (chi < bestChi) {
                bestChi = chi;
                out = cand;
            }
        }
        if (id == null) return new double[] {1, 0, 0, 1, Math.atan2(g[1], g[0]) - alpha0, g[0], g[1], g[2], g[3]};
        return out == null || bestChi > own - MARGIN ? id : out;
    }
}
