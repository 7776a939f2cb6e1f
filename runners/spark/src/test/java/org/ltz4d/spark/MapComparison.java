package org.ltz4d.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;

/** Compares a Spark run's maps with the local engine's. */
final class MapComparison {
    private MapComparison() {
    }

    /**
     * Every map of {@code local} is in {@code spark} with the same shape and unit; labels and masks
     * are equal; values equal bit for bit, or within 1 % of the position-to-position noise of the
     * map (the scatter of neighbouring positions' differences / √2, the statistical bound an
     * efficient fit reaches), where only the fits' seeds differed (the first frame of a partition).
     */
    static void assertSame(MapSet local, MapSet spark, Map<String, Path> sim) {
        assertWithin(local, spark, 0.01);
    }

    /** As {@link #assertSame}, differing values within {@code fraction} of each map's position-to-position noise. */
    static void assertWithin(MapSet local, MapSet spark, double fraction) {
        compare(local, spark, fraction, false);
    }

    /** {@code exact}: any value that differs in its bits fails; else one more than {@code fraction} of the noise does. */
    private static void compare(MapSet local, MapSet spark, double fraction, boolean exact) {
        assertEquals(local.paths(), spark.paths(), "the same maps");
        int bitEqualMaps = 0;
        java.util.List<String> failures = new java.util.ArrayList<>();
        for (DataMap l : local.maps()) {
            DataMap s = spark.require(l.path());
            assertEquals(l.shape(), s.shape(), l.path());
            assertEquals(l.unit(), s.unit(), l.path());
            float[] a = l.toArray();
            float[] b = s.toArray();
            int differ = 0;
            double maxDiff = 0;
            for (int i = 0; i < a.length; i++) {
                if (Float.floatToIntBits(a[i]) == Float.floatToIntBits(b[i])) continue;
                differ++;
                maxDiff = Math.max(maxDiff, Math.abs((double) a[i] - b[i]));
            }
            if (differ == 0) {
                bitEqualMaps++;
                continue;
            }
            double noise = noise(a);
            System.out.printf("map %s: %d of %d values differ, max |Δ| = %.3g %s, noise %.3g%n", l.path(), differ, a.length, maxDiff,
                    l.unit().symbol(), noise);
            if (l.integer()) failures.add(l.path() + ": labels differ at " + differ + " positions");
            else if (exact) failures.add(l.path() + ": " + differ + " values differ (max |Δ| " + maxDiff + "), expected bit for bit equal");
            else if (maxDiff > fraction * noise) failures.add(l.path() + ": max |Δ| " + maxDiff + " > " + fraction + " × the noise " + noise);
        }
        System.out.printf("%d of %d maps bit for bit equal%n", bitEqualMaps, local.size());
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** Every map of {@code local} is in {@code spark}, same shape and unit, every value bit for bit equal. */
    static void assertBitForBit(MapSet local, MapSet spark) {
        compare(local, spark, 0, true);
    }

    /** Median absolute first difference × 1.4826 / √2: the per-position noise of a smooth map. */
    static double noise(float[] v) {
        double[] d = new double[v.length - 1];
        int n = 0;
        for (int i = 1; i < v.length; i++) {
            if (Float.isFinite(v[i]) && Float.isFinite(v[i - 1])) d[n++] = Math.abs((double) v[i] - v[i - 1]);
        }
        if (n == 0) return 0;
        double[] s = Arrays.copyOf(d, n);
        Arrays.sort(s);
        return s[n / 2] * 1.4826 / Math.sqrt(2);
    }
}
