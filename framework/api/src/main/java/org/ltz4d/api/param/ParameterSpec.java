package org.ltz4d.api.param;

import java.util.List;
import java.util.Objects;
import org.ltz4d.api.units.Unit;

/**
 * Declares one user parameter once (name, meaning, unit, default, allowed range or choices), so
 * that the CLI, a GUI and the provenance record all render and check it from the same place.
 * Names are the command-line spelling without dashes, e.g. {@code thickness-nm}.
 */
public record ParameterSpec(String name, Type type, String description, Unit unit, String defaultValue,
        double min, double max, List<String> choices) {

    public enum Type { DOUBLE, INTEGER, BOOLEAN, STRING, FILE, CHOICE, ROI, INT_LIST, DOUBLE_LIST }

    public ParameterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        unit = unit == null ? Unit.DIMENSIONLESS : unit;
        choices = choices == null ? List.of() : List.copyOf(choices);
    }

    public static ParameterSpec number(String name, String description, Unit unit, Double defaultValue, double min, double max) {
        return new ParameterSpec(name, Type.DOUBLE, description, unit,
                defaultValue == null ? null : Double.toString(defaultValue), min, max, List.of());
    }

    public static ParameterSpec integer(String name, String description, Integer defaultValue, int min, int max) {
        return new ParameterSpec(name, Type.INTEGER, description, Unit.DIMENSIONLESS,
                defaultValue == null ? null : Integer.toString(defaultValue), min, max, List.of());
    }

    public static ParameterSpec flag(String name, String description) {
        return new ParameterSpec(name, Type.BOOLEAN, description, Unit.DIMENSIONLESS, "false", 0, 1, List.of());
    }

    public static ParameterSpec text(String name, String description, String defaultValue) {
        return new ParameterSpec(name, Type.STRING, description, Unit.DIMENSIONLESS, defaultValue, 0, 0, List.of());
    }

    public static ParameterSpec file(String name, String description) {
        return new ParameterSpec(name, Type.FILE, description, Unit.DIMENSIONLESS, null, 0, 0, List.of());
    }

    public static ParameterSpec choice(String name, String description, String defaultValue, String... choices) {
        return new ParameterSpec(name, Type.CHOICE, description, Unit.DIMENSIONLESS, defaultValue, 0, 0, List.of(choices));
    }

    public static ParameterSpec roi(String name, String description) {
        return new ParameterSpec(name, Type.ROI, description, Unit.DIMENSIONLESS, null, 0, 0, List.of());
    }

    /** Checks a raw value against this declaration; throws naming the parameter when it does not fit. */
    public void check(String raw) {
        Parameters.single(name, raw).checkAgainst(this);
    }
}
