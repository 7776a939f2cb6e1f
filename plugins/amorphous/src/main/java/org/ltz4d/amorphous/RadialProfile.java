package org.ltz4d.amorphous;

import org.apache.commons.math3.analysis.interpolation.SplineInterpolator;
import org.apache.commons.math3.analysis.polynomials.PolynomialSplineFunction;

/**
 * A radial profile P(ρ) measured from the data, as a function of the normalised elliptic radius
 * ρ = sqrt((p − c)ᵀQ(p − c)) (ρ = 1 on the first ring's ridge once {@link RingSetup} has
 * normalised Q): bin means of counts over ρ, a natural cubic spline through them (commons-math3),
 * tabulated with its derivative on a fine grid for the per-frame hot loop (linear interpolation of
 * both tables; the grid is 1/8 of a bin, so the interpolation error is far below the profile's own
 * noise). Immutable once built; shared by the solvers of a run.
 */
final class RadialProfile {
    /** Fine tables: P and dP/dρ at ρ = rho0 + k·h. */
    final double[] p, d;
    final double rho0, h, invH;
    /** Range of ρ the bins covered (the spline is clamped outside it). */
    final double lo, hi;

    private RadialProfile(double[] p, double[] d, double rho0, double h, double lo, double hi) {
        this.p = p;
        this.d = d;
        this.rho0 = rho0;
        this.h = h;
        this.invH = 1 / h;
        this.lo = lo;
        this.hi = hi;
    }

    /** Accumulates counts into ρ bins of width {@code binW} starting at {@code start}. */
    static final class Bins {
        final double start, binW;
        final double[] sum, cnt;

        Bins(double start, double end, double binW) {
            this.start = start;
            this.binW = binW;
            int n = (int) Math.ceil((end - start) / binW);
            sum = new double[n];
            cnt = new double[n];
        }

        /** Adds the pixels of the mean pattern at ρ of (c, Q), unscaled. */
        void add(float[] img, int rows, int cols, boolean[] skip, double cx, double cy, double q11, double q12, double q22) {
            add(img, 0, rows, cols, skip, new double[] {cx, cy, q11, q12, q22, 1, 0, 0}, new double[] {q11, q12, q22, 0});
        }

        /**
         * Adds the pixels of {@code img} (rows × cols, from {@code off}) not flagged in {@code skip}
         * at ρ of the fitted θ of {@link ProfileSolver}, inverting its model: (value − B0 − B1·(ρ₀ − 1))
         * / (A·exp(κ·(ρ − ρ₀))), with {@code ref} = {r11, r12, r22, κ}.
         */
        void add(float[] img, int off, int rows, int cols, boolean[] skip, double[] th, double[] ref) {
            double cx = th[0], cy = th[1], q11 = th[2], q12 = th[3], q22 = th[4], a = th[5], b0 = th[6], b1 = th[7];
            double inv = 1 / a, end = start + sum.length * binW, invW = 1 / binW;
            for (int r = 0; r < rows; r++) {
                double dy = r - cy;
                for (int c = 0; c < cols; c++) {
                    if (skip != null && skip[r * cols + c]) continue;
                    double dx = c - cx;
                    double rho = Math.sqrt(q11 * dx * dx + 2 * q12 * dx * dy + q22 * dy * dy);
                    if (rho < start || rho >= end) continue;
                    double v = img[off + r * cols + c];
                    if (!Double.isFinite(v)) continue;
                    double rho0 = Math.sqrt(ref[0] * dx * dx + 2 * ref[1] * dx * dy + ref[2] * dy * dy);
                    int b = (int) ((rho - start) * invW);
                    sum[b] += (v - b0 - b1 * (rho0 - 1)) * inv * Math.exp(-ref[3] * (rho - rho0));
                    cnt[b]++;
                }
            }
        }

        /** Bin mean at bin i (NaN if empty). */
        double mean(int i) {
            return cnt[i] > 0 ? sum[i] / cnt[i] : Double.NaN;
        }

        /** The profile through the bin means (bins with fewer than {@code minCount} pixels left out). */
        RadialProfile profile(int minCount) {
            int n = sum.length, m = 0;
            double[] x = new double[n], y = new double[n];
            for (int i = 0; i < n; i++) {
                if (cnt[i] < minCount) continue;
                x[m] = start + (i + 0.5) * binW;
                y[m++] = sum[i] / cnt[i];
            }
            if (m < 8) return null;
            return spline(java.util.Arrays.copyOf(x, m), java.util.Arrays.copyOf(y, m), binW / 8);
        }
    }

