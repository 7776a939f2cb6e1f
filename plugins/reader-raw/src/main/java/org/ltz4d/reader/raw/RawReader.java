package org.ltz4d.reader.raw;

import org.ltz4d.io.MappedDataset;
import org.ltz4d.io.MappedFrames;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.data.ByteSource;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.ltz4d.io.FormatReader;
import org.osgi.service.component.annotations.Component;

/**
 * Raw binary 4D data whose layout the user gives: {@code --raw-shape scan_y,scan_x,det_y,det_x}
 * (or {@code det_y,det_x} for one image, {@code n,det_y,det_x} for a stack read as one scan row),
 * {@code --raw-dtype}, {@code --raw-byte-order}, {@code --raw-offset} bytes before the first frame,
 * and {@code --raw-frame-header}/{@code --raw-frame-footer} bytes around every frame. Frames are
 * row-major (det_y, det_x), in row-major scan order; nothing is flipped. The file size must match
 * the layout exactly, which catches most wrong shapes and dtypes. The probe answers only 0.05 for
 * {@code .raw}/{@code .bin} so that any reader that recognises the bytes wins.
 */
@Component(service = DatasetReader.class)
public final class RawReader extends FormatReader {
    static final String SHAPE = "raw-shape";
    static final String DTYPE = "raw-dtype";
    static final String ORDER = "raw-byte-order";
    static final String OFFSET = "raw-offset";
    static final String HEADER = "raw-frame-header";
    static final String FOOTER = "raw-frame-footer";
    static final String SCAN = "scan-shape";

