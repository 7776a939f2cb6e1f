package org.ltz4d.reader.ser;

import org.ltz4d.io.MappedFile;

import org.ltz4d.io.BufferDecode;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;

/** A TIA series, memory-mapped; elements found through the offset array, each checked against element 0's header. */
final class SerDataset implements Dataset {
    private final Path source;
    private final MappedFile map;
    private final long[] offsets;
    private final DType dtype;
    private final int elementType;
    private final int sx;
    private final int sy;
    private final Shape nav;
    private final Shape sig;
    private final Calibration calibration;
    private final Map<String, String> metadata;

    SerDataset(Path source, MappedFile map, long[] offsets, DType dtype, int elementType, int sx, int sy, Shape nav, Shape sig,
            Calibration calibration, Map<String, String> metadata) {
        this.source = source;
        this.map = map;
        this.offsets = offsets;
        this.dtype = dtype;
        this.elementType = elementType;
        this.sx = sx;
        this.sy = sy;
        this.nav = nav;
        this.sig = sig;
        this.calibration = calibration;
        this.metadata = metadata;
    }

    @Override public Path source() { return source; }
    @Override public String format() { return "ser"; }
    @Override public Shape navShape() { return nav; }
    @Override public Shape sigShape() { return sig; }
    @Override public DType dtype() { return dtype; }
    @Override public Calibration calibration() { return calibration; }
    @Override public Map<String, String> metadata() { return metadata; }

    @Override
    public void readFrames(long first, int count, float[] dest, int destOffset) {
        if (first < 0 || count < 0 || first + count > frameCount()) {
            throw new IndexOutOfBoundsException("frames " + first + ".." + (first + count) + " of " + frameCount() + " in " + source);
        }
        int px = sx * sy;
        for (int f = 0; f < count; f++) {
            int e = (int) (first + f);
            long off = offsets[e];
            ByteBuffer b = map.buffer(off);
            int i = map.index(off);
            int t = b.getShort(i + 40) & 0xFFFF;
            int x = b.getInt(i + 42), y = b.getInt(i + 46);
            if (t != elementType || x != sx || y != sy) {
                throw new CorruptFileException(source, "element " + e, "DataType " + elementType + " of " + sx + "x" + sy + " like element 0",
                        "DataType " + t + " of " + x + "x" + y);
            }
            BufferDecode.toFloat(b, i + SerReader.ELEMENT_HEADER_2D, dtype, px, dest, destOffset + f * px);
        }
    }

    @Override
    public void close() {
        // the mapping is released by the garbage collector
    }
}
