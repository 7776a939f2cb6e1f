package org.ltz4d.reader.hdf5;

import java.util.Locale;

/** Unit spellings found in EMD/py4DSTEM/Prismatic/Velox files, as factors to ltz4d's typed units. */
final class Units {
    private Units() {
    }

    private static String norm(String u) {
        return u == null ? "" : u.strip().replace("[", "").replace("]", "").replace("_", "").replace(" ", "")
                .replace("Å", "A").replace("µ", "u").replace("μ", "u").toLowerCase(Locale.ROOT);
    }

    /** Factor from a length unit to nm, or NaN when {@code u} is not a length. */
    static double lengthToNm(String u) {
        return switch (norm(u)) {
            case "nm", "nanometer", "nanometers", "nanometre", "nanometres" -> 1.0;
            case "a", "angstrom", "angstroms", "ang" -> 0.1;
            case "pm" -> 1e-3;
            case "um", "micron", "microns", "micrometer", "micrometre" -> 1e3;
            case "m", "meter", "meters", "metre", "metres" -> 1e9;
            default -> Double.NaN;
        };
    }

    /** Factor from a reciprocal length (1/d, no 2π) to 1/Å, or NaN. */
    static double reciprocalToInvAngstrom(String u) {
        return switch (norm(u)) {
            case "a^-1", "1/a", "a-1", "invangstrom" -> 1.0;
            case "nm^-1", "1/nm", "nm-1" -> 0.1;
            case "pm^-1", "1/pm" -> 100.0;
            case "m^-1", "1/m", "m-1" -> 1e-10;
            default -> Double.NaN;
        };
    }

    /** Factor from an angle unit to mrad, or NaN. */
    static double angleToMrad(String u) {
        return switch (norm(u)) {
            case "mrad", "milliradian", "milliradians" -> 1.0;
            case "rad", "radian", "radians" -> 1e3;
            case "urad" -> 1e-3;
            default -> Double.NaN;
        };
    }
}
