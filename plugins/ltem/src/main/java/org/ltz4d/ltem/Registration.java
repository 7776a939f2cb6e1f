package org.ltz4d.ltem;

/**
 * Sub-pixel image registration of a Lorentz TEM defocus series by cross-correlation (Guizar-Sicairos,
 * Thurman &amp; Fienup, Opt. Lett. 33, 156 (2008)): the integer peak of the FFT cross-correlation,
 * then a matrix-multiply DFT of the cross-power spectrum upsampled by {@code upsample} over a
 * 1.5 px neighbourhood of that peak. Shifts are in pixels, (dy, dx) such that
 * {@code moving(r) ≈ reference(r − d)}; {@link #shift} moves an image by a sub-pixel amount with a
 * Fourier phase ramp (periodic boundaries). Each image's mean is removed before correlating, so
 * the series' normalisation does not enter.
 */
final class Registration {
    /** A measured shift (pixels) and the peak's normalised cross-correlation (1 = identical up to the shift). */
    record Shift(double dy, double dx, double peak) {
    }

    private final int ny;
    private final int nx;
    private final int upsample;
    private final Fft2 fft;

    Registration(int ny, int nx, int upsample) {
        if (upsample < 1) throw new IllegalArgumentException("upsample factor must be ≥ 1, got " + upsample);
        this.ny = ny;
        this.nx = nx;
        this.upsample = upsample;
        this.fft = new Fft2(ny, nx);
    }

    /** The shift of {@code moving} against {@code reference} (both ny·nx, row-major). */
    Shift measure(double[] reference, double[] moving) {
        return measure(reference, moving, Double.POSITIVE_INFINITY);
    }

    /**
     * The shift of {@code moving} against {@code reference}, the cross-power spectrum weighted by a
     * Gaussian low-pass exp(−q²/(2·qSigma²)) (q in cycles per pixel; infinity = no filter). Images at
     * different defocus differ by the Fresnel contrast, which grows as πλz·q²: the low-pass keeps the
     * frequencies where they still agree.
     */
    Shift measure(double[] reference, double[] moving, double qSigma) {
        double[] a = centredSpectrum(reference);
        double[] b = centredSpectrum(moving);
        double na = 0, nb = 0;
        // cross-power X = conj(A)·B: its inverse DFT peaks at the shift of moving against reference
        double[] x = new double[a.length];
        double inv2s2 = Double.isFinite(qSigma) ? 0.5 / (qSigma * qSigma) : 0;
        for (int i = 0; i < a.length; i += 2) {
            int pix = i / 2;
            double fy = signed(pix / nx, ny) / (double) ny, fx = signed(pix % nx, nx) / (double) nx;
            double w = inv2s2 == 0 ? 1 : Math.exp(-(fy * fy + fx * fx) * inv2s2);
            double ar = a[i] * w, ai = a[i + 1] * w, br = b[i], bi = b[i + 1];
            x[i] = ar * br + ai * bi;
            x[i + 1] = ar * bi - ai * br;
            na += ar * ar + ai * ai;
            nb += br * br + bi * bi;
        }
        double[] cc = x.clone();
        fft.inverse(cc);
        int best = 0;
        for (int i = 1; i < ny * nx; i++) if (cc[2 * i] > cc[2 * best]) best = i;
        double py = signed(best / nx, ny);
        double px = signed(best % nx, nx);
        double norm = Math.sqrt(na * nb) / (ny * nx);
        if (upsample == 1 || norm == 0) return new Shift(py, px, norm == 0 ? 0 : cc[2 * best] / norm);
        // refine on a (m × m) grid of step 1/upsample, ±1.5 px around the integer peak; re-centred
        // (at most 3 times) while the maximum lies on the grid's edge
        int half = (int) Math.ceil(1.5 * upsample);
        int m = 2 * half + 1;
        double dy = py, dx = px, peak = 0;
        for (int round = 0; round < 4; round++) {
            double[] sub = upsampledCorrelation(x, dy - half / (double) upsample, dx - half / (double) upsample, m);
            int bi = 0;
            for (int i = 1; i < m * m; i++) if (sub[i] > sub[bi]) bi = i;
            int iy = bi / m, ix = bi % m;
            dy += (iy - half) / (double) upsample;
            dx += (ix - half) / (double) upsample;
            peak = sub[bi] / (ny * nx) / norm;
            if (iy > 0 && iy < m - 1 && ix > 0 && ix < m - 1) break;
        }
        return new Shift(dy, dx, peak);
    }

