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

    /**
     * Median of the first n values by quickselect in O(n) (reorders them): the robust fits
     * call it every iteration on up to ~10⁶ residuals, where a full sort would dominate.
     */
    static double select(double[] v, int n) {
        if (n == 0) return Double.NaN;
        double hi = kth(v, n, n / 2);
        if ((n & 1) == 1) return hi;
        double lo = v[0];
        for (int i = 1; i < n / 2; i++) if (v[i] > lo) lo = v[i]; // after kth, v[0..n/2) ≤ v[n/2]
        return 0.5 * (lo + hi);
    }

    /** The k-th smallest of v[0..n) (Hoare quickselect, median-of-three pivots); partitions v around it. */
    private static double kth(double[] v, int n, int k) {
        int left = 0;
        int right = n - 1;
        while (right > left) {
            int mid = (left + right) >>> 1;
            if (v[mid] < v[left]) swap(v, mid, left);
            if (v[right] < v[left]) swap(v, right, left);
            if (v[right] < v[mid]) swap(v, right, mid);
            double pivot = v[mid];
            int i = left;
            int j = right;
            while (i <= j) {
                while (v[i] < pivot) i++;
                while (v[j] > pivot) j--;
                if (i <= j) {
                    swap(v, i, j);
                    i++;
                    j--;
                }
            }
            if (k <= j) right = j;
            else if (k >= i) left = i;
            else return v[k];
        }
        return v[k];
    }

    private static void swap(double[] v, int a, int b) {
        double t = v[a];
        v[a] = v[b];
        v[b] = t;
    }

    /** Angle in degrees folded into [0, period). */
    static double fold(double deg, double period) {
        double a = deg % period;
        if (a < 0) a += period;
        return a >= period ? 0 : a; // -0.0 and rounding up to the period
    }
}
