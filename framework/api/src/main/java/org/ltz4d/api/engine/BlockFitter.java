package org.ltz4d.api.engine;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Fits the frames of one {@link FitPass} somewhere else than the engine's own threads — for
 * example on the executors of a cluster, each asking its own engine (same reader and fitter
 * bundles) for {@link Engine#fitBlock} on a range of whole scan rows. Given to
 * {@link Engine#analyze(AnalysisRequest, ProgressListener, Cancellation, BlockFitter)}: the engine
 * still checks the parameters, runs the fitters' set-up, merges the blocks, derives, correlates
 * and writes the results.
 *
 * @since 1.3
 */
@ConsumerType
public interface BlockFitter {

    /**
     * Fits every frame of the pass once: the returned blocks are disjoint and together cover
     * frames {@code 0 .. pass.frames()-1} (in any order).
     */
    List<FitBlock> fit(FitPass pass, Cancellation cancellation);
}
