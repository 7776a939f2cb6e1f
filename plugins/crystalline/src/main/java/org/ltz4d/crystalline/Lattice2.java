package org.ltz4d.crystalline;

/**
 * 2D lattice bases as {g1x, g1y, g2x, g2y} (px or any unit): reduction, handedness, equivalent
 * bases, and detection of a basis from a set of spot positions.
 */
final class Lattice2 {
    private Lattice2() {
    }

    static double det(double[] g) {
        return g[0] * g[3] - g[1] * g[2];
    }

    static double len(double x, double y) {
        return Math.hypot(x, y);
    }

    /** Lagrange–Gauss reduction in place: |g1| ≤ |g2| ≤ |g2 ± g1|, then right-handed (det &gt; 0) by flipping g2's sign if needed... see {@link #rightHanded}. */
    static double[] reduce(double[] g) {
        double[] a = {g[0], g[1]}, b = {g[2], g[3]};
        for (int it = 0; it < 100; it++) {
            if (a[0] * a[0] + a[1] * a[1] > b[0] * b[0] + b[1] * b[1]) {
                double[] t = a; a = b; b = t;
            }
            double aa = a[0] * a[0] + a[1] * a[1];
            double mu = Math.rint((a[0] * b[0] + a[1] * b[1]) / aa);
            if (mu == 0) break;
            b[0] -= mu * a[0];
            b[1] -= mu * a[1];
        }
        return new double[] {a[0], a[1], b[0], b[1]};
    }

    /** Acute angle between g1 and g2 lines, degrees in [0, 90]. */
    static double acuteAngleDeg(double[] g) {
        double c = Math.abs(g[0] * g[2] + g[1] * g[3]) / (len(g[0], g[1]) * len(g[2], g[3]));
        return Math.toDegrees(Math.acos(Math.min(1, c)));
    }

    /** Makes det &gt; 0 by negating g2 (an equivalent basis up to a mirror of the labels). */
    static double[] rightHanded(double[] g) {
        return det(g) >= 0 ? g : new double[] {g[0], g[1], -g[2], -g[3]};
    }

    /**
     * Among the bases M·(g1, g2) with integer M (entries −2..2, det M = +1) that have the metric of
     * the lattice's reduced basis taken acute (both lengths and g1·g2 = +|g1·g2| within {@link #METRIC_TOL}): the
     * lattice's own rotations of one labelling (60° steps for hexagonal, 90° for square, 180°
     * otherwise), never a basis of the same lengths at the supplementary angle, which is a mirror of
     * them. Returns the one closest to {@code ref} (sum of squared differences), so labels are
     * consistent across grains and frames whatever {@code ref} is. A lattice without an acute basis of
     * its reduced lengths (oblique, obtuse) keeps the reduced basis's own |g1·g2|.
     */
    /**
     * Relative tolerance on squared lengths and g1·g2 for "the same metric": 8 % (4 % in length) also
     * takes the lattice of a scan's mean pattern, which a mixture of strained grains distorts.
     */
    static final double METRIC_TOL = 0.08;

    static double[] closestEquivalent(double[] g, double[] ref) {
        double[] red = rightHanded(reduce(g));
        double l1 = red[0] * red[0] + red[1] * red[1], l2 = red[2] * red[2] + red[3] * red[3], d = Math.abs(red[0] * red[2] + red[1] * red[3]);
        double tol = METRIC_TOL * Math.max(l1, l2);
        double[] out = closest(red, ref, l1, l2, d, false, tol);
        if (out == null) out = closest(red, ref, l1, l2, d, true, tol);
        return out == null ? red : out;
    }

    private static double[] closest(double[] red, double[] ref, double m11, double m22, double m12, boolean absDot, double tol) {
        double best = Double.MAX_VALUE;
        double[] out = null;
        for (int a = -2; a <= 2; a++) for (int b = -2; b <= 2; b++) for (int c = -2; c <= 2; c++) for (int d = -2; d <= 2; d++) {
            if (a * d - b * c != 1) continue;
            double x1 = a * red[0] + b * red[2], y1 = a * red[1] + b * red[3];
            double x2 = c * red[0] + d * red[2], y2 = c * red[1] + d * red[3];
            double dot = x1 * x2 + y1 * y2;
            if (Math.abs(x1 * x1 + y1 * y1 - m11) > tol || Math.abs(x2 * x2 + y2 * y2 - m22) > tol
                    || Math.abs((absDot ? Math.abs(dot) : dot) - (absDot ? Math.abs(m12) : m12)) > tol) continue;
            double s = sq(x1 - ref[0]) + sq(y1 - ref[1]) + sq(x2 - ref[2]) + sq(y2 - ref[3]);
            if (s < best) {
                best = s;
                out = new double[] {x1, y1, x2, y2};
            }
        }
        return out;
    }

    /**
     * A basis from spots relative to an origin spot: among pairs of the shortest difference
     * vectors (up to 10), the pair whose lattice indexes the most spots (within 0.15 of the
     * shorter |g|), ties going to the smaller cell; reduced and right-handed. Null when there are
     * not two independent vectors. Robust to a few spurious spots or a second, weaker grain.
     */
    static double[] detect(double[] xs, double[] ys, int n, int origin, double minLength) {
        double ox = xs[origin], oy = ys[origin];
        int k = Math.min(10, n - 1);
        int[] idx = new int[k];
        double[] len = new double[k];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (i == origin) continue;
            double l = len(xs[i] - ox, ys[i] - oy);
            if (l < minLength) continue;
            int j = Math.min(m, k - 1);
            if (m == k && l >= len[k - 1]) continue;
            while (j > 0 && len[j - 1] > l) { len[j] = len[j - 1]; idx[j] = idx[j - 1]; j--; }
            len[j] = l; idx[j] = i;
            if (m < k) m++;
        }
        double[] best = null;
        int bestCount = -1;
        double bestArea = Double.MAX_VALUE;
        for (int a = 0; a < m; a++) for (int b = a + 1; b < m; b++) {
            double ax = xs[idx[a]] - ox, ay = ys[idx[a]] - oy, bx = xs[idx[b]] - ox, by = ys[idx[b]] - oy;
            double area = Math.abs(ax * by - ay * bx);
            if (area < 0.3 * len[a] * len[b]) continue;
            double[] g = reduce(new double[] {ax, ay, bx, by});
            double det = det(g);
            double tol = 0.15 * Math.min(len(g[0], g[1]), len(g[2], g[3]));
            int cnt = 0;
            for (int i = 0; i < n; i++) {
                double dx = xs[i] - ox, dy = ys[i] - oy;
                double fh = Math.rint((dx * g[3] - dy * g[2]) / det), fk = Math.rint((g[0] * dy - g[1] * dx) / det);
                if (len(dx - fh * g[0] - fk * g[2], dy - fh * g[1] - fk * g[3]) <= tol) cnt++;
            }
            if (cnt > bestCount || (cnt == bestCount && area < bestArea * 0.99)) {
                bestCount = cnt;
                bestArea = area;
                best = g;
            }
        }
        return best == null ? null : rightHanded(best);
    }

    static double sq(double v) {
        return v * v;
    }
}
