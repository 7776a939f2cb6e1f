package org.ltz4d.registration;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.jtransforms.fft.DoubleFFT_2D;
import org.ltz4d.api.analysis.RegistrationOptions;
import org.ltz4d.api.analysis.SimilarityTransform;
import org.ltz4d.api.data.Shape;

/**
 * The similarity registration of an image pair (the one fit behind {@link ImageRegistrationService}
 * and the automatic map registration of {@link RegisterCorrelator}), in the convention of
 * {@link SimilarityTransform}: T(r) = c_m + F·s·R(θ)·(r − c_r) + d maps a reference pixel into the
 * moving image.
 *
 * <p>Both images have their non-finite pixels set to the mean of the others and are low-passed
 * (a Gaussian of σ_q cycles per pixel, by FFT) when asked. <b>Coarse</b> (on 2×2-binned copies when
 * both images are at least 48 px on each side): for each mirror state, scale (the expected one, or
 * 13 from 1/2 to 2 when unknown) and rotation (1° steps within ±45°, else 2° steps) the moving image
 * is rotated and scaled onto the reference's pixel grid, the shift comes from phase correlation
 * (cross-power spectrum divided by the square root of its modulus, zero-padded; parabolic sub-pixel
 * peak) and the candidate is scored by normalised cross-correlation (NCC); candidates covering less
 * than a quarter of the reference are dropped. <b>Refinement</b>: Gauss–Newton on (θ, ln s, d_x, d_y)
 * together with an intensity gain and offset, least squares over the reference's central 80 %
 * (the outer tenth on each side is left out: low-pass wrap-around, edges) where T(r) falls inside
 * the moving image; the Jacobian of the warp numerically, the 6×6 normal equations solved by
 * EJML. At its minimum the NCC is at its maximum, so the refinement maximises the NCC. Sampling is
 * bicubic ({@link Bicubic}). Not thread-safe (scratch buffers): one instance per pair.
 */
final class SimilarityFit {
    /** The least fraction of the reference the moving image must cover. */
    static final double MIN_OVERLAP = 0.25;
    /** The coarse search runs on 2×2-binned copies when both images are at least this large (4× fewer samples). */
    private static final int HALF_MIN = 48;
    private static final int MAX_ITERATIONS = 40;

    /** A row-major image, h rows × w columns. */
    record Image(double[] v, int h, int w) {
        Image {
            if (h < 1 || w < 1 || v.length != h * w) throw new IllegalArgumentException("image " + h + "×" + w + " with " + v.length + " values");
        }

        Shape shape() {
            return Shape.of(h, w);
        }
    }

    private final Image ref;
    private final Image mov;
    private final Shape refShape;
    private final Shape movShape;
    /** The central region of the reference used for the NCC and the fit: pixels at least this far from the edge. */
    private final int marginY;
    private final int marginX;
    /** The warped moving image (scratch, reference-sized). */
    private final double[] warped;
    /** Phase-correlation scratch: the reference's padded spectrum and the working array, for the current padded size. */
    private int fftSize;
    private DoubleFFT_2D fft;
    private double[] refSpectrum;
    private double[] work;

    /** {@code reference} and {@code moving} with non-finite pixels filled, low-passed by σ_q = {@code lowPass} cycles/px (infinite: none). */
    SimilarityFit(Image reference, Image moving, double lowPass) {
        this(lowPass(filled(reference), lowPass), lowPass(filled(moving), lowPass));
    }

    private SimilarityFit(Image preparedRef, Image preparedMov) {
        this.ref = preparedRef;
        this.mov = preparedMov;
        this.refShape = ref.shape();
        this.movShape = mov.shape();
        this.marginY = Math.max(2, ref.h / 10);
        this.marginX = Math.max(2, ref.w / 10);
        this.warped = new double[ref.h * ref.w];
    }

    /** The transform: with {@code o.held()} its shift refined (rotation, scale, mirror held); else the coarse search, then the refinement. */
    SimilarityTransform register(RegistrationOptions o) {
        if (o.held() != null) return refine(o.held(), true);
        return refine(search(o), false);
    }

