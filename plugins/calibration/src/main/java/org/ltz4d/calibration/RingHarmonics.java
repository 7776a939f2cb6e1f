package org.ltz4d.calibration;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The radius of one diffraction ring as a function of azimuth, measured on a (mean) pattern, as a
 * polar-harmonic model r(φ) = r₀·(1 + Σ_n a_n·cos nφ + b_n·sin nφ), n ∈ {2, 3, 4, 6}; the n = 1
 * term is a centre offset, removed by re-centring (three rounds). φ from +x towards +y in array
 * coordinates (DESIGN.md §2), pixel centres at integer indices.
 *
 * <p>Method: the azimuthal-mean radial profile T(r) around the centre (0.25 px bins) is the
 * template; in each of {@code sectors} azimuthal sectors the pixels of the annulus are fitted by
 * a·T(r − δ) + b (Gauss–Newton in a, b, δ, least squares), giving the sector's radial shift δ_k
 * and its standard error from the residuals. Then r_k = r̄ + δ_k (r̄ the parabolic peak of T) are
 * fitted by weighted linear least squares with r₀, the two centre terms and a_n, b_n; the
 * coefficients' standard errors come from that fit's covariance, scaled by its reduced χ² when
 * that exceeds 1.
 */
public final class RingHarmonics {
    public static final int[] ORDERS = {2, 3, 4, 6};

    /** The measured ring: centre (px), r₀ (px) and σ(r₀), a_n and b_n with σ (dimensionless, in {@link #ORDERS} order), sectors used, reduced χ². */
    public record Result(double cx, double cy, double r0, double r0Sigma, double[] a, double[] b, double[] aSigma, double[] bSigma,
            int sectors, double chi2Reduced) {
        /** Amplitude sqrt(a_n² + b_n²) of order n. */
        public double amplitude(int order) {
            for (int i = 0; i < ORDERS.length; i++) if (ORDERS[i] == order) return Math.hypot(a[i], b[i]);
            throw new IllegalArgumentException("order " + order + " not in the model");
        }

        /** Angle (deg) of a maximum of order n: φ_n with a_n·cos nφ + b_n·sin nφ = amplitude·cos n(φ − φ_n). */
        public double angleDeg(int order) {
            for (int i = 0; i < ORDERS.length; i++) if (ORDERS[i] == order) return Math.toDegrees(Math.atan2(b[i], a[i]) / order);
            throw new IllegalArgumentException("order " + order + " not in the model");
        }
    }

    private RingHarmonics() {
    }

    /**
     * Measures the ring nearest {@code rGuess} (px) in [rGuess·(1 − halfWidth), rGuess·(1 + halfWidth)]
     * around the starting centre (cx, cy). Throws IllegalArgumentException naming the problem when
     * the ring is not measurable (too few pixels, no peak).
     */
    public static Result measure(double[] pattern, int rows, int cols, double cx, double cy, double rGuess, double halfWidth, int sectors) {
        double rLo = rGuess * (1 - halfWidth), rHi = rGuess * (1 + halfWidth);
        Result res = null;
        for (int round = 0; round < 4; round++) {
            res = once(pattern, rows, cols, cx, cy, rLo, rHi, sectors);
            double moved = Math.hypot(res.cx - cx, res.cy - cy);
            cx = res.cx;
            cy = res.cy;
            if (moved < 1e-3) break;
        }
        return res;
    }

