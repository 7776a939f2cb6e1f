package org.ltz4d.api.engine;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A {@link ProgressListener} that also sees the per-position (NAV) values of a fitter pass while it
 * runs, block of frames by block of frames, so a front-end can draw a map growing as the frames
 * stream (a virtual image, a live B map). Pass it wherever a {@code ProgressListener} is taken
 * ({@link Engine#fit}, {@link Engine#analyze}); an engine that cannot observe blocks calls only
 * {@link #update}. Called from the engine's worker threads, in no particular order of blocks.
 *
 * @since 1.4
 */
@ConsumerType
public interface PartialMapsListener extends ProgressListener {

    /**
     * Frames {@code first .. first+count-1} (flat scan index, row-major) of a pass are fitted.
     * {@code values} maps each NAV buffer name of the pass to its values for those frames,
     * {@code count × length} floats (frame-major; NaN where a fitter left a value unset). The arrays
     * are the listener's to keep.
     */
    void fitted(String stage, long first, int count, Map<String, float[]> values);
}
