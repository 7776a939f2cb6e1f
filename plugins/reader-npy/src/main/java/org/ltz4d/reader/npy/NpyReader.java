package org.ltz4d.reader.npy;

import java.io.IOException;
import java.nio.file.Path;
import org.ltz4d.api.data.ByteSource;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.io.FileByteSource;
import org.ltz4d.io.FormatReader;
import org.ltz4d.io.MappedDataset;
import org.ltz4d.io.MappedFrames;
import org.osgi.service.component.annotations.Component;

/**
 * NumPy {@code .npy}: 4D (scan_y, scan_x, det_y, det_x) in C order, any byte order, dtypes
 * u1/i1/u2/i2/u4/i4/u8/i8/f4/f8, memory-mapped. A 2D array is one frame (nav (1, 1)); a 3D array
 * (N, det_y, det_x) is a line of N positions (nav (1, N)). NPY files carry no calibration: give it
 * on the command line.
 */
@Component(service = DatasetReader.class)
public class NpyReader extends FormatReader {
    static final String NAME = "npy";


    public NpyReader() {
        super(NAME, "npy");
    }

    @Override
    protected double confidence(Probe p) {
        if (p.head() != null && NpyHeader.hasMagic(p.head())) return 1.0;
        return p.hasSuffix() ? 0.1 : 0.0;
    }

    @Override
    public Dataset open(Path file, Parameters options) {
        FileByteSource src = null;
        try {
            src = FileByteSource.open(file);
            return open(file, src, true);
        } catch (IOException e) {
            close(src);
            throw NpyHeader.io(file, e);
        } catch (InvalidInputException | IllegalArgumentException e) {
            close(src);
            throw e;
        }
    }

    /** A file on remote storage ({@code hdfs://}): the header and then each frame read by position from {@code source}. */
    @Override
    public Dataset open(Path file, ByteSource source, Parameters options) {
        try {
            return open(file, source, false);
        } catch (IOException e) {
            throw NpyHeader.io(file, e);
        }
    }

    /** Reads the header from {@code src}; maps the frames of a local file, reads a remote one's by position. */
    private static Dataset open(Path file, ByteSource src, boolean local) throws IOException {
        NpyHeader h = NpyHeader.read(file, src);
        int[] s = h.shape();
        Shape nav;
        Shape sig;
        switch (s.length) {
            case 4 -> {
                nav = Shape.of(s[0], s[1]);
                sig = Shape.of(s[2], s[3]);
            }
            case 3 -> {
                nav = Shape.of(1, s[0]);
                sig = Shape.of(s[1], s[2]);
            }
            case 2 -> {
                nav = Shape.of(1, 1);
                sig = Shape.of(s[0], s[1]);
            }
            default -> throw new ShapeMismatchException(file, "shape", "a 4D array (scan_y, scan_x, det_y, det_x)",
                    java.util.Arrays.toString(s));
        }
        long need = h.dataOffset() + nav.size() * sig.size() * h.dtype().bytes();
        if (src.size() < need) {
            throw new TruncatedFileException(file, "data", need + " bytes for shape " + java.util.Arrays.toString(s)
                    + " of " + h.dtype(), src.size() + " bytes");
        }
        if (local) return new NpyDataset(file, ((FileByteSource) src).channel(), h, nav, sig);
        long frameBytes = sig.size() * h.dtype().bytes();
        if (frameBytes > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException(file, "shape", "frames smaller than 2 GiB", frameBytes + " bytes per frame");
        }
        MappedFrames frames = new MappedFrames(file, src, h.dataOffset(), frameBytes, (int) frameBytes, nav.size());
        return new MappedDataset(file, NAME, nav, sig, h.dtype(), h.order(), Calibration.none(), NpyDataset.metadata(h), frames, 0,
                null);
    }

    private static void close(FileByteSource ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException e) {
            // already failing: the first error is the one to report
        }
    }
}
