package org.ltz4d.reader.hdf5;

import io.jhdf.api.Attribute;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.lang.reflect.Array;

/** Small, forgiving reads of HDF5 nodes and values for the layouts: absent or unreadable gives null. */
final class H5 {
    private H5() {
    }

    static Node node(Group g, String path) {
        try {
            return g.getByPath(path);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static Object attr(Node n, String name) {
        try {
            Attribute a = n.getAttribute(name);
            return a == null ? null : a.getData();
        } catch (RuntimeException e) {
            return null;
        }
    }

    static Object scalarDataset(Group g, String name) {
        try {
            return g.getChildren().get(name) instanceof io.jhdf.api.Dataset d && d.getSize() <= 16 ? d.getData() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Whether the dataset's element type is one ltz4d reads. */
    static boolean numeric(io.jhdf.api.Dataset d) {
        try {
            ElementType.of(null, d.getPath(), d.getDataType());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A value as text: arrays of one element unwrapped, other arrays as [a, b, ...]. */
    static String text(Object o) {
        if (o == null) return null;
        if (o.getClass().isArray()) {
            int n = Array.getLength(o);
            if (n == 1) return text(Array.get(o, 0));
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < n; i++) sb.append(i > 0 ? ", " : "").append(text(Array.get(o, i)));
            return sb.append(']').toString();
        }
        return o.toString();
    }

    static Double number(Object o) {
        if (o == null) return null;
        if (o.getClass().isArray()) return Array.getLength(o) == 0 ? null : number(Array.get(o, 0));
        if (o instanceof Number n) return n.doubleValue();
        try {
            return Double.parseDouble(o.toString().strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
