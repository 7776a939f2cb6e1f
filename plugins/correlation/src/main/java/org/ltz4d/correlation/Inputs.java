package org.ltz4d.correlation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.units.Unit;

/** Finding and checking the input maps of the correlators (names from the amorphous analysis). */
final class Inputs {

    static final String BX = "magnetic/Bx";
    static final String BY = "magnetic/By";
    static final String BTX = "magnetic/Bt_x";
    static final String BTY = "magnetic/Bt_y";
    static final String ANGLE_TEN = "strain/angle_ten_deg";
    static final String ANGLE_COM = "strain/angle_com_deg";
    static final String E_TEN = "strain/e_ten";
    static final String E_COM = "strain/e_com";
    static final String DENSITY = "density/relative";
    static final String MASK = "fit/mask";

    private Inputs() {
    }

    /** The in-plane induction: B (T) when present, else B·t (T·nm). */
    record Vector(String xPath, String yPath, float[] x, float[] y, Unit unit, String symbol, Shape shape) {
        /** |v| per position (NaN where a component is NaN). */
        float[] magnitude() {
            float[] m = new float[x.length];
            for (int i = 0; i < m.length; i++) m[i] = (float) Math.hypot(x[i], y[i]);
            return m;
        }

        /** Direction in degrees [0, 360) from +x towards +y; NaN where undefined (NaN or zero). */
        float[] angleDeg() {
            float[] a = new float[x.length];
            for (int i = 0; i < a.length; i++) a[i] = (float) Angles.vectorAngleDeg(x[i], y[i]);
            return a;
        }
    }

    static Optional<Vector> findMagnetic(MapSet maps) {
        if (maps.contains(BX) && maps.contains(BY)) return Optional.of(vector(maps, BX, BY, "B"));
        if (maps.contains(BTX) && maps.contains(BTY)) return Optional.of(vector(maps, BTX, BTY, "B·t"));
        return Optional.empty();
    }

    static Vector requireMagnetic(MapSet maps) {
        return findMagnetic(maps).orElseThrow(() -> new InvalidInputException(null, "/" + BX,
                "maps /" + BX + " and /" + BY + " (T), or /" + BTX + " and /" + BTY + " (T·nm)",
                "only " + (maps.paths().isEmpty() ? "no maps" : "/" + String.join(", /", maps.paths()))));
    }

    private static Vector vector(MapSet maps, String xp, String yp, String symbol) {
        DataMap x = maps.require(xp);
        DataMap y = maps.require(yp);
        Shape s = check2d(x, y);
        return new Vector(xp, yp, masked(maps, x), masked(maps, y), x.unit(), symbol, s);
    }

    /** A copy of the values of {@code map} with failed positions ({@code /fit/mask} = 1) set to NaN. */
    static float[] masked(MapSet maps, DataMap map) {
        float[] v = map.toArray();
        Optional<DataMap> mask = maps.get(MASK);
        if (mask.isPresent() && mask.get().shape().equals(map.shape())) {
            DataMap m = mask.get();
            for (int i = 0; i < v.length; i++) if (m.get(i) == 1f) v[i] = Float.NaN;
        }
        return v;
    }

    static float[] values(MapSet maps, String path, Shape expected) {
        DataMap m = maps.require(path);
        if (!m.shape().equals(expected)) {
            throw new ShapeMismatchException(null, "/" + m.path(), "a map of the scan's shape " + expected, m.shape().toString());
        }
        return masked(maps, m);
    }

    /** Checks that all maps are 2D and of one shape; returns it. */
    static Shape check2d(DataMap... maps) {
        Shape s = null;
        for (DataMap m : maps) {
            if (m.shape().rank() != 2) {
                throw new ShapeMismatchException(null, "/" + m.path(), "a 2D map (scan_y, scan_x)", m.shape().toString());
            }
            if (s == null) s = m.shape();
            else if (!s.equals(m.shape())) {
                throw new ShapeMismatchException(null, "/" + m.path(), "the shape " + s + " of /" + maps[0].path(), m.shape().toString());
            }
        }
        return s;
    }

    static List<String> names(MapSet maps) {
        List<String> out = new ArrayList<>();
        for (String p : maps.paths()) out.add("/" + p);
        return out;
    }

    /** Number of finite values. */
    static int finiteCount(float[] v) {
        int n = 0;
        for (float f : v) if (Float.isFinite(f)) n++;
        return n;
    }
}
