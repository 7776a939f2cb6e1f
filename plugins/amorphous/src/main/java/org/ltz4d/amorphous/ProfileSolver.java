package org.ltz4d.amorphous;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Per-frame Poisson maximum-likelihood fit of the measured radial profile deformed by the frame's
 * ellipse (one per worker thread; allocates nothing per frame). Over the pixels of the annulus
 * ρ ∈ [rhoIn, rhoOut] of the seed:
 *
 * <pre>
 *   ρ(p) = sqrt((p − c)ᵀ·Q·(p − c))
 *   μ(p) = A·P(ρ) + B0 + B1·(ρ − 1)
 * </pre>
 *
 * with P the run's {@link RadialProfile} (whatever the sample scatters) and θ = (cx, cy, q11, q12,
 * q22, A, B0, B1); B1 (a linear background across the annulus: the part of the background that
 * does not deform with the sample, such as N⟨f²⟩ and the direct beam's tail) is optional. Fisher
 * scoring — Gauss–Newton with weights 1/μ, whose fixed point is the Poisson ML estimate — with
 * the analytic Jacobian: ∂μ/∂ρ = A·P'(ρ) + B1 from the tabulated derivative, ∂ρ/∂c = −Q(p − c)/ρ,
 * ∂ρ/∂q11 = dx²/(2ρ), ∂ρ/∂q12 = dx·dy/ρ, ∂ρ/∂q22 = dy²/(2ρ); ∂μ/∂(A, B0, B1) = (P, 1, ρ − 1).
 *
 * <p>Speed: the information matrix F = Σ JJᵀ/μ barely changes between neighbouring frames, so it
 * is recomputed only on cold starts, every {@code refresh} frames, when the count levels moved by
 * more than 10 % or when convergence is slow; in between, each iteration costs one score pass
 * (any fixed positive-definite preconditioner converges to the same ML point). From a neighbour's
 * solution (√N-consistent) the one-step (Le Cam) estimate is accepted. The score pass runs in
 * short structure-of-arrays loops per row segment. The annulus comes from the seed, not from the
 * data, so the estimate stays the ML estimate over a fixed pixel set.
 */
final class ProfileSolver {
    static final int NP = 8;
    static final int CX = 0, CY = 1, Q11 = 2, Q12 = 3, Q22 = 4, A = 5, B0 = 6, B1 = 7;

    static final int OK = 0, FAIL_GEOMETRY = 1, FAIL_CLIPPED = 2, FAIL_SATURATED = 3, FAIL_SINGULAR = 4,
            FAIL_DIVERGED = 5, FAIL_NOT_CONVERGED = 6;

    static String describe(int status) {
        return switch (status) {
            case OK -> "converged";
            case FAIL_GEOMETRY -> "the form is no ellipse";
            case FAIL_CLIPPED -> "the annulus is clipped by more than half";
            case FAIL_SATURATED -> "saturated pixels in the annulus";
            case FAIL_SINGULAR -> "singular information matrix";
            case FAIL_DIVERGED -> "diverged";
            default -> "no convergence";
        };
    }

    final int rows, cols;
    final double rhoIn, rhoOut, saturation;
    /** Number of fitted parameters: 7 (constant background) or 8 (+ the linear term B1). */
    final int np;
    private final double[] pt, dt;
    private final double p0, pInvH, pMax, pRidge;

    /** Current parameters θ. */
    final double[] th = new double[NP];
    /**
     * The run's reference form (the mean pattern's) and the envelope's log-slope κ: the profile
     * deforms with the frame's form, but the smooth envelope that multiplies it (⟨f⟩² of the
     * scattering factors: f does not change with strain) and the linear background stay on the
     * reference form: μ = A·exp(κ·(ρ − ρ₀))·P(ρ) + B0 + B1·(ρ₀ − 1), ρ₀ the radius under the
     * reference form around the frame's centre.
     */
    private double r11, r12, r22, kappa;

    // annulus as row segments [segA, segB] (inclusive), split at excluded pixels
    private int[] segRow, segA, segB;
    private final int[][] badCols; // per row: sorted columns never to fit, or null
    private int nSeg;
    int nPix;
    double fullPix;

    final double[] grad = new double[NP];
    private final double[] fu = new double[NP * NP];
    double chi2;
    boolean saturated;
    /** Pixels of the last pass where the model was not positive (μ clamped): the fit is then invalid. */
    int clamped;

    /** Inverse information matrix (possibly from an earlier frame), np × np in an NP × NP layout. */
    final double[] finv = new double[NP * NP];
    boolean haveFinv;
    private double aAtF, bAtF;
    private final double[] step = new double[NP];
    private final DMatrixRMaj fm, fi;
    private final LinearSolverDense<DMatrixRMaj> chol;

    // per-segment scratch (structure of arrays)
    private final double[] sQa, sQb, sRho, sIr, sP, sD, sK, sRw, sQa0, sQb0, sRho0, sIr0, sK0, sW, sDx, sDy;
    /**
     * Undistorted coordinates of every pixel (row-major), or null: the regular grid (dx = column − cx,
     * dy = row − cy), whose score pass keeps dy per row. See {@link #setGeometry}.
     */
    private double[] gx, gy;
    private static final double[] IOTA = new double[1 << 16];

    static {
        for (int i = 0; i < IOTA.length; i++) IOTA[i] = i;
    }

    /** Largest move of the centre from the seed before the fit counts as diverged, px (NaN: a quarter of the annulus width). */
    double maxShiftPx = Double.NaN;
    int passes, fullPasses, iterations;
    double lastMahalanobis;

    ProfileSolver(int rows, int cols, RadialProfile profile, double rhoIn, double rhoOut, boolean linearBackground,
            double saturation) {
        this.rows = rows;
        this.cols = cols;
        this.pt = profile.p;
        this.dt = profile.d;
        this.p0 = profile.rho0;
        this.pInvH = profile.invH;
        this.pMax = pt.length - 2;
        this.pRidge = profile.value(1);
        this.rhoIn = rhoIn;
        this.rhoOut = rhoOut;
        this.np = linearBackground ? NP : NP - 1;
        this.saturation = saturation;
        segRow = new int[2 * rows];
        segA = new int[2 * rows];
        segB = new int[2 * rows];
        badCols = new int[rows][];
        sQa = new double[cols];
        sQb = new double[cols];
        sRho = new double[cols];
        sIr = new double[cols];
        sP = new double[cols];
        sD = new double[cols];
        sK = new double[cols];
        sRw = new double[cols];
        sQa0 = new double[cols];
        sQb0 = new double[cols];
        sRho0 = new double[cols];
        sIr0 = new double[cols];
        sK0 = new double[cols];
        sW = new double[cols];
        sDx = new double[cols];
        sDy = new double[cols];
        fm = new DMatrixRMaj(np, np);
        fi = new DMatrixRMaj(np, np);
        chol = LinearSolverFactory_DDRM.symmPosDef(np);
    }

    /** Sets the reference form (px⁻²) and the envelope's log-slope κ (per unit ρ); see {@link #th}. */
    void setReference(double q11, double q12, double q22, double kappa) {
        r11 = q11;
        r12 = q12;
        r22 = q22;
        this.kappa = kappa;
    }

    /**
     * Fits in the given per-pixel coordinates (row-major rows × cols arrays {x, y}, px: the pixels
     * mapped to undistorted coordinates, {@link DistortionFile#undistort}) instead of the regular
     * grid; null: the regular grid. The annulus (the fixed pixel set of a fit) stays the seed's on
     * the detector grid; the model is evaluated at each pixel's undistorted position.
     */
    void setGeometry(double[][] xy) {
        gx = xy == null ? null : xy[0];
        gy = xy == null ? null : xy[1];
    }

    /** Excludes the pixels flagged in {@code bad} (row-major, rows × cols) from every fit. */
    void setExcluded(boolean[] bad) {
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

    /** Effective radius det(Q)^(−1/4) of the current form, px (the ridge's, ρ = 1). */
    double radius() {
        double det = th[Q11] * th[Q22] - th[Q12] * th[Q12];
        return Math.pow(det, -0.25);
    }

    /** Builds the annulus ρ ∈ [rhoIn, rhoOut] of the current θ, clipped to the detector; false when Q is no ellipse. */
    boolean buildMask() {
        double cx = th[CX], cy = th[CY], q11 = th[Q11], q12 = th[Q12], q22 = th[Q22];
        double det = q11 * q22 - q12 * q12;
        if (!(q11 > 0) || !(det > 0) || !Double.isFinite(cx) || !Double.isFinite(cy)) return false;
        double rin2 = rhoIn * rhoIn, rout2 = rhoOut * rhoOut;
        fullPix = Math.PI * (rout2 - rin2) / Math.sqrt(det);
        double ymax = rhoOut * Math.sqrt(q11 / det);
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
     * Fits frame {@code data[off ..]} from the current θ (the seed), whose annulus is built first.
     * {@code forceFull} recomputes the information matrix on the first pass; {@code onePass}
     * accepts the one-step (Le Cam) estimate after one pass when the seed lies within
     * {@code oneStepMax} (Mahalanobis², F-metric) of it. Otherwise iterates until a step's
     * Mahalanobis² is below {@code tol}.
     */
    int fit(float[] data, int off, int maxIter, boolean forceFull, boolean onePass, double oneStepMax, double tol) {
        iterations = 0;
        if (np == NP - 1) th[B1] = 0;
        if (!(r11 > 0)) setReference(th[Q11], th[Q12], th[Q22], kappa); // no reference given: the seed's form
        if (!buildMask()) return FAIL_GEOMETRY;
        if (nPix < 50 || nPix < 0.5 * fullPix) return FAIL_CLIPPED;
        // F ∝ the count levels: refresh it when the amplitude or the level at the ridge moved by more than 10 %
        boolean full = forceFull || !haveFinv || Math.abs(th[A] / aAtF - 1) > 0.1
                || Math.abs((th[A] * pRidge + th[B0]) / bAtF - 1) > 0.1;
        double cx0 = th[CX], cy0 = th[CY];
        double prevM = Double.POSITIVE_INFINITY;
        double maxShift = Double.isNaN(maxShiftPx) ? 0.25 * (rhoOut - rhoIn) * radius() : maxShiftPx;
        while (true) {
            if (full) {
                passFull(data, off);
                if (!invertF()) return FAIL_SINGULAR;
                full = false;
            } else {
                passScore(data, off);
            }
            passes++;
            if (iterations == 0 && saturated) return FAIL_SATURATED;
            double m = 0;
            for (int i = 0; i < np; i++) {
                double sum = 0;
                for (int j = 0; j < np; j++) sum += finv[i * NP + j] * grad[j];
                step[i] = sum;
                m += sum * grad[i];
            }
            lastMahalanobis = m;
            // keep the centre step within a quarter of the annulus width (damping far from the optimum)
            double scale = 1;
            double sc = Math.hypot(step[CX], step[CY]);
            if (sc > 0.5 * maxShift) scale = 0.5 * maxShift / sc;
            for (int i = 0; i < np; i++) th[i] += scale * step[i];
            iterations++;
            for (int i = 0; i < np; i++) if (!Double.isFinite(th[i])) return FAIL_DIVERGED;
            if (Math.hypot(th[CX] - cx0, th[CY] - cy0) > maxShift) return FAIL_DIVERGED;
            if (scale == 1 && m < tol) return clamped > 0 ? FAIL_DIVERGED : OK;
            if (scale == 1 && onePass && iterations == 1 && m < oneStepMax) return clamped > 0 ? FAIL_DIVERGED : OK;
            if (iterations >= maxIter) return FAIL_NOT_CONVERGED;
            if (m > 0.25 * prevM) full = true; // a stale F that no longer contracts fast enough
            prevM = m;
        }
    }

    private boolean invertF() {
        // Jacobi scaling before the Cholesky inverse: the parameters differ by orders of magnitude
        double[] d = step; // scratch
        for (int i = 0; i < np; i++) {
            double v = fu[i * NP + i];
            if (!(v > 0)) return false;
            d[i] = 1 / Math.sqrt(v);
        }
        for (int i = 0; i < np; i++) {
            for (int j = i; j < np; j++) {
                double v = fu[i * NP + j] * d[i] * d[j];
                fm.unsafe_set(i, j, v);
                fm.unsafe_set(j, i, v);
            }
        }
        if (!chol.setA(fm)) return false;
        chol.invert(fi);
        for (int i = 0; i < np; i++) {
            for (int j = 0; j < np; j++) {
                double v = fi.unsafe_get(i, j) * d[i] * d[j];
                if (!Double.isFinite(v)) return false;
                finv[i * NP + j] = v;
            }
        }
        haveFinv = true;
        aAtF = th[A];
        bAtF = th[A] * pRidge + th[B0];
        fullPasses++;
        return true;
    }

    /**
     * Score pass: gradient Σ J·(n − μ)/μ, χ² and saturation, in short loops per row segment —
     * geometry, profile tables, per-pixel weights, sums — so that many pixels are in flight.
     */
    private void passScore(float[] data, int off) {
        final double cx = th[CX], cy = th[CY], q11 = th[Q11], q12 = th[Q12], q22 = th[Q22];
        final double amp = th[A], b0 = th[B0], b1 = th[B1], sat = saturation, kap = kappa, hk = 0.5 * kappa;
        final double p11 = r11, p12 = r12, p22 = r22;
        final double[] pt = this.pt, dt = this.dt, qaA = sQa, qbA = sQb, rhoA = sRho, irA = sIr, pA = sP, dA = sD;
        final double[] kA = sK, rwA = sRw, qa0A = sQa0, qb0A = sQb0, rho0A = sRho0, ir0A = sIr0, k0A = sK0, wA = sW, iota = IOTA;
        final double t0 = p0, tInv = pInvH, tMax = pMax;
        double g0 = 0, g1 = 0, gA = 0, gB0 = 0, gB1 = 0, chi = 0, gq11 = 0, gq12 = 0, gq22 = 0;
        int nsat = 0, ncl = 0;
        for (int k = 0; k < nSeg; k++) {
            final int r = segRow[k], ca = segA[k], len = segB[k] - ca + 1;
            final double dy = r - cy;
            final double bq = q12 * dy, cq = q22 * dy, bq0 = p12 * dy, cq0 = p22 * dy;
            final double x0 = ca - cx;
            if (gx != null) {
                geometryMapped(r * cols + ca, len);
            } else for (int i = 0; i < len; i++) {
                double dx = x0 + iota[i];
                double qa = q11 * dx + bq, qb = q12 * dx + cq;
                double rho = Math.sqrt(dx * qa + dy * qb);
                qaA[i] = qa;
                qbA[i] = qb;
                rhoA[i] = rho;
                irA[i] = 1 / rho;
                double qa0 = p11 * dx + bq0, qb0 = p12 * dx + cq0;
                double rho0 = Math.sqrt(dx * qa0 + dy * qb0);
                qa0A[i] = qa0;
                qb0A[i] = qb0;
                rho0A[i] = rho0;
                ir0A[i] = 1 / rho0;
            }
            for (int i = 0; i < len; i++) {
                double x = (rhoA[i] - t0) * tInv;
                x = x < 0 ? 0 : (x > tMax ? tMax : x);
                int ti = (int) x;
                double f = x - ti;
                pA[i] = pt[ti] + f * (pt[ti + 1] - pt[ti]);
                dA[i] = dt[ti] + f * (dt[ti + 1] - dt[ti]);
            }
            final int base = off + r * cols + ca;
            for (int i = 0; i < len; i++) {
                double n = data[base + i];
                nsat += n >= sat ? 1 : 0;
                // exp(κ·(ρ − ρ₀)) to second order: |κ·(ρ − ρ₀)| is of the order of the strain
                double e = rhoA[i] - rho0A[i];
                double w = 1 + kap * e * (1 + hk * e);
                double aw = amp * w, awp = aw * pA[i];
                double mu = awp + b0 + b1 * (rho0A[i] - 1);
                ncl += mu < 1e-6 ? 1 : 0;
                mu = mu < 1e-6 ? 1e-6 : mu;
                double res = n - mu;
                double rw = res / mu;
                rwA[i] = rw;
                wA[i] = w;
                chi += res * rw;
                kA[i] = aw * (dA[i] + kap * pA[i]) * irA[i] * rw;
                k0A[i] = (b1 - kap * awp) * ir0A[i] * rw;
            }
            if (gx != null) {
                // per-pixel dy: the q12 and q22 sums go pixel by pixel
                final double[] dxA = sDx, dyA = sDy;
                for (int i = 0; i < len; i++) {
                    double kd = kA[i], k0 = k0A[i], rw = rwA[i];
                    double dx = dxA[i], dyp = dyA[i];
                    g0 -= kd * qaA[i] + k0 * qa0A[i];
                    g1 -= kd * qbA[i] + k0 * qb0A[i];
                    double kdx = kd * dx;
                    gq11 += kdx * dx;
                    gq12 += kdx * dyp;
                    gq22 += kd * dyp * dyp;
                    gA += wA[i] * pA[i] * rw;
                    gB0 += rw;
                    gB1 += (rho0A[i] - 1) * rw;
                }
                continue;
            }
            double s2 = 0, s3 = 0, s4 = 0;
            for (int i = 0; i < len; i++) {
                double kd = kA[i], k0 = k0A[i], rw = rwA[i];
                double dx = x0 + iota[i];
                g0 -= kd * qaA[i] + k0 * qa0A[i];
                g1 -= kd * qbA[i] + k0 * qb0A[i];
                double kdx = kd * dx;
                s2 += kdx * dx;
                s3 += kdx;
                s4 += kd;
                gA += wA[i] * pA[i] * rw;
                gB0 += rw;
                gB1 += (rho0A[i] - 1) * rw;
            }
            // ∂ρ/∂q12 ∝ dx·dy and ∂ρ/∂q22 ∝ dy²: dy is constant along the row
            gq11 += s2;
            gq12 += s3 * dy;
            gq22 += s4 * dy * dy;
        }
        grad[0] = g0; grad[1] = g1; grad[2] = 0.5 * gq11; grad[3] = gq12; grad[4] = 0.5 * gq22;
        grad[5] = gA; grad[6] = gB0; grad[7] = gB1;
        chi2 = chi;
        saturated = nsat > 0;
        clamped = ncl;
    }

    /** The geometry of one row segment from the per-pixel coordinates (pixels p0 .. p0 + len − 1): dx, dy, ρ and the form products. */
    private void geometryMapped(int p0, int len) {
        final double cx = th[CX], cy = th[CY], q11 = th[Q11], q12 = th[Q12], q22 = th[Q22];
        final double p11 = r11, p12 = r12, p22 = r22;
        final double[] ux = gx, uy = gy, dxA = sDx, dyA = sDy;
        for (int i = 0; i < len; i++) {
            double dx = ux[p0 + i] - cx, dy = uy[p0 + i] - cy;
            dxA[i] = dx;
            dyA[i] = dy;
            form(i, dx, dy, q11, q12, q22, sQa, sQb, sRho, sIr);
            form(i, dx, dy, p11, p12, p22, sQa0, sQb0, sRho0, sIr0);
        }
    }

    /** Q·d = (qa, qb), ρ = sqrt(dᵀQd) and 1/ρ of the offset d = (dx, dy) under the form Q, into slot i. */
    private static void form(int i, double dx, double dy, double a11, double a12, double a22, double[] qaA, double[] qbA,
            double[] rhoA, double[] irA) {
        double qa = a11 * dx + a12 * dy, qb = a12 * dx + a22 * dy;
        double rho = Math.sqrt(dx * qa + dy * qb);
        qaA[i] = qa;
        qbA[i] = qb;
        rhoA[i] = rho;
        irA[i] = 1 / rho;
    }

    /** Full pass: gradient, χ² and the information matrix F = Σ J·Jᵀ/μ (upper triangle, NP × NP layout). */
    private void passFull(float[] data, int off) {
        final double cx = th[CX], cy = th[CY], q11 = th[Q11], q12 = th[Q12], q22 = th[Q22];
        final double amp = th[A], b0 = th[B0], b1 = th[B1];
        final double[] f = fu;
        java.util.Arrays.fill(f, 0);
        double g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0, chi = 0;
        int ncl = 0, nsat = 0;
        final double[] ux = gx, uy = gy;
        for (int k = 0; k < nSeg; k++) {
            final int r = segRow[k];
            final double dyRow = r - cy;
            final int base = off + r * cols;
            for (int c = segA[k], ce = segB[k]; c <= ce; c++) {
                double dx = c - cx, dy = dyRow;
                if (ux != null) {
                    dx = ux[r * cols + c] - cx;
                    dy = uy[r * cols + c] - cy;
                }
                double qa = q11 * dx + q12 * dy, qb = q12 * dx + q22 * dy;
                double rho = Math.sqrt(dx * qa + dy * qb);
                double qa0 = r11 * dx + r12 * dy, qb0 = r12 * dx + r22 * dy;
                double rho0 = Math.sqrt(dx * qa0 + dy * qb0);
                double e = rho - rho0;
                double wv = 1 + kappa * e * (1 + 0.5 * kappa * e);
                double x = (rho - p0) * pInvH;
                x = x < 0 ? 0 : (x > pMax ? pMax : x);
                int ti = (int) x;
                double fr = x - ti;
                double pv = pt[ti] + fr * (pt[ti + 1] - pt[ti]);
                double dv = dt[ti] + fr * (dt[ti + 1] - dt[ti]);
                double lin = rho0 - 1;
                double aw = amp * wv;
                double mu = aw * pv + b0 + b1 * lin;
                if (mu < 1e-6) { mu = 1e-6; ncl++; }
                double n = data[base + c];
                if (n >= saturation) nsat++;
                double w = 1 / mu;
                double res = n - mu;
                double rw = res * w;
                chi += res * rw;
                double k0 = aw * (dv + kappa * pv) / rho, kr = (b1 - kappa * aw * pv) / rho0;
                double j0 = -k0 * qa - kr * qa0, j1 = -k0 * qb - kr * qb0;
                double j2 = 0.5 * k0 * dx * dx, j3 = k0 * dx * dy, j4 = 0.5 * k0 * dy * dy;
                double j5 = wv * pv, j7 = lin;
                g0 += j0 * rw; g1 += j1 * rw; g2 += j2 * rw; g3 += j3 * rw; g4 += j4 * rw;
                g5 += j5 * rw; g6 += rw; g7 += j7 * rw;
                double w0 = j0 * w, w1 = j1 * w, w2 = j2 * w, w3 = j3 * w, w4 = j4 * w, w5 = j5 * w, w6 = w;
                f[0] += w0 * j0; f[1] += w0 * j1; f[2] += w0 * j2; f[3] += w0 * j3; f[4] += w0 * j4; f[5] += w0 * j5; f[6] += w0; f[7] += w0 * j7;
                f[9] += w1 * j1; f[10] += w1 * j2; f[11] += w1 * j3; f[12] += w1 * j4; f[13] += w1 * j5; f[14] += w1; f[15] += w1 * j7;
                f[18] += w2 * j2; f[19] += w2 * j3; f[20] += w2 * j4; f[21] += w2 * j5; f[22] += w2; f[23] += w2 * j7;
                f[27] += w3 * j3; f[28] += w3 * j4; f[29] += w3 * j5; f[30] += w3; f[31] += w3 * j7;
                f[36] += w4 * j4; f[37] += w4 * j5; f[38] += w4; f[39] += w4 * j7;
                f[45] += w5 * j5; f[46] += w5; f[47] += w5 * j7;
                f[54] += w6; f[55] += w6 * j7;
                f[63] += w * j7 * j7;
            }
        }
        grad[0] = g0; grad[1] = g1; grad[2] = g2; grad[3] = g3; grad[4] = g4;
        grad[5] = g5; grad[6] = g6; grad[7] = g7;
        chi2 = chi;
        saturated = nsat > 0;
        clamped = ncl;
    }

    /** Reduced χ² of the last pass: Σ(n − μ)²/μ / (N − np). */
    double chi2Reduced() {
        return nPix > np ? chi2 / (nPix - np) : Double.NaN;
    }

    /** Standard error of θ[i] from the (last) inverse information matrix, for Poisson counts. */
    double standardError(int i) {
        return Math.sqrt(finv[i * NP + i]);
    }
}