    /** The best coarse candidate; an IllegalArgumentException when none covers {@link #MIN_OVERLAP} of the reference. */
    SimilarityTransform search(RegistrationOptions o) {
        boolean half = Math.min(Math.min(ref.h, ref.w), Math.min(mov.h, mov.w)) >= HALF_MIN;
        SimilarityFit coarse = half ? new SimilarityFit(half(ref), half(mov)) : this;
        double[] scales;
        if (Double.isNaN(o.scale())) {
            scales = new double[13];
            for (int i = 0; i < scales.length; i++) scales[i] = 2 / Math.pow(1.12, i);
        } else {
            scales = new double[] {o.scale()};
        }
        double step = o.maxRotationDeg() <= 45 ? 1 : 2;
        int kMax = (int) Math.ceil(o.maxRotationDeg() / step - 1e-9);
        SimilarityTransform best = null;
        for (boolean mirror : o.allowMirror() ? new boolean[] {false, true} : new boolean[] {false}) {
            for (double s : scales) {
                for (int k = -kMax; k <= kMax; k++) {
                    SimilarityTransform t = coarse.translate(k * step, s, mirror);
                    if (t != null && t.overlap() >= MIN_OVERLAP && (best == null || t.ncc() > best.ncc())) best = t;
                }
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no rotation within ±" + o.maxRotationDeg() + "° " + (scales.length > 1 ? "or scale from 1/2 to 2 "
                    : "at scale " + scales[0] + " ") + "makes it cover " + MIN_OVERLAP + " of the reference");
        }
        if (!half) return best;
        // back to full resolution: pixel i of a binned copy is centred at 2i + 1/2 of the original, on both sides
        double[] m = best.matrix(coarse.refShape, coarse.movShape);
        return fromAffine(m[0], m[1], m[3], m[4], 2 * m[2] + 0.5 - 0.5 * (m[0] + m[1]), 2 * m[5] + 0.5 - 0.5 * (m[3] + m[4]), best.mirror());
    }

    /** The similarity of linear part (a, b; c, d) and translation (tx, ty) from reference to moving pixels, in the centred convention. */
    private SimilarityTransform fromAffine(double a, double b, double c, double d, double tx, double ty, boolean mirror) {
        double crx = (ref.w - 1) / 2.0, cry = (ref.h - 1) / 2.0, cmx = (mov.w - 1) / 2.0, cmy = (mov.h - 1) / 2.0;
        double scale = Math.hypot(c, d);
        return SimilarityTransform.of(Math.toDegrees(Math.atan2(c, d)), scale, tx + a * crx + b * cry - cmx, ty + c * crx + d * cry - cmy, mirror);
    }

    /**
     * The candidate of rotation θ, scale s and mirror: the moving image rotated and scaled onto the
     * reference's pixel grid (a canvas holding all of it), the shift by phase correlation, then the
     * NCC and overlap; null when the canvas would be degenerate.
     */
    private SimilarityTransform translate(double thetaDeg, double s, boolean mirror) {
        double th = Math.toRadians(thetaDeg), cs = s * Math.cos(th), sn = s * Math.sin(th), f = mirror ? -1 : 1;
        double a = f * cs, b = -f * sn, c = sn, d = cs;
        double det = a * d - b * c;
        // B = A⁻¹: moving pixel m lies at reference position B·m (before the shift)
        double ia = d / det, ib = -b / det, ic = -c / det, id = a / det;
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (double[] p : new double[][] {{0, 0}, {mov.w - 1, 0}, {0, mov.h - 1}, {mov.w - 1, mov.h - 1}}) {
            double x = ia * p[0] + ib * p[1], y = ic * p[0] + id * p[1];
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
        }
        int cw = (int) Math.ceil(maxX - minX) + 1;
        int ch = (int) Math.ceil(maxY - minY) + 1;
        int n = Integer.highestOneBit(Math.max(cw, ch) + Math.max(ref.w, ref.h) - 1) << 1;
        if (n > 8192) return null;
        prepareCorrelation(n);
        Arrays.fill(work, 0);
        // the canvas, mean removed, zero outside the moving image
        double sum = 0;
        int k = 0;
        for (int v = 0; v < ch; v++) {
            for (int u = 0; u < cw; u++) {
                double rx = minX + u, ry = minY + v, mx = a * rx + b * ry, my = c * rx + d * ry;
                if (!Bicubic.inside(mov.h, mov.w, mx, my)) {
                    work[2 * (v * n + u)] = Double.NaN;
                    continue;
                }
                double val = Bicubic.sample(mov.v, mov.h, mov.w, mx, my);
                work[2 * (v * n + u)] = val;
                sum += val;
                k++;
            }
        }
        if (k == 0) return null;
        double mean = sum / k;
        for (int v = 0; v < ch; v++) {
            for (int u = 0; u < cw; u++) {
                int i = 2 * (v * n + u);
                work[i] = Double.isNaN(work[i]) ? 0 : work[i] - mean;
            }
        }
        double[] o = correlationPeak(n); // canvas(p + o) ≈ reference(p)
        // reference pixel p shows the canvas at p + o, i.e. the moving image at A·(p + min + o)
        double ox = minX + o[1], oy = minY + o[0];
        SimilarityTransform t = fromAffine(a, b, c, d, a * ox + b * oy, c * ox + d * oy, mirror);
        return measured(t);
    }

    /** The padded FFT of the reference (mean removed), computed once per padded size. */
    private void prepareCorrelation(int n) {
        if (n == fftSize) return;
        fftSize = n;
        fft = new DoubleFFT_2D(n, n);
        refSpectrum = new double[2 * n * n];
        work = new double[2 * n * n];
        double mean = 0;
        for (double x : ref.v) mean += x;
        mean /= ref.v.length;
        for (int r = 0; r < ref.h; r++) for (int c = 0; c < ref.w; c++) refSpectrum[2 * (r * n + c)] = ref.v[r * ref.w + c] - mean;
        fft.complexForward(refSpectrum);
    }

    /**
     * The shift (rows, columns) of the canvas in {@code work} against the reference: the peak of the
     * cross-power spectrum divided by the square root of its modulus (partial whitening: robust to a
     * few per cent of scale error), parabolic sub-pixel, cyclic shifts as signed.
     */
    private double[] correlationPeak(int n) {
        fft.complexForward(work);
        for (int i = 0; i < n * n; i++) {
            double br = work[2 * i], bi = work[2 * i + 1], ar = refSpectrum[2 * i], ai = refSpectrum[2 * i + 1];
            double re = br * ar + bi * ai;
            double im = bi * ar - br * ai;
            double m = Math.sqrt(Math.hypot(re, im)) + 1e-30;
            work[2 * i] = re / m;
            work[2 * i + 1] = im / m;
        }
        fft.complexInverse(work, true);
        int best = 0;
        for (int i = 1; i < n * n; i++) if (work[2 * i] > work[2 * best]) best = i;
        int r = best / n, c = best % n;
        double pr = r + parabola(work[2 * (((r - 1 + n) % n) * n + c)], work[2 * best], work[2 * (((r + 1) % n) * n + c)]);
        double pc = c + parabola(work[2 * (r * n + (c - 1 + n) % n)], work[2 * best], work[2 * (r * n + (c + 1) % n)]);
        return new double[] {pr > n / 2.0 ? pr - n : pr, pc > n / 2.0 ? pc - n : pc};
    }

    private static double parabola(double l, double m, double r) {
        double d = l - 2 * m + r;
        return d == 0 ? 0 : 0.5 * (l - r) / d;
    }

    /** {@code t} with its NCC over the central region and its overlap. */
    SimilarityTransform measured(SimilarityTransform t) {
        warp(t, warped, false);
        return new SimilarityTransform(t.rotationDeg(), t.scale(), t.shiftXPx(), t.shiftYPx(), t.mirror(), ncc(warped), overlap(warped));
    }

    /** Gauss–Newton refinement from {@code start}; with {@code shiftOnly} the rotation and scale (and always the mirror) stay at the start's. */
    SimilarityTransform refine(SimilarityTransform start, boolean shiftOnly) {
        double[] p = {Math.toRadians(start.rotationDeg()), Math.log(start.scale()), start.shiftXPx(), start.shiftYPx(), 1, 0};
        boolean mirror = start.mirror();
        int n = ref.h * ref.w;
        double[] w0 = warped;
        double[][] dw = new double[4][n];
        double[] h = {1e-4, 1e-4, 1e-3, 1e-3};
        double[] a = new double[36];
        double[] b = new double[6];
        double[] row = new double[6];
        double[] q = new double[6];
        for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
            warp(at(p, mirror), w0, false);
            for (int j = 0; j < 4; j++) {
                System.arraycopy(p, 0, q, 0, 6);
                q[j] += h[j];
                warp(at(q, mirror), dw[j], true);
            }
            Arrays.fill(a, 0);
            Arrays.fill(b, 0);
            int used = 0;
            for (int y = marginY; y < ref.h - marginY; y++) {
                for (int x = marginX; x < ref.w - marginX; x++) {
                    int i = y * ref.w + x;
                    if (Double.isNaN(w0[i])) continue;
                    double e = p[4] * w0[i] + p[5] - ref.v[i];
                    for (int j = 0; j < 4; j++) row[j] = p[4] * (dw[j][i] - w0[i]) / h[j];
                    row[4] = w0[i];
                    row[5] = 1;
                    for (int r = 0; r < 6; r++) {
                        b[r] -= row[r] * e;
                        for (int c = 0; c <= r; c++) a[r * 6 + c] += row[r] * row[c];
                    }
                    used++;
                }
            }
            if (used < 16) break;
            for (int r = 0; r < 6; r++) for (int c = r + 1; c < 6; c++) a[r * 6 + c] = a[c * 6 + r];
            for (int r = 0; shiftOnly && r < 2; r++) { // rotation and scale held: their rows and columns become identity, no step
                for (int c = 0; c < 6; c++) a[r * 6 + c] = a[c * 6 + r] = r == c ? 1 : 0;
                b[r] = 0;
            }
            double[] step = solve(a, b, 6);
            if (step == null) break;
            for (int j = 0; j < 6; j++) p[j] += step[j];
            if (Math.abs(step[0]) < 1e-7 && Math.abs(step[1]) < 1e-7 && Math.abs(step[2]) < 1e-5 && Math.abs(step[3]) < 1e-5) break;
        }
        return measured(at(p, mirror));
    }

    private static SimilarityTransform at(double[] p, boolean mirror) {
        return SimilarityTransform.of(Math.toDegrees(p[0]), Math.exp(p[1]), p[2], p[3], mirror);
    }

    /**
     * The misregistration left, in reference pixels: the shift that still maximises the NCC when the
     * reference position is moved by up to one pixel (parabolic fit of the NCC at ±0.5 px along x and y).
     */
    double residualPx(SimilarityTransform t) {
        double c0 = measured(t).ncc();
        double[] m = t.matrix(refShape, movShape);
        double[] d = new double[2];
        double h = 0.5;
        for (int axis = 0; axis < 2; axis++) {
            // T(r − h·e): the moving image's shift moves by −A·h·e
            double ex = axis == 0 ? h : 0, ey = axis == 1 ? h : 0;
            double sx = m[0] * ex + m[1] * ey, sy = m[3] * ex + m[4] * ey;
            double minus = measured(shifted(t, sx, sy)).ncc();
            double plus = measured(shifted(t, -sx, -sy)).ncc();
            d[axis] = h * parabola(minus, c0, plus);
        }
        return Math.hypot(d[0], d[1]);
    }

    private static SimilarityTransform shifted(SimilarityTransform t, double dx, double dy) {
        return SimilarityTransform.of(t.rotationDeg(), t.scale(), t.shiftXPx() + dx, t.shiftYPx() + dy, t.mirror());
    }

    /** {@code out}(r) = moving(T(r)) for every reference pixel r, bicubic; outside the moving image its edge ({@code extendEdges}) or NaN. */
    void warp(SimilarityTransform t, double[] out, boolean extendEdges) {
        warp(mov, t.matrix(refShape, movShape), ref.h, ref.w, out, extendEdges);
    }

    /** {@code out}(r) = image(M·r) on an h×w grid, M the 2×3 matrix [a, b, tx, c, d, ty]; outside the image its edge or NaN. */
    static void warp(Image image, double[] m, int h, int w, double[] out, boolean extendEdges) {
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double mx = m[0] * x + m[1] * y + m[2], my = m[3] * x + m[4] * y + m[5];
                out[y * w + x] = extendEdges || Bicubic.inside(image.h, image.w, mx, my) ? Bicubic.sample(image.v, image.h, image.w, mx, my) : Double.NaN;
            }
        }
    }

    /** NCC of the reference and {@code b} over the central region where {@code b} has values. */
    private double ncc(double[] b) {
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        int n = 0;
        for (int y = marginY; y < ref.h - marginY; y++) {
            for (int x = marginX; x < ref.w - marginX; x++) {
                int i = y * ref.w + x;
                if (Double.isNaN(b[i])) continue;
                double va = ref.v[i];
                sa += va;
                sb += b[i];
                saa += va * va;
                sbb += b[i] * b[i];
                sab += va * b[i];
                n++;
            }
        }
        if (n < 16) return -1;
        double va = saa - sa * sa / n, vb = sbb - sb * sb / n;
        return va > 0 && vb > 0 ? (sab - sa * sb / n) / Math.sqrt(va * vb) : 0;
    }

    /** The fraction of reference pixels where {@code b} has a value. */
    private static double overlap(double[] b) {
        int k = 0;
        for (double x : b) if (!Double.isNaN(x)) k++;
        return k / (double) b.length;
    }

    /** Non-finite pixels set to the mean of the others (0 when there is none). */
    static Image filled(Image im) {
        double s = 0;
        int k = 0;
        for (double x : im.v) if (Double.isFinite(x)) { s += x; k++; }
        double mean = k == 0 ? 0 : s / k;
        double[] v = im.v.clone();
        for (int i = 0; i < v.length; i++) if (!Double.isFinite(v[i])) v[i] = mean;
        return new Image(v, im.h, im.w);
    }

    /** 2×2 box average (pixel i of the copy is centred at 2i + 1/2 of the original). */
    static Image half(Image g) {
        int h = g.h / 2, w = g.w / 2;
        double[] v = new double[h * w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                int i = 2 * r * g.w + 2 * c;
                v[r * w + c] = 0.25 * (g.v[i] + g.v[i + 1] + g.v[i + g.w] + g.v[i + g.w + 1]);
            }
        }
        return new Image(v, h, w);
    }

    /** A Gaussian low-pass exp(−q²/(2σ²)), q in cycles per pixel, by FFT (periodic); the image itself when σ is infinite. */
    static Image lowPass(Image im, double qSigma) {
        if (!Double.isFinite(qSigma)) return im;
        int ny = im.h, nx = im.w;
        double[] c = new double[2 * ny * nx];
        for (int i = 0; i < ny * nx; i++) c[2 * i] = im.v[i];
        DoubleFFT_2D f = new DoubleFFT_2D(ny, nx);
        f.complexForward(c);
        double inv = 0.5 / (qSigma * qSigma);
        for (int r = 0; r < ny; r++) {
            double fy = signed(r, ny) / (double) ny;
            for (int col = 0; col < nx; col++) {
                double fx = signed(col, nx) / (double) nx;
                double g = Math.exp(-(fy * fy + fx * fx) * inv);
                c[2 * (r * nx + col)] *= g;
                c[2 * (r * nx + col) + 1] *= g;
            }
        }
        f.complexInverse(c, true);
        double[] out = new double[ny * nx];
        for (int i = 0; i < out.length; i++) out[i] = c[2 * i];
        return new Image(out, ny, nx);
    }

    /** Index k of an n-point DFT as a signed frequency in [−n/2, n/2). */
    private static int signed(int k, int n) {
        return k >= (n + 1) / 2 ? k - n : k;
    }

    /** Solves a·x = b (n×n, row-major) with EJML's LU; null when singular. */
    private static double[] solve(double[] a, double[] b, int n) {
        DMatrixRMaj x = new DMatrixRMaj(n, 1);
        boolean ok = CommonOps_DDRM.solve(DMatrixRMaj.wrap(n, n, a.clone()), DMatrixRMaj.wrap(n, 1, b.clone()), x);
        if (!ok) return null;
        for (double v : x.data) if (!Double.isFinite(v)) return null;
        return x.data;
    }
}
