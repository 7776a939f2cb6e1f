package org.ltz4d.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An in-plane magnetic induction map over the scan, in tesla (B_x, B_y), in scan coordinates
 * (x = scan column, y = scan row). Implementations are immutable.
 */
@FunctionalInterface
public interface MagneticField {

    /**
     * Writes (B_x, B_y) in T at scan position (row y, column x) of a scan of ny × nx positions
     * into {@code bxy[0..1]}.
     */
    void at(int y, int x, int ny, int nx, double[] bxy);

    /** A description for {@code simulation.json}. */
    default Map<String, Object> describe() {
        return Map.of("kind", "custom");
    }

    /** No field. */
    static MagneticField none() {
        return new MagneticField() {
            @Override public void at(int y, int x, int ny, int nx, double[] b) { b[0] = 0; b[1] = 0; }
            @Override public Map<String, Object> describe() { return Map.of("kind", "none"); }
        };
    }

    /** A uniform field (B_x, B_y) in T. */
    static MagneticField uniform(double bx, double by) {
        return new MagneticField() {
            @Override public void at(int y, int x, int ny, int nx, double[] b) { b[0] = bx; b[1] = by; }
            @Override public Map<String, Object> describe() { return map("kind", "uniform", "bx_t", bx, "by_t", by); }
        };
    }

    /**
     * Stripe domains: {@code count} domains along x, magnetised alternately along +y and −y with
     * magnitude {@code tesla}, separated by Bloch-like walls of width {@code wallFraction} of a
     * domain where B rotates through +x.
     */
    static MagneticField domains(double tesla, int count, double wallFraction) {
        return new MagneticField() {
            @Override
            public void at(int y, int x, int ny, int nx, double[] b) {
                double u = (x + 0.5) / nx * count; // domain coordinate
                double phase = Math.PI * u;         // sin changes sign at each boundary
                double s = Math.sin(phase);
                double w = Math.max(1e-6, wallFraction);
                double t = Math.tanh(s / w);        // ±1 inside domains, 0 in walls
                b[1] = tesla * t;
                b[0] = tesla * Math.sqrt(Math.max(0, 1 - t * t));
            }

            @Override
            public Map<String, Object> describe() {
                return map("kind", "domains", "tesla", tesla, "count", count, "wall_fraction", wallFraction);
            }
        };
    }

    /**
     * A vortex centred in the scan: B circulates anticlockwise in array coordinates (from +x towards
     * +y), magnitude {@code tesla} away from a core of radius {@code coreFraction} of the scan's
     * smaller side, where it falls to zero.
     */
    static MagneticField vortex(double tesla, double coreFraction) {
        return new MagneticField() {
            @Override
            public void at(int y, int x, int ny, int nx, double[] b) {
                double dx = x - (nx - 1) / 2.0;
                double dy = y - (ny - 1) / 2.0;
                double r = Math.hypot(dx, dy);
                double core = Math.max(1e-9, coreFraction * Math.min(nx, ny));
                double mag = tesla * Math.tanh(r / core);
                if (r == 0) { b[0] = 0; b[1] = 0; return; }
                b[0] = -mag * dy / r;
                b[1] = mag * dx / r;
            }

            @Override
            public Map<String, Object> describe() {
                return map("kind", "vortex", "tesla", tesla, "core_fraction", coreFraction);
            }
        };
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
