package org.ltz4d.registration;

/**
 * An affine map from the imported map's pixel coordinates (x = column, y = row, pixel centres at
 * integers) to the scan's: {@code xs = a·x + b·y + tx}, {@code ys = c·x + d·y + ty}. A similarity
 * is {@code scale·R(θ)} with R rotating from +x towards +y (DESIGN's sense for scan rotation):
 * a = d = s·cos θ, c = −b = s·sin θ.
 */
public record Transform2D(double a, double b, double c, double d, double tx, double ty) {
    /** scale·R(θ) then the shift (scan pixels). */
    public static Transform2D similarity(double thetaDeg, double scale, double tx, double ty) {
        double t = Math.toRadians(thetaDeg);
        double cs = scale * Math.cos(t);
        double sn = scale * Math.sin(t);
        return new Transform2D(cs, -sn, sn, cs, tx, ty);
    }

    public double mapX(double x, double y) {
        return a * x + b * y + tx;
    }

    public double mapY(double x, double y) {
        return c * x + d * y + ty;
    }

    /** The inverse (scan → imported map); a singular matrix is an IllegalStateException. */
    public Transform2D inverse() {
        double det = a * d - b * c;
        if (!(Math.abs(det) > 1e-300)) throw new IllegalStateException("singular transform " + this);
        double ia = d / det;
        double ib = -b / det;
        double ic = -c / det;
        double id = a / det;
        return new Transform2D(ia, ib, ic, id, -(ia * tx + ib * ty), -(ic * tx + id * ty));
    }

    /** Rotation of the closest similarity, degrees from +x towards +y. */
    public double rotationDeg() {
        return Math.toDegrees(Math.atan2(c - b, a + d));
    }

    /** Scale of the closest similarity: √|det| (scan pixels per imported pixel). */
    public double scale() {
        return Math.sqrt(Math.abs(a * d - b * c));
    }

    /** Row-major 2×3 matrix [a, b, tx, c, d, ty]. */
    public double[] matrix() {
        return new double[] {a, b, tx, c, d, ty};
    }
}
