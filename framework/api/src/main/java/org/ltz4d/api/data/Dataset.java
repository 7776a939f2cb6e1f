package org.ltz4d.api.data;

import java.nio.file.Path;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An opened 4D-STEM dataset: (scan_y, scan_x) positions, each a (det_y, det_x) frame. Implemented
 * by readers; immutable once opened. Data stay in the file (memory-mapped or streamed): nothing
 * requires the whole dataset in memory. {@link #readFrames} must be safe to call from several
 * threads at once on disjoint or overlapping ranges.
 */
@ConsumerType
public interface Dataset extends AutoCloseable {

    /** The file the data come from (for a multi-file format, the one the user named). */
    Path source();

    /** Short name of the format family, e.g. {@code npy}, {@code mib}. */
    String format();

    /** Scan (navigation) shape, (scan_y, scan_x); a single frame is (1, 1). */
    Shape navShape();

    /** Detector (signal) shape, (det_y, det_x). */
    Shape sigShape();

    /** Element type as stored. */
    DType dtype();

    /** Calibration found in the file (the engine applies the user's overrides on top). */
    Calibration calibration();

    /** Other header fields worth keeping (exposure, timestamps, detector name...), as text. */
    default Map<String, String> metadata() {
        return Map.of();
    }

    /** Number of frames, scan_y·scan_x. */
    default long frameCount() {
        return navShape().size();
    }

    /** Pixels per frame, det_y·det_x. */
    default int framePixels() {
        return Math.toIntExact(sigShape().size());
    }

    /**
     * Copies {@code count} consecutive frames starting at frame index {@code first} (row-major
     * scan order) into {@code dest} from {@code destOffset}, converted to float32, each frame
     * row-major (det_y, det_x). Thread-safe.
     *
     * @throws org.ltz4d.api.error.InvalidInputException when the file turns out truncated or corrupt
     */
    void readFrames(long first, int count, float[] dest, int destOffset);

    /**
     * Hint of how many consecutive frames are cheapest to read at once (e.g. a compressed
     * chunk's depth); the engine aligns its blocks to it. 1 means no preference.
     */
    default int preferredBlockFrames() {
        return 1;
    }

    /** Releases file handles and mappings. */
    @Override
    void close();
}
