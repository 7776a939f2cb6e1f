package org.ltz4d.reader.dm;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.io.Decode;
import org.ltz4d.io.FrameDataset;
import org.ltz4d.io.MappedFrames;

/**
 * A DM spectrum image stored energy-slowest, Dimensions [X, Y, E] (each energy channel one X×Y
 * plane, as GMS writes SIs): presented as one spectrum per scan position, nav (Y, X), sig (1, E).
 * A frame gathers one value from each plane; for a run of frames it copies the run's bytes from
 * every plane (contiguous within a plane) and scatters them, so a block of a scan row costs E
 * short copies. Buffers are per thread and reused.
 */
final class PlanarSpectra extends FrameDataset {
    private static final ThreadLocal<float[]> RUN = new ThreadLocal<>();
    private final MappedFrames planes;
    private final DType dtype;
    private final ByteOrder order;
    private final int channels;
    private final int rowFrames;

    /** {@code planes}: one record per energy channel, each Y·X elements. */
    PlanarSpectra(Path source, String format, Shape nav, int channels, DType dtype, ByteOrder order, Calibration cal,
            Map<String, String> meta, MappedFrames planes) {
        super(source, format, nav, Shape.of(1, channels), dtype, cal, meta);
        this.planes = planes;
        this.dtype = dtype;
        this.order = order;
        this.channels = channels;
        this.rowFrames = nav.cols();
    }

    @Override
    public int preferredBlockFrames() {
        return rowFrames; // one scan row: one copy per plane
    }

    @Override
    protected void decode(long first, int count, float[] dest, int destOffset) {
        int bytes = dtype.bytes();
        byte[] scratch = Decode.scratch(count * bytes);
        float[] run = RUN.get();
        if (run == null || run.length < count) {
            run = new float[Math.max(count, 1024)];
            RUN.set(run);
        }
        int rel = Math.toIntExact(first * bytes);
        try {
            for (int e = 0; e < channels; e++) {
                planes.copy(e, rel, scratch, 0, count * bytes);
                Decode.toFloat(dtype, order, scratch, 0, count, run, 0);
                for (int k = 0, at = destOffset + e; k < count; k++, at += channels) dest[at] = run[k];
            }
        } catch (InternalError ex) {
            throw new TruncatedFileException(source(), "spectra from " + first, "the file as large as when it was opened",
                    "a fault reading mapped memory (file truncated meanwhile?)", ex);
        }
    }

    @Override
    protected void release() {
        planes.close();
    }
}
