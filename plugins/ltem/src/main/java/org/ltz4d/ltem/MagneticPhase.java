package org.ltz4d.ltem;

import org.ltz4d.api.units.Electron;

/**
 * Electron-optical phase of a thin film from its magnetisation (Mansuripur, J. Appl. Phys. 69,
 * 2455 (1991), untilted film, magnetisation uniform through the thickness), computed in Fourier
 * space, and the conversions between phase gradient and projected induction B·t with the sign of
 * DESIGN.md §3: ∇φ = (e·t/ħ)·(B_y, −B_x), so B·t = (ħ/e)·(−∂φ/∂y, ∂φ/∂x).
 *
 * <p>With k = 2πq (rad/nm) and c = (e/ħ)·B_s·t (rad/nm), the phase is
 * φ̂(k) = i·c·(m̂_x·k_y − m̂_y·k_x)/|k|², whose gradient i·k·φ̂ is the curl-free (longitudinal) part of
 * c·(m_y, −m_x): stray fields of magnetic charges drop out of the projection, as they must.
 */
public final class MagneticPhase {
    /** e/ħ in rad per (T·nm²). */
    public static final double E_OVER_HBAR = Electron.E / Electron.HBAR * 1e-18;
    /** ħ/e in T·nm² (≈ 658.2). */
    public static final double HBAR_OVER_E = 1.0 / E_OVER_HBAR;

    private MagneticPhase() {
    }

    /**
     * Magnetic phase (rad) of in-plane magnetisation {@code mx, my} (fractions of the saturation,
     * |m| ≤ 1, row-major on {@code g}) for a saturation induction × thickness B_s·t = {@code btTnm}
     * (T·nm). The grid is periodic (the FFT's).
     */
    public static double[] fromMagnetisation(Grid g, double[] mx, double[] my, double btTnm) {
        int n = g.size();
        if (mx.length != n || my.length != n) throw new IllegalArgumentException("magnetisation must have " + n + " pixels");
        double[] a = Fft2.complex(mx);
        double[] b = Fft2.complex(my);
        Fft2 fft = new Fft2(g.ny, g.nx);
        fft.forward(a);
        fft.forward(b);
        double cc = E_OVER_HBAR * btTnm;
        double[] out = new double[2 * n];
        for (int r = 0; r < g.ny; r++) {
            double ky = 2 * Math.PI * g.qy[r];
            for (int c = 0; c < g.nx; c++) {
                double kx = 2 * Math.PI * g.qx[c];
                double k2 = kx * kx + ky * ky;
                int i = 2 * (r * g.nx + c);
                if (k2 == 0) continue;
                // u = mx·ky − my·kx (complex); φ̂ = i·cc·u/k²
                double ur = a[i] * ky - b[i] * kx;
                double ui = a[i + 1] * ky - b[i + 1] * kx;
                out[i] = -cc * ui / k2;
                out[i + 1] = cc * ur / k2;
            }
        }
        fft.inverse(out);
        double[] phase = new double[n];
        Fft2.real(out, phase);
        return phase;
    }

    /**
     * Electrostatic phase C_E·V₀·t (rad) of a mean inner potential {@code v0Volts} over a thickness
     * map (nm) at beam energy {@code kv}: C_E = (2π/(λV))·(m₀c² + eV)/(2m₀c² + eV).
     */
    public static double[] electrostatic(double kv, double v0Volts, double[] thicknessNm) {
        double v = kv * 1e3;
        double mc2 = Electron.M0 * Electron.C * Electron.C / Electron.E; // volts
        double lambdaNm = Optics.wavelengthNm(kv);
        double ce = 2 * Math.PI / (lambdaNm * v) * (mc2 + v) / (2 * mc2 + v); // rad/(V·nm)
        double[] out = new double[thicknessNm.length];
        for (int i = 0; i < out.length; i++) out[i] = ce * v0Volts * thicknessNm[i];
        return out;
    }

    /**
     * B·t (T·nm) from a phase map (rad): {@code out[0]} = B_x·t = −(ħ/e)·∂φ/∂y, {@code out[1]} =
     * B_y·t = (ħ/e)·∂φ/∂x. Central differences inside, one-sided at the edges.
     */
    public static double[][] btFromPhase(double[] phase, int ny, int nx, double dyNm, double dxNm) {
        double[] dx = new double[ny * nx];
        double[] dy = new double[ny * nx];
        gradient(phase, ny, nx, dyNm, dxNm, dx, dy);
        double[] btx = new double[ny * nx];
        double[] bty = new double[ny * nx];
        for (int i = 0; i < btx.length; i++) {
            btx[i] = -HBAR_OVER_E * dy[i];
            bty[i] = HBAR_OVER_E * dx[i];
        }
        return new double[][] {btx, bty};
    }

    /** Finite-difference gradient (per nm): central inside, one-sided at the edges. */
    public static void gradient(double[] f, int ny, int nx, double dyNm, double dxNm, double[] gx, double[] gy) {
        for (int r = 0; r < ny; r++) {
            for (int c = 0; c < nx; c++) {
                int p = r * nx + c;
                int c0 = Math.max(c - 1, 0), c1 = Math.min(c + 1, nx - 1);
                int r0 = Math.max(r - 1, 0), r1 = Math.min(r + 1, ny - 1);
                gx[p] = (f[r * nx + c1] - f[r * nx + c0]) / ((c1 - c0) * dxNm);
                gy[p] = (f[r1 * nx + c] - f[r0 * nx + c]) / ((r1 - r0) * dyNm);
            }
        }
    }
}
