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
    private final double[] jtj6 = new double[36];
    private final double[] tmp6 = new double[36];
    private final double[] jr6 = new double[6];
    private final double[] e6 = new double[6];
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
     * Poisson maximum-likelihood fit of (cx, cy, A, b) over the pixels within R + 4σ + 1 of the
     * starting centre, by Fisher scoring (weights 1/λ). Stores the result in slot k.
     */
    boolean refine(float[] data, int off, double cx0, double cy0, int k) {
        double reach = m.radius + 4 * m.edge + 1;
        double reach2 = reach * reach;
        int r0 = Math.max(0, (int) Math.floor(cy0 - reach)), r1 = Math.min(h - 1, (int) Math.ceil(cy0 + reach));
        int c0 = Math.max(0, (int) Math.floor(cx0 - reach)), c1 = Math.min(w - 1, (int) Math.ceil(cx0 + reach));
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
        if (gradient) return refineGradient(data, off, cx0, cy0, a, b, r0, r1, c0, c1, reach2, k);
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
     * As {@link #refine} with λ = b + (A + gx·dx + gy·dy)·D(ρ), dx, dy from the centre: an
     * intensity gradient across the disk (dynamical contrast, tilt) no longer pulls the centre
     * towards the bright side. Six parameters, so a somewhat larger variance on uniform disks.
     */
    private boolean refineGradient(float[] data, int off, double cx0, double cy0, double a, double b,
            int r0, int r1, int c0, int c1, double reach2, int k) {
        double cx = cx0, cy = cy0, gx = 0, gy = 0;
        final double[] tD = m.d, tS = m.dd;
        final double inv = m.inv, t0 = m.t0;
        final int last = m.last;
        final double lim = 0.5 * m.radius;
        for (int it = 0; it < 8; it++) {
            // the 21 entries of the upper triangle of JᵀWJ and JᵀW·res in scalars (no array traffic per pixel)
            double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s04 = 0, s05 = 0, s11 = 0, s12 = 0, s13 = 0, s14 = 0, s15 = 0;
            double s22 = 0, s23 = 0, s24 = 0, s25 = 0, s33 = 0, s34 = 0, s35 = 0, s44 = 0, s45 = 0, s55 = 0;
            double q0 = 0, q1 = 0, q2 = 0, q3 = 0, q4 = 0, q5 = 0;
            for (int r = r0; r <= r1; r++) {
                double dy0 = r - cy0, dy = r - cy;
                double dy02 = dy0 * dy0, dy2 = dy * dy;
                int row = off + r * w;
                for (int c = c0; c <= c1; c++) {
                    double dx0 = c - cx0;
                    if (dx0 * dx0 + dy02 > reach2) continue;
                    double dx = c - cx;
                    double rho = Math.sqrt(dx * dx + dy2);
                    // D(ρ) and dD/dρ from the model's tables (the same interpolation as DiskModel.value/slope)
                    double u = (rho - t0) * inv;
                    double d, sl;
                    if (u <= 0) {
                        d = 1;
                        sl = 0;
                    } else if (u >= last) {
                        d = 0;
                        sl = 0;
                    } else {
                        int i = (int) u;
                        double f = u - i;
                        d = tD[i] + f * (tD[i + 1] - tD[i]);
                        sl = tS[i] + f * (tS[i + 1] - tS[i]);
                    }
                    double amp = a + gx * dx + gy * dy;
                    double lam = b + amp * d;
                    double wgt = 1 / Math.max(lam, 1e-3);
                    double res = data[row + c] - lam;
                    double g = rho > 1e-9 ? -amp * sl / rho : 0;
                    double j0 = g * dx - gx * d, j1 = g * dy - gy * d, j2 = d, j4 = dx * d, j5 = dy * d;
                    double w0 = wgt * j0, w1 = wgt * j1, w2 = wgt * j2, w3 = wgt, w4 = wgt * j4, w5 = wgt * j5;
                    q0 += w0 * res; q1 += w1 * res; q2 += w2 * res; q3 += w3 * res; q4 += w4 * res; q5 += w5 * res;
                    s00 += w0 * j0; s01 += w0 * j1; s02 += w0 * j2; s03 += w0; s04 += w0 * j4; s05 += w0 * j5;
                    s11 += w1 * j1; s12 += w1 * j2; s13 += w1; s14 += w1 * j4; s15 += w1 * j5;
                    s22 += w2 * j2; s23 += w2; s24 += w2 * j4; s25 += w2 * j5;
                    s33 += w3; s34 += w3 * j4; s35 += w3 * j5;
                    s44 += w4 * j4; s45 += w4 * j5;
                    s55 += w5 * j5;
                }
            }
            double[] A = jtj6;
            A[0] = s00; A[1] = A[6] = s01; A[2] = A[12] = s02; A[3] = A[18] = s03; A[4] = A[24] = s04; A[5] = A[30] = s05;
            A[7] = s11; A[8] = A[13] = s12; A[9] = A[19] = s13; A[10] = A[25] = s14; A[11] = A[31] = s15;
            A[14] = s22; A[15] = A[20] = s23; A[16] = A[26] = s24; A[17] = A[32] = s25;
            A[21] = s33; A[22] = A[27] = s34; A[23] = A[33] = s35;
            A[28] = s44; A[29] = A[34] = s45;
            A[35] = s55;
            jr6[0] = q0; jr6[1] = q1; jr6[2] = q2; jr6[3] = q3; jr6[4] = q4; jr6[5] = q5;
            if (!Small.cholesky(jtj6, 6, tmp6)) return false;
            Small.cholSolve(tmp6, 6, jr6);
            double step = Math.sqrt(jr6[0] * jr6[0] + jr6[1] * jr6[1]);
            double sc = step > lim ? lim / step : 1;
            cx += sc * jr6[0];
            cy += sc * jr6[1];
            a += sc * jr6[2];
            b += sc * jr6[3];
            gx += sc * jr6[4];
            gy += sc * jr6[5];
            if (!(a > 0)) return false;
            if (b < 1e-6 * a) b = 1e-6 * a;
            if (step < 1e-3) break;
        }
        if (Math.hypot(cx - cx0, cy - cy0) > m.radius || cx < -0.5 || cy < -0.5 || cx > w - 0.5 || cy > h - 0.5) return false;
        double vx = Small.inverseDiag(tmp6, 6, 0, e6), vy = Small.inverseDiag(tmp6, 6, 1, e6);
        x[k] = cx;
        y[k] = cy;
        amp[k] = a;
        bg[k] = b;
        var[k] = 0.5 * (vx + vy);
        double rel = m.radius / a;
        gradX[k] = gx * rel;
        gradY[k] = gy * rel;
        gradVar[k] = 0.5 * (Small.inverseDiag(tmp6, 6, 4, e6) + Small.inverseDiag(tmp6, 6, 5, e6)) * rel * rel;
        return Double.isFinite(var[k]) && var[k] > 0;
    }
}
