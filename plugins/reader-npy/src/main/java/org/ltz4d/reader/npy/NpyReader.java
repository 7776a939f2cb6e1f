package org.ltz4d.reader.npy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.io.FormatReader;
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
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            NpyHeader h = NpyHeader.read(file, ch);
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
            if (ch.size() < need) {
                throw new TruncatedFileException(file, "data", need + " bytes for shape " + java.util.Arrays.toString(s)
                        + " of " + h.dtype(), ch.size() + " bytes");
            }
            return new NpyDataset(file, ch, h, nav, sig);
        } catch (IOException e) {
            close(ch);
            throw NpyHeader.io(file, e);
        } catch (InvalidInputException | IllegalArgumentException e) {
            close(ch);
            throw e;
        }
    }

    private static void close(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException e) {
            // already failing: the first error is the one to report
        }
    }
}
