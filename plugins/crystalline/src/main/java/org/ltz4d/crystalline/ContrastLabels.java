package org.ltz4d.crystalline;

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

    /**
     * The signature from up to {@code count} patterns spread over the scan that belong to the set-up
     * grain (their basis, labelled like the set-up basis, within 1.5° of the closest turn to it); null
     * when the disk model has no gradient or no pattern fits.
     */
    static ContrastLabels build(Dataset ds, DiskFitter.Setup s, int count) {
        if (!s.gradient()) return null;
        long total = ds.frameCount();
        int k = (int) Math.min(total, Math.max(1, count));
        float[] one = new float[ds.framePixels()];
        DiskFitter.Processor proc = new DiskFitter.Processor(s, new int[12]);
        proc.tracking = false;
        double a0 = Math.atan2(s.seed()[3], s.seed()[2]);
        double[][] kept = new double[k][];
        double[] turn = new double[k];
        double best = Double.MAX_VALUE;
        for (int i = 0; i < k; i++) {
            long f = k == 1 ? 0 : Math.round(i * (total - 1) / (double) (k - 1));
            ds.readFrames(f, 1, one, 0);
            if (!proc.analyse(one, 0)) continue;
            DiskFinder fd = proc.finder;
            LatticeFit lf = proc.fit;
            double d = Math.atan2(lf.p[3], lf.p[2]) - a0;
            d -= 2 * Math.PI * Math.rint(d / (2 * Math.PI));
            turn[i] = d;
            double[] rows = new double[fd.n * 5];
            int m = 0;
            for (int j = 0; j < fd.n; j++) {
                if (!lf.used[j] || !(fd.gradVar[j] > 0)) continue;
                rows[m++] = lf.hi[j];
                rows[m++] = lf.ki[j];
                rows[m++] = fd.gradX[j];
                rows[m++] = fd.gradY[j];
                rows[m++] = fd.gradVar[j];
            }
            kept[i] = java.util.Arrays.copyOf(rows, m);
            best = Math.min(best, Math.abs(d));
        }
        if (best == Double.MAX_VALUE) return null;
        ContrastLabels c = new ContrastLabels(a0);
        for (int i = 0; i < k; i++) {
            if (kept[i] == null || Math.abs(turn[i]) > best + Math.toRadians(1.5)) continue;
            double cs = Math.cos(-turn[i]), sn = Math.sin(-turn[i]);
            double[] r = kept[i];
            for (int j = 0; j < r.length; j += 5) {
                int idx = index((int) r[j], (int) r[j + 1]);
                if (idx < 0) continue;
                double w = 1 / r[j + 4];
                c.gx[idx] += w * (cs * r[j + 2] - sn * r[j + 3]);
                c.gy[idx] += w * (sn * r[j + 2] + cs * r[j + 3]);
                c.wsum[idx] += w;
            }
            c.patterns++;
        }
        for (int i = 0; i < W * W; i++) {
            if (c.wsum[i] > 0) {
                c.gx[i] /= c.wsum[i];
                c.gy[i] /= c.wsum[i];
            }
        }
        return c;
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
        double[] g = {p[2], p[3], p[4], p[5]};
        double l1 = g[0] * g[0] + g[1] * g[1], l2 = g[2] * g[2] + g[3] * g[3], dt = g[0] * g[2] + g[1] * g[3];
        double tol = Lattice2.METRIC_TOL * Math.max(l1, l2);
        double own = Double.NaN, best = Double.MAX_VALUE;
        double[] out = null;
        for (int a = -2; a <= 2; a++) for (int b = -2; b <= 2; b++) for (int c = -2; c <= 2; c++) for (int d = -2; d <= 2; d++) {
            if (a * d - b * c != 1) continue;
            double x1 = a * g[0] + b * g[2], y1 = a * g[1] + b * g[3], x2 = c * g[0] + d * g[2], y2 = c * g[1] + d * g[3];
            if (Math.abs(x1 * x1 + y1 * y1 - l1) > tol || Math.abs(x2 * x2 + y2 * y2 - l2) > tol || Math.abs(x1 * x2 + y1 * y2 - dt) > tol) continue;
            double th = Math.atan2(y1, x1) - alpha0, cs = Math.cos(-th), sn = Math.sin(-th);
            double chi = 0;
            for (int i = 0; i < f.n; i++) {
                if (!fit.used[i] || !(f.gradVar[i] > 0)) continue;
                int h = fit.hi[i], k = fit.ki[i];
                int idx = index(h * d - k * c, -h * b + k * a);
                if (idx < 0 && h == 0 && k == 0) continue;
                if (idx < 0 || wsum[idx] == 0) {
                    chi += 2;
                    continue;
                }
                double rx = cs * f.gradX[i] - sn * f.gradY[i] - gx[idx], ry = sn * f.gradX[i] + cs * f.gradY[i] - gy[idx];
                chi += (rx * rx + ry * ry) / (f.gradVar[i] + 1 / wsum[idx]);
            }
            if (a == 1 && b == 0 && c == 0 && d == 1) own = chi;
            if (chi < best) {
                best = chi;
                out = new double[] {x1, y1, x2, y2};
            }
        }
        if (out == null || Double.isNaN(own) || best > own - MARGIN) return null;
        return out;
    }
}