    /** The profile of a known function f(ρ), sampled every {@code step} on [lo, hi] (tests, simulated profiles). */
    static RadialProfile sampled(java.util.function.DoubleUnaryOperator f, double lo, double hi, double step) {
        int n = (int) Math.ceil((hi - lo) / step) + 1;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = lo + i * step;
            y[i] = f.applyAsDouble(x[i]);
        }
        return spline(x, y, step / 8);
    }

    /** Natural cubic spline through (x, y), tabulated with its derivative every {@code h}. */
    private static RadialProfile spline(double[] x, double[] y, double h) {
        PolynomialSplineFunction s = new SplineInterpolator().interpolate(x, y);
        PolynomialSplineFunction ds = s.polynomialSplineDerivative();
        double lo = x[0], hi = x[x.length - 1];
        int nt = (int) Math.ceil((hi - lo) / h) + 2;
        double[] p = new double[nt], d = new double[nt];
        for (int k = 0; k < nt; k++) {
            double r = Math.min(hi, lo + k * h);
            p[k] = s.value(r);
            d[k] = lo + k * h > hi ? 0 : ds.value(r);
        }
        return new RadialProfile(p, d, lo, h, lo, hi);
    }

    /** Puts the tables into a set-up: {@code profile_p}, {@code profile_d}, {@code profile_grid} {ρ₀, h, lo, hi}. */
    void put(org.ltz4d.api.analysis.FitSetup.Builder b) {
        b.put("profile_p", p).put("profile_d", d).put("profile_grid", rho0, h, lo, hi);
    }

    /** The profile {@link #put} wrote: the very tables (bit for bit), not a new spline. */
    static RadialProfile from(org.ltz4d.api.analysis.FitSetup s) {
        double[] p = s.values("profile_p"), d = s.values("profile_d"), g = SetupValues.values(s, "profile_grid", 4);
        if (p.length < 2 || d.length != p.length) {
            throw SetupValues.bad("profile_d", "as many values as profile_p (≥ 2)", d.length + " and " + p.length);
        }
        if (!(g[1] > 0) || !(g[3] >= g[2])) throw SetupValues.bad("profile_grid", "{ρ₀, h > 0, lo ≤ hi}", java.util.Arrays.toString(g));
        return new RadialProfile(p, d, g[0], g[1], g[2], g[3]);
    }

    /** P(ρ) (clamped to the measured range). */
    double value(double rho) {
        double x = (rho - rho0) * invH;
        x = x < 0 ? 0 : (x > p.length - 2 ? p.length - 2 : x);
        int i = (int) x;
        return p[i] + (x - i) * (p[i + 1] - p[i]);
    }

    /** dP/dρ (0 outside the measured range). */
    double slope(double rho) {
        if (rho < lo || rho > hi) return 0;
        double x = (rho - rho0) * invH;
        x = x < 0 ? 0 : (x > d.length - 2 ? d.length - 2 : x);
        int i = (int) x;
        return d[i] + (x - i) * (d[i + 1] - d[i]);
    }

    /**
     * The peak of P in [a, b]: the vertex of a least-squares parabola through the cap around the
     * largest value (where P is within a fifth of the window's swing of it) — robust to the noise
     * wiggles of a measured profile's flat top, which move the plain maximum. NaN without a vertex.
     */
    double peak(double a, double b) {
        double best = Double.NEGATIVE_INFINITY, at = Double.NaN, low = Double.POSITIVE_INFINITY;
        a = Math.max(a, lo);
        b = Math.min(b, hi);
        for (double r = a; r <= b; r += h) {
            double v = value(r);
            if (v > best) { best = v; at = r; }
            low = Math.min(low, v);
        }
        double cut = best - 0.2 * (best - low);
        double r0 = at, r1 = at;
        while (r0 - h >= a && value(r0 - h) >= cut) r0 -= h;
        while (r1 + h <= b && value(r1 + h) >= cut) r1 += h;
        // normal equations of v ≈ c0 + c1·x + c2·x², x = r − at
        double[] m = new double[5], y = new double[3];
        for (double r = r0; r <= r1 + 0.5 * h; r += h) {
            double x = r - at, v = value(r), xx = 1;
            for (int k = 0; k < 5; k++) {
                m[k] += xx;
                if (k < 3) y[k] += v * xx;
                xx *= x;
            }
        }
        org.ejml.data.DMatrixRMaj nm = new org.ejml.data.DMatrixRMaj(3, 3), ny = new org.ejml.data.DMatrixRMaj(3, 1), c = new org.ejml.data.DMatrixRMaj(3, 1);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) nm.set(i, j, m[i + j]);
            ny.set(i, 0, y[i]);
        }
        if (!org.ejml.dense.row.CommonOps_DDRM.solve(nm, ny, c) || !(c.get(2, 0) < 0)) return at;
        double v = at - c.get(1, 0) / (2 * c.get(2, 0));
        return v >= r0 - h && v <= r1 + h ? v : at;
    }

    /**
     * The valley of P from {@code from} (a peak) towards {@code to}: the lowest point before P
     * rises again by a tenth of its whole swing on that side (a next ring or the direct beam, not a
     * noise wiggle of a measured profile); the lowest point when P never rises so.
     */
    double valley(double from, double to) {
        double step = Math.copySign(h, to - from), top = value(from);
        double end = Math.max(lo, Math.min(hi, to));
        double lowest = top;
        for (double r = from + step; (end - r) * step >= 0; r += step) lowest = Math.min(lowest, value(r));
        double rise = 0.1 * (top - lowest);
        double min = top, at = from;
        for (double r = from + step; (end - r) * step >= 0; r += step) {
            double v = value(r);
            if (v < min) {
                min = v;
                at = r;
            } else if (v - min > rise) {
                return at;
            }
        }
        return at;
    }

    /** A copy whose argument is scaled: the new profile at ρ' equals this one at ρ'·s. */
    RadialProfile rescaled(double s) {
        int nt = p.length;
        double[] dd = new double[nt];
        for (int k = 0; k < nt; k++) dd[k] = d[k] * s;
        return new RadialProfile(p.clone(), dd, rho0 / s, h / s, lo / s, hi / s);
    }
}
