package org.ltz4d.amorphous;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ltz4d.simulator.PatternParams;

/**
 * The Cramér–Rao bound of the simulator's documented expected-count model (PatternParams), computed
 * independently of the fitter: Fisher information of Poisson counts F = Σ_p ∂μ_p ∂μ_pᵀ / μ_p over
 * the pixels of the ring's annulus |ρ − 1|·r_eff ≤ halfWidth (ρ of the true form), for the nine
 * parameters (cx, cy, q11, q12, q22, width, amplitude, background, pedestal), derivatives by
 * central differences of {@link PatternParams#intensity}.
 */
final class Crb {
    private Crb() {
    }

    static PatternParams with(PatternParams p, int k, double v) {
        double[] a = {p.cx(), p.cy(), p.q11(), p.q12(), p.q22(), p.width(), p.amplitude(), p.background(), p.pedestal()};
        a[k] = v;
        return new PatternParams(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[8], a[7], p.decay(), p.beamX(), p.beamY(),
                p.beamRadius(), p.beamEdge(), p.beamPeak());
    }

    static double get(PatternParams p, int k) {
        double[] a = {p.cx(), p.cy(), p.q11(), p.q12(), p.q22(), p.width(), p.amplitude(), p.background(), p.pedestal()};
        return a[k];
    }

    /** Covariance bound (9×9, row-major) of the parameters above. */
    static double[] covariance(PatternParams p, int rows, int cols, double halfWidth) {
        int np = 9;
        PatternParams[] plus = new PatternParams[np], minus = new PatternParams[np];
        double[] h = new double[np];
        for (int k = 0; k < np; k++) {
            double v = get(p, k);
            h[k] = k < 2 ? 1e-4 : Math.max(1e-12, Math.abs(v) * 1e-5);
            if (k == 3) h[k] = Math.abs(p.q11()) * 1e-5;
            plus[k] = with(p, k, v + h[k]);
            minus[k] = with(p, k, v - h[k]);
        }
        double det = p.q11() * p.q22() - p.q12() * p.q12();
        double dRho = halfWidth * Math.pow(det, 0.25);
        DMatrixRMaj f = new DMatrixRMaj(np, np);
        double[] d = new double[np];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double dx = c - p.cx(), dy = r - p.cy();
                double rho = Math.sqrt(p.q11() * dx * dx + 2 * p.q12() * dx * dy + p.q22() * dy * dy);
                if (Math.abs(rho - 1) > dRho) continue;
                double mu = p.intensity(c, r);
                for (int k = 0; k < np; k++) d[k] = (plus[k].intensity(c, r) - minus[k].intensity(c, r)) / (2 * h[k]);
                for (int i = 0; i < np; i++) for (int j = i; j < np; j++) f.data[i * np + j] += d[i] * d[j] / mu;
            }
        }
        for (int i = 0; i < np; i++) for (int j = 0; j < i; j++) f.data[i * np + j] = f.data[j * np + i];
        DMatrixRMaj inv = new DMatrixRMaj(np, np);
        // scale for conditioning
        double[] s = new double[np];
        for (int i = 0; i < np; i++) s[i] = 1 / Math.sqrt(f.data[i * np + i]);
        for (int i = 0; i < np; i++) for (int j = 0; j < np; j++) f.data[i * np + j] *= s[i] * s[j];
        if (!CommonOps_DDRM.invert(f, inv)) throw new IllegalStateException("singular Fisher matrix");
        double[] out = new double[np * np];
        for (int i = 0; i < np; i++) for (int j = 0; j < np; j++) out[i * np + j] = inv.data[i * np + j] * s[i] * s[j];
        return out;
    }

    /** The mean fitted form {q11, q12, q22} over the positions {@code ref} accepts (and that did not fail). */
    static double[] fittedReference(java.util.Map<String, float[]> m, java.util.function.IntPredicate ref, int n) {
        double[] q = new double[3];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (!ref.test(i) || m.get("fit/mask")[i] != 0) continue;
            q[0] += m.get("ring/q11")[i];
            q[1] += m.get("ring/q12")[i];
            q[2] += m.get("ring/q22")[i];
            k++;
        }
        if (k == 0) throw new IllegalStateException("no fitted reference position");
        for (int j = 0; j < 3; j++) q[j] /= k;
        return q;
    }

    /** sqrt of a symmetric positive 2×2 matrix {a11, a12, a22}. */
    static double[] sqrtm(double a11, double a12, double a22) {
        double s = Math.sqrt(a11 * a22 - a12 * a12);
        double t = Math.sqrt(a11 + a22 + 2 * s);
        return new double[] {(a11 + s) / t, a12 / t, (a22 + s) / t};
    }

    /**
     * Strain (exx, eyy, exy) of form Q against the reference form (DESIGN.md §4):
     * (D_ref·Q·D_ref)^(1/2) − I with D_ref = Q_ref^(−1/2).
     */
    static double[] strain(double[] qref, double q11, double q12, double q22) {
        double[] r = sqrtm(qref[0], qref[1], qref[2]);
        double det = r[0] * r[2] - r[1] * r[1];
        double d11 = r[2] / det, d12 = -r[1] / det, d22 = r[0] / det;
        double a11 = d11 * (q11 * d11 + q12 * d12) + d12 * (q12 * d11 + q22 * d12);
        double a12 = d11 * (q11 * d12 + q12 * d22) + d12 * (q12 * d12 + q22 * d22);
        double a22 = d12 * (q11 * d12 + q12 * d22) + d22 * (q12 * d12 + q22 * d22);
        double[] e = sqrtm(a11, a12, a22);
        return new double[] {e[0] - 1, e[2] - 1, e[1]};
    }

    /** Variances of (exx, eyy, exy) from the covariance of (q11, q12, q22) through the strain's Jacobian. */
    static double[] strainVariance(double[] qref, double[] q, double[] cov9) {
        double[][] jac = new double[3][3];
        for (int k = 0; k < 3; k++) {
            double h = Math.abs(q[0]) * 1e-6;
            double[] qp = q.clone(), qm = q.clone();
            qp[k] += h;
            qm[k] -= h;
            double[] ep = strain(qref, qp[0], qp[1], qp[2]), em = strain(qref, qm[0], qm[1], qm[2]);
            for (int i = 0; i < 3; i++) jac[i][k] = (ep[i] - em[i]) / (2 * h);
        }
        double[] var = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = 0;
            for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) v += jac[i][a] * jac[i][b] * cov9[(2 + a) * 9 + (2 + b)];
            var[i] = v;
        }
        return var;
    }
}
