package org.ltz4d.io.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The shared real test files ({@code ${ltz4d.shared}/data/real}, set by Surefire) and their
 * independently read values ({@code EXPECTED_VALUES.json}, read once with Jackson).
 *
 * <p>Two views of the same document: the Jackson tree ({@link #all()}, with {@link #ints(JsonNode)}
 * and {@link #doubles(JsonNode)}), and plain Java values ({@link #values(String)}: objects are
 * {@code Map<String, Object>}, arrays {@code List<Object>}, numbers {@link Number}, with
 * {@link #object(Object)}, {@link #num(Object)} and {@link #ints(Object)}).
 */
public final class Expected {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static JsonNode all;
    private static Map<String, Object> values;

    private Expected() {
    }

    /** {@code ${ltz4d.shared}/data/real} (default {@code /work/shared/data/real}). */
    public static Path real() {
        return Path.of(System.getProperty("ltz4d.shared", "/work/shared")).resolve("data").resolve("real");
    }

    /** A shared real file; fails the test (AssertionError) if it is missing. */
    public static Path file(String rel) {
        Path p = real().resolve(rel);
        if (!Files.isRegularFile(p)) throw new AssertionError("missing shared test file " + p);
        return p;
    }

    /** The whole EXPECTED_VALUES.json as a Jackson tree. */
    public static synchronized JsonNode all() {
        if (all == null) {
            try {
                all = MAPPER.readTree(real().resolve("EXPECTED_VALUES.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read EXPECTED_VALUES.json", e);
            }
        }
        return all;
    }

    /** The expected values of one file (key {@code rel}) as plain Java values; fails if there are none. */
    public static synchronized Map<String, Object> values(String rel) {
        if (values == null) values = MAPPER.convertValue(all(), new TypeReference<Map<String, Object>>() { });
        Map<String, Object> m = object(values.get(rel));
        if (m.isEmpty()) throw new AssertionError("no expected values for " + rel);
        return m;
    }

    /** {@code o} as a JSON object, or an empty map if it is not one. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    public static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    /** A JSON array of numbers (a {@code List}) as ints. */
    public static int[] ints(Object o) {
        List<?> l = (List<?>) o;
        int[] r = new int[l.size()];
        for (int i = 0; i < r.length; i++) r[i] = (int) num(l.get(i));
        return r;
    }

    public static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }

    public static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asDouble();
        return out;
    }
}
