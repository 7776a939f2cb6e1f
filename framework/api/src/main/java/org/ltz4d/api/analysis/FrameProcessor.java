package org.ltz4d.api.analysis;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The per-frame hot path. The engine creates one processor per group of consecutive frames (the
 * groups depend on the dataset only, so results do not depend on the threads or block size) and
 * calls it from one worker thread only, so a processor keeps its scratch buffers and the last
 * frame's solution (to seed the next one) in fields: no allocation per frame or pixel.
 */
@ConsumerType
public interface FrameProcessor {

    /** Analyses one frame and writes its results. Frames of a block arrive in scan order. */
    void process(Frame frame, FitOutput out);
}