    private static Result once(double[] pattern, int rows, int cols, double cx, double cy, double rLo, double rHi, int sectors) {
        double h = 0.25;
        int nb = (int) Math.ceil((rHi - rLo) / h) + 1;
        double[] tSum = new double[nb];
        int[] tCnt = new int[nb];
        int r0 = (int) Math.max(0, Math.floor(cy - rHi)), r1 = (int) Math.min(rows - 1, Math.ceil(cy + rHi));
        int c0 = (int) Math.max(0, Math.floor(cx - rHi)), c1 = (int) Math.min(cols - 1, Math.ceil(cx + rHi));
        for (int r = r0; r <= r1; r++) {
            for (int c = c0; c <= c1; c++) {
                double rr = Math.hypot(c - cx, r - cy);
                if (rr < rLo || rr > rHi) continue;
                double v = pattern[r * cols + c];
                if (!Double.isFinite(v)) continue;
                int b = (int) Math.round((rr - rLo) / h);
                tSum[b] += v;
                tCnt[b]++;
            }
        }
        double[] t = new double[nb];
        int empty = 0;
        for (int b = 0; b < nb; b++) {
            if (tCnt[b] == 0) {
                empty++;
                t[b] = b > 0 ? t[b - 1] : Double.NaN;
            } else {
                t[b] = tSum[b] / tCnt[b];
            }
        }
        if (empty > nb / 10 || Double.isNaN(t[0])) {
            throw new IllegalArgumentException("the ring between " + fmt(rLo) + " and " + fmt(rHi) + " px around (" + fmt(cx) + ", " + fmt(cy)
                    + ") leaves the detector or has too few pixels (" + empty + " of " + nb + " radial bins empty)");
        }
        // smooth (5 bins ≈ 1 px) for the template and its derivative
        double[] ts = new double[nb];
        for (int b = 0; b < nb; b++) {
            double s = 0;
            int n = 0;
            for (int k = Math.max(0, b - 2); k <= Math.min(nb - 1, b + 2); k++) {
                s += t[k];
                n++;
            }
            ts[b] = s / n;
        }
        int pk = -1;
        for (int b = 1; b < nb - 1; b++) if (ts[b] >= ts[b - 1] && ts[b] >= ts[b + 1] && (pk < 0 || ts[b] > ts[pk])) pk = b;
        if (pk < 0) throw new IllegalArgumentException("no peak of the azimuthal profile between " + fmt(rLo) + " and " + fmt(rHi) + " px");
        double rBar = peakOverLinearBackground(t, rLo, h, pk);
        double[] td = new double[nb];
        for (int b = 0; b < nb; b++) td[b] = (ts[Math.min(nb - 1, b + 1)] - ts[Math.max(0, b - 1)]) / ((Math.min(nb - 1, b + 1) - Math.max(0, b - 1)) * h);

        // per sector: a·T(r − δ) + b, Gauss–Newton; only pixels whose shifted radius stays inside the template's inner part
        double[] phi = new double[sectors], rk = new double[sectors], sk = new double[sectors];
        int used = 0;
        double margin = 0.1 * (rHi - rLo);
        for (int k = 0; k < sectors; k++) {
            double pLo = 2 * Math.PI * k / sectors - Math.PI, pHi = 2 * Math.PI * (k + 1) / sectors - Math.PI;
            double a = 1, bb = 0, d = 0;
            double sigmaD = Double.NaN;
            boolean ok = false;
            for (int it = 0; it < 15; it++) {
                double[] m = new double[9], g = new double[3];
                double chi = 0;
                int n = 0;
                for (int r = r0; r <= r1; r++) {
                    for (int c = c0; c <= c1; c++) {
                        double dx = c - cx, dy = r - cy;
                        double ang = Math.atan2(dy, dx);
                        if (ang < pLo || ang >= pHi) continue;
                        double rr = Math.hypot(dx, dy) - d;
                        if (rr < rLo + margin || rr > rHi - margin) continue;
                        double v = pattern[r * cols + c];
                        if (!Double.isFinite(v)) continue;
                        double x = (rr - rLo) / h;
                        int i0 = Math.min(nb - 2, Math.max(0, (int) Math.floor(x)));
                        double f = x - i0;
                        double tv = ts[i0] * (1 - f) + ts[i0 + 1] * f;
                        double tdv = td[i0] * (1 - f) + td[i0 + 1] * f;
                        double res = v - (a * tv + bb);
                        double[] j = {tv, 1, -a * tdv};
                        for (int p = 0; p < 3; p++) {
                            g[p] += j[p] * res;
                            for (int q = 0; q < 3; q++) m[3 * p + q] += j[p] * j[q];
                        }
                        chi += res * res;
                        n++;
                    }
                }
                if (n < 8) break;
                double[] inv = inverse3(m);
                if (inv == null) break;
                double step = 0;
                double[] dp = new double[3];
                for (int p = 0; p < 3; p++) {
                    for (int q = 0; q < 3; q++) dp[p] += inv[3 * p + q] * g[q];
                }
                a += dp[0];
                bb += dp[1];
                d += Math.max(-1, Math.min(1, dp[2]));
                step = Math.abs(dp[2]);
                sigmaD = Math.sqrt(inv[8] * chi / Math.max(1, n - 3));
                if (Math.abs(d) > margin) break;
                if (step < 1e-5) {
                    ok = true;
                    break;
                }
            }
            if (!ok || !(sigmaD > 0) || !(a > 0)) continue;
            phi[used] = 0.5 * (pLo + pHi);
            rk[used] = rBar + d;
            sk[used] = sigmaD;
            used++;
        }
        int np = 3 + 2 * ORDERS.length;
        if (used < np + 2) throw new IllegalArgumentException("only " + used + " of " + sectors + " azimuthal sectors gave a ring position (need "
                + (np + 2) + "): is there a ring between " + fmt(rLo) + " and " + fmt(rHi) + " px?");
        // weighted linear least squares: r_k = R + X·cos φ + Y·sin φ + Σ (A_n cos nφ + B_n sin nφ)
        double[][] m = new double[np][np];
        double[] g = new double[np];
        double[] basis = new double[np];
        for (int k = 0; k < used; k++) {
            basis(phi[k], basis);
            double w = 1 / (sk[k] * sk[k]);
            for (int p = 0; p < np; p++) {
                g[p] += w * basis[p] * rk[k];
                for (int q = 0; q < np; q++) m[p][q] += w * basis[p] * basis[q];
            }
        }
        double[][] cov = invert(m);
        if (cov == null) throw new IllegalArgumentException("the sector radii do not determine the harmonics (singular normal equations)");
        double[] coef = new double[np];
        for (int p = 0; p < np; p++) for (int q = 0; q < np; q++) coef[p] += cov[p][q] * g[q];
        double chi = 0;
        for (int k = 0; k < used; k++) {
            basis(phi[k], basis);
            double mod = 0;
            for (int p = 0; p < np; p++) mod += coef[p] * basis[p];
            chi += (rk[k] - mod) * (rk[k] - mod) / (sk[k] * sk[k]);
        }
        double red = chi / (used - np);
        double scale = Math.max(1, red);
        double rr0 = coef[0];
        double[] aa = new double[ORDERS.length], bbb = new double[ORDERS.length], sa = new double[ORDERS.length], sb = new double[ORDERS.length];
        for (int i = 0; i < ORDERS.length; i++) {
            aa[i] = coef[3 + 2 * i] / rr0;
            bbb[i] = coef[4 + 2 * i] / rr0;
            sa[i] = Math.sqrt(cov[3 + 2 * i][3 + 2 * i] * scale) / rr0;
            sb[i] = Math.sqrt(cov[4 + 2 * i][4 + 2 * i] * scale) / rr0;
        }
        return new Result(cx + coef[1], cy + coef[2], rr0, Math.sqrt(cov[0][0] * scale), aa, bbb, sa, sb, used, red);
    }

