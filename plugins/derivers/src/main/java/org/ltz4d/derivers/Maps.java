package org.ltz4d.derivers;

import java.util.Arrays;
import java.util.Map;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.param.Roi;
import org.ltz4d.api.units.Unit;

/** Small shared helpers: input checks, output maps with attributes, NaN-ignoring medians. */
final class Maps {

    private Maps() {
    }

    /** The input map at {@code path}, checked to have the scan's 2D shape. */
    static DataMap input(MapSet inputs, String path, Shape nav) {
        DataMap m = inputs.require(path);
        if (!m.shape().equals(nav)) {
            throw new ShapeMismatchException(null, "/" + m.path(), "a map of the scan's shape " + nav, "shape " + m.shape());
        }
        return m;
    }

    /** A scan-shaped output map carrying every attribute of {@code attributes}. */
    static DataMap output(String path, Shape nav, float[] values, Unit unit, String description, Map<String, Object> attributes) {
        DataMap d = DataMap.of(path, nav, values, unit, description);
        for (Map.Entry<String, Object> e : attributes.entrySet()) d = d.withAttribute(e.getKey(), e.getValue());
        return d;
    }

    /** Median of the finite values of a (rows, cols) map inside {@code roi}; NaN when there is none. */
    static double median(DataMap map, Roi roi) {
        int cols = map.shape().cols();
        double[] v = new double[roi.size()];
        int n = 0;
        for (int r = roi.r0(); r < roi.r1(); r++) {
            for (int c = roi.c0(); c < roi.c1(); c++) {
                float x = map.get(r * cols + c);
                if (Float.isFinite(x)) v[n++] = x;
            }
        }
        return median(v, n);
    }

    /** Median of the first n values (reorders them). */
    static double median(double[] v, int n) {
        if (n == 0) return Double.NaN;
        Arrays.sort(v, 0, n);
        return (n & 1) == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }

    /** Angle in degrees folded into [0, period). */
    static double fold(double deg, double period) {
        double a = deg % period;
        if (a < 0) a += period;
        return a >= period ? 0 : a; // -0.0 and rounding up to the period
    }
}
