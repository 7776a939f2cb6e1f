package org.ltz4d.reader.mrc;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Shape;
import org.ltz4d.io.BufferDecode;
import org.ltz4d.io.FrameDataset;
import org.ltz4d.io.MappedFile;

/** An opened MRC stack: memory-mapped, frames at a constant stride after the extended header. */
final class MrcDataset extends FrameDataset {
    private final MappedFile data;
    private final long dataOffset;
    private final long frameBytes;
    private final int mode;

    MrcDataset(Path source, MappedFile data, long dataOffset, long frameBytes, int mode, DType dtype, Shape nav, Shape sig,
            Calibration calibration, Map<String, String> metadata) {
        super(source, "mrc", nav, sig, dtype, calibration, metadata);
        this.data = data;
        this.dataOffset = dataOffset;
        this.frameBytes = frameBytes;
        this.mode = mode;
    }

    @Override
    protected void decode(long first, int count, float[] dest, int destOffset) {
        int px = framePixels();
        DType dtype = dtype();
        for (int f = 0; f < count; f++) {
            long off = dataOffset + (first + f) * frameBytes;
            ByteBuffer b = data.buffer(off);
            int pos = data.index(off);
            int o = destOffset + f * px;
            if (mode == 12) BufferDecode.halfToFloat(b, pos, px, dest, o);
            else BufferDecode.toFloat(b, pos, dtype, px, dest, o);
        }
    }
}
