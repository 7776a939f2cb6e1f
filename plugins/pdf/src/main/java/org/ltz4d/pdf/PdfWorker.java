package org.ltz4d.pdf;

import java.util.Arrays;

/**
 * Per-thread computation of one pattern: elliptically corrected azimuthal integration → I(q),
 * fit of N⟨f²⟩ + background at high q → S(q), F(q) → G(r) by the precomputed Lorch sine kernel →
 * first peaks and the first-shell coordination number. All scratch lives in fields; nothing is
 * allocated per frame.
 *
 * <p>Ellipse correction: with the pattern's own ring form Q (pᵀQp = 1 on the ring ridge, p
 * relative to the ring centre), a pixel maps to ρ = sqrt(pᵀ·Q·p / sqrt(det Q)) px. The form is
 * scaled to unit determinant, so each pattern keeps its own isotropic scale (ρ is the radius of
 * the circle of equal area: ρ = sqrt(a·b) on the ring ridge) while the ellipticity — detector
 * distortion and deviatoric strain — is removed. Volumetric strain thus still moves the peaks, as
 * it must for r_first_peak.
 *
 * <p>Subpixel binning: pixel splitting along the radius. Each pixel is a radial box one bin wide
 * centred at its ρ, shared between the two bins it overlaps in proportion to the overlap (i.e.
 * linear weights); each bin's value is the weighted mean count per pixel.
 */
public final class PdfWorker {
    private final PdfSetup s;
    private final double[] sum;
    private final double[] wsum;
    /** Per-bin outlier thresholds of the clipping passes (upper, lower), counts. */
    private final float[] hiLimit;
    private final float[] loLimit;
    /** The first pass's pixels inside the q range: index (row-major), bin and share, for the clipping passes. */
    private final int[] pixIndex;
    private final int[] pixBin;
    private final float[] pixFrac;
    private int pixCount;
    /** I(q) (counts per pixel), NaN where no pixel fell. */
    public final double[] intensity;
    /** S(q). */
    public final double[] sq;
    private final float[] fq;
    private final float[] gAcc;
    /** G(r) in Å⁻². */
    public final double[] g;
    private final double[] ata;
    private final double[] atb;
    private final double[] basis;
    private final double[] coef;
    // results of the last pattern
    public double scaleN;
    public double qPeak;
    public double sPeak;
    public double rPeak;
    public double gPeak;
    public double coordination;
    public boolean sqValid;
    public boolean gValid;

    public PdfWorker(PdfSetup setup) {
        this.s = setup;
        sum = new double[setup.nq + 1];
        wsum = new double[setup.nq + 1];
        hiLimit = new float[setup.nq + 1];
        loLimit = new float[setup.nq + 1];
        boolean clip = setup.clipSigma > 0;
        int px = clip ? setup.width * setup.height : 0;
        pixIndex = new int[px];
        pixBin = new int[px];
        pixFrac = new float[px];
        intensity = new double[setup.nq];
        sq = new double[setup.nq];
        fq = new float[setup.nq];
        g = new double[setup.nr];
        gAcc = new float[setup.nr];
        int np = setup.bgOrder + 2;
        ata = new double[np * np];
        atb = new double[np];
        basis = new double[np];
        coef = new double[np];
    }

    /**
     * Analyses one pattern. Returns false (and sets the results to NaN) when the ring form is not
     * usable (NaN or not positive definite) or too little of the q range has data.
     */
    public boolean analyse(float[] data, int offset, double cx, double cy, double q11, double q12, double q22) {
        sqValid = false;
        gValid = false;
        scaleN = qPeak = sPeak = rPeak = gPeak = coordination = Double.NaN;
        double det = q11 * q22 - q12 * q12;
        if (!(det > 0) || !(q11 > 0) || !Double.isFinite(cx) || !Double.isFinite(cy) || !Double.isFinite(det)) {
            Arrays.fill(intensity, Double.NaN);
            Arrays.fill(sq, Double.NaN);
            Arrays.fill(g, Double.NaN);
            return false;
        }
        integrate(data, offset, cx, cy, q11, q12, q22, det);
        if (!normalise()) {
            Arrays.fill(sq, Double.NaN);
            Arrays.fill(g, Double.NaN);
            return false;
        }
        sqValid = true;
        firstPeakS();
        if (!transform()) {
            Arrays.fill(g, Double.NaN);
            return false;
        }
        gValid = true;
        firstPeakG();
        return true;
    }

