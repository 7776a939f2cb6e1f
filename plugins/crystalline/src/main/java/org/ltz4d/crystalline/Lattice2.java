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
     * Among the bases M·(g1, g2) with integer M (entries −2..2, det M = +1) the one closest to
     * {@code ref} (sum of squared differences): consistent labels across grains and frames.
     */
    static double[] closestEquivalent(double[] g, double[] ref) {
        double best = Double.MAX_VALUE;
        double[] out = g.clone();
        for (int a = -2; a <= 2; a++) for (int b = -2; b <= 2; b++) for (int c = -2; c <= 2; c++) for (int d = -2; d <= 2; d++) {
            if (a * d - b * c != 1) continue;
            double x1 = a * g[0] + b * g[2], y1 = a * g[1] + b * g[3];
            double x2 = c * g[0] + d * g[2], y2 = c * g[1] + d * g[3];
            double s = sq(x1 - ref[0]) + sq(y1 - ref[1]) + sq(x2 - ref[2]) + sq(y2 - ref[3]);
            if (s < best) {
                best = s;
                out = new double[] {x1, y1, x2, y2};
            }
        }
        return out;
    }

    /**
     * A basis from spots relative to an origin spot: the shortest difference vector, then the
     * shortest one not nearly parallel to it; reduced and right-handed. Null when there are not two
     * independent vectors.
     */
    static double[] detect(double[] xs, double[] ys, int n, int origin, double minLength) {
        double ox = xs[origin], oy = ys[origin];
        int ia = -1;
        double la = Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            double l = len(xs[i] - ox, ys[i] - oy);
            if (i != origin && l >= minLength && l < la) { la = l; ia = i; }
        }
        if (ia < 0) return null;
        double ax = xs[ia] - ox, ay = ys[ia] - oy;
        int ib = -1;
        double lb = Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            if (i == origin || i == ia) continue;
            double bx = xs[i] - ox, by = ys[i] - oy;
            double l = len(bx, by);
            if (l < minLength) continue;
            if (Math.abs(ax * by - ay * bx) < 0.3 * la * l) continue;
            if (l < lb) { lb = l; ib = i; }
        }
        if (ib < 0) return null;
        return rightHanded(reduce(new double[] {ax, ay, xs[ib] - ox, ys[ib] - oy}));
    }

    static double sq(double v) {
        return v * v;
    }
}
