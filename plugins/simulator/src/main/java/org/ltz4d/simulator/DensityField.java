package org.ltz4d.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Relative atomic density ρ/ρ_ref over the scan (1 = reference). It scales the ring radius as
 * ρ^(1/3) (DESIGN.md §4 with n = 3). Implementations are immutable.
 */
@FunctionalInterface
public interface DensityField {

    /** ρ/ρ_ref at scan position (row y, column x). */
    double at(int y, int x, int ny, int nx);

    default Map<String, Object> describe() {
        return Map.of("kind", "custom");
    }

    static DensityField uniform(double relative) {
        return new DensityField() {
            @Override public double at(int y, int x, int ny, int nx) { return relative; }
            @Override public Map<String, Object> describe() { return map("kind", "uniform", "relative", relative); }
        };
    }

    /** ρ/ρ_ref = 1 at the left column rising linearly to 1 + {@code amplitude} at the right one. */
    static DensityField gradient(double amplitude) {
        return new DensityField() {
            @Override public double at(int y, int x, int ny, int nx) { return 1 + amplitude * (nx > 1 ? x / (nx - 1.0) : 0); }
            @Override public Map<String, Object> describe() { return map("kind", "gradient", "amplitude", amplitude); }
        };
    }

    /**
     * A denser (amplitude &gt; 0) or looser disk-shaped region in the lower right quarter of the
     * scan, Gaussian-edged, of radius a sixth of the smaller side; 1 elsewhere (the upper left is a
     * clean reference).
     */
    static DensityField blob(double amplitude) {
        return new DensityField() {
            @Override
            public double at(int y, int x, int ny, int nx) {
                double cx = 0.7 * (nx - 1), cy = 0.7 * (ny - 1);
                double r = Math.max(1, Math.min(nx, ny) / 6.0);
                double d2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (r * r);
                return 1 + amplitude * Math.exp(-0.5 * d2 * d2);
            }

            @Override public Map<String, Object> describe() { return map("kind", "blob", "amplitude", amplitude); }
        };
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