    /**
     * The azimuthal average along the pattern's ellipse. With {@code sq-clip-sigma} T &gt; 0, three
     * passes: (1) the plain weighted mean per bin; (2) again, leaving out pixels above
     * mean + T·√mean + 0.25·mean (hot pixels — they inflate the first mean, but never above
     * themselves); (3) again, leaving out those and the pixels below mean₂ − T·√mean₂ − 0.25·mean₂
     * (dead pixels, a beam stop's shadow). Thresholds are interpolated between bins like the
     * pixel's share.
     */
    void integrate(float[] data, int offset, double cx, double cy, double q11, double q12, double q22, double det) {
        final double scale = 1.0 / (Math.sqrt(det) * s.binPx * s.binPx); // unit-determinant form in bin units
        final float a = (float) (q11 * scale);
        final float b2 = (float) (2 * q12 * scale);
        final float c = (float) (q22 * scale);
        pass(data, offset, cx, cy, a, b2, c, s.clipSigma > 0);
        if (!(s.clipSigma > 0)) return;
        limits(hiLimit, +1);
        clipPass(data, offset, false);
        limits(loLimit, -1);
        clipPass(data, offset, true);
    }

    /** A clipping pass over the pixels the first pass kept (no geometry again: bins and shares are stored). */
    private void clipPass(float[] data, int offset, boolean clipLow) {
        final double[] sm = sum;
        final double[] ws = wsum;
        Arrays.fill(sm, 0);
        Arrays.fill(ws, 0);
        final float[] m = s.weight;
        final float[] hi = hiLimit;
        final float[] lo = loLimit;
        final int[] idx = pixIndex;
        final int[] bins = pixBin;
        final float[] fr = pixFrac;
        final int n = pixCount;
        for (int i = 0; i < n; i++) {
            final int p = idx[i];
            final int k = bins[i];
            final float f = fr[i];
            final float raw = data[offset + p];
            if (raw > hi[k] + (hi[k + 1] - hi[k]) * f) continue;
            if (clipLow && raw < lo[k] + (lo[k + 1] - lo[k]) * f) continue;
            final float mw = m[p];
            final float v = raw * mw;
            final float wf = mw * f;
            sm[k] += v - v * f;
            ws[k] += mw - wf;
            sm[k + 1] += v * f;
            ws[k + 1] += wf;
        }
        means();
    }

    private void means() {
        for (int k = 0; k < s.nq; k++) {
            // a bin with less than a tenth of a pixel's weight is treated as empty
            intensity[k] = wsum[k] > 0.1 ? sum[k] / wsum[k] : Double.NaN;
        }
    }

    /**
     * Share of the bin's mean allowed on top of T·√mean: the linear interpolation between 1-px bins
     * misses the ring's curvature by a few per cent, which at high counts is many Poisson σ (with
     * T·√mean alone, 5σ clipping at 2e7 e⁻ cut the ridge pixels and lowered the first peak of G(r)
     * by 8 %, measured). Hot pixels, dead pixels and a beam stop's core are far outside either way.
     */
    static final double CLIP_RELATIVE = 0.25;

    /** mean ± (T·√max(mean, 1) + {@link #CLIP_RELATIVE}·mean) per bin from {@link #intensity} (+∞/−∞ where a bin is empty). */
    private void limits(float[] out, int sign) {
        final int nq = s.nq;
        for (int k = 0; k < nq; k++) {
            double m = intensity[k];
            out[k] = Double.isNaN(m) ? (sign > 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY)
                    : (float) (m + sign * (s.clipSigma * Math.sqrt(Math.max(m, 1)) + CLIP_RELATIVE * Math.abs(m)));
        }
        out[nq] = out[nq - 1];
    }

    /** The geometric pass: ρ per pixel, pixel splitting; with {@code keep} the pixels' bins and shares are stored. */
    private void pass(float[] data, int offset, double cx, double cy, float a, float b2, float c, boolean keep) {
        final double bs = s.beamStopPx / s.binPx;
        final float minRho2 = (float) (bs * bs);
        final int nq = s.nq;
        final float maxRho = nq; // bins 0..nq-1, plus bin nq that only takes the outer share
        final double[] sm = sum;
        final double[] ws = wsum;
        Arrays.fill(sm, 0);
        Arrays.fill(ws, 0);
        final float[] m = s.weight;
        final float[] xs = s.columnX;
        final int[] idx = pixIndex;
        final int[] bins = pixBin;
        final float[] fr = pixFrac;
        int n = 0;
        final int w = s.width;
        final float fcx = (float) cx;
        // Row by row; x comes from a float table, not from (float) x: the int→float conversion
        // carries a false register dependency that made this loop 3× slower (measured).
        for (int y = 0; y < s.height; y++) {
            final float dy = (float) (y - cy);
            final float rowB = b2 * dy;
            final float rowC = c * dy * dy;
            final int rowOff = y * w;
            final int dataOff = offset + rowOff;
            // only the columns inside the outer ellipse ρ < nq: a·dx² + rowB·dx + rowC < nq²
            final double disc = (double) rowB * rowB - 4.0 * a * (rowC - (double) maxRho * maxRho);
            if (disc <= 0) continue;
            final double root = Math.sqrt(disc);
            final int x0 = Math.max(0, (int) Math.floor(cx + (-rowB - root) / (2.0 * a)));
            final int x1 = Math.min(w - 1, (int) Math.ceil(cx + (-rowB + root) / (2.0 * a)));
            for (int x = x0; x <= x1; x++) {
                float dx = xs[x] - fcx;
                float rho2 = dx * (a * dx + rowB) + rowC;
                if (rho2 < minRho2) continue;
                float rho = (float) Math.sqrt(rho2);
                if (rho >= maxRho) continue;
                int k = (int) rho;
                float f = rho - k;
                if (keep) {
                    idx[n] = rowOff + x;
                    bins[n] = k;
                    fr[n] = f;
                    n++;
                }
                float mw = m[rowOff + x];
                float v = data[dataOff + x] * mw;
                float wf = mw * f;
                sm[k] += v - v * f;
                ws[k] += mw - wf;
                sm[k + 1] += v * f;
                ws[k + 1] += wf;
            }
        }
        pixCount = n;
        means();
    }

