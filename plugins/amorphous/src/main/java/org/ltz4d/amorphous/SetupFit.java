package org.ltz4d.amorphous;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Levenberg–Marquardt Poisson fit of the ring model with the background decay ℓ free (10
 * parameters: the nine of {@link RingSolver} and ℓ), for the mean pattern at set-up and as an
 * independent reference implementation in tests. Plain and slow on purpose (Math.exp, generic
 * loops): it runs once per run.
 */
final class SetupFit {
    static final int NP = 10, DECAY = 9;

    private SetupFit() {
    }

    /** μ and its 10 derivatives at pixel (x, y) for θ (10). Returns μ; fills j. */
    static double model(double[] th, double x, double y, double[] j) {
        double dx = x - th[0], dy = y - th[1];
        double qa = th[2] * dx + th[3] * dy, qb = th[3] * dx + th[4] * dy;
        double rho = Math.sqrt(dx * qa + dy * qb);
        double d = rho - 1, s = th[5], u = d / s, l = th[DECAY];
        double g = Math.exp(-0.5 * u * u), e = Math.exp(-d / l);
        double ag = th[6] * g, be = th[7] * e;
        double mu = th[8] + be + ag;
        if (j != null) {
            double k = -(ag * u / s + be / l) / rho;
            j[0] = -k * qa; j[1] = -k * qb; j[2] = 0.5 * k * dx * dx; j[3] = k * dx * dy; j[4] = 0.5 * k * dy * dy;
            j[5] = ag * u * u / s; j[6] = g; j[7] = e; j[8] = 1; j[9] = be * d / (l * l);
        }
        return mu;
    }

    /**
     * Fits {@code img} (rows × cols, counts or mean counts) from θ₀ over the annulus
     * |ρ − 1|·r_eff ≤ halfWidth, rebuilding the annulus {@code rounds} times. Returns θ.
     */
    static double[] fit(double[] img, int rows, int cols, double[] th0, double halfWidth, int rounds, boolean fitDecay) {
        return fit(img, rows, cols, th0, halfWidth, rounds, fitDecay, null);
    }

    /** As above, leaving out the pixels flagged in {@code bad} (may be null). */
    static double[] fit(double[] img, int rows, int cols, double[] th0, double halfWidth, int rounds, boolean fitDecay,
            boolean[] bad) {
        double[] th = th0.clone();
        int np = fitDecay ? NP : NP - 1;
        double[] j = new double[NP];
        DMatrixRMaj f = new DMatrixRMaj(np, np), a = new DMatrixRMaj(np, np), g = new DMatrixRMaj(np, 1), st = new DMatrixRMaj(np, 1);
        for (int round = 0; round < rounds; round++) {
            int[] pix = annulus(th, rows, cols, halfWidth, bad);
            double lambda = 1e-3;
            double nll = nll(img, cols, pix, th);
            for (int it = 0; it < 60; it++) {
                f.zero();
                g.zero();
                for (int p : pix) {
                    double x = p % cols, y = p / cols;
                    double mu = Math.max(1e-9, model(th, x, y, j));
                    double w = 1 / mu, rw = (img[p] - mu) * w;
                    for (int i = 0; i < np; i++) {
                        g.data[i] += j[i] * rw;
                        for (int k = i; k < np; k++) f.data[i * np + k] += j[i] * j[k] * w;
                    }
                }
                for (int i = 0; i < np; i++) for (int k = 0; k < i; k++) f.data[i * np + k] = f.data[k * np + i];
                boolean accepted = false;
                for (int tries = 0; tries < 12 && !accepted; tries++) {
                    a.setTo(f);
                    for (int i = 0; i < np; i++) a.data[i * np + i] *= 1 + lambda;
                    if (!CommonOps_DDRM.solve(a, g, st)) { lambda *= 10; continue; }
                    double[] trial = th.clone();
                    for (int i = 0; i < np; i++) trial[i] += st.data[i];
                    double tn = valid(trial) ? nll(img, cols, pix, trial) : Double.POSITIVE_INFINITY;
                    if (tn <= nll) {
                        accepted = true;
                        double change = nll - tn;
                        th = trial;
                        nll = tn;
                        lambda = Math.max(1e-9, lambda / 4);
                        if (change < 1e-7) it = 1000; // a negligible change of the log-likelihood
                    } else {
                        lambda *= 8;
                    }
                }
                if (!accepted) break;
            }
        }
        return th;
    }

    private static boolean valid(double[] th) {
        for (double v : th) if (!Double.isFinite(v)) return false;
        return th[2] > 0 && th[2] * th[4] - th[3] * th[3] > 0 && th[5] > 0 && th[DECAY] > 0;
    }

    /** Poisson negative log-likelihood up to a constant: Σ μ − n·log μ. */
    static double nll(double[] img, int cols, int[] pix, double[] th) {
        double s = 0;
        for (int p : pix) {
            double mu = model(th, p % cols, p / cols, null);
            if (!(mu > 0)) return Double.POSITIVE_INFINITY;
            s += mu - img[p] * Math.log(mu);
        }
        return s;
    }

    /** Flat indices of the pixels with |ρ − 1|·r_eff ≤ halfWidth. */
    static int[] annulus(double[] th, int rows, int cols, double halfWidth, boolean[] bad) {
        double det = th[2] * th[4] - th[3] * th[3];
        double dRho = halfWidth * Math.pow(det, 0.25);
        double lo = Math.max(0.05, 1 - dRho), hi = 1 + dRho;
        int[] tmp = new int[rows * cols];
        int n = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double dx = c - th[0], dy = r - th[1];
                double rho = Math.sqrt(th[2] * dx * dx + 2 * th[3] * dx * dy + th[4] * dy * dy);
                if (rho >= lo && rho <= hi && (bad == null || !bad[r * cols + c])) tmp[n++] = r * cols + c;
            }
        }
        return java.util.Arrays.copyOf(tmp, n);
    }
}
