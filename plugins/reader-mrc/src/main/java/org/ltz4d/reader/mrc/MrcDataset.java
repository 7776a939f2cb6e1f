package org.ltz4d.reader.mrc;

import org.ltz4d.io.MappedFile;

import org.ltz4d.io.BufferDecode;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;

/** An opened MRC stack: memory-mapped, frames at a constant stride after the extended header. */
final class MrcDataset implements Dataset {
    private final Path source;
    private final MappedFile data;
    private final long dataOffset;
    private final long frameBytes;
    private final int mode;
    private final DType dtype;
    private final Shape nav;
    private final Shape sig;
    private final Calibration calibration;
    private final Map<String, String> metadata;

    MrcDataset(Path source, MappedFile data, long dataOffset, long frameBytes, int mode, DType dtype, Shape nav, Shape sig,
            Calibration calibration, Map<String, String> metadata) {
        this.source = source;
        this.data = data;
        this.dataOffset = dataOffset;
        this.frameBytes = frameBytes;
        this.mode = mode;
        this.dtype = dtype;
        this.nav = nav;
        this.sig = sig;
        this.calibration = calibration;
        this.metadata = metadata;
    }

    @Override public Path source() { return source; }
    @Override public String format() { return "mrc"; }
    @Override public Shape navShape() { return nav; }
    @Override public Shape sigShape() { return sig; }
    @Override public DType dtype() { return dtype; }
    @Override public Calibration calibration() { return calibration; }
    @Override public Map<String, String> metadata() { return metadata; }

    @Override
    public void readFrames(long first, int count, float[] dest, int destOffset) {
        int px = framePixels();
        if (first < 0 || count < 0 || first + count > frameCount()) {
            throw new IndexOutOfBoundsException("frames " + first + ".." + (first + count) + " of " + frameCount() + " in " + source);
        }
        for (int f = 0; f < count; f++) {
            long off = dataOffset + (first + f) * frameBytes;
            ByteBuffer b = data.buffer(off);
            int pos = data.index(off);
            int o = destOffset + f * px;
            if (mode == 12) BufferDecode.halfToFloat(b, pos, px, dest, o);
            else BufferDecode.toFloat(b, pos, dtype, px, dest, o);
        }
    }

    @Override
    public void close() {
        // The mappings are released when the dataset is garbage-collected; nothing else is held open.
    }
}
