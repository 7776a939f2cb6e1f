package org.ltz4d.api.units;

import java.util.Objects;

/** A number with its unit. */
public record Quantity(double value, Unit unit) {
    public Quantity {
        Objects.requireNonNull(unit, "unit");
    }

    public static Quantity of(double value, Unit unit) {
        return new Quantity(value, unit);
    }

    @Override
    public String toString() {
        return value + " " + unit.symbol();
    }
}
