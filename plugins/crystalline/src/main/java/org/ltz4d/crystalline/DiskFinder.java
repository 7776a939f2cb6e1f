package org.ltz4d.crystalline;

import org.jtransforms.fft.FloatFFT_2D;

/**
 * Per-thread Bragg-disk finder: FFT cross-correlation with the shared {@link Template}, local
 * maxima whose match is significant against the pattern's own counting noise (see {@link #peaks}),
 * with a minimum spacing, then a Poisson maximum-likelihood
 * fit (Fisher scoring) of b + A·D(|x − c|) over each disk's pixels for the sub-pixel centre and its
 * variance. Owns its FFT plan and all buffers: nothing is allocated per frame.
 */
final class DiskFinder {
    static final int MAX_CANDIDATES = 1024;
    /**
     * Default significance of a disk's template match, in standard deviations of its counting noise:
     * a frame holds at most a few thousand independent template positions, so noise alone passes
     * 6σ with a probability below 10⁻⁵ per frame.
     */
    static final double Z_MIN = 6;

    final int h;
    final int w;
    private final Template template;
    private final DiskModel m;
    private final FloatFFT_2D fft;
    private final float[] buf;
    private final double minSpacing2;
    private final double minRelative;
    private final int maxDisks;
    private final int[] candIdx = new int[MAX_CANDIDATES];
    private final float[] candVal = new float[MAX_CANDIDATES];
    private final double[] candZ = new double[MAX_CANDIDATES];
    private final double[] peakZ;
    private final int[] peakIdx;
    private final double[] peakX;
    private final double[] peakY;

    /** Results of the last {@link #find}: centres (px, x = column), amplitude, background, variance of each centre coordinate (px²). */
    final double[] x;
    final double[] y;
    final double[] amp;
    final double[] bg;
    final double[] var;
    /** Significance (σ) of each disk's correlation peak. */
    final double[] sigma;
    /**
     * Gradient model only (else NaN): each disk's fitted inner intensity gradient relative to its amplitude, per disk
     * radius (dimensionless, detector x and y), and the variance of each component — the disk's inner contrast, which
     * tells symmetry-equivalent reflections apart where their positions cannot.
     */
    final double[] gradX;
    final double[] gradY;
    final double[] gradVar;
    int n;

    private final double[] jtj = new double[16];
    private final double[] jtr = new double[4];
    private final double[] tmp = new double[16];
    private final double[] e = new double[4];
    private final double[] sysN = new double[NP * NP];
    private final double[] cholN = new double[NP * NP];
    private final double[] rhsN = new double[NP];
    private final double[] eN = new double[NP];
    private final double[] sysL = new double[NL * NL];
    private final double[] cholL = new double[NL * NL];
    private final double[] rhsL = new double[NL];
    private final double[] theta = new double[NL];
    /** One disk window's pixels: offsets from the start centre (px) and counts. */
    private final double[] winX;
    private final double[] winY;
    private final double[] winV;
    /**
     * Gradient (profile) model only: each disk's fitted intensity terms (b, A, g_x, g_y, q_xx, q_xy, q_yy; {@link #NL}
     * per disk, see {@link #refineProfile}), from which tracking starts the same reflection on the next pattern.
     */
    final double[] profile;
    /** Diagnostics (benchmark): passes over the pixels and fits of the profile model so far. */
    long passCount, profileFits;
    /** Disk model with a linear intensity gradient inside the disk (real CBED disks), else uniform. */
    boolean gradient;

    /** Significance threshold of a disk (standard deviations of the template match's noise). */
    final double threshold;
    /** Detector counts per electron: the counts' variance is this times their mean (1 for a counting detector). */
    double noiseFactor = 1;

    /**
     * @param minRelative a cut at this fraction of the strongest correlation peak, or NaN / 0 for none
     * @param minSigma the significance threshold (σ), NaN for {@link #Z_MIN}
     */
    DiskFinder(Template t, double minSpacing, double minRelative, double minSigma, int maxDisks) {
        this.template = t;
        this.m = t.model;
        this.h = t.h;
        this.w = t.w;
        this.fft = new FloatFFT_2D(h, w);
        this.buf = new float[h * 2 * w];
        this.minSpacing2 = minSpacing * minSpacing;
        this.minRelative = Double.isNaN(minRelative) ? 0 : minRelative;
        this.threshold = Double.isNaN(minSigma) ? Z_MIN : minSigma;
        this.maxDisks = maxDisks;
        peakZ = new double[maxDisks];
        peakIdx = new int[maxDisks];
        peakX = new double[maxDisks];
        peakY = new double[maxDisks];
        x = new double[maxDisks];
        y = new double[maxDisks];
        amp = new double[maxDisks];
        bg = new double[maxDisks];
        var = new double[maxDisks];
        sigma = new double[maxDisks];
        gradX = new double[maxDisks];
        gradY = new double[maxDisks];
        gradVar = new double[maxDisks];
        profile = new double[maxDisks * NL];
        int side = 2 * (int) Math.ceil(m.radius + REACH_EDGES * m.edge + 0.5) + 3;
        winX = new double[side * side];
        winY = new double[side * side];
        winV = new double[side * side];
    }

