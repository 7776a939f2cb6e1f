package org.ltz4d.registration;

import org.ltz4d.api.analysis.ImageRegistration;
import org.ltz4d.api.analysis.RegistrationOptions;
import org.ltz4d.api.analysis.SimilarityTransform;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.osgi.service.component.annotations.Component;

/** The {@link ImageRegistration} service: {@link SimilarityFit} for each pair, bicubic resampling. Stateless. */
@Component(service = ImageRegistration.class)
public final class ImageRegistrationService implements ImageRegistration {
    /** The smallest image side registered. */
    static final int MIN_SIDE = 8;

    @Override
    public SimilarityTransform register(double[] reference, Shape referenceShape, double[] moving, Shape movingShape, RegistrationOptions options) {
        SimilarityFit.Image ref = image("reference", reference, referenceShape, MIN_SIDE);
        SimilarityFit.Image mov = image("moving", moving, movingShape, MIN_SIDE);
        requireFinitePixel("reference", reference);
        requireFinitePixel("moving", moving);
        RegistrationOptions o = options == null ? RegistrationOptions.DEFAULTS : options;
        try {
            return new SimilarityFit(ref, mov, o.lowPassCyclesPerPx()).register(o);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(null, "moving", "an image that covers at least a quarter of the reference", e.getMessage(), e);
        }
    }

    @Override
    public double[] resample(double[] image, Shape shape, SimilarityTransform transform, Shape onto, boolean extendEdges) {
        SimilarityFit.Image im = image("image", image, shape, 1);
        if (onto == null || onto.rank() != 2) throw new ShapeMismatchException(null, "onto", "a 2-D shape", String.valueOf(onto));
        double[] out = new double[onto.rows() * onto.cols()];
        SimilarityFit.warp(im, transform.matrix(onto, shape), onto.rows(), onto.cols(), out, extendEdges);
        return out;
    }

    /** The array as an image of its 2-D shape, at least {@code minSide} on each side; else a typed error naming it. */
    static SimilarityFit.Image image(String field, double[] values, Shape shape, int minSide) {
        if (values == null || shape == null) throw new ShapeMismatchException(null, field, "an image and its shape", "none");
        if (shape.rank() != 2) throw new ShapeMismatchException(null, field, "a 2-D image", "shape " + shape);
        if (shape.rows() < minSide || shape.cols() < minSide) {
            throw new ShapeMismatchException(null, field, "an image of at least " + minSide + "×" + minSide + " pixels", "shape " + shape);
        }
        if (values.length != shape.size()) {
            throw new ShapeMismatchException(null, field, shape.size() + " values for shape " + shape, values.length + " values");
        }
        return new SimilarityFit.Image(values, shape.rows(), shape.cols());
    }

    private static void requireFinitePixel(String field, double[] values) {
        for (double v : values) if (Double.isFinite(v)) return;
        throw new InvalidInputException(null, field, "an image with finite pixels", "no finite pixel");
    }
}