    /**
     * The centre of a Gaussian on a linear background fitted (Gauss–Newton) to the profile around
     * bin {@code pk}, over ±2.5 half widths: the ring's position without the pull of a sloping
     * background (which moves a plain maximum inwards).
     */
    static double peakOverLinearBackground(double[] t, double rLo, double h, int pk) {
        int nb = t.length;
        // half width at half height above the lower flank minimum
        double base = Double.POSITIVE_INFINITY;
        for (double v : t) base = Math.min(base, v);
        double half = 0.5 * (t[pk] + base);
        int lo = pk, hi = pk;
        while (lo > 0 && t[lo] > half) lo--;
        while (hi < nb - 1 && t[hi] > half) hi++;
        double sigma = Math.max(2, 0.5 * (hi - lo)) * h / 1.1774;
        double mu = rLo + h * pk, amp = t[pk] - base, b0 = base, b1 = 0;
        int from = Math.max(0, (int) Math.floor(pk - 2.5 * sigma / h)), to = Math.min(nb - 1, (int) Math.ceil(pk + 2.5 * sigma / h));
        for (int it = 0; it < 30; it++) {
            double[][] m = new double[5][5];
            double[] g = new double[5];
            for (int b = from; b <= to; b++) {
                double r = rLo + h * b, z = (r - mu) / sigma, e = Math.exp(-0.5 * z * z);
                double res = t[b] - (amp * e + b0 + b1 * (r - mu));
                double[] j = {e, amp * e * z / sigma + b1, amp * e * z * z / sigma, 1, r - mu};
                for (int p = 0; p < 5; p++) {
                    g[p] += j[p] * res;
                    for (int q = 0; q < 5; q++) m[p][q] += j[p] * j[q];
                }
            }
            double[][] inv = invert(m);
            if (inv == null) break;
            double[] d = new double[5];
            for (int p = 0; p < 5; p++) for (int q = 0; q < 5; q++) d[p] += inv[p][q] * g[q];
            amp += d[0];
            mu += Math.max(-h * 4, Math.min(h * 4, d[1]));
            sigma = Math.max(h, sigma + d[2]);
            b0 += d[3];
            b1 += d[4];
            if (Math.abs(d[1]) < 1e-6) break;
        }
        double lo2 = rLo + h * from, hi2 = rLo + h * to;
        if (!(mu > lo2 && mu < hi2)) {
            throw new IllegalArgumentException("the ring's peak fit left its window [" + fmt(lo2) + ", " + fmt(hi2) + "] px");
        }
        return mu;
    }