    DiskModel model() {
        return m;
    }

    /** Finds and refines the disks of frame {@code data[off ..]}; returns their number. */
    int find(float[] data, int off) {
        correlate(data, off);
        int np = peaks();
        n = 0;
        for (int i = 0; i < np; i++) {
            if (refine(data, off, peakX[i], peakY[i], n)) {
                sigma[n] = peakZ[i];
                n++;
            }
        }
        return n;
    }

    private void correlate(float[] data, int off) {
        float[] b = buf;
        int np = h * w;
        System.arraycopy(data, off, b, 0, np);
        fft.realForwardFull(b); // real input in the first h·w entries, full complex spectrum out
        float[] s = template.spectrum;
        for (int i = 0; i < 2 * np; i += 2) {
            float re = b[i], im = b[i + 1], tr = s[i], ti = s[i + 1];
            b[i] = re * tr + im * ti;
            b[i + 1] = im * tr - re * ti;
        }
        fft.complexInverse(b, false);
    }

    private float corr(int r, int c) {
        return buf[2 * (r * w + c)];
    }

    /**
     * Local maxima of the correlation that are disks, strongest first, thinned to the minimum
     * spacing. A maximum counts as a disk when the significance of its template match,
     * z = C/√(g·V) (C = Σ T·I the match, V = Σ T²·I its Poisson variance, both from
     * {@link #correlate}; g the detector's counts per electron), reaches {@link #threshold}
     * (default {@link #Z_MIN}). No fraction of the direct beam enters, so disks from 0.3 % to 100 %
     * of it are found alike. {@code --min-relative-intensity} adds the old cut at a fraction of
     * the strongest peak.
     */
    private int peaks() {
        float max = -Float.MAX_VALUE;
        if (minRelative > 0) for (int r = 1; r < h - 1; r++) for (int c = 1; c < w - 1; c++) max = Math.max(max, corr(r, c));
        if (minRelative > 0 && !(max > 0)) return 0;
        float relThr = minRelative > 0 ? (float) (minRelative * max) : 0f;
        double norm = h * (double) w; // the unscaled inverse FFT multiplies C and V by h·w
        double vScale = norm * noiseFactor;
        double vFloor = norm * 1e-12;
        double zThr = threshold;
        int nc = 0;
        for (int r = 1; r < h - 1; r++) {
            for (int c = 1; c < w - 1; c++) {
                float v = corr(r, c);
                if (v <= relThr) continue;
                if (v < corr(r - 1, c - 1) || v < corr(r - 1, c) || v < corr(r - 1, c + 1) || v < corr(r, c - 1)
                        || v <= corr(r, c + 1) || v <= corr(r + 1, c - 1) || v <= corr(r + 1, c) || v <= corr(r + 1, c + 1)) continue;
                double z = v / Math.sqrt(vScale * Math.max(buf[2 * (r * w + c) + 1], vFloor));
                if (z < zThr || nc == MAX_CANDIDATES) continue;
                // insertion into the list sorted by decreasing match
                int k = nc++;
                while (k > 0 && candVal[k - 1] < v) {
                    candVal[k] = candVal[k - 1];
                    candIdx[k] = candIdx[k - 1];
                    candZ[k] = candZ[k - 1];
                    k--;
                }
                candVal[k] = v;
                candIdx[k] = r * w + c;
                candZ[k] = z;
            }
        }
        int np = 0;
        for (int i = 0; i < nc && np < maxDisks; i++) {
            int r = candIdx[i] / w, c = candIdx[i] % w;
            boolean ok = true;
            for (int j = 0; j < np && ok; j++) {
                int rj = peakIdx[j] / w, cj = peakIdx[j] % w;
                ok = (double) (r - rj) * (r - rj) + (double) (c - cj) * (c - cj) >= minSpacing2;
            }
            if (!ok) continue;
            peakIdx[np] = candIdx[i];
            peakZ[np] = candZ[i];
            double v0 = corr(r, c);
            double dxv = corr(r, c - 1) - 2 * v0 + corr(r, c + 1);
            double dyv = corr(r - 1, c) - 2 * v0 + corr(r + 1, c);
            double ox = dxv < 0 ? 0.5 * (corr(r, c - 1) - corr(r, c + 1)) / dxv : 0;
            double oy = dyv < 0 ? 0.5 * (corr(r - 1, c) - corr(r + 1, c)) / dyv : 0;
            peakX[np] = c + Math.max(-0.5, Math.min(0.5, ox));
            peakY[np] = r + Math.max(-0.5, Math.min(0.5, oy));
            np++;
        }
        return np;
    }

