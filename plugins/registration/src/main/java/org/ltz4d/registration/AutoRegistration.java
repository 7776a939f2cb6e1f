package org.ltz4d.registration;

import org.ltz4d.api.analysis.RegistrationOptions;
import org.ltz4d.api.analysis.SimilarityTransform;

/**
 * Automatic registration of an imported map onto a reference image of the scan (a virtual image)
 * by {@link SimilarityFit}: the scan is the reference, the map the moving image, every rotation
 * searched (2° steps), the scale from the pixel sizes or searched from 1/2 to 2, no mirror. The
 * result maps map pixels to scan pixels ({@link Transform2D}); {@code ncc} is the final normalised
 * cross-correlation, {@code overlap} the fraction of scan pixels the map covers, {@code residualPx}
 * the misregistration left in scan pixels.
 */
public final class AutoRegistration {
    /** The transform, the NCC it reached and the overlap (fraction of scan pixels the map covers). */
    public record Result(Transform2D transform, double ncc, double overlap, double residualPx) {
    }

    private AutoRegistration() {
    }

    /**
     * {@code priorScale}: scan pixels per map pixel from the two pixel sizes, or NaN when unknown
     * (then scales from 1/2 to 2 are searched, about 13 times slower). An IllegalArgumentException
     * when no rotation or scale makes the map cover a quarter of the scan.
     */
    public static Result register(Grid reference, Grid map, double priorScale) {
        SimilarityFit.Image scan = new SimilarityFit.Image(reference.toDouble(), reference.h(), reference.w());
        SimilarityFit.Image mov = new SimilarityFit.Image(map.toDouble(), map.h(), map.w());
        RegistrationOptions o = RegistrationOptions.DEFAULTS.withMaxRotationDeg(180)
                .withScale(Double.isFinite(priorScale) && priorScale > 0 ? 1 / priorScale : Double.NaN);
        SimilarityFit fit = new SimilarityFit(scan, mov, Double.POSITIVE_INFINITY);
        SimilarityTransform t = fit.register(o);
        return new Result(toScan(t, scan, mov), t.ncc(), t.overlap(), fit.residualPx(t));
    }

    /** The map → scan transform of a scan → map similarity. */
    static Transform2D toScan(SimilarityTransform t, SimilarityFit.Image scan, SimilarityFit.Image map) {
        double[] m = t.matrix(scan.shape(), map.shape());
        return new Transform2D(m[0], m[1], m[3], m[4], m[2], m[5]).inverse();
    }
}
