package org.ltz4d.ltem;

/**
 * Similarity registration of two Lorentz TEM images: rotation, scale, sub-pixel shift and a mirror
 * (the images of a flipped sample are mirrored). The transform T maps a pixel r = (x, y) of the
 * reference to where the same object point lies in the moving image,
 * T(r) = c + F·s·R(θ)·(r − c) + d, with c the image centre, R(θ) the rotation by θ from +x towards
 * +y, s the scale, F = diag(−1, 1) when mirrored (x → −x) and d = (dx, dy) the shift; the aligned
 * image is moving(T(r)), sampled by bicubic (Keys, a = −0.5) interpolation with the edge pixels
 * repeated outside. Both images are low-passed first (a Gaussian of σ_q cycles per pixel, as the
 * shift registration: images at different defocus agree at low frequency).
 *
 * <p>Coarse: for each mirror state and each rotation in 1° steps over ±{@code maxRotationDeg}, the
 * shift by phase correlation ({@link Registration}) and the normalised cross-correlation (NCC) over
 * the central region; the best is refined by Gauss–Newton on (θ, ln s, dx, dy) together with a gain
 * and an offset of the intensity, least squares over the central 80 % of the image (the numerical
 * Jacobian of the warp, the 6×6 normal equations solved by EJML).
 */
final class Similarity {
    /** The transform (degrees, ratio, pixels), whether mirrored, and the final NCC over the central region. */
    record Transform(double rotationDeg, double scale, double dy, double dx, boolean mirror, double ncc) {
        static final Transform IDENTITY = new Transform(0, 1, 0, 0, false, 1);
    }

    private final int ny, nx;
    private final Fft2 fft;
    private final Registration shifts;
    /** The central region used for the fit: pixels at least this far from the edge. */
    private final int marginY, marginX;

    Similarity(int ny, int nx) {
        this.ny = ny;
        this.nx = nx;
        this.fft = new Fft2(ny, nx);
        this.shifts = new Registration(ny, nx, 20);
        this.marginY = Math.max(2, ny / 10);
        this.marginX = Math.max(2, nx / 10);
    }

    /** The transform of {@code moving} against {@code reference}: a coarse search, then the refinement. */
    Transform register(double[] reference, double[] moving, double qSigma, double maxRotationDeg) {
        double[] ref = lowPass(reference, qSigma);
        double[] mov = lowPass(moving, qSigma);
        Transform best = null;
        double[] warped = new double[ny * nx];
        int steps = (int) Math.ceil(maxRotationDeg);
        for (boolean mirror : new boolean[] {false, true}) {
            for (int k = -steps; k <= steps; k++) {
                Transform t = new Transform(k, 1, 0, 0, mirror, 0);
                warp(mov, t, warped);
                Registration.Shift s = shifts.measure(ref, warped);
                // the shift found in the warped frame is a shift of the reference position: d = F·R·(s)
                double[] d = linear(t, s.dx(), s.dy());
                Transform withShift = new Transform(k, 1, d[1], d[0], mirror, 0);
                warp(mov, withShift, warped);
                double ncc = ncc(ref, warped);
                if (best == null || ncc > best.ncc()) best = new Transform(k, 1, d[1], d[0], mirror, ncc);
            }
        }
        return refine(ref, mov, best);
    }

    /** Gauss–Newton refinement of {@code start} on already low-passed images. */
    Transform refine(double[] ref, double[] mov, Transform start) {
        return refine(ref, mov, start, false);
    }

