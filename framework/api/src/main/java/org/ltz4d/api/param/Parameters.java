package org.ltz4d.api.param;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.ltz4d.api.error.InvalidParameterException;

/**
 * The user's parameters of one run: an immutable map from name (command-line spelling without
 * dashes) to the raw text, with typed getters that throw {@link InvalidParameterException} naming
 * the parameter when a value does not parse. Every parameter ends up in the result's provenance.
 */
public final class Parameters {
    private static final Parameters EMPTY = new Parameters(Map.of());
    private final Map<String, String> values;

    private Parameters(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Parameters empty() {
        return EMPTY;
    }

    public static Parameters of(Map<String, String> values) {
        return new Parameters(values);
    }

    public static Parameters single(String name, String value) {
        return new Parameters(Map.of(name, value));
    }

    /** A copy with one more (or a replaced) value. */
    public Parameters with(String name, String value) {
        Map<String, String> m = new LinkedHashMap<>(values);
        m.put(name, value);
        return new Parameters(m);
    }

    /** A copy where {@code other}'s values win. */
    public Parameters withAll(Parameters other) {
        Map<String, String> m = new LinkedHashMap<>(values);
        m.putAll(other.values);
        return new Parameters(m);
    }

    public Map<String, String> asMap() {
        return values;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public Optional<String> string(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public String string(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    public String requireString(String name, String expected) {
        String v = values.get(name);
        if (v == null || v.isBlank()) throw new InvalidParameterException(name, expected, null);
        return v;
    }

    public OptionalDouble number(String name) {
        String v = values.get(name);
        if (v == null) return OptionalDouble.empty();
        return OptionalDouble.of(parseDouble(name, v));
    }

    public double number(String name, double defaultValue) {
        String v = values.get(name);
        return v == null ? defaultValue : parseDouble(name, v);
    }

    public double requireNumber(String name, String expected) {
        String v = values.get(name);
        if (v == null) throw new InvalidParameterException(name, expected, null);
        return parseDouble(name, v);
    }

    /** A positive finite number, or the default. */
    public double positive(String name, double defaultValue) {
        double d = number(name, defaultValue);
        if (!(d > 0) || Double.isInfinite(d)) throw new InvalidParameterException(name, "a positive number", values.get(name));
        return d;
    }

    public int integer(String name, int defaultValue) {
        String v = values.get(name);
        if (v == null) return defaultValue;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidParameterException(name, "an integer", v);
        }
    }

    public boolean flag(String name) {
        String v = values.get(name);
        if (v == null) return false;
        return switch (v.trim().toLowerCase()) {
            case "", "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new InvalidParameterException(name, "true or false", v);
        };
    }

    public Optional<Path> file(String name) {
        return string(name).map(Path::of);
    }

    /** A path that must exist and be a readable file. */
    public Optional<Path> existingFile(String name) {
        Optional<Path> p = file(name);
        p.ifPresent(f -> {
            if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
                throw new InvalidParameterException(name, "a readable file", f.toString());
            }
        });
        return p;
    }

    public Optional<Roi> roi(String name) {
        return string(name).map(s -> Roi.parse(name, s));
    }

    /** A comma-separated list of integers, e.g. {@code --scan 64,64}. */
    public Optional<int[]> intList(String name, int expectedLength) {
        String v = values.get(name);
        if (v == null) return Optional.empty();
        String[] parts = v.split("[,x×]");
        String expected = expectedLength > 0 ? expectedLength + " comma-separated integers" : "comma-separated integers";
        if (expectedLength > 0 && parts.length != expectedLength) throw new InvalidParameterException(name, expected, v);
        int[] out = new int[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) out[i] = Integer.parseInt(parts[i].trim());
        } catch (NumberFormatException e) {
            throw new InvalidParameterException(name, expected, v);
        }
        return Optional.of(out);
    }

    public Optional<double[]> doubleList(String name) {
        String v = values.get(name);
        if (v == null) return Optional.empty();
        String[] parts = v.split(",");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = parseDouble(name, parts[i]);
        return Optional.of(out);
    }

    /** A choice among the given words. */
    public String choice(String name, String defaultValue, String... allowed) {
        String v = values.getOrDefault(name, defaultValue);
        if (v == null) return null;
        for (String a : allowed) if (a.equals(v)) return v;
        throw new InvalidParameterException(name, "one of " + String.join(", ", allowed), v);
    }

    /** Checks every value that {@code spec} declares; unknown names are the caller's concern. */
    public void checkAgainst(ParameterSpec spec) {
        String v = values.get(spec.name());
        if (v == null) return;
        switch (spec.type()) {
            case DOUBLE -> {
                double d = parseDouble(spec.name(), v);
                if (d < spec.min() || d > spec.max()) {
                    throw new InvalidParameterException(spec.name(), "a number in [" + spec.min() + ", " + spec.max() + "]"
                            + (spec.unit().symbol().equals("1") ? "" : " " + spec.unit().symbol()), v);
                }
            }
            case INTEGER -> {
                int i = integer(spec.name(), 0);
                if (i < spec.min() || i > spec.max()) {
                    throw new InvalidParameterException(spec.name(), "an integer in [" + (long) spec.min() + ", " + (long) spec.max() + "]", v);
                }
            }
            case BOOLEAN -> flag(spec.name());
            case CHOICE -> choice(spec.name(), null, spec.choices().toArray(String[]::new));
            case ROI -> roi(spec.name());
            case FILE -> existingFile(spec.name());
            case INT_LIST -> intList(spec.name(), 0);
            case DOUBLE_LIST -> doubleList(spec.name());
            case STRING -> { }
        }
    }

    /** The names that none of {@code specs} declares. */
    public List<String> unknown(List<ParameterSpec> specs) {
        List<String> out = new ArrayList<>();
        outer:
        for (String k : values.keySet()) {
            for (ParameterSpec s : specs) if (s.name().equals(k)) continue outer;
            out.add(k);
        }
        return out;
    }

    private static double parseDouble(String name, String v) {
        try {
            double d = Double.parseDouble(v.trim());
            if (Double.isNaN(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new InvalidParameterException(name, "a number", v);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Parameters p && p.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
