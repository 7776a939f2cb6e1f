package org.ltz4d.derivers;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.ltz4d.api.param.Roi;

/**
 * A robust fit of a plane (1, x, y) or a parabola (1, x, y, x², xy, y²) to a scan map, by
 * iteratively reweighted least squares: Huber weights (k = 1.345) from the ordinary fit to
 * convergence, then Tukey's biweight (c = 4.685) from there, the scale being 1.4826·MAD of
 * the residuals. Outliers (domains, failed fits) thus get zero weight. Coordinates are the scan
 * column (x) and row (y), normalised to [-1, 1] over the scan for conditioning.
 */
final class RobustSurface {

    enum Kind {
        PLANE(3), PARABOLA(6);

        final int terms;

        Kind(int terms) {
            this.terms = terms;
        }
    }

    private static final double HUBER = 1.345;
    private static final double TUKEY = 4.685;

    final Kind kind;
    final double[] coefficients;
    final int used;
    final int downweighted;
    /** IRLS iterations used (Huber and Tukey stages together). */
    int iterations;
    private final double xc;
    private final double xs;
    private final double yc;
    private final double ys;

    private RobustSurface(Kind kind, double[] coefficients, int used, int downweighted, int rows, int cols) {
        this.kind = kind;
        this.coefficients = coefficients;
        this.used = used;
        this.downweighted = downweighted;
        this.xc = (cols - 1) / 2.0;
        this.xs = Math.max(1, (cols - 1) / 2.0);
        this.yc = (rows - 1) / 2.0;
        this.ys = Math.max(1, (rows - 1) / 2.0);
    }

    /** A given surface (e.g. fitted to an earlier scan of the same shape) over a rows×cols scan. */
    static RobustSurface of(Kind kind, double[] coefficients, int rows, int cols) {
        if (coefficients.length != kind.terms) throw new IllegalArgumentException(kind.terms + " coefficients, not " + coefficients.length);
        return new RobustSurface(kind, coefficients.clone(), 0, 0, rows, cols);
    }

    /**
     * Fits {@code values} (row-major rows×cols, NaN ignored) over {@code roi} (null = the whole
     * scan). Throws IllegalArgumentException when fewer finite positions than 2× the terms remain.
     */
    static RobustSurface fit(float[] values, int rows, int cols, Roi roi, Kind kind) {
        Roi r = roi == null ? new Roi(0, rows, 0, cols) : roi;
        int p = kind.terms;
        int n = 0;
        for (int y = r.r0(); y < r.r1(); y++) for (int x = r.c0(); x < r.c1(); x++) if (Float.isFinite(values[y * cols + x])) n++;
        if (n < 2 * p) {
            throw new IllegalArgumentException("a robust " + kind.name().toLowerCase() + " fit needs at least " + 2 * p
                    + " positions with a value, found " + n);
        }
        RobustSurface shape = new RobustSurface(kind, new double[p], n, 0, rows, cols);
        double[] basis = new double[n * p];
        double[] z = new double[n];
        double[] row = new double[p];
        int k = 0;
        for (int y = r.r0(); y < r.r1(); y++) {
            for (int x = r.c0(); x < r.c1(); x++) {
                float v = values[y * cols + x];
                if (!Float.isFinite(v)) continue;
                shape.basis(x, y, row);
                System.arraycopy(row, 0, basis, k * p, p);
                z[k++] = v;
            }
        }
        double[] w = new double[n];
        java.util.Arrays.fill(w, 1);
        double[] beta = solve(basis, z, w, n, p);
        double[] res = new double[n];
        double[] tmp = new double[n];
        double zmax = 0;
        for (double v : z) zmax = Math.max(zmax, Math.abs(v));
        double floor = 1e-9 * (1 + zmax);
        int iterations = 0;
        for (int stage = 0; stage < 2; stage++) {
            boolean tukey = stage == 1;
            for (int it = 0; it < 60; it++) {
                residuals(basis, z, beta, n, p, res);
                double s = Math.max(1.4826 * mad(res, tmp, n), floor);
                double c = (tukey ? TUKEY : HUBER) * s;
                for (int i = 0; i < n; i++) {
                    double a = Math.abs(res[i]);
                    if (tukey) {
                        double u = a / c;
                        w[i] = u < 1 ? (1 - u * u) * (1 - u * u) : 0;
                    } else {
                        w[i] = a <= c ? 1 : c / a;
                    }
                }
                double[] next = solve(basis, z, w, n, p);
                double change = 0;
                double norm = 0;
                for (int j = 0; j < p; j++) {
                    change = Math.max(change, Math.abs(next[j] - beta[j]));
                    norm = Math.max(norm, Math.abs(next[j]));
                }
                beta = next;
                iterations++;
                // converged when the surface moves by far less than the residual scale (or by rounding only)
                if (change <= Math.max(1e-10 * (1 + norm), 1e-6 * s)) break;
            }
        }
        int down = 0;
        for (int i = 0; i < n; i++) if (w[i] < 0.5) down++;
        RobustSurface out = new RobustSurface(kind, beta, n, down, rows, cols);
        out.iterations = iterations;
        return out;
    }