    /**
     * Fits I = N⟨f²⟩ + Σ c_m (q/q_max)^m over [q_fit_min, q_max] by linear least squares, first
     * unweighted, then once more with Poisson weights (a bin's mean count has variance
     * model/pixels, so weight = pixels/model from the first fit); then S(q).
     */
    private boolean normalise() {
        if (!fit(false) || !fit(true)) return false;
        final int np = s.bgOrder + 2;
        double n = coef[0];
        if (!(n > 0)) return false;
        scaleN = n;
        for (int k = 0; k < s.nq; k++) {
            double t = s.q[k] / s.qMax;
            double bg = 0;
            double pw = 1;
            for (int m = 1; m < np; m++) {
                bg += coef[m] * pw;
                pw *= t;
            }
            sq[k] = 1 + (intensity[k] - n * s.f2[k] - bg) / (n * s.fm2[k]);
        }
        return true;
    }

    private double model(int k, int np) {
        double t = s.q[k] / s.qMax;
        double v = coef[0] * s.f2[k];
        double pw = 1;
        for (int m = 1; m < np; m++) {
            v += coef[m] * pw;
            pw *= t;
        }
        return v;
    }

    private boolean fit(boolean weighted) {
        final int np = s.bgOrder + 2;
        Arrays.fill(ata, 0);
        Arrays.fill(atb, 0);
        int used = 0;
        for (int k = s.iFitMin; k <= s.iqMax; k++) {
            double y = intensity[k];
            if (Double.isNaN(y)) continue;
            double wt = 1;
            if (weighted) {
                double mk = model(k, np);
                if (!(mk > 0)) continue;
                wt = wsum[k] / mk;
            }
            basis[0] = s.f2[k];
            double t = s.q[k] / s.qMax;
            double pw = 1;
            for (int m = 1; m < np; m++) {
                basis[m] = pw;
                pw *= t;
            }
            for (int i = 0; i < np; i++) {
                atb[i] += wt * basis[i] * y;
                for (int j = 0; j <= i; j++) ata[i * np + j] += wt * basis[i] * basis[j];
            }
            used++;
        }
        if (used < np + 3) return false;
        // Cholesky solve of the (np ≤ 5)² normal equations in place: too small for a library call.
        for (int i = 0; i < np; i++) {
            for (int j = 0; j <= i; j++) {
                double v = ata[i * np + j];
                for (int m = 0; m < j; m++) v -= ata[i * np + m] * ata[j * np + m];
                if (i == j) {
                    if (!(v > 0)) return false;
                    ata[i * np + i] = Math.sqrt(v);
                } else {
                    ata[i * np + j] = v / ata[j * np + j];
                }
            }
        }
        for (int i = 0; i < np; i++) {
            double v = atb[i];
            for (int m = 0; m < i; m++) v -= ata[i * np + m] * atb[m];
            atb[i] = v / ata[i * np + i];
        }
        for (int i = np - 1; i >= 0; i--) {
            double v = atb[i];
            for (int m = i + 1; m < np; m++) v -= ata[m * np + i] * atb[m];
            atb[i] = v / ata[i * np + i];
        }
        System.arraycopy(atb, 0, coef, 0, np);
        return coef[0] > 0;
    }

