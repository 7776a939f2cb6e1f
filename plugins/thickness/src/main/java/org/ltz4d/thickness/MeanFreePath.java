package org.ltz4d.thickness;

import java.util.Map;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.scattering.Composition;
import org.ltz4d.scattering.ScatteringFactors;

/**
 * The total inelastic mean free path λ of fast electrons, in nm, from the beam energy E0 (keV), the
 * spectrometer's collection semi-angle β (mrad) and the sample:
 * <ul>
 * <li><b>Malis et al. 1988</b> (T. Malis, S. C. Cheng, R. F. Egerton, J. Electron Microsc. Tech. 8
 * (1988) 193–200; Egerton, EELS, 3rd ed., Eq. 5.2), from the composition alone:
 * λ = 106·F·E0 / (E_m·ln(2β·E0/E_m)), E_m = 7.6·Z_eff^0.36 eV,
 * Z_eff = Σ f_i·Z_i^1.3 / Σ f_i·Z_i^0.3 (f_i atomic fractions), F = (1 + E0/1022)/(1 + E0/511)²;
 * valid for β below about 15 mrad, ±20 %.</li>
 * <li><b>Iakoubovskii et al. 2008</b> (K. Iakoubovskii, K. Mitsuishi, Y. Nakayama, K. Furuya,
 * Microsc. Res. Tech. 71 (2008) 626–631), from the mass density ρ (g/cm³), including the
 * convergence semi-angle α (mrad): 1/λ = 11·ρ^0.3/(200·F·E0) ·
 * ln[(α² + β² + 2θ_E² + |α² − β²|)/(α² + β² + 2θ_C² + |α² − β²|)·θ_C²/θ_E²],
 * θ_E = 5.5·ρ^0.3/(F·E0) mrad, θ_C = 20 mrad; valid at any β, ±10 %.</li>
 * </ul>
 */
final class MeanFreePath {

    private MeanFreePath() {
    }

    /** F = (1 + E0/1022)/(1 + E0/511)², E0 in keV: the relativistic factor of both models. */
    static double f(double e0Kev) {
        double g = 1 + e0Kev / 511;
        return (1 + e0Kev / 1022) / (g * g);
    }

    /** Z_eff = Σ f_i·Z_i^1.3 / Σ f_i·Z_i^0.3 of a composition (Malis et al. 1988). */
    static double zEff(Composition c, String parameter) {
        ScatteringFactors table = ScatteringFactors.of(ScatteringFactors.Kind.LOBATO);
        double num = 0, den = 0;
        for (Map.Entry<String, Double> e : c.fractions().entrySet()) {
            int z = table.atomicNumber(e.getKey());
            if (z <= 0) throw new InvalidParameterException(parameter, "known element symbols", e.getKey());
            num += e.getValue() * Math.pow(z, 1.3);
            den += e.getValue() * Math.pow(z, 0.3);
        }
        return num / den;
    }

    /** Malis et al. 1988, nm. */
    static double malis(double e0Kev, double betaMrad, double zEff) {
        double em = 7.6 * Math.pow(zEff, 0.36);
        return 106 * f(e0Kev) * e0Kev / (em * Math.log(2 * betaMrad * e0Kev / em));
    }

    /** Iakoubovskii et al. 2008, nm. */
    static double iakoubovskii(double e0Kev, double alphaMrad, double betaMrad, double rho) {
        double ff = f(e0Kev);
        double thetaE = 5.5 * Math.pow(rho, 0.3) / (ff * e0Kev);
        double thetaC = 20;
        double a2 = alphaMrad * alphaMrad, b2 = betaMrad * betaMrad, d = Math.abs(a2 - b2);
        double arg = (a2 + b2 + 2 * thetaE * thetaE + d) / (a2 + b2 + 2 * thetaC * thetaC + d) * (thetaC * thetaC) / (thetaE * thetaE);
        return 200 * ff * e0Kev / (11 * Math.pow(rho, 0.3) * Math.log(arg));
    }

    /** The element symbols the composition may use. */
    static java.util.Set<String> symbols() {
        return ScatteringFactors.of(ScatteringFactors.Kind.LOBATO).symbols();
    }
}