    /**
     * Poisson maximum-likelihood fit of (cx, cy, A, b) over the pixels within R + 4σ + 1 (profile model: R + 3σ + ½) of the
     * starting centre, by Fisher scoring (weights 1/λ). Stores the result in slot k.
     */
    boolean refine(float[] data, int off, double cx0, double cy0, int k) {
        return refine(data, off, cx0, cy0, k, null, 0);
    }

    /**
     * As {@link #refine(float[], int, double, double, int)}; with the gradient (profile) model, {@code warm} (or null)
     * holds the disk's intensity terms from a previous fit at {@code wo} ({@link #NL} values, as in {@link #profile}).
     */
    boolean refine(float[] data, int off, double cx0, double cy0, int k, double[] warm, int wo) {
        double reach = m.radius + (gradient ? REACH_EDGES * m.edge + 0.5 : 4 * m.edge + 1);
        double reach2 = reach * reach;
        int r0 = Math.max(0, (int) Math.floor(cy0 - reach)), r1 = Math.min(h - 1, (int) Math.ceil(cy0 + reach));
        int c0 = Math.max(0, (int) Math.floor(cx0 - reach)), c1 = Math.min(w - 1, (int) Math.ceil(cx0 + reach));
        // tracked with the profile model: the intensity terms start from the reflection's previous fit
        if (gradient && warm != null) return refineProfile(data, off, cx0, cy0, Double.NaN, Double.NaN, r0, r1, c0, c1, reach2, k, warm, wo);
        // linear start for A and b at the peak's centre
        double sdd = 0, sd = 0, s1 = 0, sdy = 0, sy = 0;
        for (int r = r0; r <= r1; r++) {
            double dy = r - cy0;
            for (int c = c0; c <= c1; c++) {
                double dx = c - cx0;
                double q = dx * dx + dy * dy;
                if (q > reach2) continue;
                double d = m.value(Math.sqrt(q));
                double v = data[off + r * w + c];
                sdd += d * d; sd += d; s1++; sdy += d * v; sy += v;
            }
        }
        double det = sdd * s1 - sd * sd;
        if (!(det > 1e-9) || s1 < 8) return false;
        double a = (s1 * sdy - sd * sy) / det;
        double b = (sdd * sy - sd * sdy) / det;
        if (!(a > 0)) return false;
        b = Math.max(b, 1e-3 * a);
        if (gradient) return refineProfile(data, off, cx0, cy0, a, b, r0, r1, c0, c1, reach2, k, warm, wo);
        double cx = cx0, cy = cy0;
        for (int it = 0; it < 6; it++) {
            java.util.Arrays.fill(jtj, 0);
            java.util.Arrays.fill(jtr, 0);
            for (int r = r0; r <= r1; r++) {
                double dy0 = r - cy0;
                double dy = r - cy;
                for (int c = c0; c <= c1; c++) {
                    double dx0 = c - cx0;
                    if (dx0 * dx0 + dy0 * dy0 > reach2) continue;
                    double dx = c - cx;
                    double rho = Math.sqrt(dx * dx + dy * dy);
                    double d = m.value(rho);
                    double lam = b + a * d;
                    double wgt = 1 / Math.max(lam, 1e-3);
                    double res = data[off + r * w + c] - lam;
                    double g = rho > 1e-9 ? -a * m.slope(rho) / rho : 0;
                    double j0 = g * dx, j1 = g * dy, j2 = d;
                    jtj[0] += wgt * j0 * j0; jtj[1] += wgt * j0 * j1; jtj[2] += wgt * j0 * j2; jtj[3] += wgt * j0;
                    jtj[5] += wgt * j1 * j1; jtj[6] += wgt * j1 * j2; jtj[7] += wgt * j1;
                    jtj[10] += wgt * j2 * j2; jtj[11] += wgt * j2;
                    jtj[15] += wgt;
                    jtr[0] += wgt * j0 * res; jtr[1] += wgt * j1 * res; jtr[2] += wgt * j2 * res; jtr[3] += wgt * res;
                }
            }
            jtj[4] = jtj[1]; jtj[8] = jtj[2]; jtj[9] = jtj[6]; jtj[12] = jtj[3]; jtj[13] = jtj[7]; jtj[14] = jtj[11];
            if (!Small.cholesky(jtj, 4, tmp)) return false;
            Small.cholSolve(tmp, 4, jtr);
            double step = Math.hypot(jtr[0], jtr[1]);
            double lim = 0.5 * m.radius;
            double sc = step > lim ? lim / step : 1;
            cx += sc * jtr[0];
            cy += sc * jtr[1];
            a += sc * jtr[2];
            b += sc * jtr[3];
            if (!(a > 0)) return false;
            if (b < 1e-6 * a) b = 1e-6 * a;
            if (step < 1e-3) break; // far below any centre's standard deviation
        }
        if (Math.hypot(cx - cx0, cy - cy0) > m.radius || cx < -0.5 || cy < -0.5 || cx > w - 0.5 || cy > h - 0.5) return false;
        // variance from the inverse Fisher information at the last iterate (tmp holds its Cholesky factor)
        double vx = Small.inverseDiag(tmp, 4, 0, e), vy = Small.inverseDiag(tmp, 4, 1, e);
        x[k] = cx;
        y[k] = cy;
        amp[k] = a;
        bg[k] = b;
        var[k] = 0.5 * (vx + vy);
        gradX[k] = gradY[k] = gradVar[k] = Double.NaN;
        return Double.isFinite(var[k]) && var[k] > 0;
    }

