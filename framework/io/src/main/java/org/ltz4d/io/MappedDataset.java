package org.ltz4d.io;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.TruncatedFileException;

/**
 * An immutable dataset whose frames lie in a file at a constant stride, each frame's pixels at
 * the same offset inside its record (after a per-frame header, if any). Frame k of the scan (row
 * major) is record {@code k}. Optionally each record starts with magic bytes that are checked as
 * the frame is read, so a file whose stride changes midway fails loudly instead of giving shifted
 * pixels. Thread-safe: the state is final and {@link MappedFrames} uses absolute gets only.
 */
public final class MappedDataset extends FrameDataset {
    private final Path source;
    private final DType dtype;
    private final ByteOrder order;
    private final MappedFrames frames;
    private final int dataRel;
    private final byte[] magic;
    private final int framePixels;
    private final int frameBytes;
    /** float32 little-endian data: copied straight into the caller's array. */
    private final boolean floatLE;

    /**
     * @param dataRel offset of the pixels inside each record
     * @param magic   bytes every record starts with, or null
     */
    public MappedDataset(Path source, String format, Shape nav, Shape sig, DType dtype, ByteOrder order,
            Calibration calibration, Map<String, String> metadata, MappedFrames frames, int dataRel, byte[] magic) {
        super(source, format, nav, sig, dtype, calibration, metadata);
        this.source = source;
        this.dtype = dtype;
        this.order = order;
        this.frames = frames;
        this.dataRel = dataRel;
        this.magic = magic == null ? null : magic.clone();
        this.framePixels = framePixels();
        this.frameBytes = Math.multiplyExact(framePixels, dtype.bytes());
        this.floatLE = dtype == DType.FLOAT32 && order == ByteOrder.LITTLE_ENDIAN;
        if (nav.size() > frames.records()) throw new IllegalArgumentException("scan " + nav + " needs more frames than mapped");
        if (dataRel + frameBytes > frames.recordBytes()) throw new IllegalArgumentException("frame exceeds its record");
    }

    @Override
    protected void decode(long first, int count, float[] dest, int destOffset) {
        if (frames.positioned()) {
            decodePositioned(first, count, dest, destOffset);
            return;
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

    /** Records read by position (remote storage): one read per record, its magic bytes and pixels together. */
    private void decodePositioned(long first, int count, float[] dest, int destOffset) {
        int len = dataRel + frameBytes;
        byte[] scratch = Decode.scratch(len);
        for (int k = 0; k < count; k++) {
            long rec = first + k;
            frames.copy(rec, 0, scratch, 0, len);
            if (magic != null) checkMagic(rec, scratch);
            Decode.toFloat(dtype, order, scratch, dataRel, framePixels, dest, destOffset + k * framePixels);
        }
    }

    private void checkMagic(long rec, byte[] record) {
        for (int i = 0; i < magic.length; i++) {
            if (record[i] != magic[i]) throw badMagic(rec, java.util.Arrays.copyOf(record, magic.length));
        }
    }

    private void checkMagic(long rec) {
        for (int i = 0; i < magic.length; i++) {
            if (frames.get(rec, i) != magic[i]) {
                byte[] found = new byte[magic.length];
                for (int j = 0; j < magic.length; j++) found[j] = frames.get(rec, j);
                throw badMagic(rec, found);
            }
        }
    }

    private CorruptFileException badMagic(long rec, byte[] got) {
        StringBuilder found = new StringBuilder();
        for (byte g : got) found.append(String.format("%02X", g & 0xFF));
        StringBuilder want = new StringBuilder();
        for (byte b : magic) want.append(String.format("%02X", b & 0xFF));
        return new CorruptFileException(source, "frame " + rec + " header magic",
                "bytes " + want + " at the start of every frame record (constant frame stride)", found.toString());
    }

    @Override
    protected void release() {
        frames.close();
    }
}
