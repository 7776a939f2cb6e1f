package org.ltz4d.correlation;

/**
 * Angles in array coordinates (DESIGN.md §2): from +x towards +y, vectors in [0°, 360°), axes in
 * [0°, 180°).
 */
final class Angles {

    private Angles() {
    }

    /** Direction of (x, y) in degrees [0, 360); NaN when a component is not finite or both are 0. */
    static double vectorAngleDeg(double x, double y) {
        if (!Double.isFinite(x) || !Double.isFinite(y) || (x == 0 && y == 0)) return Double.NaN;
        double a = Math.toDegrees(Math.atan2(y, x));
        if (a < 0) a += 360;
        return a >= 360 ? 0 : a;
    }

    /**
     * The smallest angle between two axes (either may also be a vector direction: the sign of a
     * vector does not matter against an axis), folded into [0°, 90°]. NaN propagates.
     */
    static double axialDifferenceDeg(double a, double b) {
        if (!Double.isFinite(a) || !Double.isFinite(b)) return Double.NaN;
        double d = (a - b) % 180.0;
        if (d < 0) d += 180.0;
        return Math.min(d, 180.0 - d);
    }

    /** An axis angle folded into [0°, 180°). */
    static double axis(double a) {
        double d = a % 180.0;
        if (d < 0) d += 180.0;
        return d >= 180.0 ? 0 : d;
    }
}
