package org.ltz4d.api.analysis;

import org.ltz4d.api.data.Shape;

/**
 * A similarity transform between two images found by {@link ImageRegistration}: it maps a pixel
 * r = (x, y) of the reference (x = column, y = row, pixel centres at integers) to the point of the
 * moving image that shows the same object point,
 * T(r) = c_m + F·s·R(θ)·(r − c_r) + d, with c_r, c_m the centres ((n − 1)/2 along each axis) of the
 * reference and moving images, R(θ) the rotation by θ from +x towards +y (DESIGN.md's sense), s the
 * scale (moving pixels per reference pixel), F = diag(−1, 1) when mirrored (x → −x) and
 * d = (shiftXPx, shiftYPx). Immutable.
 *
 * @param rotationDeg θ, degrees
 * @param scale s, moving-image pixels per reference pixel (&gt; 0)
 * @param shiftXPx d along x (columns), moving-image pixels
 * @param shiftYPx d along y (rows), moving-image pixels
 * @param mirror whether F mirrors x
 * @param ncc the normalised cross-correlation (−1…1, dimensionless) of the reference and the
 *        resampled moving image over the region fitted; NaN when not measured
 * @param overlap the fraction (0…1) of the reference's pixels that T maps into the moving image; NaN when not measured
 * @since 1.5
 */
public record SimilarityTransform(double rotationDeg, double scale, double shiftXPx, double shiftYPx, boolean mirror, double ncc,
        double overlap) {
    /** No rotation, scale 1, no shift, no mirror. */
    public static final SimilarityTransform IDENTITY = of(0, 1, 0, 0, false);

    public SimilarityTransform {
        if (!Double.isFinite(rotationDeg) || !(scale > 0) || !Double.isFinite(scale) || !Double.isFinite(shiftXPx) || !Double.isFinite(shiftYPx)) {
            throw new IllegalArgumentException("a similarity transform needs a finite rotation, shift and a positive scale, got rotation "
                    + rotationDeg + " deg, scale " + scale + ", shift (" + shiftXPx + ", " + shiftYPx + ") px");
        }
    }

    /** A transform with no measured NCC or overlap. */
    public static SimilarityTransform of(double rotationDeg, double scale, double shiftXPx, double shiftYPx, boolean mirror) {
        return new SimilarityTransform(rotationDeg, scale, shiftXPx, shiftYPx, mirror, Double.NaN, Double.NaN);
    }

    /**
     * T as a row-major 2×3 matrix [a, b, t_x, c, d, t_y] from reference pixels (x, y) to moving
     * pixels: x_m = a·x + b·y + t_x, y_m = c·x + d·y + t_y.
     */
    public double[] matrix(Shape reference, Shape moving) {
        double th = Math.toRadians(rotationDeg), cs = scale * Math.cos(th), sn = scale * Math.sin(th), f = mirror ? -1 : 1;
        double a = f * cs, b = -f * sn, c = sn, d = cs;
        double crx = (reference.cols() - 1) / 2.0, cry = (reference.rows() - 1) / 2.0;
        double cmx = (moving.cols() - 1) / 2.0, cmy = (moving.rows() - 1) / 2.0;
        return new double[] {a, b, cmx + shiftXPx - a * crx - b * cry, c, d, cmy + shiftYPx - c * crx - d * cry};
    }
}
