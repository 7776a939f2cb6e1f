package org.ltz4d.api.analysis;

import java.nio.FloatBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.units.Unit;

/**
 * A named array of results with its unit: a 2D map of the scan's shape (e.g.
 * {@code magnetic/Bx}), a stack (scan_y, scan_x, K), a 1D axis (e.g. {@code sq/q}) or a pattern.
 * Float32 values; NaN marks "no value" (never a silent zero). Integer maps (labels, masks) say so
 * with {@link #integer()} and are stored as integers. Immutable: the values are only reachable
 * read-only.
 */
public final class DataMap {
    private final String path;
    private final Shape shape;
    /** The values from index 0 to the capacity (a heap array wrapped, or a {@link ScratchBuffers} mapping). */
    private final FloatBuffer values;
    private final Unit unit;
    private final String description;
    private final boolean integer;
    private final Map<String, Object> attributes;

    private DataMap(String path, Shape shape, FloatBuffer values, Unit unit, String description, boolean integer,
            Map<String, Object> attributes) {
        this.path = normalise(path);
        this.shape = Objects.requireNonNull(shape, "shape");
        this.values = Objects.requireNonNull(values, "values");
        this.unit = Objects.requireNonNull(unit, "unit");
        this.description = description == null ? "" : description;
        this.integer = integer;
        this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        if (shape.size() != values.capacity()) {
            throw new IllegalArgumentException("map " + this.path + ": shape " + shape + " needs " + shape.size()
                    + " values, got " + values.capacity());
        }
    }

    /**
     * A map that takes ownership of {@code values}: the caller must not change the array
     * afterwards.
     */
    public static DataMap of(String path, Shape shape, float[] values, Unit unit, String description) {
        return new DataMap(path, shape, FloatBuffer.wrap(Objects.requireNonNull(values, "values")), unit, description, false, Map.of());
    }

    /**
     * A map over a buffer's values from index 0 to its capacity (e.g. a {@link ScratchBuffers}
     * mapping, so a per-position stack need not fit in the heap). Takes ownership: the caller
     * must not change the values afterwards.
     */
    public static DataMap of(String path, Shape shape, FloatBuffer values, Unit unit, String description) {
        return new DataMap(path, shape, Objects.requireNonNull(values, "values"), unit, description, false, Map.of());
    }

    /** An integer-valued map (labels, masks), stored as int32. */
    public static DataMap labels(String path, Shape shape, float[] values, Unit unit, String description) {
        return new DataMap(path, shape, FloatBuffer.wrap(Objects.requireNonNull(values, "values")), unit, description, true, Map.of());
    }

    /** A copy with one more attribute (written as an HDF5 attribute of the dataset). */
    public DataMap withAttribute(String key, Object value) {
        Map<String, Object> a = new LinkedHashMap<>(attributes);
        a.put(key, value);
        return new DataMap(path, shape, values, unit, description, integer, a);
    }

    private static String normalise(String p) {
        Objects.requireNonNull(p, "path");
        String s = p.startsWith("/") ? p.substring(1) : p;
        if (s.isBlank() || s.endsWith("/") || s.contains("//")) throw new IllegalArgumentException("bad map path '" + p + "'");
        return s;
    }

    /** Path inside the result file without the leading slash, e.g. {@code strain/exx}. */
    public String path() { return path; }

    public Shape shape() { return shape; }

    public Unit unit() { return unit; }

    public String description() { return description; }

    public boolean integer() { return integer; }

    public Map<String, Object> attributes() { return attributes; }

    /** Read-only view of the values, row-major. */
    public FloatBuffer values() {
        return values.duplicate().clear().asReadOnlyBuffer();
    }

    /** A copy of the values (on the heap: for a large stack, read {@link #values()} in parts instead). */
    public float[] toArray() {
        float[] a = new float[values.capacity()];
        values.get(0, a);
        return a;
    }

    /** Value at flat index i. */
    public float get(int i) {
        return values.get(i);
    }

    /** Value of a 2D map at (row, col). */
    public float get(int row, int col) {
        return values.get(row * shape.cols() + col);
    }

    public int size() {
        return values.capacity();
    }

    @Override
    public String toString() {
        return "/" + path + " " + shape + " [" + unit.symbol() + "]";
    }
}
