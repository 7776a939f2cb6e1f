package org.ltz4d.io;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.TruncatedFileException;

/**
 * An immutable dataset whose frames lie in a file at a constant stride, each frame's pixels at
 * the same offset inside its record (after a per-frame header, if any). Frame k of the scan (row
 * major) is record {@code k}. Optionally each record starts with magic bytes that are checked as
 * the frame is read, so a file whose stride changes midway fails loudly instead of giving shifted
 * pixels. Thread-safe: the state is final and {@link MappedFrames} uses absolute gets only.
 * 
 */
public final class MappedDataset implements Dataset {
    private final Path source;
    private final String format;
    private final Shape nav;
    private final Shape sig;
    private final DType dtype;
    private final ByteOrder order;
    private final Calibration calibration;
    private final Map<String, String> metadata;
    private final MappedFrames frames;
    private final int dataRel;
    private final byte[] magic;
    private final int framePixels;
    private final int frameBytes;
    /** float32 little-endian data: copied straight into the caller's array. */
    private final boolean floatLE;
    private volatile boolean closed;

    /**
     * @param dataRel offset of the pixels inside each record
     * @param magic   bytes every record starts with, or null
     */
    public MappedDataset(Path source, String format, Shape nav, Shape sig, DType dtype, ByteOrder order,
            Calibration calibration, Map<String, String> metadata, MappedFrames frames, int dataRel, byte[] magic) {
        this.source = source;
        this.format = format;
        this.nav = nav;
        this.sig = sig;
        this.dtype = dtype;
        this.order = order;
        this.calibration = calibration;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        this.frames = frames;
        this.dataRel = dataRel;
        this.magic = magic == null ? null : magic.clone();
        this.framePixels = Math.toIntExact(sig.size());
        this.frameBytes = Math.multiplyExact(framePixels, dtype.bytes());
        this.floatLE = dtype == DType.FLOAT32 && order == ByteOrder.LITTLE_ENDIAN;
        if (nav.size() > frames.records()) throw new IllegalArgumentException("scan " + nav + " needs more frames than mapped");
        if (dataRel + frameBytes > frames.recordBytes()) throw new IllegalArgumentException("frame exceeds its record");
    }

    @Override public Path source() { return source; }
    @Override public String format() { return format; }
    @Override public Shape navShape() { return nav; }
    @Override public Shape sigShape() { return sig; }
    @Override public DType dtype() { return dtype; }
    @Override public Calibration calibration() { return calibration; }
    @Override public Map<String, String> metadata() { return metadata; }
    @Override public int framePixels() { return framePixels; }

    @Override
    public void readFrames(long first, int count, float[] dest, int destOffset) {
        if (closed) throw new IllegalStateException(source + ": dataset is closed");
        long total = nav.size();
        if (first < 0 || count < 0 || first + count > total) {
            throw new IndexOutOfBoundsException(source + ": frames " + first + ".." + (first + count) + " outside 0.." + total);
        }
        if (destOffset < 0 || destOffset + (long) count * framePixels > dest.length) {
            throw new IndexOutOfBoundsException(source + ": destination holds " + dest.length + " floats, "
                    + count + " frames of " + framePixels + " pixels from " + destOffset + " do not fit");
        }
        byte[] scratch = Decode.scratch(frameBytes);
        try {
            for (int k = 0; k < count; k++) {
                long rec = first + k;
                if (magic != null) checkMagic(rec);
                int at = destOffset + k * framePixels;
                if (floatLE && frames.copyFloatsLE(rec, dataRel, dest, at, framePixels)) continue;
                frames.copy(rec, dataRel, scratch, 0, frameBytes);
                Decode.toFloat(dtype, order, scratch, 0, framePixels, dest, at);
            }
        } catch (InternalError e) {
            // a mapped page beyond the end of a file that shrank after it was opened
            throw new TruncatedFileException(source, "frames from " + first, "the file as large as when it was opened",
                    "a fault reading mapped memory (file truncated meanwhile?)", e);
        }
    }

    private void checkMagic(long rec) {
        for (int i = 0; i < magic.length; i++) {
            if (frames.get(rec, i) != magic[i]) {
                StringBuilder found = new StringBuilder();
                for (int j = 0; j < magic.length; j++) found.append(String.format("%02X", frames.get(rec, j) & 0xFF));
                StringBuilder want = new StringBuilder();
                for (byte b : magic) want.append(String.format("%02X", b & 0xFF));
                throw new CorruptFileException(source, "frame " + rec + " header magic",
                        "bytes " + want + " at the start of every frame record (constant frame stride)", found.toString());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        frames.close();
    }

    @Override
    public String toString() {
        return format + " " + source + " nav " + nav + " sig " + sig + " " + dtype;
    }
}
