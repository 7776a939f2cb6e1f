package org.ltz4d.io;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;

/**
 * The part every reader's {@code Dataset} shares: the immutable description (source, format,
 * shapes, element type, calibration, metadata) and the checks of a {@link #readFrames} call
 * (dataset open, frame range inside the scan, destination large enough). A subclass only
 * {@link #decode}s frames that are known to exist into a destination known to hold them.
 * Thread-safe as long as {@code decode} is: the state here is final.
 */
public abstract class FrameDataset implements Dataset {
    private final Path source;
    private final String format;
    private final Shape nav;
    private final Shape sig;
    private final DType dtype;
    private final Calibration calibration;
    private final Map<String, String> metadata;
    private final int framePixels;
    private volatile boolean closed;

    /** {@code metadata} is copied (order kept) and the copy is read-only. */
    protected FrameDataset(Path source, String format, Shape nav, Shape sig, DType dtype, Calibration calibration,
            Map<String, String> metadata) {
        this.source = source;
        this.format = format;
        this.nav = nav;
        this.sig = sig;
        this.dtype = dtype;
        this.calibration = calibration;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        // as Dataset's default: a frame of more than 2^31 pixels fails when asked for, not when opened
        this.framePixels = sig.size() <= Integer.MAX_VALUE ? (int) sig.size() : -1;
    }

    @Override public final Path source() { return source; }
    @Override public final String format() { return format; }
    @Override public final Shape navShape() { return nav; }
    @Override public final Shape sigShape() { return sig; }
    @Override public final DType dtype() { return dtype; }
    @Override public final Calibration calibration() { return calibration; }
    @Override public final Map<String, String> metadata() { return metadata; }
    @Override public final int framePixels() { return framePixels >= 0 ? framePixels : Math.toIntExact(sig.size()); }

    @Override
    public final void readFrames(long first, int count, float[] dest, int destOffset) {
        if (closed) throw new IllegalStateException(source + ": dataset is closed");
        long total = nav.size();
        if (first < 0 || count < 0 || first + count > total) {
            throw new IndexOutOfBoundsException(source + ": frames " + first + ".." + (first + count) + " outside 0.." + total);
        }
        int px = framePixels();
        if (destOffset < 0 || destOffset + (long) count * px > dest.length) {
            throw new IndexOutOfBoundsException(source + ": destination holds " + dest.length + " floats, "
                    + count + " frames of " + px + " pixels from " + destOffset + " do not fit");
        }
        decode(first, count, dest, destOffset);
    }

    /**
     * Converts frames {@code first … first+count−1} (checked to exist) to float32 into {@code dest}
     * from {@code destOffset} (checked to hold them), frame after frame, each {@link #framePixels()}
     * values. Called from several threads at once.
     */
    protected abstract void decode(long first, int count, float[] dest, int destOffset);

    /** Marks the dataset closed (further reads fail), then releases what {@link #release()} holds. */
    @Override
    public final void close() {
        closed = true;
        release();
    }

    /** Releases file handles; mappings go with the garbage collector (Java 17 has no unmap). Nothing by default. */
    protected void release() {
    }

    @Override
    public String toString() {
        return format + " " + source + " nav " + nav + " sig " + sig + " " + dtype;
    }
}