    /** F(q) on [0, q_max] (linear to 0 below the first usable bin ≥ q_min), then G = K·F. */
    private boolean transform() {
        int start = s.iqMin;
        while (start <= s.iqMax && Double.isNaN(sq[start])) start++;
        if (start < 1) start = 1;
        int span = s.iqMax - start + 1;
        if (span < 4) return false;
        int missing = 0;
        for (int k = start; k <= s.iqMax; k++) {
            double v = sq[k];
            if (Double.isNaN(v)) {
                missing++;
                fq[k] = 0;
            } else {
                fq[k] = (float) (s.q[k] * (v - 1));
            }
        }
        if (missing > 0.05 * span) return false;
        double slope = fq[start] / s.q[start];
        fq[0] = 0;
        for (int k = 1; k < start; k++) fq[k] = (float) (slope * s.q[k]);
        final int nr = s.nr;
        final float[] kern = s.kernel;
        final float[] acc = gAcc;
        java.util.Arrays.fill(acc, 0f);
        // G = K·F as a sum of axpy over q (inner loop over r: unit stride, no reduction, so C2
        // vectorises it); the kernel is q-major for this.
        for (int k = 1; k <= s.iqMax; k++) {
            final float fk = fq[k];
            if (fk == 0f) continue;
            final int base = k * nr;
            for (int j = 0; j < nr; j++) acc[j] += kern[base + j] * fk;
        }
        for (int j = 0; j < nr; j++) g[j] = acc[j];
        return true;
    }

    private void firstPeakS() {
        int best = -1;
        double bv = Double.NEGATIVE_INFINITY;
        // the highest interior local maximum: a rising edge at q-min (direct-beam tail) is no peak
        for (int k = Math.max(s.iqMin, 1) + 1; k < s.iqMax; k++) {
            double v = sq[k];
            if (v > bv && v >= sq[k - 1] && v > sq[k + 1]) {
                bv = v;
                best = k;
            }
        }
        if (best < 0) return;
        double[] res = parabola(sq, best);
        sPeak = res[1]; // height: the plain parabola's vertex
        // Position: vertex of the parabola through the logarithms of the top 3 samples (a Gaussian
        // through them). On the coarse q grid it is less biased than a plain parabola: under a 2%
        // dilation of a model the ratio of q1 came out 1.0194 against 1.0170 (expected 1.0200).
        if (best > 0 && best < s.nq - 1 && sq[best - 1] > 0 && sq[best + 1] > 0 && sq[best] > 0) {
            double lm = Math.log(sq[best - 1]);
            double l0 = Math.log(sq[best]);
            double lp = Math.log(sq[best + 1]);
            double den = lm - 2 * l0 + lp;
            if (den < 0) res[0] = 0.5 * (lm - lp) / den;
        }
        qPeak = (best + res[0]) * s.dq;
    }

    private final double[] peak = new double[2];

    /** Vertex of the parabola through i-1, i, i+1: offset in samples and height. */
    private double[] parabola(double[] y, int i) {
        peak[0] = 0;
        peak[1] = y[i];
        if (i <= 0 || i >= y.length - 1) return peak;
        double ym = y[i - 1];
        double yp = y[i + 1];
        double den = ym - 2 * y[i] + yp;
        if (!(den < 0) || Double.isNaN(ym) || Double.isNaN(yp)) return peak;
        double d = 0.5 * (ym - yp) / den;
        peak[0] = d;
        peak[1] = y[i] - 0.25 * (ym - yp) * d;
        return peak;
    }

    private void firstPeakG() {
        int best = -1;
        double bv = Double.NEGATIVE_INFINITY;
        // the highest interior local maximum at r ≥ pdf-peak-r-min (termination ripples at small r)
        for (int j = Math.max(1, s.peakRMinIndex); j < s.nr - 1; j++) {
            double v = g[j];
            if (v > bv && v >= g[j - 1] && v > g[j + 1]) {
                bv = v;
                best = j;
            }
        }
        if (best < 0) return;
        double[] res = parabola(g, best);
        rPeak = (best + res[0]) * s.rStep;
        gPeak = res[1];
        if (s.hasDensity()) coordination = coordination(best);
    }

    /** ∫ R(r) dr between the minima of R(r) = 4πr²ρ0 + r·G(r) on either side of the first peak. */
    private double coordination(int peakIndex) {
        double c4 = 4 * Math.PI * s.numberDensity;
        int top = peakIndex; // R(r) peaks a little beyond G(r): climb to its own maximum first
        while (top < s.nr - 1 && rdf(top + 1, c4) > rdf(top, c4)) top++;
        while (top > 0 && rdf(top - 1, c4) > rdf(top, c4)) top--;
        int lo = top;
        while (lo > 0 && rdf(lo - 1, c4) < rdf(lo, c4)) lo--;
        int hi = top;
        while (hi < s.nr - 1 && rdf(hi + 1, c4) < rdf(hi, c4)) hi++;
        if (hi == s.nr - 1) return Double.NaN; // no minimum after the peak within r_max
        double acc = 0;
        for (int j = lo; j < hi; j++) acc += 0.5 * (rdf(j, c4) + rdf(j + 1, c4));
        return acc * s.rStep;
    }

    private double rdf(int j, double c4) {
        double rr = s.r[j];
        return c4 * rr * rr + rr * g[j];
    }

    public PdfSetup setup() {
        return s;
    }
}
