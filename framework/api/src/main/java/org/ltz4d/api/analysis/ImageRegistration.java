package org.ltz4d.api.analysis;

import org.ltz4d.api.data.Shape;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Registration of an image pair by a similarity transform (rotation, scale, shift and an optional
 * mirror; {@link SimilarityTransform} gives the convention): a service, so a plugin that needs two
 * images brought into register (the flipped series of Lorentz TEM, a map from another instrument)
 * calls whichever registration bundle is active, never its classes. Images are row-major
 * {@code double} arrays (row = y, column = x, DESIGN.md §2) with their 2-D shape; non-finite pixels
 * count as missing (the image's mean of the others). The two images may differ in size.
 *
 * @since 1.5
 */
@ConsumerType
public interface ImageRegistration {
    /**
     * The transform that maps each pixel of {@code reference} to where the same object point lies in
     * {@code moving}: a coarse search (rotations within ±{@link RegistrationOptions#maxRotationDeg()},
     * the mirror if allowed, the scale if not given), then a least-squares refinement with an
     * intensity gain and offset. Both images are low-passed first when the options say so.
     *
     * @return the transform, with the normalised cross-correlation it reached and the overlap
     * @throws org.ltz4d.api.error.ShapeMismatchException naming {@code reference} or {@code moving}
     *         when an image is not 2-D, is smaller than 8×8 or its array does not match its shape
     * @throws org.ltz4d.api.error.InvalidInputException naming {@code moving} when no transform in
     *         the search range makes it cover a quarter of the reference
     */
    SimilarityTransform register(double[] reference, Shape referenceShape, double[] moving, Shape movingShape,
            RegistrationOptions options);

    /**
     * {@code image} resampled onto a grid of shape {@code onto} (the reference's): the value at
     * pixel r is {@code image}(T(r)), bicubic (Keys, a = −1/2). Where T(r) falls outside the image:
     * the nearest edge pixel's value with {@code extendEdges} (for data that must stay finite), else
     * NaN.
     *
     * @throws org.ltz4d.api.error.ShapeMismatchException naming {@code image} when its array does not match its 2-D shape
     */
    double[] resample(double[] image, Shape shape, SimilarityTransform transform, Shape onto, boolean extendEdges);
}
