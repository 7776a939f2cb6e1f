package org.ltz4d.io.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;

/**
 * A dataset as a cluster's worker sees it, for the tests that a fitter's set-up is read once and
 * shipped: it counts the frames read through it (and which) and refuses, with an
 * {@link IllegalStateException}, any frame outside the range it serves (all, until told otherwise).
 */
public final class GuardedDataset implements Dataset {
    private final Dataset d;
    private long from, to;
    private long framesRead;
    private final List<Long> indices = new ArrayList<>();

    public GuardedDataset(Dataset d) {
        this.d = d;
        this.to = d.frameCount();
    }

    /** Frames {@code first .. end-1} may be read from now on; none when first = end. */
    public synchronized GuardedDataset serve(long first, long end) {
        this.from = first;
        this.to = end;
        return this;
    }

    public GuardedDataset serveAll() {
        return serve(0, frameCount());
    }

    /** Frames read through this dataset so far. */
    public synchronized long framesRead() {
        return framesRead;
    }

    /** The index of every frame read so far, in the order read. */
    public synchronized List<Long> indices() {
        return List.copyOf(indices);
    }

    @Override
    public synchronized void readFrames(long first, int count, float[] dest, int off) {
        if (first < from || first + count > to) {
            throw new IllegalStateException("frames " + first + ".." + (first + count - 1) + " read outside " + from + ".." + (to - 1));
        }
        framesRead += count;
        for (long i = first; i < first + count; i++) indices.add(i);
        d.readFrames(first, count, dest, off);
    }

    @Override public Path source() { return d.source(); }
    @Override public String format() { return d.format(); }
    @Override public Shape navShape() { return d.navShape(); }
    @Override public Shape sigShape() { return d.sigShape(); }
    @Override public DType dtype() { return d.dtype(); }
    @Override public Calibration calibration() { return d.calibration(); }
    @Override public Map<String, String> metadata() { return d.metadata(); }
    @Override public int preferredBlockFrames() { return d.preferredBlockFrames(); }
    @Override public void close() { d.close(); }
}
