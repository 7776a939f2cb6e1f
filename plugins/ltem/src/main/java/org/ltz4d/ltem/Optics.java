package org.ltz4d.ltem;

import org.ltz4d.api.units.Electron;

/**
 * Microscope parameters of the forward model. Lengths in nm, angles in rad.
 *
 * <p><b>Sign conventions.</b> Defocus is the DESIGN.md §3 over-focus {@code z} (nm): z &gt; 0
 * over-focus, z &lt; 0 under-focus, ψ_z = F⁻¹[F(ψ₀)·exp(−iπλz|q|²)]. Kirkland's defocus is
 * Δf = −z (Kirkland: Δf &gt; 0 is under-focus, Scherzer defocus positive). The wave transfer
 * function is Kirkland's H(q) = exp(−iχ(q))·E_s(q)·E_t(q) with
 * <pre>
 *   χ(q) = πλ|q|²·(z + a₂·cos 2(θ_q − θ_a)) + (π/2)·C_s·λ³·|q|⁴
 *        = πλ|q|²·(½C_sλ²|q|² − Δf − Δf_a·cos 2(θ_q − θ_a))   (Kirkland's form, Δf = −z, Δf_a = −a₂)
 * </pre>
 * q in cycles/nm, θ_q the direction of q from +x towards +y. {@code astigmatismNm} a₂ is the extra
 * over-focus along θ_a (so the over-focus is z + a₂ along θ_a and z − a₂ across it). The quasi-coherent
 * partial-coherence envelopes (Kirkland §3.3):
 * spatial E_s = exp(−(α/(2λ))²·|∇_q χ|²) (for a₂ = 0 this is Kirkland's
 * exp(−(πα/λ)²(C_sλ³q³ − Δfλq)²)), α the beam divergence semi-angle; temporal
 * E_t = exp(−½π²λ²Δ²|q|⁴), Δ the defocus spread (standard deviation).
 */
public record Optics(double wavelengthNm, double csNm, double astigmatismNm, double astigmatismAngleRad,
        double divergenceRad, double defocusSpreadNm) {

    public Optics {
        if (!(wavelengthNm > 0)) throw new IllegalArgumentException("wavelength must be positive, got " + wavelengthNm);
        if (!(divergenceRad >= 0)) throw new IllegalArgumentException("beam divergence must be ≥ 0 rad, got " + divergenceRad);
        if (!(defocusSpreadNm >= 0)) throw new IllegalArgumentException("defocus spread must be ≥ 0 nm, got " + defocusSpreadNm);
    }

    /** Ideal (aberration-free, coherent) optics at beam energy {@code kv}. */
    public static Optics ideal(double kv) {
        return new Optics(wavelengthNm(kv), 0, 0, 0, 0, 0);
    }

    public static double wavelengthNm(double kv) {
        return Electron.wavelengthMetres(kv) * 1e9;
    }

    public Optics withDivergence(double rad) {
        return new Optics(wavelengthNm, csNm, astigmatismNm, astigmatismAngleRad, rad, defocusSpreadNm);
    }

    public Optics withCs(double nm) {
        return new Optics(wavelengthNm, nm, astigmatismNm, astigmatismAngleRad, divergenceRad, defocusSpreadNm);
    }

    public Optics withAstigmatism(double nm, double angleRad) {
        return new Optics(wavelengthNm, csNm, nm, angleRad, divergenceRad, defocusSpreadNm);
    }

    public Optics withDefocusSpread(double nm) {
        return new Optics(wavelengthNm, csNm, astigmatismNm, astigmatismAngleRad, divergenceRad, nm);
    }
}
