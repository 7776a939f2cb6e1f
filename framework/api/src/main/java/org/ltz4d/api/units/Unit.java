package org.ltz4d.api.units;

import java.util.Objects;

/**
 * A unit of measure: its symbol (as written into result files, UTF-8) and the physical quantity it
 * measures. Units are values: compare with {@link #equals}. The constants cover what ltz4d's own
 * bundles report; a plugin may define more with {@link #of}.
 */
public record Unit(String symbol, String quantity) {
    public static final Unit DIMENSIONLESS = new Unit("1", "dimensionless");
    public static final Unit COUNTS = new Unit("counts", "detector counts");
    public static final Unit PIXEL = new Unit("px", "detector pixels");
    public static final Unit NANOMETRE = new Unit("nm", "length");
    public static final Unit ANGSTROM = new Unit("Å", "length");
    public static final Unit MILLIMETRE = new Unit("mm", "length");
    public static final Unit MILLIRADIAN = new Unit("mrad", "scattering angle");
    public static final Unit INVERSE_ANGSTROM = new Unit("1/Å", "reciprocal length");
    public static final Unit KILOVOLT = new Unit("kV", "accelerating voltage");
    public static final Unit PICOMETRE = new Unit("pm", "length");
    public static final Unit DEGREE = new Unit("deg", "angle");
    public static final Unit RADIAN = new Unit("rad", "angle");
    public static final Unit TESLA = new Unit("T", "magnetic induction");
    public static final Unit TESLA_NANOMETRE = new Unit("T·nm", "projected magnetic induction");
    public static final Unit JOULE_PER_CUBIC_METRE = new Unit("J/m³", "energy density");
    public static final Unit GIGAPASCAL = new Unit("GPa", "stress");
    public static final Unit SECOND = new Unit("s", "time");
    public static final Unit LABEL = new Unit("label", "integer class label");

    public Unit {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(quantity, "quantity");
    }

    /** A unit not among the constants. */
    public static Unit of(String symbol, String quantity) {
        return new Unit(symbol, quantity);
    }

    @Override
    public String toString() {
        return symbol;
    }
}
