package org.ltz4d.api.analysis;

import java.util.List;
import org.ltz4d.api.param.ParameterSpec;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A per-frame analysis, the size of LiberTEM's UDF: declare result buffers, process frames,
 * merge partial results associatively. Registered as an OSGi service; the engine runs it on all
 * cores over streamed blocks of frames. The same fitter runs unchanged on a cluster engine.
 */
@ConsumerType
public interface Fitter {

    /** Unique name, e.g. {@code ring}; pipelines refer to fitters by name. */
    String name();

    /** Parameters this fitter reads from {@link FitContext#parameters()}. */
    default List<ParameterSpec> parameters() {
        return List.of();
    }

    /** The buffers this fitter fills, for the given run (shape, parameters). */
    List<BufferSpec> buffers(FitContext context);

    /**
     * A processor for one worker thread. Heavy set-up (geometry, seeds from the mean pattern)
     * belongs in the fitter or is shared read-only between processors; per-thread scratch goes in
     * the processor.
     */
    FrameProcessor processor(FitContext context);

    /**
     * Attributes to record on this fitter's output maps, by buffer name (e.g. the radii of a virtual
     * detector in mrad and px), asked once after the run's frames are processed. Default: none.
     *
     * @since 1.3
     */
    default java.util.Map<String, java.util.Map<String, Object>> attributes(FitContext context) {
        return java.util.Map.of();
    }

    /**
     * Merges worker {@code source} into {@code target} for a SIG or SINGLE buffer. Must be
     * associative. Default: element-wise sum.
     */
    default void merge(BufferSpec buffer, double[] target, double[] source) {
        for (int i = 0; i < target.length; i++) target[i] += source[i];
    }
}