    /** {@code image} moved by (dy, dx) pixels: out(r) = image(r − d), by a Fourier phase ramp. */
    double[] shift(double[] image, double dy, double dx) {
        double[] c = Fft2.complex(image);
        fft.forward(c);
        for (int r = 0; r < ny; r++) {
            double fy = signed(r, ny) / (double) ny;
            for (int col = 0; col < nx; col++) {
                double fx = signed(col, nx) / (double) nx;
                double ph = -2 * Math.PI * (fy * dy + fx * dx);
                double cr = Math.cos(ph), ci = Math.sin(ph);
                int i = 2 * (r * nx + col);
                double re = c[i], im = c[i + 1];
                c[i] = re * cr - im * ci;
                c[i + 1] = re * ci + im * cr;
            }
        }
        fft.inverse(c);
        double[] out = new double[image.length];
        Fft2.real(c, out);
        return out;
    }

    private double[] centredSpectrum(double[] im) {
        if (im.length != ny * nx) throw new IllegalArgumentException("image size " + im.length + " differs from " + ny + "×" + nx);
        double mean = Tie.mean(im);
        double[] c = new double[2 * im.length];
        for (int i = 0; i < im.length; i++) c[2 * i] = im[i] - mean;
        fft.forward(c);
        return c;
    }

    /**
     * The real part of Σ_k X(k)·exp(+2πi k·r/N) at r = (y0 + i/U, x0 + j/U), i, j in [0, m): a
     * separable DFT, first along x for every row of X, then along y.
     */
    private double[] upsampledCorrelation(double[] x, double y0, double x0, int m) {
        // along x: t(ky, j) = Σ_kx X(ky, kx)·exp(2πi kx·(x0 + j/U)/nx)
        double[] cosX = new double[m * nx], sinX = new double[m * nx];
        for (int j = 0; j < m; j++) {
            double xs = x0 + j / (double) upsample;
            for (int k = 0; k < nx; k++) {
                double ph = 2 * Math.PI * signed(k, nx) * xs / nx;
                cosX[j * nx + k] = Math.cos(ph);
                sinX[j * nx + k] = Math.sin(ph);
            }
        }
        double[] tr = new double[ny * m], ti = new double[ny * m];
        for (int ky = 0; ky < ny; ky++) {
            for (int j = 0; j < m; j++) {
                double sr = 0, si = 0;
                int base = 2 * ky * nx;
                for (int k = 0; k < nx; k++) {
                    double xr = x[base + 2 * k], xi = x[base + 2 * k + 1];
                    double c = cosX[j * nx + k], s = sinX[j * nx + k];
                    sr += xr * c - xi * s;
                    si += xr * s + xi * c;
                }
                tr[ky * m + j] = sr;
                ti[ky * m + j] = si;
            }
        }
        double[] out = new double[m * m];
        for (int i = 0; i < m; i++) {
            double ys = y0 + i / (double) upsample;
            for (int ky = 0; ky < ny; ky++) {
                double ph = 2 * Math.PI * signed(ky, ny) * ys / ny;
                double c = Math.cos(ph), s = Math.sin(ph);
                for (int j = 0; j < m; j++) out[i * m + j] += tr[ky * m + j] * c - ti[ky * m + j] * s;
            }
        }
        return out;
    }

    /** Index k of an n-point DFT as a signed frequency (or a cyclic shift as a signed shift) in [−n/2, n/2). */
    static int signed(int k, int n) {
        return k >= (n + 1) / 2 ? k - n : k;
    }
}
