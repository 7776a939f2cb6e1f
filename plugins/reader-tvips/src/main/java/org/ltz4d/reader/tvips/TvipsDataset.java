package org.ltz4d.reader.tvips;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Shape;
import org.ltz4d.io.BufferDecode;
import org.ltz4d.io.FrameDataset;
import org.ltz4d.io.MappedFile;

/**
 * A TVIPS recording, possibly split over several files read as one byte stream (the general header
 * only in the first). Frames lying in one file decode straight from its mapping; a frame split
 * across two files is gathered into a per-thread buffer first.
 */
final class TvipsDataset extends FrameDataset {
    private final MappedFile[] maps;
    private final long[] fileStart;
    private final long record;
    private final int frameHeader;
    private final long start;
    private final ThreadLocal<ByteBuffer> gather;

    TvipsDataset(Path source, MappedFile[] maps, long[] sizes, long record, int frameHeader, long start, DType dtype, Shape nav,
            Shape sig, Calibration calibration, Map<String, String> metadata) {
        super(source, "tvips", nav, sig, dtype, calibration, metadata);
        this.maps = maps;
        this.fileStart = new long[sizes.length + 1];
        for (int i = 0; i < sizes.length; i++) fileStart[i + 1] = fileStart[i] + sizes[i];
        this.record = record;
        this.frameHeader = frameHeader;
        this.start = start;
        int pixelBytes = (int) (record - frameHeader);
        this.gather = ThreadLocal.withInitial(() -> ByteBuffer.allocate(pixelBytes).order(ByteOrder.LITTLE_ENDIAN));
    }

    @Override
    protected void decode(long first, int count, float[] dest, int destOffset) {
        DType dtype = dtype();
        int px = framePixels();
        int pixelBytes = (int) (record - frameHeader);
        int file = 0;
        for (int f = 0; f < count; f++) {
            long at = TvipsReader.HEADER + (start + first + f) * record + frameHeader; // offset in the concatenated stream
            while (at >= fileStart[file + 1]) file++;
            long local = at - fileStart[file];
            if (at + pixelBytes <= fileStart[file + 1]) {
                MappedFile m = maps[file];
                BufferDecode.toFloat(m.buffer(local), m.index(local), dtype, px, dest, destOffset + f * px);
            } else {
                ByteBuffer g = gather.get();
                int done = 0;
                int fi = file;
                long pos = local;
                while (done < pixelBytes) {
                    MappedFile m = maps[fi];
                    int n = (int) Math.min(pixelBytes - done, fileStart[fi + 1] - fileStart[fi] - pos);
                    for (int i = 0; i < n; i++) g.put(done + i, m.buffer(pos + i).get(m.index(pos + i)));
                    done += n;
                    fi++;
                    pos = 0;
                }
                BufferDecode.toFloat(g, 0, dtype, px, dest, destOffset + f * px);
            }
        }
    }
}
