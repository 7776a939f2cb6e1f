package org.ltz4d.api.engine;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives progress of long work (front-ends draw a bar or print lines). Called from any thread. */
@ConsumerType
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (stage, done, total) -> { };

    /** {@code done} of {@code total} units (frames, maps...) of {@code stage} are finished. */
    void update(String stage, long done, long total);
}
