package org.ltz4d.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real-space 2D strain tensor map over the scan (tensor components, not engineering shear):
 * (ε_xx, ε_yy, ε_xy) at each scan position. Implementations are immutable.
 */
@FunctionalInterface
public interface StrainField {

    /** Writes (ε_xx, ε_yy, ε_xy) at scan position (row y, column x) into {@code e[0..2]}. */
    void at(int y, int x, int ny, int nx, double[] e);

    default Map<String, Object> describe() {
        return Map.of("kind", "custom");
    }

    static StrainField none() {
        return new StrainField() {
            @Override public void at(int y, int x, int ny, int nx, double[] e) { e[0] = 0; e[1] = 0; e[2] = 0; }
            @Override public Map<String, Object> describe() { return Map.of("kind", "none"); }
        };
    }

    static StrainField uniform(double exx, double eyy, double exy) {
        return new StrainField() {
            @Override public void at(int y, int x, int ny, int nx, double[] e) { e[0] = exx; e[1] = eyy; e[2] = exy; }
            @Override public Map<String, Object> describe() { return map("kind", "uniform", "exx", exx, "eyy", eyy, "exy", exy); }
        };
    }

    /**
     * Uniaxial strain {@code magnitude} (negative = compression) along the axis at
     * {@code angleDeg} (from +x towards +y), with −{@code poisson}·magnitude across it.
     */
    static StrainField uniaxial(double magnitude, double angleDeg, double poisson) {
        double[] t = tensor(magnitude, -poisson * magnitude, angleDeg);
        return new StrainField() {
            @Override public void at(int y, int x, int ny, int nx, double[] e) { e[0] = t[0]; e[1] = t[1]; e[2] = t[2]; }
            @Override public Map<String, Object> describe() {
                return map("kind", "uniaxial", "magnitude", magnitude, "angle_deg", angleDeg, "poisson", poisson);
            }
        };
    }

    /**
     * Several orientations: the scan is cut into {@code bands} column bands. Band 0 (the left
     * columns) is unstrained, a natural reference ROI; band k ≥ 1 holds a uniaxial strain of
     * {@code magnitude} along the axis at (k−1)·180°/(bands−1), alternately compressive and tensile,
     * with a Poisson ratio of 0.3 across it, plus a gentle gradient along y of 20 % of the magnitude.
     */
    static StrainField orientations(double magnitude, int bands) {
        int nb = Math.max(2, bands);
        return new StrainField() {
            @Override
            public void at(int y, int x, int ny, int nx, double[] e) {
                int k = Math.min(nb - 1, x * nb / nx);
                if (k == 0) { e[0] = 0; e[1] = 0; e[2] = 0; return; }
                double sign = (k % 2 == 1) ? -1 : 1;
                double mag = sign * magnitude * (1 + 0.2 * (ny > 1 ? (y / (ny - 1.0) - 0.5) : 0));
                double[] t = tensor(mag, -0.3 * mag, (k - 1) * 180.0 / (nb - 1));
                e[0] = t[0]; e[1] = t[1]; e[2] = t[2];
            }

            @Override
            public Map<String, Object> describe() {
                return map("kind", "orientations", "magnitude", magnitude, "bands", nb, "poisson", 0.3,
                        "reference_columns", "0:" + "ceil(nx/" + nb + ")");
            }
        };
    }

    /**
     * A smooth field: uniaxial strain of {@code magnitude} whose axis turns through 180° along x and
     * whose magnitude changes sign along y (compression at the top, tension at the bottom).
     */
    static StrainField rotating(double magnitude) {
        return new StrainField() {
            @Override
            public void at(int y, int x, int ny, int nx, double[] e) {
                double ang = nx > 1 ? 180.0 * x / nx : 0;
                double mag = ny > 1 ? magnitude * (2.0 * y / (ny - 1) - 1) : magnitude;
                double[] t = tensor(mag, -0.3 * mag, ang);
                e[0] = t[0]; e[1] = t[1]; e[2] = t[2];
            }

            @Override
            public Map<String, Object> describe() { return map("kind", "rotating", "magnitude", magnitude, "poisson", 0.3); }
        };
    }

    /** The tensor with principal values e1 along angleDeg and e2 across it: R·diag(e1,e2)·Rᵀ. */
    static double[] tensor(double e1, double e2, double angleDeg) {
        double a = Math.toRadians(angleDeg);
        double c = Math.cos(a), s = Math.sin(a);
        return new double[] {e1 * c * c + e2 * s * s, e1 * s * s + e2 * c * c, (e1 - e2) * c * s};
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
