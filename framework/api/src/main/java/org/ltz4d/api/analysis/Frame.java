package org.ltz4d.api.analysis;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One detector frame handed to a {@link FrameProcessor}: a view into an engine-owned float
 * buffer, valid only during the call (the engine reuses the object and the buffer). Pixel
 * (row, col) is {@code data()[offset() + row * width() + col]}.
 */
@ProviderType
public interface Frame {

    /** Frame index in row-major scan order. */
    long index();

    int scanY();

    int scanX();

    /** Detector rows. */
    int height();

    /** Detector columns. */
    int width();

    float[] data();

    int offset();

    /**
     * A value an earlier fitter of the same pass wrote for this position; the slot comes from
     * {@link FitContext#upstreamSlot}.
     */
    float upstream(int slot);
}
