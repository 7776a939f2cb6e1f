package org.ltz4d.ltem;

/**
 * Transport-of-intensity phase retrieval (DESIGN.md §3): (2π/λ)·∂I/∂z = −∇·(I∇φ), z the over-focus.
 *
 * <ul>
 * <li>∂I/∂z is the per-pixel least-squares slope of the images against their defocus (for
 * −D, 0, +D this is (I₊ − I₋)/(2D)); I(0) is the in-focus image when the series has one, else the
 * slope's intercept at z = 0.</li>
 * <li>{@link Mode#FULL}: the Paganin–Nugent solution with an auxiliary potential,
 * ∇²ψ = −(2π/λ)·∂I/∂z, ∇φ = ∇ψ/I₀, φ = ∇⁻²(∇·(∇ψ/I₀)) (I₀ floored at 10 % of its mean);
 * {@link Mode#UNIFORM}: I₀ taken constant, φ = −(2π/λ)·∇⁻²(∂I/∂z)/⟨I₀⟩.</li>
 * <li>Single-image TIE (SITIE, Chess et al., Ultramicroscopy 177, 78 (2017)): one image at z ≠ 0,
 * ∂I/∂z ≈ (I_z − ⟨I_z⟩)/z with uniform in-focus intensity.</li>
 * <li>Inverse Laplacian by FFT with Tikhonov regularisation q_c and mirror padding
 * (see {@link Poisson}).</li>
 * </ul>
 * Images should be normalised (each to mean 1) by the caller so dose changes do not enter ∂I/∂z.
 */
public final class Tie {
    public enum Mode { FULL, UNIFORM }

    private Tie() {
    }

    /** Result: phase (rad, zero mean), and the ∂I/∂z (1/nm) and I₀ used. */
    public record Result(double[] phase, double[] dIdz, double[] inFocus) {
    }

    /**
     * Phase from a defocus series. {@code defocusNm} over-focus values (nm), one per image; at least
     * two distinct values, or exactly one non-zero value (SITIE).
     */
    public static Result reconstruct(Grid g, double lambdaNm, double[][] images, double[] defocusNm, double qcPerNm,
            boolean mirror, Mode mode) {
        int k = images.length;
        int n = g.size();
        if (k != defocusNm.length) throw new IllegalArgumentException(k + " images but " + defocusNm.length + " defocus values");
        if (k == 0) throw new IllegalArgumentException("no images");
        for (double[] im : images) if (im.length != n) throw new IllegalArgumentException("image size differs from the grid");
        double zMean = 0;
        for (double z : defocusNm) zMean += z / k;
        double szz = 0;
        for (double z : defocusNm) szz += (z - zMean) * (z - zMean);
        double[] dIdz = new double[n];
        double[] i0 = new double[n];
        if (k == 1 || szz == 0) {
            double z = defocusNm[0];
            if (k != 1 || z == 0) throw new IllegalArgumentException("TIE needs two distinct defocus values, or one image at non-zero defocus (SITIE)");
            double mean = mean(images[0]);
            for (int p = 0; p < n; p++) {
                dIdz[p] = (images[0][p] - mean) / z;
                i0[p] = mean;
            }
            return new Result(solve(g, lambdaNm, dIdz, i0, qcPerNm, mirror, Mode.UNIFORM), dIdz, i0);
        }
        int focus = -1;
        for (int j = 0; j < k; j++) if (defocusNm[j] == 0) focus = j;
        for (int p = 0; p < n; p++) {
            double mean = 0;
            for (int j = 0; j < k; j++) mean += images[j][p] / k;
            double s = 0;
            for (int j = 0; j < k; j++) s += (defocusNm[j] - zMean) * (images[j][p] - mean);
            double slope = s / szz;
            dIdz[p] = slope;
            i0[p] = focus >= 0 ? images[focus][p] : mean - slope * zMean;
        }
        return new Result(solve(g, lambdaNm, dIdz, i0, qcPerNm, mirror, mode), dIdz, i0);
    }

    /** Solves (2π/λ)·∂I/∂z = −∇·(I₀∇φ) for φ. */
    public static double[] solve(Grid g, double lambdaNm, double[] dIdz, double[] i0, double qcPerNm, boolean mirror, Mode mode) {
        int n = g.size();
        Poisson ps = new Poisson(g, mirror, qcPerNm);
        double kw = 2 * Math.PI / lambdaNm;
        double[] f = new double[n];
        for (int p = 0; p < n; p++) f[p] = -kw * dIdz[p];
        double meanI = mean(i0);
        if (!(meanI > 0)) throw new IllegalArgumentException("in-focus intensity must have a positive mean, got " + meanI);
        double[] phase;
        if (mode == Mode.UNIFORM) {
            for (int p = 0; p < n; p++) f[p] /= meanI;
            phase = ps.solve(f);
        } else {
            double[] psi = ps.solve(f);
            double[] gx = new double[n], gy = new double[n];
            ps.gradient(psi, gx, gy);
            double floor = 0.1 * meanI;
            for (int p = 0; p < n; p++) {
                double ii = Math.max(i0[p], floor);
                gx[p] /= ii;
                gy[p] /= ii;
            }
            phase = ps.integrate(gx, gy);
        }
        double m = mean(phase);
        for (int p = 0; p < n; p++) phase[p] -= m;
        return phase;
    }

    static double mean(double[] a) {
        double s = 0;
        for (double v : a) s += v;
        return s / a.length;
    }
}
