package org.ltz4d.reader.ser;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.io.BufferDecode;
import org.ltz4d.io.FrameDataset;
import org.ltz4d.io.MappedFile;

/** A TIA series, memory-mapped; elements found through the offset array, each checked against element 0's header. */
final class SerDataset extends FrameDataset {
    private final MappedFile map;
    private final long[] offsets;
    private final int elementType;
    private final int sx;
    private final int sy;

    SerDataset(Path source, MappedFile map, long[] offsets, DType dtype, int elementType, int sx, int sy, Shape nav, Shape sig,
            Calibration calibration, Map<String, String> metadata) {
        super(source, "ser", nav, sig, dtype, calibration, metadata);
        this.map = map;
        this.offsets = offsets;
        this.elementType = elementType;
        this.sx = sx;
        this.sy = sy;
    }

    @Override
    protected void decode(long first, int count, float[] dest, int destOffset) {
        int px = sx * sy;
        DType dtype = dtype();
        for (int f = 0; f < count; f++) {
            int e = (int) (first + f);
            long off = offsets[e];
            ByteBuffer b = map.buffer(off);
            int i = map.index(off);
            int t = b.getShort(i + 40) & 0xFFFF;
            int x = b.getInt(i + 42), y = b.getInt(i + 46);
            if (t != elementType || x != sx || y != sy) {
                throw new CorruptFileException(source(), "element " + e, "DataType " + elementType + " of " + sx + "x" + sy + " like element 0",
                        "DataType " + t + " of " + x + "x" + y);
            }
            BufferDecode.toFloat(b, i + SerReader.ELEMENT_HEADER_2D, dtype, px, dest, destOffset + f * px);
        }
    }
}
