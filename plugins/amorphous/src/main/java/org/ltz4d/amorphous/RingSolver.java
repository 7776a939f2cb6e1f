package org.ltz4d.amorphous;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Per-frame Poisson maximum-likelihood fit of the elliptical ring model (one per worker thread;
 * allocates nothing per frame). The model, the same as the simulator's documented expected counts
 * without the direct beam, over the pixels of an annulus |ρ − 1|·r_eff ≤ halfWidth around the seed:
 *
 * <pre>
 *   ρ(p) = sqrt((p − c)ᵀ·Q·(p − c))
 *   μ(p) = B0 + B1·exp(−(ρ − 1)/ℓ) + A·exp(−(ρ − 1)²/(2·s²))
 * </pre>
 *
 * with nine fitted parameters θ = (cx, cy, q11, q12, q22, s, A, B1, B0) and the background decay ℓ
 * fixed for the run (fitted once on the mean pattern). Fisher scoring — Gauss–Newton with weights
 * 1/μ, whose fixed point is the Poisson ML estimate, efficient (at the Cramér–Rao bound) for
 * Poisson counts — with the analytic Jacobian: ∂μ/∂(cx, cy, q11, q12, q22) = μ'(ρ)·∂ρ/∂(…) with
 * ∂ρ/∂c = −Q(p − c)/ρ, ∂ρ/∂q11 = dx²/(2ρ), ∂ρ/∂q12 = dx·dy/ρ, ∂ρ/∂q22 = dy²/(2ρ);
 * ∂μ/∂s = A·g·u²/s; ∂μ/∂(A, B1, B0) = (g, e, 1).
 *
 * <p>Speed (DESIGN.md §4 budget of ~0.5 ms per frame per core): the information matrix F = Σ JJᵀ/μ
 * costs ~2× a score pass Σ J(n − μ)/μ, and barely changes between neighbouring frames, so it is
 * recomputed only on cold starts, every {@code refresh} frames or when convergence is slow; in
 * between, each iteration costs one score pass with the last F⁻¹ (any fixed positive-definite
 * preconditioner converges to the same ML point, it only changes the rate). The exponentials come
 * from interpolated tables (relative error below 10⁻⁶, far below Poisson noise) instead of
 * {@code Math.exp}. The mask comes from the seed (the neighbour's solution), not from the data, so
 * the estimate stays the ML estimate over a fixed pixel set.
 */
final class RingSolver {
    static final int NP = 9;
    static final int CX = 0, CY = 1, Q11 = 2, Q12 = 3, Q22 = 4, S = 5, A = 6, B1 = 7, B0 = 8;

    static final int OK = 0, FAIL_GEOMETRY = 1, FAIL_CLIPPED = 2, FAIL_SATURATED = 3, FAIL_SINGULAR = 4,
            FAIL_DIVERGED = 5, FAIL_NOT_CONVERGED = 6;

    // exp(−u²/2) on u ∈ [−G_R, G_R] and exp(−v) on v ∈ [−E_R, E_R], linear interpolation with step 1/512:
    // relative error ≤ h²/8 ≈ 5e-7.
    private static final double G_R = 10, G_SC = 512, E_R = 12, E_SC = 512;
    private static final double[] GT = new double[(int) (2 * G_R * G_SC) + 2];
    private static final double[] ET = new double[(int) (2 * E_R * E_SC) + 2];
    private static final double G_MAX = GT.length - 2, E_MAX = ET.length - 2;

    static {
        for (int i = 0; i < GT.length; i++) {
            double u = i / G_SC - G_R;
            GT[i] = Math.exp(-0.5 * u * u);
        }
        for (int i = 0; i < ET.length; i++) ET[i] = Math.exp(-(i / E_SC - E_R));
    }

    final int rows, cols;
    final double decay, invDecay, halfWidthPx, saturation;

    /** Current parameters θ. */
    final double[] th = new double[NP];

    // annulus mask as row segments [segA, segB] (inclusive), split at bad pixels
    private int[] segRow, segA, segB;
    private int[][] badCols; // per row: sorted columns of pixels never to fit (hot, dead, non-finite), or null
    private int nSeg;
    int nPix;
    double fullPix;

    // pass results
    final double[] grad = new double[NP];
    private final double[] fu = new double[NP * NP];
    double chi2, maxCount;
    /** Pixels of the last pass where the model was not positive (μ clamped): the fit is then invalid. */
    int clamped;

    // inverse information matrix (possibly from an earlier frame)
    final double[] finv = new double[NP * NP];
    boolean haveFinv;
    int finvAge;
    // amplitude, width and background level where F was computed: F scales with them
    private double aAtF, sAtF, bAtF;
    private final double[] step = new double[NP];
    private final DMatrixRMaj fm = new DMatrixRMaj(NP, NP), fi = new DMatrixRMaj(NP, NP);
    private final LinearSolverDense<DMatrixRMaj> chol = LinearSolverFactory_DDRM.symmPosDef(NP);

    // per-segment scratch (structure of arrays: short loops keep many pixels in flight, and the
    // geometry loop vectorises)
    private final double[] sQa, sQb, sRho, sIr, sG, sE, sMu, sW, sK, sS;
    static boolean soa = true;
    private static final double[] IOTA = new double[1 << 16];

    static {
        for (int i = 0; i < IOTA.length; i++) IOTA[i] = i;
    }

    int passes, fullPasses, iterations;
    double lastMahalanobis;

    RingSolver(int rows, int cols, double decay, double halfWidthPx, double saturation) {
        this.rows = rows;
        this.cols = cols;
        this.decay = decay;
        this.invDecay = 1 / decay;
        this.halfWidthPx = halfWidthPx;
        this.saturation = saturation;
        segRow = new int[2 * rows];
        segA = new int[2 * rows];
        segB = new int[2 * rows];
        badCols = new int[rows][];
        sQa = new double[cols];
        sQb = new double[cols];
        sRho = new double[cols];
        sIr = new double[cols];
        sG = new double[cols];
        sE = new double[cols];
        sMu = new double[cols];
        sW = new double[cols];
        sK = new double[cols];
        sS = new double[cols];
    }

    /** Excludes the pixels flagged in {@code bad} (row-major, rows × cols) from every fit. */
    void setBadPixels(boolean[] bad) {
        int total = 0;
        for (int r = 0; r < rows; r++) {
            int n = 0;
            for (int c = 0; c < cols; c++) if (bad[r * cols + c]) n++;
            if (n == 0) { badCols[r] = null; continue; }
            int[] l = new int[n];
            n = 0;
            for (int c = 0; c < cols; c++) if (bad[r * cols + c]) l[n++] = c;
            badCols[r] = l;
            total += n;
        }
        segRow = new int[2 * rows + total];
        segA = new int[2 * rows + total];
        segB = new int[2 * rows + total];
    }

    private int addSegment(int ns, int r, int a, int b) {
        int[] bc = badCols[r];
        if (bc != null) {
            for (int c : bc) {
                if (c < a || c > b) continue;
                if (c > a) { segRow[ns] = r; segA[ns] = a; segB[ns] = c - 1; ns++; }
                a = c + 1;
            }
            if (a > b) return ns;
        }
        segRow[ns] = r; segA[ns] = a; segB[ns] = b;
        return ns + 1;
    }

    /** Effective radius det(Q)^(−1/4) of the current form, px. */
    double radius() {
        double det = th[Q11] * th[Q22] - th[Q12] * th[Q12];
        return Math.pow(det, -0.25);
    }

    /**
     * Builds the annulus |ρ − 1|·r_eff ≤ halfWidth of the current θ, clipped to the detector.
     * Returns false when the form is not an ellipse.
     */
    boolean buildMask() {
        double cx = th[CX], cy = th[CY], q11 = th[Q11], q12 = th[Q12], q22 = th[Q22];
        double det = q11 * q22 - q12 * q12;
        if (!(q11 > 0) || !(det > 0) || !Double.isFinite(cx) || !Double.isFinite(cy)) return false;
        double dRho = halfWidthPx * Math.pow(det, 0.25);
        double rin = Math.max(0.05, 1 - dRho), rout = 1 + dRho;
        double rin2 = rin * rin, rout2 = rout * rout;
        fullPix = Math.PI * (rout2 - rin2) / Math.sqrt(det);
        double ymax = rout * Math.sqrt(q11 / det);
        int r0 = (int) Math.max(0, Math.ceil(cy - ymax)), r1 = (int) Math.min(rows - 1, Math.floor(cy + ymax));
        int ns = 0, np = 0;
        double invQ11 = 1 / q11;
        for (int r = r0; r <= r1; r++) {
            double dy = r - cy;
            double b = q12 * dy, cc = q22 * dy * dy;
            double disc = b * b - q11 * (cc - rout2);
            if (disc < 0) continue;
            double so = Math.sqrt(disc);
            int a0 = (int) Math.max(0, Math.ceil(cx + (-b - so) * invQ11));
            int a1 = (int) Math.min(cols - 1, Math.floor(cx + (-b + so) * invQ11));
            if (a1 < a0) continue;
            double disci = b * b - q11 * (cc - rin2);
            if (disci > 0) {
                double si = Math.sqrt(disci);
                int l1 = (int) Math.min(a1, Math.floor(cx + (-b - si) * invQ11));
                int r0s = (int) Math.max(a0, Math.ceil(cx + (-b + si) * invQ11));
                if (l1 >= a0) ns = addSegment(ns, r, a0, l1);
                if (a1 >= r0s) ns = addSegment(ns, r, r0s, a1);
            } else {
                ns = addSegment(ns, r, a0, a1);
            }
        }
        nSeg = ns;
        for (int k = 0; k < ns; k++) np += segB[k] - segA[k] + 1;
        nPix = np;
        return true;
    }

    /**
     * Fits frame {@code data[off ..]} from the current θ (the seed), whose mask is built first.
     * {@code forceFull} recomputes the information matrix on the first pass; {@code onePass}
     * accepts the one-step (Le Cam) estimate after a single pass when the seed (a neighbour's ML
     * solution, so √N-consistent) lies within {@code oneStepMax} (Mahalanobis², F-metric) of it:
     * its remaining error is the F mismatch (a few % between neighbours) times the step, a small
     * fraction of the standard error. Otherwise iterates until a step's Mahalanobis² is below
     * {@code tol}.
     */
    int fit(float[] data, int off, int maxIter, boolean forceFull, boolean onePass, double oneStepMax, double tol) {
        iterations = 0;
        if (!buildMask()) return FAIL_GEOMETRY;
        if (nPix < 50 || nPix < 0.5 * fullPix) return FAIL_CLIPPED;
        // F ∝ the count levels: a stale F from frames with other levels would make the one-step
        // estimate (and the iteration) slower, so refresh it when they moved by more than 10 % (about 3σ of
        // one frame's amplitude at 1.5e5 e⁻: a trend, not noise)
        boolean full = forceFull || !haveFinv || Math.abs(th[A] / aAtF - 1) > 0.1 || Math.abs(th[S] / sAtF - 1) > 0.1
                || Math.abs((th[B0] + th[B1]) / bAtF - 1) > 0.1;
        double cx0 = th[CX], cy0 = th[CY];
        double prevM = Double.POSITIVE_INFINITY;
        while (true) {
            if (full) {
                passFull(data, off);
                if (!invertF()) return FAIL_SINGULAR;
                full = false;
            } else if (soa) {
                passScoreSoA(data, off);
            } else {
                passScore(data, off);
            }
            passes++;
            if (iterations == 0 && maxCount >= saturation) return FAIL_SATURATED;
            double m = 0;
            for (int i = 0; i < NP; i++) {
                double sum = 0;
                for (int j = 0; j < NP; j++) sum += finv[i * NP + j] * grad[j];
                step[i] = sum;
                m += sum * grad[i];
            }
            lastMahalanobis = m;
            // keep the step inside the mask and the width positive (damping far from the optimum)
            double scale = 1;
            double sc = Math.hypot(step[CX], step[CY]);
            if (sc > 0.25 * halfWidthPx) scale = 0.25 * halfWidthPx / sc;
            if (th[S] + scale * step[S] < 0.5 * th[S]) scale = Math.min(scale, 0.5 * th[S] / -step[S]);
            for (int i = 0; i < NP; i++) th[i] += scale * step[i];
            iterations++;
            for (int i = 0; i < NP; i++) if (!Double.isFinite(th[i])) return FAIL_DIVERGED;
            if (Math.hypot(th[CX] - cx0, th[CY] - cy0) > 0.5 * halfWidthPx) return FAIL_DIVERGED;
            if (scale == 1 && m < tol) return clamped > 0 ? FAIL_DIVERGED : OK;
            if (scale == 1 && onePass && iterations == 1 && m < oneStepMax) return clamped > 0 ? FAIL_DIVERGED : OK;
            if (iterations >= maxIter) return FAIL_NOT_CONVERGED;
            // a stale F that no longer contracts fast enough is refreshed at the current point
            if (m > 0.25 * prevM) full = true;
            prevM = m;
        }
    }

    private boolean invertF() {
        // Jacobi scaling before the Cholesky inverse: the parameters differ by orders of magnitude.
        double[] d = step; // scratch
        for (int i = 0; i < NP; i++) {
            double v = fu[i * NP + i];
            if (!(v > 0)) return false;
            d[i] = 1 / Math.sqrt(v);
        }
        for (int i = 0; i < NP; i++) {
            for (int j = i; j < NP; j++) {
                double v = fu[i * NP + j] * d[i] * d[j];
                fm.unsafe_set(i, j, v);
                fm.unsafe_set(j, i, v);
            }
        }
        if (!chol.setA(fm)) return false;
        chol.invert(fi);
        for (int i = 0; i < NP; i++) {
            for (int j = 0; j < NP; j++) {
                double v = fi.unsafe_get(i, j) * d[i] * d[j];
                if (!Double.isFinite(v)) return false;
                finv[i * NP + j] = v;
            }
        }
        haveFinv = true;
        finvAge = 0;
        aAtF = th[A];
        sAtF = th[S];
        bAtF = th[B0] + th[B1];
        fullPasses++;
        return true;
    }

    /**
     * {@link #passScore} in short loops per row segment — geometry (vectorised), tables, per-pixel
     * weights (vectorised), sums — so that many pixels are in flight instead of one long
     * dependency chain per pixel (measured ~1.8× faster than the single loop here).
     */
    private void passScoreSoA(float[] data, int off) {
        final double cx = th[CX], cy = th[CY], q11 = th[Q11], q12 = th[Q12], q22 = th[Q22];
        final double invS = 1 / th[S], amp = th[A], b1 = th[B1], b0 = th[B0], invL = invDecay, sat = saturation;
        final double[] gt = GT, et = ET, qaA = sQa, qbA = sQb, rhoA = sRho, irA = sIr, gA = sG, eA = sE;
        final double[] rwA = sMu, chA = sW, kA = sK, sA = sS, iota = IOTA;
        double g0 = 0, g1 = 0, g5 = 0, g6 = 0, g7 = 0, g8 = 0, chi = 0;
        double gq11 = 0, gq12 = 0, gq22 = 0;
        int nsat = 0, ncl = 0;
        for (int k = 0; k < nSeg; k++) {
            final int r = segRow[k], ca = segA[k], len = segB[k] - ca + 1;
            final double dy = r - cy;
            final double bq = q12 * dy, cq = q22 * dy;
            final double x0 = ca - cx;
            for (int i = 0; i < len; i++) {
                double dx = x0 + iota[i];
                double qa = q11 * dx + bq, qb = q12 * dx + cq;
                double rho = Math.sqrt(dx * qa + dy * qb);
                qaA[i] = qa;
                qbA[i] = qb;
                rhoA[i] = rho;
                irA[i] = 1 / rho;
            }
            for (int i = 0; i < len; i++) {
                double d = rhoA[i] - 1;
                double x = (d * invS + G_R) * G_SC;
                x = x < 0 ? 0 : (x > G_MAX ? G_MAX : x);
                int gi = (int) x;
                gA[i] = gt[gi] + (x - gi) * (gt[gi + 1] - gt[gi]);
                double y = (d * invL + E_R) * E_SC;
                y = y < 0 ? 0 : (y > E_MAX ? E_MAX : y);
                int ei = (int) y;
                eA[i] = et[ei] + (y - ei) * (et[ei + 1] - et[ei]);
            }
            final int base = off + r * cols + ca;
            for (int i = 0; i < len; i++) {
                double n = data[base + i];
                nsat += n >= sat ? 1 : 0;
                double u = (rhoA[i] - 1) * invS;
                double ag = amp * gA[i], be = b1 * eA[i];
                double mu = b0 + be + ag;
                ncl += mu < 1e-6 ? 1 : 0;
                mu = mu < 1e-6 ? 1e-6 : mu;
                double res = n - mu;
                double rw = res / mu;
                rwA[i] = rw;
                chA[i] = res * rw;
                kA[i] = -(ag * u * invS + be * invL) * irA[i] * rw;
                sA[i] = ag * u * u * invS;
            }
            double s2 = 0, s3 = 0, s4 = 0;
            for (int i = 0; i < len; i++) {
                double kd = kA[i], rw = rwA[i];
                double dx = x0 + iota[i];
                chi += chA[i];
                g0 -= kd * qaA[i];
                g1 -= kd * qbA[i];
                double kdx = kd * dx;
                s2 += kdx * dx;
                s3 += kdx;
                s4 += kd;
                g5 += sA[i] * rw;
                g6 += gA[i] * rw;
                g7 += eA[i] * rw;
                g8 += rw;
            }
            // ∂ρ/∂q12 ∝ dx·dy and ∂ρ/∂q22 ∝ dy²: dy is constant along the row
            gq11 += s2;
            gq12 += s3 * dy;
            gq22 += s4 * dy * dy;
        }
        grad[0] = g0; grad[1] = g1; grad[2] = 0.5 * gq11; grad[3] = gq12; grad[4] = 0.5 * gq22;
        grad[5] = g5; grad[6] = g6; grad[7] = g7; grad[8] = g8;
        chi2 = chi;
        maxCount = nsat > 0 ? sat : 0;
        clamped = ncl;
        finvAge++;
    }

    /**
     * Score pass: gradient Σ J·(n − μ)/μ, χ² and the largest count over the mask. The model
     * evaluation is repeated in {@link #passFull} on purpose: this is the per-frame hot path and
     * stays free of the 45-term information-matrix update that only the full pass needs.
     */
    private void passScore(float[] data, int off) {
        final double cx = th[CX], cy = th[CY], q11 = th[Q11], q12 = th[Q12], q22 = th[Q22];
        final double invS = 1 / th[S], amp = th[A], b1 = th[B1], b0 = th[B0], invL = invDecay;
        final double[] gt = GT, et = ET;
        double g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0, g8 = 0, chi = 0, mx = 0;
        int ncl = 0;
        for (int k = 0; k < nSeg; k++) {
            final int r = segRow[k];
            final double dy = r - cy;
            final double bq = q12 * dy, cq = q22 * dy;
            final int base = off + r * cols;
            for (int c = segA[k], ce = segB[k]; c <= ce; c++) {
                double dx = c - cx;
                double qa = q11 * dx + bq, qb = q12 * dx + cq;
                double rho = Math.sqrt(dx * qa + dy * qb);
                double ir = 1 / rho;
                double d = rho - 1;
                double u = d * invS;
                double x = (u + G_R) * G_SC;
                x = x < 0 ? 0 : (x > G_MAX ? G_MAX : x);
                int i = (int) x;
                double gv = gt[i] + (x - i) * (gt[i + 1] - gt[i]);
                double y = (d * invL + E_R) * E_SC;
                y = y < 0 ? 0 : (y > E_MAX ? E_MAX : y);
                int j = (int) y;
                double ev = et[j] + (y - j) * (et[j + 1] - et[j]);
                double ag = amp * gv, be = b1 * ev;
                double mu = b0 + be + ag;
                if (mu < 1e-6) { mu = 1e-6; ncl++; }
                double n = data[base + c];
                if (n > mx) mx = n;
                double res = n - mu;
                double rw = res / mu;
                chi += res * rw;
                double k0 = -(ag * u * invS + be * invL) * ir;
                double kd = k0 * rw;
                g0 -= kd * qa;
                g1 -= kd * qb;
                g2 += 0.5 * kd * dx * dx;
                g3 += kd * dx * dy;
                g4 += 0.5 * kd * dy * dy;
                g5 += ag * u * u * invS * rw;
                g6 += gv * rw;
                g7 += ev * rw;
                g8 += rw;
            }
        }
        grad[0] = g0; grad[1] = g1; grad[2] = g2; grad[3] = g3; grad[4] = g4;
        grad[5] = g5; grad[6] = g6; grad[7] = g7; grad[8] = g8;
        chi2 = chi;
        maxCount = mx;
        clamped = ncl;
        finvAge++;
    }

    /** Full pass: gradient, χ² and the information matrix F = Σ J·Jᵀ/μ (upper triangle). */
    private void passFull(float[] data, int off) {
        final double cx = th[CX], cy = th[CY], q11 = th[Q11], q12 = th[Q12], q22 = th[Q22];
        final double invS = 1 / th[S], amp = th[A], b1 = th[B1], b0 = th[B0], invL = invDecay;
        final double[] gt = GT, et = ET, f = fu;
        java.util.Arrays.fill(f, 0);
        double g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0, g8 = 0, chi = 0, mx = 0;
        int ncl = 0;
        for (int k = 0; k < nSeg; k++) {
            final int r = segRow[k];
            final double dy = r - cy;
            final double bq = q12 * dy, cq = q22 * dy;
            final int base = off + r * cols;
            for (int c = segA[k], ce = segB[k]; c <= ce; c++) {
                double dx = c - cx;
                double qa = q11 * dx + bq, qb = q12 * dx + cq;
                double rho = Math.sqrt(dx * qa + dy * qb);
                double ir = 1 / rho;
                double d = rho - 1;
                double u = d * invS;
                double x = (u + G_R) * G_SC;
                x = x < 0 ? 0 : (x > G_MAX ? G_MAX : x);
                int i = (int) x;
                double gv = gt[i] + (x - i) * (gt[i + 1] - gt[i]);
                double y = (d * invL + E_R) * E_SC;
                y = y < 0 ? 0 : (y > E_MAX ? E_MAX : y);
                int j = (int) y;
                double ev = et[j] + (y - j) * (et[j + 1] - et[j]);
                double ag = amp * gv, be = b1 * ev;
                double mu = b0 + be + ag;
                if (mu < 1e-6) { mu = 1e-6; ncl++; }
                double n = data[base + c];
                if (n > mx) mx = n;
                double w = 1 / mu;
                double res = n - mu;
                double rw = res * w;
                chi += res * rw;
                double k0 = -(ag * u * invS + be * invL) * ir;
                double j0 = -k0 * qa, j1 = -k0 * qb, j2 = 0.5 * k0 * dx * dx, j3 = k0 * dx * dy, j4 = 0.5 * k0 * dy * dy;
                double j5 = ag * u * u * invS, j6 = gv, j7 = ev;
                g0 += j0 * rw; g1 += j1 * rw; g2 += j2 * rw; g3 += j3 * rw; g4 += j4 * rw;
                g5 += j5 * rw; g6 += j6 * rw; g7 += j7 * rw; g8 += rw;
                double w0 = j0 * w, w1 = j1 * w, w2 = j2 * w, w3 = j3 * w, w4 = j4 * w, w5 = j5 * w, w6 = j6 * w, w7 = j7 * w;
                f[0] += w0 * j0; f[1] += w0 * j1; f[2] += w0 * j2; f[3] += w0 * j3; f[4] += w0 * j4; f[5] += w0 * j5; f[6] += w0 * j6; f[7] += w0 * j7; f[8] += w0;
                f[10] += w1 * j1; f[11] += w1 * j2; f[12] += w1 * j3; f[13] += w1 * j4; f[14] += w1 * j5; f[15] += w1 * j6; f[16] += w1 * j7; f[17] += w1;
                f[20] += w2 * j2; f[21] += w2 * j3; f[22] += w2 * j4; f[23] += w2 * j5; f[24] += w2 * j6; f[25] += w2 * j7; f[26] += w2;
                f[30] += w3 * j3; f[31] += w3 * j4; f[32] += w3 * j5; f[33] += w3 * j6; f[34] += w3 * j7; f[35] += w3;
                f[40] += w4 * j4; f[41] += w4 * j5; f[42] += w4 * j6; f[43] += w4 * j7; f[44] += w4;
                f[50] += w5 * j5; f[51] += w5 * j6; f[52] += w5 * j7; f[53] += w5;
                f[60] += w6 * j6; f[61] += w6 * j7; f[62] += w6;
                f[70] += w7 * j7; f[71] += w7;
                f[80] += w;
            }
        }
        grad[0] = g0; grad[1] = g1; grad[2] = g2; grad[3] = g3; grad[4] = g4;
        grad[5] = g5; grad[6] = g6; grad[7] = g7; grad[8] = g8;
        chi2 = chi;
        maxCount = mx;
        clamped = ncl;
    }

    /** Reduced χ² of the last pass: Σ(n − μ)²/μ / (N − 9). */
    double chi2Reduced() {
        return nPix > NP ? chi2 / (nPix - NP) : Double.NaN;
    }
}
