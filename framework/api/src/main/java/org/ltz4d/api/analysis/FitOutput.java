package org.ltz4d.api.analysis;

import org.osgi.annotation.versioning.ProviderType;

/** Where a {@link FrameProcessor} writes its results. Reused by the engine; never store it. */
@ProviderType
public interface FitOutput {

    /**
     * Sets a per-position value of the current frame. {@code slot} counts over this fitter's NAV
     * buffers in declaration order, a stack taking {@code length} slots (see
     * {@link FitContext#slot}). Values not set are NaN.
     */
    void set(int slot, float value);

    /**
     * The worker-local accumulator of SIG or SINGLE buffer number {@code buffer} (its index in
     * {@link Fitter#buffers}): add to it; the engine merges the workers' accumulators.
     */
    double[] partial(int buffer);
}
