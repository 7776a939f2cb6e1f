package org.ltz4d.reader.npy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Map;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.io.FrameDataset;

/**
 * A memory-mapped {@code .npy} dataset. The data are mapped read-only in segments of at most
 * {@link #SEGMENT_BYTES} that hold whole frames, so files of any size work and nothing is copied
 * onto the heap but the frames asked for. Reads use absolute, per-call slices, so any number of
 * threads may read at once.
 */
final class NpyDataset extends FrameDataset {
    static final long SEGMENT_BYTES = 1L << 30;

    private final FileChannel channel;
    private final NpyHeader header;
    private final long frameBytes;
    private final long framesPerSegment;
    private final MappedByteBuffer[] segments;

    NpyDataset(Path file, FileChannel channel, NpyHeader header, Shape nav, Shape sig) throws IOException {
        super(file, NpyReader.NAME, nav, sig, header.dtype(), Calibration.none(),
                metadata(header));
        this.channel = channel;
        this.header = header;
        this.frameBytes = sig.size() * header.dtype().bytes();
        if (frameBytes > SEGMENT_BYTES) {
            throw new InvalidInputException(file, "shape", "frames smaller than 1 GiB", frameBytes + " bytes per frame");
        }
        this.framesPerSegment = SEGMENT_BYTES / frameBytes;
        long frames = nav.size();
        int n = (int) ((frames + framesPerSegment - 1) / framesPerSegment);
        this.segments = new MappedByteBuffer[n];
        for (int i = 0; i < n; i++) {
            long first = i * framesPerSegment;
            long count = Math.min(framesPerSegment, frames - first);
            segments[i] = channel.map(FileChannel.MapMode.READ_ONLY, header.dataOffset() + first * frameBytes, count * frameBytes);
        }
    }

    /** What the header says, as the dataset's metadata. */
    static Map<String, String> metadata(NpyHeader header) {
        return Map.of("byte_order", header.order() == ByteOrder.BIG_ENDIAN ? "big" : "little",
                "npy_shape", java.util.Arrays.toString(header.shape()));
    }

    @Override
    protected void decode(long first, int count, float[] dest, int destOffset) {
        int px = framePixels();
        long f = first;
        int left = count;
        int out = destOffset;
        while (left > 0) {
            int seg = (int) (f / framesPerSegment);
            int inSeg = (int) (f - seg * framesPerSegment);
            int n = (int) Math.min(left, framesPerSegment - inSeg);
            ByteBuffer b = segments[seg].slice((int) (inSeg * frameBytes), (int) (n * frameBytes)).order(header.order());
            convert(b, n * px, dest, out);
            f += n;
            left -= n;
            out += n * px;
        }
    }

    /** Converts {@code n} elements of the stored type at the start of {@code b} to float. */
    private void convert(ByteBuffer b, int n, float[] dest, int off) {
        switch (header.dtype()) {
            case UINT8, BOOL -> {
                for (int i = 0; i < n; i++) dest[off + i] = b.get(i) & 0xff;
            }
            case INT8 -> {
                for (int i = 0; i < n; i++) dest[off + i] = b.get(i);
            }
            case UINT16 -> {
                var s = b.asShortBuffer();
                for (int i = 0; i < n; i++) dest[off + i] = s.get(i) & 0xffff;
            }
            case INT16 -> {
                var s = b.asShortBuffer();
                for (int i = 0; i < n; i++) dest[off + i] = s.get(i);
            }
            case UINT32 -> {
                var s = b.asIntBuffer();
                for (int i = 0; i < n; i++) dest[off + i] = s.get(i) & 0xffffffffL;
            }
            case INT32 -> {
                var s = b.asIntBuffer();
                for (int i = 0; i < n; i++) dest[off + i] = s.get(i);
            }
            case UINT64 -> {
                var s = b.asLongBuffer();
                for (int i = 0; i < n; i++) {
                    long v = s.get(i);
                    dest[off + i] = v >= 0 ? v : (float) (v >>> 1) * 2f;
                }
            }
            case INT64 -> {
                var s = b.asLongBuffer();
                for (int i = 0; i < n; i++) dest[off + i] = s.get(i);
            }
            case FLOAT32 -> b.asFloatBuffer().get(0, dest, off, n);
            case FLOAT64 -> {
                var s = b.asDoubleBuffer();
                for (int i = 0; i < n; i++) dest[off + i] = (float) s.get(i);
            }
        }
    }

    @Override
    protected void release() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a read-only channel: nothing to recover
        }
    }
}
