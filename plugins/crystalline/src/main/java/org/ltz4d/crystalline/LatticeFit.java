package org.ltz4d.crystalline;

/**
 * Per-thread lattice fit of one pattern's disks: index each disk on (origin, g1, g2) by rounding,
 * then weighted least squares p = o + h·g1 + k·g2 (weights 1/var of each centre), re-index, solve
 * again. x and y decouple and share the 3×3 normal matrix. No allocation per frame.
 */
final class LatticeFit {
    /** Variance floor (px²) added to each disk's centre variance, against model mismatch. */
    static final double VAR_FLOOR = 1e-5;

    final int[] hi;
    final int[] ki;
    final boolean[] used;
    private final double[] nm = new double[9];
    private final double[] l = new double[9];
    private final double[] bx = new double[3];
    private final double[] by = new double[3];

    /** Result: {ox, oy, g1x, g1y, g2x, g2y}. */
    final double[] p = new double[6];
    int indexed;
    double chi2Reduced;

    LatticeFit(int maxDisks) {
        hi = new int[maxDisks];
        ki = new int[maxDisks];
        used = new boolean[maxDisks];
    }

    /**
     * Indexes the disks on {@code seed} ({ox, oy, g1x, g1y, g2x, g2y}) within a tolerance of
     * {@code tolFraction}·min |g|; returns how many indexed.
     */
    int index(DiskFinder f, double[] seed, double tolFraction) {
        inCircle = 0;
        double g1x = seed[2], g1y = seed[3], g2x = seed[4], g2y = seed[5];
        double det = g1x * g2y - g1y * g2x;
        if (!(Math.abs(det) > 1e-9)) return 0;
        double tol = tolFraction * Math.min(Math.hypot(g1x, g1y), Math.hypot(g2x, g2y));
        double tol2 = tol * tol;
        int cnt = 0;
        for (int i = 0; i < f.n; i++) {
            double dx = f.x[i] - seed[0], dy = f.y[i] - seed[1];
            double fh = (dx * g2y - dy * g2x) / det;
            double fk = (g1x * dy - g1y * dx) / det;
            int h = (int) Math.rint(fh), k = (int) Math.rint(fk);
            double rx = dx - h * g1x - k * g2x, ry = dy - h * g1y - k * g2y;
            boolean inside = h * h * m11 + 2 * h * k * m12 + k * k * m22 <= maxRadius2;
            if (inside) inCircle++;
            used[i] = inside && rx * rx + ry * ry <= tol2;
            hi[i] = h;
            ki[i] = k;
            if (used[i]) cnt++;
        }
        return cnt;
    }

    /**
     * Only reflections (h, k) with |h·g1 + k·g2| ≤ √maxRadius2 (px) on the metric {@link #m11},
     * {@link #m12}, {@link #m22} (the set-up basis's) are fitted: a set of labels that is the same in
     * every orientation of the crystal and at every position (infinite: every disk).
     */
    double maxRadius2 = Double.POSITIVE_INFINITY;
    double m11, m12, m22;
    /** Disks within {@link #maxRadius2} at the last {@link #index}. */
    int inCircle;

    /** Extra per-disk variance (px²) estimated when the disks scatter more than their counts allow. */
    double extraVar;

    /**
     * Weighted least squares over the indexed disks; false when the indices do not span 2D. When
     * the reduced χ² exceeds 3 (real disks with inner contrast, distortion: errors beyond Poisson),
     * a common extra variance is estimated from the residuals and the fit repeated, so that one
     * bright disk (the direct beam) does not dominate on its Poisson weight alone.
     */
    boolean solve(DiskFinder f) {
        extraVar = 0;
        if (!solveOnce(f)) return false;
        double poissonChi2 = chi2Reduced;
        for (int it = 0; it < 2 && chi2Reduced > 3; it++) {
            double ss = 0, sv = 0;
            for (int i = 0; i < f.n; i++) {
                if (!used[i]) continue;
                double rx = f.x[i] - p[0] - hi[i] * p[2] - ki[i] * p[4];
                double ry = f.y[i] - p[1] - hi[i] * p[3] - ki[i] * p[5];
                ss += rx * rx + ry * ry;
                sv += 2 * f.var[i];
            }
            int dof = 2 * indexed - 6;
            extraVar = Math.max(extraVar, (ss - sv * dof / (2.0 * indexed)) / dof);
            if (!solveOnce(f)) return false;
        }
        chi2Reduced = poissonChi2; // reported against the counting errors alone
        return true;
    }

    private boolean solveOnce(DiskFinder f) {
        java.util.Arrays.fill(nm, 0);
        java.util.Arrays.fill(bx, 0);
        java.util.Arrays.fill(by, 0);
        int cnt = 0;
        for (int i = 0; i < f.n; i++) {
            if (!used[i]) continue;
            double w = 1 / (f.var[i] + VAR_FLOOR + extraVar);
            double h = hi[i], k = ki[i];
            nm[0] += w; nm[1] += w * h; nm[2] += w * k;
            nm[4] += w * h * h; nm[5] += w * h * k; nm[8] += w * k * k;
            bx[0] += w * f.x[i]; bx[1] += w * h * f.x[i]; bx[2] += w * k * f.x[i];
            by[0] += w * f.y[i]; by[1] += w * h * f.y[i]; by[2] += w * k * f.y[i];
            cnt++;
        }
        indexed = cnt;
        if (cnt < 3) return false;
        nm[3] = nm[1]; nm[6] = nm[2]; nm[7] = nm[5];
        if (!Small.cholesky(nm, 3, l)) return false;
        // reject nearly collinear index sets
        if (l[8] * l[8] < 1e-9 * nm[8]) return false;
        Small.cholSolve(l, 3, bx);
        Small.cholSolve(l, 3, by);
        p[0] = bx[0]; p[1] = by[0]; p[2] = bx[1]; p[3] = by[1]; p[4] = bx[2]; p[5] = by[2];
        double chi = 0;
        for (int i = 0; i < f.n; i++) {
            if (!used[i]) continue;
            double rx = f.x[i] - p[0] - hi[i] * p[2] - ki[i] * p[4];
            double ry = f.y[i] - p[1] - hi[i] * p[3] - ki[i] * p[5];
            chi += (rx * rx + ry * ry) / (f.var[i] + VAR_FLOOR + extraVar);
        }
        int dof = 2 * cnt - 6;
        chi2Reduced = dof > 0 ? chi / dof : Double.NaN;
        return true;
    }
}