    /**
     * The profile model's window: pixels within R + this many edge widths σ (+ ½ px) of the start centre. Beyond 3σ the rim's
     * slope is 1 % of its peak (10⁻⁴ of the centre's information per pixel); the ring R + 1.5σ … R + 3σ holds the
     * background.
     */
    static final double REACH_EDGES = 3;

    /** Linear parameters of the profile model: b, A, g_x, g_y, q_xx, q_xy, q_yy (see {@link #refineProfile}). */
    static final int NL = 7;
    private static final int NP = NL + 2;
    /** A centre step below this fraction of the centre's standard deviation ends the iteration. */
    static final double STOP_SIGMA = 0.25;
    static final int MAX_PASSES = 8;

    /**
     * As {@link #refine} with an inner profile: λ = b + D(ρ)·P(u, v), u = dx/R, v = dy/R from the centre,
     * P = A + g_x·u + g_y·v + q_xx·u² + q_xy·u·v + q_yy·v² — a gradient (tilt, the odd part of dynamical contrast)
     * and a quadratic (a rocking-curve band across the disk, a radial fall-off: the even part). Without the
     * quadratic, the fitted gradient gives the centre's derivative an even part that takes up an even band and
     * moves the centre by up to 0.2 px ({@code BandBiasTest}). The seven intensity terms enter linearly; the two
     * centre coordinates are found by Fisher scoring on all nine (Gauss–Newton with Poisson weights 1/λ), which,
     * the model fitting the disk, converges in two or three passes; it stops when the centre's step is below
     * {@link #STOP_SIGMA} of its own standard deviation. {@code warm} (length {@link #NL} at {@code wo}, or null)
     * starts the intensity terms from a previous pattern's fit of the same reflection (tracking); else a first
     * pass solves them alone at the start centre. The pixels of the window are listed once per call; nothing is
     * allocated.
     */
    private boolean refineProfile(float[] data, int off, double cx0, double cy0, double a, double b,
            int r0, int r1, int c0, int c1, double reach2, int k, double[] warm, int wo) {
        int np = 0;
        for (int r = r0; r <= r1; r++) {
            double dy0 = r - cy0, dy02 = dy0 * dy0;
            int row = off + r * w;
            for (int c = c0; c <= c1; c++) {
                double dx0 = c - cx0;
                if (dx0 * dx0 + dy02 > reach2) continue;
                winX[np] = dx0;
                winY[np] = dy0;
                winV[np] = data[row + c];
                np++;
            }
        }
        if (np < 3 * NP) return false;
        final double[] th = theta;
        if (warm != null) {
            System.arraycopy(warm, wo, th, 0, NL);
            if (!(th[1] > 0)) return false;
        } else {
            java.util.Arrays.fill(th, 0);
            th[0] = b;
            th[1] = a;
        }
        final double[] tD = m.d, tS = m.dd;
        final double inv = m.inv, t0 = m.t0, invR = 1 / m.radius;
        final int last = m.last;
        final double lim = 0.5 * m.radius;
        double sx = 0, sy = 0; // centre − start
        boolean linearOnly = warm == null;
        boolean converged = false;
        int it = 0;
        for (; it < MAX_PASSES && !converged; it++) {
            double pb = th[0], pa = th[1], gx = th[2], gy = th[3], qxx = th[4], qxy = th[5], qyy = th[6];
            double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s04 = 0, s05 = 0, s06 = 0, s07 = 0, s08 = 0;
            double s11 = 0, s12 = 0, s13 = 0, s14 = 0, s15 = 0, s16 = 0, s17 = 0, s18 = 0;
            double s22 = 0, s23 = 0, s24 = 0, s25 = 0, s26 = 0, s27 = 0, s28 = 0;
            double s33 = 0, s34 = 0, s35 = 0, s36 = 0, s37 = 0, s38 = 0;
            double s44 = 0, s45 = 0, s46 = 0, s47 = 0, s48 = 0;
            double s55 = 0, s56 = 0, s57 = 0, s58 = 0;
            double s66 = 0, s67 = 0, s68 = 0;
            double s77 = 0, s78 = 0;
            double s88 = 0;
            double q0 = 0, q1 = 0, q2 = 0, q3 = 0, q4 = 0, q5 = 0, q6 = 0, q7 = 0, q8 = 0;
            for (int i = 0; i < np; i++) {
                double dx = winX[i] - sx, dy = winY[i] - sy;
                double rho = Math.sqrt(dx * dx + dy * dy);
                // D(ρ) and dD/dρ from the model's tables (the same interpolation as DiskModel.value/slope)
                double uu = (rho - t0) * inv;
                double d, sl;
                if (uu <= 0) {
                    d = 1;
                    sl = 0;
                } else if (uu >= last) {
                    d = 0;
                    sl = 0;
                } else {
                    int ti = (int) uu;
                    double f = uu - ti;
                    d = tD[ti] + f * (tD[ti + 1] - tD[ti]);
                    sl = tS[ti] + f * (tS[ti + 1] - tS[ti]);
                }
                double u = dx * invR, v = dy * invR;
                double uu2 = u * u, uv = u * v, vv = v * v;
                double prof = pa + gx * u + gy * v + qxx * uu2 + qxy * uv + qyy * vv;
                double lam = pb + d * prof;
                double wgt = 1 / Math.max(lam, 1e-3);
                double res = winV[i] - lam;
                double t = rho > 1e-9 ? -prof * sl / rho : 0;
                double pu = (gx + 2 * qxx * u + qxy * v) * invR, pv = (gy + qxy * u + 2 * qyy * v) * invR;
                double j0 = t * dx - d * pu, j1 = t * dy - d * pv, j3 = d, j4 = d * u, j5 = d * v, j6 = d * uu2, j7 = d * uv, j8 = d * vv;
                double w0 = wgt * j0, w1 = wgt * j1, w2 = wgt, w3 = wgt * j3, w4 = wgt * j4, w5 = wgt * j5, w6 = wgt * j6, w7 = wgt * j7, w8 = wgt * j8;
                q0 += w0 * res; q1 += w1 * res; q2 += w2 * res; q3 += w3 * res; q4 += w4 * res; q5 += w5 * res; q6 += w6 * res; q7 += w7 * res; q8 += w8 * res;
                s00 += w0 * j0; s01 += w0 * j1; s02 += w0; s03 += w0 * j3; s04 += w0 * j4; s05 += w0 * j5; s06 += w0 * j6; s07 += w0 * j7; s08 += w0 * j8;
                s11 += w1 * j1; s12 += w1; s13 += w1 * j3; s14 += w1 * j4; s15 += w1 * j5; s16 += w1 * j6; s17 += w1 * j7; s18 += w1 * j8;
                s22 += w2; s23 += w2 * j3; s24 += w2 * j4; s25 += w2 * j5; s26 += w2 * j6; s27 += w2 * j7; s28 += w2 * j8;
                s33 += w3 * j3; s34 += w3 * j4; s35 += w3 * j5; s36 += w3 * j6; s37 += w3 * j7; s38 += w3 * j8;
                s44 += w4 * j4; s45 += w4 * j5; s46 += w4 * j6; s47 += w4 * j7; s48 += w4 * j8;
                s55 += w5 * j5; s56 += w5 * j6; s57 += w5 * j7; s58 += w5 * j8;
                s66 += w6 * j6; s67 += w6 * j7; s68 += w6 * j8;
                s77 += w7 * j7; s78 += w7 * j8;
                s88 += w8 * j8;
            }
            double[] A = sysN;
            A[0] = s00; A[1] = A[9] = s01; A[2] = A[18] = s02; A[3] = A[27] = s03; A[4] = A[36] = s04; A[5] = A[45] = s05; A[6] = A[54] = s06; A[7] = A[63] = s07; A[8] = A[72] = s08;
            A[10] = s11; A[11] = A[19] = s12; A[12] = A[28] = s13; A[13] = A[37] = s14; A[14] = A[46] = s15; A[15] = A[55] = s16; A[16] = A[64] = s17; A[17] = A[73] = s18;
            A[20] = s22; A[21] = A[29] = s23; A[22] = A[38] = s24; A[23] = A[47] = s25; A[24] = A[56] = s26; A[25] = A[65] = s27; A[26] = A[74] = s28;
            A[30] = s33; A[31] = A[39] = s34; A[32] = A[48] = s35; A[33] = A[57] = s36; A[34] = A[66] = s37; A[35] = A[75] = s38;
            A[40] = s44; A[41] = A[49] = s45; A[42] = A[58] = s46; A[43] = A[67] = s47; A[44] = A[76] = s48;
            A[50] = s55; A[51] = A[59] = s56; A[52] = A[68] = s57; A[53] = A[77] = s58;
            A[60] = s66; A[61] = A[69] = s67; A[62] = A[78] = s68;
            A[70] = s77; A[71] = A[79] = s78;
            A[80] = s88;
            double[] q = rhsN;
            q[0] = q0; q[1] = q1; q[2] = q2; q[3] = q3; q[4] = q4; q[5] = q5; q[6] = q6; q[7] = q7; q[8] = q8;
            if (linearOnly) {
                // the intensity terms alone at the start centre (the trailing 7×7 block)
                for (int i = 0; i < NL; i++) {
                    for (int j = 0; j < NL; j++) sysL[i * NL + j] = A[(i + 2) * NP + j + 2];
                    rhsL[i] = q[i + 2];
                }
                if (!Small.cholesky(sysL, NL, cholL)) return false;
                Small.cholSolve(cholL, NL, rhsL);
                for (int i = 0; i < NL; i++) th[i] += rhsL[i];
                if (!(th[1] > 0)) return false;
                linearOnly = false;
                continue;
            }
            if (!Small.cholesky(A, NP, cholN)) return false;
            Small.cholSolve(cholN, NP, q);
            double step = Math.sqrt(q[0] * q[0] + q[1] * q[1]);
            double sc = step > lim ? lim / step : 1;
            sx += sc * q[0];
            sy += sc * q[1];
            for (int i = 0; i < NL; i++) th[i] += sc * q[i + 2];
            if (!(th[1] > 0)) return false;
            double vc = 0.5 * (Small.inverseDiag(cholN, NP, 0, eN) + Small.inverseDiag(cholN, NP, 1, eN));
            converged = step * step < STOP_SIGMA * STOP_SIGMA * vc;
        }
        if (linearOnly) return false;
        passCount += it;
        profileFits++;
        double cx = cx0 + sx, cy = cy0 + sy;
        if (Math.hypot(sx, sy) > m.radius || cx < -0.5 || cy < -0.5 || cx > w - 0.5 || cy > h - 0.5) return false;
        // variances from the inverse Fisher information at the last iterate (cholN holds its Cholesky factor)
        double vx = Small.inverseDiag(cholN, NP, 0, eN), vy = Small.inverseDiag(cholN, NP, 1, eN);
        double pa = th[1];
        x[k] = cx;
        y[k] = cy;
        amp[k] = pa;
        bg[k] = th[0];
        var[k] = 0.5 * (vx + vy);
        System.arraycopy(th, 0, profile, k * NL, NL);
        // the inner gradient relative to the amplitude, per radius (u, v are in radii already)
        gradX[k] = th[2] / pa;
        gradY[k] = th[3] / pa;
        gradVar[k] = 0.5 * (Small.inverseDiag(cholN, NP, 4, eN) + Small.inverseDiag(cholN, NP, 5, eN)) / (pa * pa);
        return Double.isFinite(var[k]) && var[k] > 0;
    }
}