    /** As {@link #refine(double[], double[], Transform)}; with {@code shiftOnly} the rotation and scale stay at the start's. */
    Transform refine(double[] ref, double[] mov, Transform start, boolean shiftOnly) {
        double[] p = {Math.toRadians(start.rotationDeg()), Math.log(start.scale()), start.dx(), start.dy(), 1, 0};
        boolean mirror = start.mirror();
        int n = ny * nx;
        double[] w0 = new double[n];
        double[][] dw = new double[4][n];
        double[] h = {1e-4, 1e-4, 1e-3, 1e-3};
        double[] a = new double[36];
        double[] b = new double[6];
        double[] row = new double[6];
        for (int iter = 0; iter < 40; iter++) {
            warp(mov, at(p, mirror), w0);
            for (int j = 0; j < 4; j++) {
                double[] q = p.clone();
                q[j] += h[j];
                warp(mov, at(q, mirror), dw[j]);
            }
            java.util.Arrays.fill(a, 0);
            java.util.Arrays.fill(b, 0);
            for (int y = marginY; y < ny - marginY; y++) {
                for (int x = marginX; x < nx - marginX; x++) {
                    int i = y * nx + x;
                    double e = p[4] * w0[i] + p[5] - ref[i];
                    for (int j = 0; j < 4; j++) row[j] = p[4] * (dw[j][i] - w0[i]) / h[j];
                    row[4] = w0[i];
                    row[5] = 1;
                    for (int r = 0; r < 6; r++) {
                        b[r] -= row[r] * e;
                        for (int c = 0; c <= r; c++) a[r * 6 + c] += row[r] * row[c];
                    }
                }
            }
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
        Transform t = at(p, mirror);
        warp(mov, t, w0);
        return new Transform(t.rotationDeg(), t.scale(), t.dy(), t.dx(), mirror, ncc(ref, w0));
    }

    private static Transform at(double[] p, boolean mirror) {
        return new Transform(Math.toDegrees(p[0]), Math.exp(p[1]), p[3], p[2], mirror, 0);
    }

    /** F·s·R(θ)·(x, y) of a transform, as {x, y}. */
    private static double[] linear(Transform t, double x, double y) {
        double th = Math.toRadians(t.rotationDeg()), c = Math.cos(th) * t.scale(), s = Math.sin(th) * t.scale();
        double u = c * x - s * y, v = s * x + c * y;
        return new double[] {t.mirror() ? -u : u, v};
    }

    /** {@code out}(r) = image(T(r)), bicubic, edges repeated. */
    void warp(double[] image, Transform t, double[] out) {
        double th = Math.toRadians(t.rotationDeg()), c = Math.cos(th) * t.scale(), s = Math.sin(th) * t.scale();
        double f = t.mirror() ? -1 : 1;
        double cy = (ny - 1) / 2.0, cx = (nx - 1) / 2.0;
        for (int y = 0; y < ny; y++) {
            double ry = y - cy;
            for (int x = 0; x < nx; x++) {
                double rx = x - cx;
                double mx = cx + f * (c * rx - s * ry) + t.dx();
                double my = cy + s * rx + c * ry + t.dy();
                out[y * nx + x] = bicubic(image, my, mx);
            }
        }
    }

    /** The aligned image: {@code image} sampled at T(r) (the input is not low-passed). */
    double[] apply(double[] image, Transform t) {
        double[] out = new double[ny * nx];
        warp(image, t, out);
        return out;
    }

    private double bicubic(double[] im, double y, double x) {
        int iy = (int) Math.floor(y), ix = (int) Math.floor(x);
        double fy = y - iy, fx = x - ix;
        double sum = 0;
        for (int m = -1; m <= 2; m++) {
            double wy = keys(m - fy);
            int yy = Math.min(ny - 1, Math.max(0, iy + m));
            double rowSum = 0;
            for (int k = -1; k <= 2; k++) {
                int xx = Math.min(nx - 1, Math.max(0, ix + k));
                rowSum += keys(k - fx) * im[yy * nx + xx];
            }
            sum += wy * rowSum;
        }
        return sum;
    }

    /** Keys' cubic convolution kernel, a = −0.5. */
    private static double keys(double t) {
        double a = Math.abs(t);
        if (a <= 1) return (1.5 * a - 2.5) * a * a + 1;
        if (a < 2) return ((-0.5 * a + 2.5) * a - 4) * a + 2;
        return 0;
    }

    /** NCC of two images over the central region. */
    double ncc(double[] a, double[] b) {
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        int n = 0;
        for (int y = marginY; y < ny - marginY; y++) {
            for (int x = marginX; x < nx - marginX; x++) {
                int i = y * nx + x;
                sa += a[i];
                sb += b[i];
                saa += a[i] * a[i];
                sbb += b[i] * b[i];
                sab += a[i] * b[i];
                n++;
            }
        }
        double va = saa - sa * sa / n, vb = sbb - sb * sb / n;
        return va > 0 && vb > 0 ? (sab - sa * sb / n) / Math.sqrt(va * vb) : 0;
    }

    /** A Gaussian low-pass exp(−q²/(2σ²)), q in cycles per pixel; a copy when σ is infinite. */
    double[] lowPass(double[] im, double qSigma) {
        if (!Double.isFinite(qSigma)) return im.clone();
        double[] c = Fft2.complex(im);
        fft.forward(c);
        double inv = 0.5 / (qSigma * qSigma);
        for (int r = 0; r < ny; r++) {
            double fy = Registration.signed(r, ny) / (double) ny;
            for (int col = 0; col < nx; col++) {
                double fx = Registration.signed(col, nx) / (double) nx;
                double g = Math.exp(-(fy * fy + fx * fx) * inv);
                c[2 * (r * nx + col)] *= g;
                c[2 * (r * nx + col) + 1] *= g;
            }
        }
        fft.inverse(c);
        double[] out = new double[im.length];
        Fft2.real(c, out);
        return out;
    }

    /** Solves a·x = b (n×n, row-major) with EJML's LU; null when singular. */
    static double[] solve(double[] a, double[] b, int n) {
        org.ejml.data.DMatrixRMaj x = new org.ejml.data.DMatrixRMaj(n, 1);
        boolean ok = org.ejml.dense.row.CommonOps_DDRM.solve(org.ejml.data.DMatrixRMaj.wrap(n, n, a.clone()),
                org.ejml.data.DMatrixRMaj.wrap(n, 1, b.clone()), x);
        if (!ok) return null;
        for (double v : x.data) if (!Double.isFinite(v)) return null;
        return x.data;
    }
}
