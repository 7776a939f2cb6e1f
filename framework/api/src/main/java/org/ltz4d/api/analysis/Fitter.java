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

    /**
     * This fitter's set-up for a run: whatever needs the data — sampled frames (a mean pattern, a
     * seed fitted on them, a noise scale) or files (a probe, a mask) — as plain numbers. The engine
     * calls it once per run (and pass) before {@link #buffers} and {@link #processor}, which get it
     * back from {@link FitContext#setup()} and build everything else from it. A cluster engine calls
     * it on its driver only and ships the result to the executors: there {@code buffers} and
     * {@code processor} must not read frames, and the same set-up must give the same per-frame
     * answers. It must not call {@link FitContext#setup()}. Default: {@link FitSetup#NONE}, for a
     * fitter that needs nothing from the data (or that still samples inside {@code processor}, which
     * then happens in every executor).
     *
     * @since 1.5
     */
    default FitSetup setup(FitContext context) {
        return FitSetup.NONE;
    }

    /** The buffers this fitter fills, for the given run (shape, parameters). */
    List<BufferSpec> buffers(FitContext context);

    /**
     * A processor for one worker thread. What is read from the data belongs in {@link #setup};
     * what is derived from it (geometry, solvers' tables) is best built once per set-up and shared
     * read-only between processors; per-thread scratch goes in the processor.
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