    /** The fitted value at scan position (row, col). */
    double at(int row, int col) {
        double[] b = new double[kind.terms];
        basis(col, row, b);
        double s = 0;
        for (int j = 0; j < b.length; j++) s += b[j] * coefficients[j];
        return s;
    }

    /** The fitted surface over the whole rows×cols scan. */
    float[] evaluate(int rows, int cols) {
        float[] out = new float[rows * cols];
        double[] b = new double[kind.terms];
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                basis(x, y, b);
                double s = 0;
                for (int j = 0; j < b.length; j++) s += b[j] * coefficients[j];
                out[y * cols + x] = (float) s;
            }
        }
        return out;
    }

    private void basis(int x, int y, double[] out) {
        double u = (x - xc) / xs;
        double v = (y - yc) / ys;
        out[0] = 1;
        out[1] = u;
        out[2] = v;
        if (kind == Kind.PARABOLA) {
            out[3] = u * u;
            out[4] = u * v;
            out[5] = v * v;
        }
    }

    /**
     * Weighted least squares through the normal equations XᵀWX·β = XᵀWz: one pass over the
     * positions (p ≤ 6 terms on coordinates normalised to [-1, 1], so the p×p system is well
     * conditioned), solved with EJML's Cholesky solver.
     */
    private static double[] solve(double[] basis, double[] z, double[] w, int n, int p) {
        DMatrixRMaj ata = new DMatrixRMaj(p, p);
        DMatrixRMaj atb = new DMatrixRMaj(p, 1);
        double[] m = ata.data;
        double[] v = atb.data;
        int kept = 0;
        for (int i = 0; i < n; i++) {
            double wi = w[i];
            if (wi <= 0) continue;
            kept++;
            int o = i * p;
            for (int j = 0; j < p; j++) {
                double bj = wi * basis[o + j];
                v[j] += bj * z[i];
                for (int k = j; k < p; k++) m[j * p + k] += bj * basis[o + k];
            }
        }
        if (kept < p) throw new IllegalArgumentException("robust fit: fewer than " + p + " positions keep a weight");
        for (int j = 0; j < p; j++) for (int k = 0; k < j; k++) m[j * p + k] = m[k * p + j];
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.chol(p);
        if (!solver.setA(ata)) throw new IllegalArgumentException("robust fit: the positions do not determine a " + (p == 3 ? "plane" : "parabola"));
        DMatrixRMaj x = new DMatrixRMaj(p, 1);
        solver.solve(atb, x);
        return x.data.clone();
    }

    private static void residuals(double[] basis, double[] z, double[] beta, int n, int p, double[] res) {
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < p; j++) s += basis[i * p + j] * beta[j];
            res[i] = z[i] - s;
        }
    }

    private static double mad(double[] res, double[] tmp, int n) {
        System.arraycopy(res, 0, tmp, 0, n);
        double med = Maps.select(tmp, n);
        for (int i = 0; i < n; i++) tmp[i] = Math.abs(res[i] - med);
        return Maps.select(tmp, n);
    }
}