    private static final String[] DTYPES = {"uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "int64", "float32", "float64"};


    private static final List<ParameterSpec> PARAMS = List.of(
            new ParameterSpec(SHAPE, ParameterSpec.Type.INT_LIST,
                    "shape of a raw file: scan_y,scan_x,det_y,det_x (or det_y,det_x, or n,det_y,det_x)", Unit.PIXEL,
                    null, 0, 0, null),
            ParameterSpec.choice(DTYPE, "element type of a raw file", "float32", DTYPES),
            ParameterSpec.choice(ORDER, "byte order of a raw file", "little", "little", "big"),
            ParameterSpec.integer(OFFSET, "bytes before the first frame of a raw file", 0, 0, Integer.MAX_VALUE),
            ParameterSpec.integer(HEADER, "bytes before each frame of a raw file", 0, 0, Integer.MAX_VALUE),
            ParameterSpec.integer(FOOTER, "bytes after each frame of a raw file", 0, 0, Integer.MAX_VALUE),
            new ParameterSpec(SCAN, ParameterSpec.Type.INT_LIST, "scan shape Y,X (rows, columns) overriding the file's",
                    Unit.DIMENSIONLESS, null, 0, 0, null));

    public RawReader() {
        super("raw", PARAMS, "raw", "bin");
    }

    @Override
    protected double confidence(Probe p) {
        return p.hasSuffix() ? 0.05 : 0.0;
    }


    @Override
    public Dataset open(Path file, Parameters options) {
        return open(file, null, options);
    }

    /** A raw file on remote storage ({@code hdfs://}), each frame read by position from {@code source}; local when it is null. */
    @Override
    public Dataset open(Path file, ByteSource source, Parameters options) {
        long size;
        try {
            size = source == null ? Files.size(file) : source.size();
        } catch (IOException e) {
            throw new InvalidInputException(file, "file", "a readable file", e.toString(), e);
        }
        if (size == 0) throw new TruncatedFileException(file, "data", "raw frames", "an empty file (0 bytes)");
        int[] s = options.intList(SHAPE, 0).orElseThrow(() -> new ShapeMismatchException(file, SHAPE,
                "the layout given with --raw-shape scan_y,scan_x,det_y,det_x (a raw file has no header)", "no --raw-shape"));
        for (int d : s) {
            if (d <= 0) throw new ShapeMismatchException(file, SHAPE, "positive dimensions", options.string(SHAPE, ""));
        }
        int[] nav;
        int[] sig;
        switch (s.length) {
            case 2 -> { nav = new int[] {1, 1}; sig = new int[] {s[0], s[1]}; }
            case 3 -> { nav = new int[] {1, s[0]}; sig = new int[] {s[1], s[2]}; }
            case 4 -> { nav = new int[] {s[0], s[1]}; sig = new int[] {s[2], s[3]}; }
            default -> throw new ShapeMismatchException(file, SHAPE,
                    "2 to 4 dimensions (scan_y,scan_x,det_y,det_x)", options.string(SHAPE, ""));
        }
        DType dtype = dtype(options.choice(DTYPE, "float32", DTYPES));
        ByteOrder order = "big".equals(options.choice(ORDER, "little", "little", "big")) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        long offset = nonNegative(options, OFFSET);
        long header = nonNegative(options, HEADER);
        long footer = nonNegative(options, FOOTER);

        long frames = (long) nav[0] * nav[1];
        long frameBytes = (long) sig[0] * sig[1] * dtype.bytes();
        if (frameBytes > MappedFrames.MAX_WINDOW - header) {
            throw new ShapeMismatchException(file, SHAPE, "frames of at most 1 GiB", frameBytes + " bytes per frame");
        }
        long stride = header + frameBytes + footer;
        long need = offset + frames * stride;
        String layout = "--raw-shape " + options.string(SHAPE, "") + " " + dtype + " with offset " + offset
                + ", frame header " + header + ", footer " + footer;
        if (size < need) {
            throw new TruncatedFileException(file, "data", need + " bytes for " + layout, size + " bytes");
        }
        if (size > need) {
            throw new ShapeMismatchException(file, SHAPE, need + " bytes for " + layout
                    + " (check the shape, dtype and offset)", size + " bytes");
        }
        Shape navShape = scanShape(file, options, Shape.of(nav));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("raw_shape", options.string(SHAPE, ""));
        meta.put("raw_dtype", dtype.numpyName());
        meta.put("raw_byte_order", order == ByteOrder.BIG_ENDIAN ? "big" : "little");
        meta.put("raw_offset_bytes", Long.toString(offset));
        meta.put("raw_frame_header_bytes", Long.toString(header));
        meta.put("raw_frame_footer_bytes", Long.toString(footer));
        try {
            MappedFrames mf = source == null ? new MappedFrames(file, offset, stride, Math.toIntExact(header + frameBytes), frames)
                    : new MappedFrames(file, source, offset, stride, Math.toIntExact(header + frameBytes), frames);
            return new MappedDataset(file, name(), navShape, Shape.of(sig), dtype, order, Calibration.none(), meta, mf,
                    (int) header, null);
        } catch (IOException e) {
            throw new CorruptFileException(file, "data", "a file that can be memory-mapped", e.toString(), e);
        }
    }

    /** The user's --scan-shape when given (same number of frames), else {@code nav}. */
    static Shape scanShape(Path file, Parameters options, Shape nav) {
        int[] sc = options.intList(SCAN, 2).orElse(null);
        if (sc == null) return nav;
        if (sc[0] <= 0 || sc[1] <= 0) throw new InvalidParameterException(SCAN, "two positive integers Y,X", options.string(SCAN, ""));
        if ((long) sc[0] * sc[1] != nav.size()) {
            throw new ShapeMismatchException(file, SCAN, "Y·X = " + nav.size() + " frames", sc[0] + "·" + sc[1] + " = " + (long) sc[0] * sc[1]);
        }
        return Shape.of(sc);
    }

    private static long nonNegative(Parameters options, String name) {
        String v = options.string(name, "0").trim();
        try {
            long l = Long.parseLong(v);
            if (l < 0) throw new NumberFormatException();
            return l;
        } catch (NumberFormatException e) {
            throw new InvalidParameterException(name, "a number of bytes ≥ 0", v);
        }
    }

    static DType dtype(String s) {
        return switch (s) {
            case "uint8" -> DType.UINT8;
            case "int8" -> DType.INT8;
            case "uint16" -> DType.UINT16;
            case "int16" -> DType.INT16;
            case "uint32" -> DType.UINT32;
            case "int32" -> DType.INT32;
            case "uint64" -> DType.UINT64;
            case "int64" -> DType.INT64;
            case "float32" -> DType.FLOAT32;
            case "float64" -> DType.FLOAT64;
            default -> throw new InvalidParameterException(DTYPE, String.join(", ", DTYPES), s);
        };
    }
}
