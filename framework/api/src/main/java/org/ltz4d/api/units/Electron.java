package org.ltz4d.api.units;

/**
 * Physical constants (CODATA 2018, SI) and the relativistic electron wavelength of
 * DESIGN.md §2: λ = h / sqrt(2·m₀·e·V·(1 + e·V/(2·m₀·c²))).
 */
public final class Electron {
    public static final double H = 6.62607015e-34;        // J·s
    public static final double HBAR = H / (2 * Math.PI);   // J·s
    public static final double E = 1.602176634e-19;        // C
    public static final double M0 = 9.1093837015e-31;      // kg
    public static final double C = 299792458.0;            // m/s

    private Electron() {
    }

    /** Relativistic electron wavelength in metres for an accelerating voltage in kV. */
    public static double wavelengthMetres(double kilovolts) {
        if (!(kilovolts > 0) || Double.isInfinite(kilovolts)) {
            throw new IllegalArgumentException("beam energy must be a positive number of kV, got " + kilovolts);
        }
        double v = kilovolts * 1e3;
        return H / Math.sqrt(2 * M0 * E * v * (1 + E * v / (2 * M0 * C * C)));
    }

    /** Relativistic electron wavelength in ångström. */
    public static double wavelengthAngstrom(double kilovolts) {
        return wavelengthMetres(kilovolts) * 1e10;
    }
}
