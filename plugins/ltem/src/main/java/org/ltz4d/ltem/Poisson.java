package org.ltz4d.ltem;

/**
 * FFT Poisson tools on a grid with optional mirror padding (symmetrisation): the image is extended
 * to 2ny × 2nx by even reflections, which makes it periodic and continuous and gives the solution
 * zero normal gradient at the borders (Neumann), instead of the FFT's wrap-around.
 *
 * <p>Inverse Laplacian with Tikhonov regularisation: ∇⁻² ↔ −q²/(4π²·(q⁴ + q_c⁴)) (q, q_c in
 * cycles/nm; q_c = 0 gives the plain −1/(4π²q²) with the mean set to 0). Derivatives are spectral:
 * ∂_x ↔ 2πi·q_x (zero at the Nyquist frequency).
 */
final class Poisson {
    private final Grid g;     // the image grid
    private final Grid work;  // padded (or the same) grid
    private final boolean mirror;
    private final Fft2 fft;
    private final double qc4;

    Poisson(Grid g, boolean mirror, double qcPerNm) {
        if (!(qcPerNm >= 0)) throw new IllegalArgumentException("qc must be ≥ 0 1/nm, got " + qcPerNm);
        this.g = g;
        this.mirror = mirror;
        this.work = mirror ? g.doubled() : g;
        this.fft = new Fft2(work.ny, work.nx);
        this.qc4 = qcPerNm * qcPerNm * qcPerNm * qcPerNm;
    }

    /** Parity of an extension along an axis: +1 even (a scalar), −1 odd (a derivative along that axis). */
    private double[] extend(double[] f, int parityX, int parityY) {
        int ny = g.ny, nx = g.nx;
        if (!mirror) return Fft2.complex(f);
        int wx = 2 * nx;
        double[] out = new double[2 * 4 * ny * nx];
        for (int r = 0; r < ny; r++) {
            for (int c = 0; c < nx; c++) {
                double v = f[r * nx + c];
                int rm = 2 * ny - 1 - r, cm = 2 * nx - 1 - c;
                out[2 * (r * wx + c)] = v;
                out[2 * (r * wx + cm)] = parityX * v;
                out[2 * (rm * wx + c)] = parityY * v;
                out[2 * (rm * wx + cm)] = parityX * parityY * v;
            }
        }
        return out;
    }

    private void crop(double[] big, double[] out) {
        int wx = work.nx;
        for (int r = 0; r < g.ny; r++) {
            for (int c = 0; c < g.nx; c++) out[r * g.nx + c] = big[2 * (r * wx + c)];
        }
    }

    private double inverseLaplacian(double q2) {
        if (q2 == 0) return 0;
        return -q2 / (4 * Math.PI * Math.PI * (q2 * q2 + qc4));
    }

    /** Solves ∇²u = f (regularised), u with zero mean. */
    double[] solve(double[] f) {
        double[] a = extend(f, 1, 1);
        fft.forward(a);
        for (int r = 0; r < work.ny; r++) {
            for (int c = 0; c < work.nx; c++) {
                double k = inverseLaplacian(work.qx[c] * work.qx[c] + work.qy[r] * work.qy[r]);
                int i = 2 * (r * work.nx + c);
                a[i] *= k;
                a[i + 1] *= k;
            }
        }
        fft.inverse(a);
        double[] out = new double[g.size()];
        crop(a, out);
        return out;
    }

    /** Spectral gradient of a scalar field (per nm): {@code gx}, {@code gy} receive ∂f/∂x, ∂f/∂y. */
    void gradient(double[] f, double[] gx, double[] gy) {
        double[] a = extend(f, 1, 1);
        fft.forward(a);
        double[] b = a.clone();
        for (int r = 0; r < work.ny; r++) {
            double ky = nyquist(r, work.ny) ? 0 : 2 * Math.PI * work.qy[r];
            for (int c = 0; c < work.nx; c++) {
                double kx = nyquist(c, work.nx) ? 0 : 2 * Math.PI * work.qx[c];
                int i = 2 * (r * work.nx + c);
                double re = a[i], im = a[i + 1];
                a[i] = -kx * im;
                a[i + 1] = kx * re;
                b[i] = -ky * im;
                b[i + 1] = ky * re;
            }
        }
        fft.inverse(a);
        fft.inverse(b);
        crop(a, gx);
        crop(b, gy);
    }

    /**
     * Solves ∇u = (gx, gy) in the least-squares sense (Fourier integration):
     * û = (q_x·ĝ_x + q_y·ĝ_y)/(2πi·q²), regularised like {@link #solve}. Mirror padding extends
     * g_x oddly along x and evenly along y (and g_y the other way round), as the gradient of an
     * evenly extended u.
     */
    double[] integrate(double[] gx, double[] gy) {
        double[] a = extend(gx, -1, 1);
        double[] b = extend(gy, 1, -1);
        fft.forward(a);
        fft.forward(b);
        for (int r = 0; r < work.ny; r++) {
            double ky = 2 * Math.PI * work.qy[r];
            for (int c = 0; c < work.nx; c++) {
                double kx = 2 * Math.PI * work.qx[c];
                double q2 = work.qx[c] * work.qx[c] + work.qy[r] * work.qy[r];
                int i = 2 * (r * work.nx + c);
                // ∇²u = ∇·g ↔ i·(kx·ĝx + ky·ĝy); then u = ∇⁻²(∇·g)
                double dr = -(kx * a[i + 1] + ky * b[i + 1]);
                double di = kx * a[i] + ky * b[i];
                double k = inverseLaplacian(q2);
                a[i] = k * dr;
                a[i + 1] = k * di;
            }
        }
        fft.inverse(a);
        double[] out = new double[g.size()];
        crop(a, out);
        return out;
    }

    /** ∇·(vx, vy) spectrally (vx odd in x, vy odd in y under mirror padding). */
    double[] divergence(double[] vx, double[] vy) {
        double[] a = extend(vx, -1, 1);
        double[] b = extend(vy, 1, -1);
        fft.forward(a);
        fft.forward(b);
        for (int r = 0; r < work.ny; r++) {
            double ky = nyquist(r, work.ny) ? 0 : 2 * Math.PI * work.qy[r];
            for (int c = 0; c < work.nx; c++) {
                double kx = nyquist(c, work.nx) ? 0 : 2 * Math.PI * work.qx[c];
                int i = 2 * (r * work.nx + c);
                double dr = -(kx * a[i + 1] + ky * b[i + 1]);
                double di = kx * a[i] + ky * b[i];
                a[i] = dr;
                a[i + 1] = di;
            }
        }
        fft.inverse(a);
        double[] out = new double[g.size()];
        crop(a, out);
        return out;
    }

    private static boolean nyquist(int i, int n) {
        return n % 2 == 0 && i == n / 2;
    }
}
