package org.ltz4d.io.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared real test files ({@code <shared>/data/real}, see {@link #real()}) and their
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

    /** Set to a folder to use its {@code data/real}; Surefire sets it to {@code <project root>/../shared}. */
    public static final String SHARED_PROPERTY = "ltz4d.shared";
    /** The project root; Surefire runs each module's tests in the module's own folder. */
    public static final String ROOT_PROPERTY = "ltz4d.root";

    private static Path real;

    /**
     * The folder of the real test files, {@code <shared>/data/real}, where {@code <shared>} is the
     * first that holds a {@code data/real} folder of: the system property {@value #SHARED_PROPERTY};
     * a folder {@code shared} beside the project root (the layout CI runs in: a clone with
     * {@code ../shared} next to it) or beside one of the root's ancestors (a git worktree under the
     * checkout's parent); the same from the working directory. When there is none, the test is
     * skipped with a message that says where it looked, or fails with that message when the
     * environment variable {@code CI} is set: in CI a missing data folder must not pass as green.
     */
    public static synchronized Path real() {
        if (real == null) real = locate();
        return real;
    }

    private static Path locate() {
        List<Path> tried = new ArrayList<>();
        Path found = locate(System.getProperty(SHARED_PROPERTY), List.of(String.valueOf(System.getProperty(ROOT_PROPERTY, "")),
                System.getProperty("user.dir", "")), tried);
        if (found != null) return found;
        String msg = "shared real test files not found (looked for " + tried + "); put the shared folder beside the project root"
                + " or pass -D" + SHARED_PROPERTY + "=FOLDER (the folder that holds data/real)";
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank()) throw new AssertionError(msg);
        Assumptions.abort(msg);
        throw new AssertionError(msg); // not reached: abort throws
    }

    /**
     * {@code data/real} under {@code shared} if that names a folder holding it, else under the
     * nearest {@code shared} beside one of the {@code starts} or their ancestors; null when none
     * exists. Every place looked at is added to {@code tried}.
     */
    static Path locate(String shared, List<String> starts, List<Path> tried) {
        if (shared != null && !shared.isBlank()) {
            Path p = Path.of(shared).toAbsolutePath().normalize().resolve("data").resolve("real");
            if (Files.isDirectory(p)) return p;
            tried.add(p);
        }
        for (String start : starts) {
            if (start == null || start.isBlank()) continue;
            for (Path dir = Path.of(start).toAbsolutePath().normalize(); dir.getParent() != null; dir = dir.getParent()) {
                Path p = dir.resolveSibling("shared").resolve("data").resolve("real");
                if (tried.contains(p)) continue;
                if (Files.isDirectory(p)) return p;
                tried.add(p);
            }
        }
        return null;
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
