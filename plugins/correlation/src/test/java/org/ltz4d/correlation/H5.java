package org.ltz4d.correlation;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import io.jhdf.api.WritableNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;

/** Writes maps as the engine does (float32 / int32 datasets with unit, quantity, description and attributes). */
final class H5 {
    private H5() {
    }

    static void write(Path file, MapSet maps, Map<String, Object> root) {
        try (WritableHdfFile h5 = HdfFile.write(file)) {
            root.forEach((k, v) -> put(h5, k, v));
            Map<String, WritableGroup> groups = new HashMap<>();
            for (DataMap m : maps.maps()) {
                String[] parts = m.path().split("/");
                WritableGroup g = h5;
                StringBuilder p = new StringBuilder();
                for (int i = 0; i < parts.length - 1; i++) {
                    p.append('/').append(parts[i]);
                    WritableGroup parent = g;
                    String name = parts[i];
                    g = groups.computeIfAbsent(p.toString(), k -> parent.putGroup(name));
                }
                WritableNode ds = g.putDataset(parts[parts.length - 1], data(m));
                put(ds, "unit", m.unit().symbol());
                put(ds, "quantity", m.unit().quantity());
                if (!m.description().isEmpty()) put(ds, "description", m.description());
                m.attributes().forEach((k, v) -> put(ds, k, v));
            }
        }
    }

    private static void put(WritableNode n, String k, Object v) {
        if (v == null) return;
        if (v instanceof Boolean b) v = b ? 1 : 0;
        else if (v instanceof Long l) v = l.intValue();
        else if (v instanceof Float f) v = f.doubleValue();
        else if (!(v instanceof String || v instanceof Integer || v instanceof Double)) v = String.valueOf(v);
        n.putAttribute(k, v);
    }

    private static Object data(DataMap m) {
        float[] v = m.toArray();
        if (m.shape().rank() == 1) {
            if (!m.integer()) return v;
            int[] a = new int[v.length];
            for (int i = 0; i < v.length; i++) a[i] = Float.isNaN(v[i]) ? -1 : Math.round(v[i]);
            return a;
        }
        int rows = m.shape().rows(), cols = m.shape().cols();
        if (m.integer()) {
            int[][] a = new int[rows][cols];
            for (int i = 0; i < v.length; i++) a[i / cols][i % cols] = Float.isNaN(v[i]) ? -1 : Math.round(v[i]);
            return a;
        }
        float[][] a = new float[rows][cols];
        for (int i = 0; i < v.length; i++) a[i / cols][i % cols] = v[i];
        return a;
    }
}