    private static void basis(double phi, double[] out) {
        out[0] = 1;
        out[1] = Math.cos(phi);
        out[2] = Math.sin(phi);
        for (int i = 0; i < ORDERS.length; i++) {
            out[3 + 2 * i] = Math.cos(ORDERS[i] * phi);
            out[4 + 2 * i] = Math.sin(ORDERS[i] * phi);
        }
    }

    private static double[] inverse3(double[] m) {
        double[][] a = {{m[0], m[1], m[2]}, {m[3], m[4], m[5]}, {m[6], m[7], m[8]}};
        double[][] inv = invert(a);
        if (inv == null) return null;
        return new double[] {inv[0][0], inv[0][1], inv[0][2], inv[1][0], inv[1][1], inv[1][2], inv[2][0], inv[2][1], inv[2][2]};
    }

    /** The inverse of a symmetric positive-definite matrix (EJML, Cholesky); null when singular. */
    static double[][] invert(double[][] a) {
        DMatrixRMaj m = new DMatrixRMaj(a);
        LinearSolverDense<DMatrixRMaj> chol = LinearSolverFactory_DDRM.symmPosDef(a.length);
        if (!chol.setA(m)) return null;
        DMatrixRMaj inv = new DMatrixRMaj(a.length, a.length);
        chol.invert(inv);
        double[][] out = new double[a.length][a.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a.length; j++) out[i][j] = inv.get(i, j);
        for (double[] row : out) for (double v : row) if (!Double.isFinite(v)) return null;
        return out;
    }

    private static String fmt(double v) {
        return String.format("%.1f", v);
    }
}
