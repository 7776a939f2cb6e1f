package org.ltz4d.derivers;

import java.util.Optional;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.param.Roi;

/**
 * Linear error propagation for the derivers: the fitters give per position the standard errors
 * and correlations of their fitted values from the inverse Fisher information (for the ring:
 * {@code ring/sigma_q11|q12|q22}, {@code ring/corr_q11_q12|q11_q22|q12_q22}); a derived quantity
 * f(q) gets var f = J·Cov(q)·Jᵀ with J its Jacobian at the fitted q, plus the reference's share.
 */
final class Uncertainty {

    /** 1/(asymptotic efficiency of the median): var(median) ≈ (π/2)·σ²/N for normal data. */
    static final double MEDIAN_VARIANCE_FACTOR = Math.PI / 2;

    /** The six maps of the ring form's covariance, when the fitter wrote them. */
    record FormCovariance(DataMap s11, DataMap s12, DataMap s22, DataMap c1112, DataMap c1122, DataMap c1222) {

        static Optional<FormCovariance> of(MapSet inputs, Shape nav) {
            Optional<DataMap> s11 = scanMap(inputs, "ring/sigma_q11", nav), s12 = scanMap(inputs, "ring/sigma_q12", nav),
                    s22 = scanMap(inputs, "ring/sigma_q22", nav), c1 = scanMap(inputs, "ring/corr_q11_q12", nav),
                    c2 = scanMap(inputs, "ring/corr_q11_q22", nav), c3 = scanMap(inputs, "ring/corr_q12_q22", nav);
            if (s11.isEmpty() || s12.isEmpty() || s22.isEmpty() || c1.isEmpty() || c2.isEmpty() || c3.isEmpty()) return Optional.empty();
            return Optional.of(new FormCovariance(s11.get(), s12.get(), s22.get(), c1.get(), c2.get(), c3.get()));
        }

        /** Cov(q11, q12, q22) at position i as a row-major 3×3 matrix into {@code out}. */
        void at(int i, double[] out) {
            double a = s11.get(i), b = s12.get(i), c = s22.get(i);
            out[0] = a * a;
            out[4] = b * b;
            out[8] = c * c;
            out[1] = out[3] = c1112.get(i) * a * b;
            out[2] = out[6] = c1122.get(i) * a * c;
            out[5] = out[7] = c1222.get(i) * b * c;
        }

        /** The median covariance over an ROI (element-wise medians of the finite entries). */
        double[] medianOver(Roi roi, int cols) {
            double[] m = new double[9];
            double[][] v = new double[9][roi.size()];
            double[] c = new double[9];
            int n = 0;
            for (int r = roi.r0(); r < roi.r1(); r++) {
                for (int x = roi.c0(); x < roi.c1(); x++) {
                    at(r * cols + x, c);
                    if (!finite(c)) continue;
                    for (int k = 0; k < 9; k++) v[k][n] = c[k];
                    n++;
                }
            }
            for (int k = 0; k < 9; k++) m[k] = Maps.median(v[k], n);
            return m;
        }
    }

    private Uncertainty() {
    }

    static Optional<DataMap> scanMap(MapSet inputs, String path, Shape nav) {
        return inputs.get(path).filter(m -> m.shape().equals(nav));
    }

    static boolean finite(double[] v) {
        for (double x : v) if (!Double.isFinite(x)) return false;
        return true;
    }

    /** gᵀ·C·g for a 3-vector g and a row-major 3×3 C. */
    static double quadratic(double[] g, int off, double[] c) {
        double s = 0;
        for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) s += g[off + a] * c[a * 3 + b] * g[off + b];
        return s;
    }

    /** Median of the finite squares of a map's values (a typical variance). */
    static double medianSquare(DataMap m) {
        double[] v = new double[m.size()];
        int n = 0;
        for (int i = 0; i < v.length; i++) {
            double x = m.get(i);
            if (Double.isFinite(x)) v[n++] = x * x;
        }
        return Maps.select(v, n);
    }

    /**
     * Variance of a reference map (e.g. the vacuum scan's beam centres, whose fitter gives no
     * standard error) from its robust scatter about a parabola over the scan: (1.4826·MAD)².
     */
    static double residualVariance(float[] v, int rows, int cols) {
        RobustSurface s;
        try {
            s = RobustSurface.fit(v, rows, cols, null, RobustSurface.Kind.PARABOLA);
        } catch (IllegalArgumentException e) {
            return Double.NaN;
        }
        float[] fit = s.evaluate(rows, cols);
        double[] r = new double[v.length];
        int n = 0;
        for (int i = 0; i < v.length; i++) {
            double d = (double) v[i] - fit[i];
            if (Double.isFinite(d)) r[n++] = Math.abs(d);
        }
        double mad = 1.4826 * Maps.select(r, n);
        return mad * mad;
    }
}
