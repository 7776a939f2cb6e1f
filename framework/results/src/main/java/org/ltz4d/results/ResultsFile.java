package org.ltz4d.results;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads an HDF5 results file: its root attributes and every dataset, depth first in the file's
 * order (except the NeXus parts that are not results: the {@code NXentry} group of metadata and
 * the scan coordinate datasets marked {@value #AXIS_ATTRIBUTE}), as {@link Entry} views that are valid while the file is open (inside the visitor).
 * Values are read only when asked for, so a caller can skip large or unwanted datasets. Exceptions
 * of the HDF5 library pass through unchanged: each caller turns them into its own typed error.
 */
public final class ResultsFile {
    private ResultsFile() {
    }

    /** The attribute that marks a coordinate dataset the writer added to an NXdata group (not a result map). */
    public static final String AXIS_ATTRIBUTE = "ltz4d_axis";

    /** What to do with an attribute whose value cannot be read: rethrow, or give a value to show instead. */
    public static final Function<RuntimeException, Object> STRICT = e -> {
        throw e;
    };

    /**
     * Opens {@code file}, gives each dataset to {@code each}, closes the file, and returns the root
     * attributes (insertion order kept; unreadable ones as {@code onUnreadable} says).
     */
    public static Map<String, Object> read(Path file, Function<RuntimeException, Object> onUnreadable, Consumer<Entry> each) {
        try (HdfFile h = new HdfFile(file)) {
            Map<String, Object> root = attributes(h, onUnreadable);
            visit(h, each);
            return root;
        }
    }

    /** The root attributes only. */
    public static Map<String, Object> rootAttributes(Path file, Function<RuntimeException, Object> onUnreadable) {
        try (HdfFile h = new HdfFile(file)) {
            return attributes(h, onUnreadable);
        }
    }

    private static void visit(Group g, Consumer<Entry> each) {
        for (Node n : g.getChildren().values()) {
            if (n instanceof Group sub) {
                if (!"NXentry".equals(nxClass(sub))) visit(sub, each);
            } else if (n instanceof Dataset d && !d.getAttributes().containsKey(AXIS_ATTRIBUTE)) {
                each.accept(new Entry(d));
            }
        }
    }

    /** The NeXus class of a node ({@code NX_class} attribute as text), or null. */
    static String nxClass(Node n) {
        Attribute a = n.getAttribute("NX_class");
        if (a == null) return null;
        Object v = a.getData();
        return v == null ? null : v.toString();
    }

    static Map<String, Object> attributes(Node n, Function<RuntimeException, Object> onUnreadable) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<String, Attribute> a : n.getAttributes().entrySet()) {
            Object v;
            try {
                v = a.getValue().getData();
            } catch (RuntimeException e) {
                v = onUnreadable.apply(e);
            }
            m.put(a.getKey(), v);
        }
        return m;
    }

    /** One dataset of the file, while the file is open. */
    public static final class Entry {
        private final Dataset d;

        Entry(Dataset d) {
            this.d = d;
        }

        /** HDF5 path, with its leading slash. */
        public String path() {
            return d.getPath();
        }

        public boolean isScalar() {
            return d.isScalar();
        }

        public boolean isEmpty() {
            return d.isEmpty();
        }

        public boolean isCompound() {
            return d.isCompound();
        }

        /** Dimensions (none for a scalar). */
        public int[] dims() {
            return d.isScalar() ? new int[0] : d.getDimensions();
        }

        /** Number of values. */
        public long size() {
            return d.getSize();
        }

        /** The Java element type jHDF maps the stored type to (a primitive for numbers), or null. */
        public Class<?> javaType() {
            return d.getJavaType();
        }

        /** Whether the element type is a number (primitive or boxed) and not compound. */
        public boolean isNumeric() {
            Class<?> t = d.getJavaType();
            return t != null && (t.isPrimitive() || Number.class.isAssignableFrom(t)) && !d.isCompound();
        }

        /** Whether the element type is an integer type (labels, counts, masks). */
        public boolean isInteger() {
            Class<?> t = d.getJavaType();
            return t == int.class || t == long.class || t == short.class || t == byte.class || t == Integer.class || t == Long.class;
        }

        /** The dataset's attributes (insertion order kept; unreadable ones as {@code onUnreadable} says). */
        public Map<String, Object> attributes(Function<RuntimeException, Object> onUnreadable) {
            return ResultsFile.attributes(d, onUnreadable);
        }

        /** The values as one flat array in row-major order (a scalar: its value, as jHDF gives it). */
        public Object values() {
            return d.isScalar() ? d.getData() : d.getDataFlat();
        }
    }
}
