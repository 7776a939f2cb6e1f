package org.ltz4d.reader.ser;

import org.ltz4d.io.MappedFile;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.error.UnsupportedFormatException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.io.FormatReader;
import org.osgi.service.component.annotations.Component;

/**
 * FEI/Thermo Fisher TIA series ({@code .ser}, SeriesVersion 0x210 with 32-bit and 0x220 with 64-bit
 * offsets) of 2D image elements (DataTypeID 0x4122); the {@code .emi} companion ({@code name.emi}
 * beside {@code name_1.ser}) is optional and gives beam energy and camera length. The series'
 * dimension arrays give the scan shape and step (metres); when the tags hold positions and the
 * first two elements share PositionY, the first dimension array is the fast (x) axis, otherwise the
 * slow one. The elements' own calibration (CalibrationDeltaX) gives the detector pixel: a value
 * above 1 is a reciprocal length in 1/m (diffraction), below 1 a real-space size in m (metadata
 * only). Elements are frames in file order, each row-major as stored (no flip).
 */
@Component(service = DatasetReader.class)
public final class SerReader extends FormatReader {
    static final String SCAN_SHAPE = "scan-shape";
    static final int ELEMENT_HEADER_2D = 50;
    private static final List<ParameterSpec> PARAMS = List.of(new ParameterSpec(SCAN_SHAPE, ParameterSpec.Type.INT_LIST,
            "scan shape Y,X overriding the series' dimension arrays", null, null, 1, Integer.MAX_VALUE, null));

    /** ByteOrder 0x4949 and SeriesID 0x0197, little-endian. */
    private static final byte[] MAGIC = {0x49, 0x49, (byte) 0x97, 0x01};

    public SerReader() {
        super("ser", PARAMS, "ser");
    }


    @Override
    protected double confidence(Probe p) {
        boolean suffix = p.hasSuffix();
        if (p.headBytes() < 6) return suffix ? 0.2 : 0.0;
        if (p.startsWith(MAGIC)) return suffix ? 1.0 : 0.8;
        return suffix ? 0.2 : 0.0;
    }

    static DType dtype(int t) {
        return switch (t) {
            case 1 -> DType.UINT8;
            case 2 -> DType.UINT16;
            case 3 -> DType.UINT32;
            case 4 -> DType.INT8;
            case 5 -> DType.INT16;
            case 6 -> DType.INT32;
            case 7 -> DType.FLOAT32;
            case 8 -> DType.FLOAT64;
            default -> null;
        };
    }

    @Override
    public Dataset open(Path file, Parameters options) {
        Parameters opts = options == null ? Parameters.empty() : options;
        long size;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            size = ch.size();
        } catch (IOException e) {
            throw new InvalidInputException(file, "file", "a readable file", MappedFile.describe(e), e);
        }
        if (size == 0) throw new TruncatedFileException(file, "header", "a TIA series header", "an empty file (0 bytes)");
        if (size < 30) throw new TruncatedFileException(file, "header", "a TIA series header of at least 30 bytes", size + " bytes");
        MappedFile b = new MappedFile(file, ByteOrder.LITTLE_ENDIAN, 64); // header fields, offset arrays, tags
        int byteOrder = u16(b, 0), seriesId = u16(b, 2), version = u16(b, 4);
        if (byteOrder != 0x4949 || seriesId != 0x0197) {
            throw new CorruptFileException(file, "ByteOrder/SeriesID", "0x4949/0x0197 (a TIA .ser file)",
                    String.format("0x%04x/0x%04x", byteOrder, seriesId));
        }
        if (version < 0x0200 || version > 0x0220) {
            throw new UnsupportedFormatException(file, "SeriesVersion", "0x0210 or 0x0220", String.format("0x%04x", version));
        }
        boolean wide = version >= 0x0220;
        int dataTypeId = i32(b, 6), tagTypeId = i32(b, 10);
        int total = i32(b, 14), valid = i32(b, 18);
        long offsetArray = wide ? i64(b, 22) : i32(b, 22) & 0xFFFFFFFFL;
        long p = wide ? 30 : 26;
        if (p + 4 > size) { // a 0x0220 header is 4 bytes longer (64-bit offset): NumberDimensions may lie past the end
            throw new TruncatedFileException(file, "header", "a TIA series header of " + (p + 4) + " bytes (version "
                    + String.format("0x%04x", version) + ")", size + " bytes");
        }
        int ndim = i32(b, p);
        p += 4;
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("ser.SeriesVersion", String.format("0x%x", version));
        meta.put("ser.DataTypeID", String.format("0x%x", dataTypeId));
        meta.put("ser.TagTypeID", String.format("0x%x", tagTypeId));
        meta.put("ser.TotalNumberElements", Integer.toString(total));
        meta.put("ser.ValidNumberElements", Integer.toString(valid));
        meta.put("ser.NumberDimensions", Integer.toString(ndim));
        if (dataTypeId == 0x4120) {
            throw new ShapeMismatchException(file, "DataTypeID", "2D image elements (0x4122) to use as detector frames",
                    "1D spectra (0x4120)");
        }
        if (dataTypeId != 0x4122) throw new UnsupportedFormatException(file, "DataTypeID", "0x4122 (2D elements)", String.format("0x%x", dataTypeId));
        if (total < 0 || valid <= 0 || valid > total) {
            throw new CorruptFileException(file, "ValidNumberElements", "between 1 and TotalNumberElements " + total, Integer.toString(valid));
        }
        if (ndim < 0 || ndim > 16) throw new CorruptFileException(file, "NumberDimensions", "0..16", Integer.toString(ndim));
        int[] dimSize = new int[ndim];
        double[] dimDelta = new double[ndim];
        String[] dimUnits = new String[ndim];
        for (int i = 0; i < ndim; i++) {
            if (p + 28 > size) throw new TruncatedFileException(file, "dimension array " + i, "28+ bytes", (size - p) + " bytes");
            dimSize[i] = i32(b, p);
            dimDelta[i] = f64(b, p + 12);
            int dl = i32(b, p + 24);
            if (dl < 0 || p + 28L + dl + 4 > size) throw new TruncatedFileException(file, "dimension array " + i, "its description", (size - p) + " bytes");
            String desc = latin1(b, p + 28, dl);
            p += 28 + dl;
            int ul = i32(b, p);
            if (ul < 0 || p + 4L + ul > size) throw new TruncatedFileException(file, "dimension array " + i, "its units", (size - p) + " bytes");
            dimUnits[i] = latin1(b, p + 4, ul);
            p += 4 + ul;
            meta.put("ser.dim" + i, dimSize[i] + " x " + dimDelta[i] + " " + dimUnits[i] + " (" + desc + ")");
        }
        int osz = wide ? 8 : 4;
        if (offsetArray < p || offsetArray + 2L * total * osz > size) {
            throw new TruncatedFileException(file, "OffsetArrayOffset", "offset arrays of " + total + " elements inside the file at "
                    + offsetArray, size + " bytes");
        }
        long[] offsets = new long[valid];
        for (int i = 0; i < valid; i++) {
            long at = offsetArray + (long) i * osz;
            offsets[i] = wide ? i64(b, at) : i32(b, at) & 0xFFFFFFFFL;
        }
        long tagArray = offsetArray + (long) total * osz;
        long e0 = offsets[0];
        if (e0 < p || e0 + ELEMENT_HEADER_2D > size) {
            throw new TruncatedFileException(file, "element 0", "an element header at " + e0, size + " bytes");
        }
        MappedFile eb = b;
        long ei = e0;
        double deltaX = f64(eb, ei + 8), offsetX = f64(eb, ei);
        int elementType = u16(eb, ei + 40);
        int sx = i32(eb, ei + 42), sy = i32(eb, ei + 46);
        DType type = dtype(elementType);
        if (type == null) {
            throw new UnsupportedFormatException(file, "element DataType", "1-8 (real integer or float)",
                    elementType + (elementType == 9 || elementType == 10 ? " (complex)" : ""));
        }
        if (sx <= 0 || sy <= 0 || (long) sx * sy > (1 << 28)) throw new CorruptFileException(file, "ArraySizeX/Y", "positive sizes", sx + "/" + sy);
        long record = ELEMENT_HEADER_2D + (long) sx * sy * type.bytes();
        for (int i = 0; i < valid; i++) {
            if (offsets[i] < p || offsets[i] + record > size) {
                throw new TruncatedFileException(file, "element " + i, (offsets[i] + record) + " bytes (element at " + offsets[i] + ")", size + " bytes");
            }
        }
        meta.put("ser.element.DataType", Integer.toString(elementType));
        meta.put("ser.element.ArraySizeX", Integer.toString(sx));
        meta.put("ser.element.ArraySizeY", Integer.toString(sy));
        meta.put("ser.element.CalibrationDeltaX", Double.toString(deltaX));
        meta.put("ser.element.CalibrationOffsetX", Double.toString(offsetX));
        meta.put("ser.element.CalibrationDeltaY", Double.toString(f64(eb, ei + 28)));

        Calibration.Builder cal = Calibration.builder();
        if (deltaX > 1 && Double.isFinite(deltaX)) cal.detectorPixelInverseAngstrom(deltaX * 1e-10);
        else if (deltaX > 0) meta.put("ser.element.pixel_size_m", Double.toString(deltaX));

        // Scan shape from the dimension arrays (ones dropped); order from the position tags.
        boolean xFirst = false;
        if (tagTypeId == 0x4142 && valid >= 2 && tagArray + 2L * osz <= size) {
            long t0 = readOffset(b, tagArray, wide), t1 = readOffset(b, tagArray + osz, wide);
            if (t0 > 0 && t1 > 0 && t0 + 22 <= size && t1 + 22 <= size) {
                double y0 = f64(b, t0 + 14), y1 = f64(b, t1 + 14);
                xFirst = y0 == y1;
            }
        }
        int[] nonOne = java.util.stream.IntStream.range(0, ndim).filter(i -> dimSize[i] > 1).toArray();
        long product = 1;
        for (int i : nonOne) product *= dimSize[i];
        int[] s = opts.intList(SCAN_SHAPE, 2).orElse(null);
        Shape nav;
        if (s != null) {
            if (s[0] <= 0 || s[1] <= 0 || (long) s[0] * s[1] > valid) {
                throw new ShapeMismatchException(file, SCAN_SHAPE, "a scan of at most " + valid + " valid elements", s[0] + "," + s[1]);
            }
            nav = Shape.of(s[0], s[1]);
        } else if (nonOne.length == 2 && product == valid) {
            int slow = xFirst ? nonOne[1] : nonOne[0], fast = xFirst ? nonOne[0] : nonOne[1];
            nav = Shape.of(dimSize[slow], dimSize[fast]);
            double fy = metres(dimUnits[slow]), fx = metres(dimUnits[fast]);
            if (fy > 0 && fx > 0 && dimDelta[slow] > 0 && dimDelta[fast] > 0) cal.scanStepNm(dimDelta[slow] * fy * 1e9, dimDelta[fast] * fx * 1e9);
        } else {
            nav = Shape.of(valid, 1);
            if (valid < product) meta.put("ser.incomplete_series", valid + " of " + product + " elements valid");
            if (nonOne.length == 1 && dimDelta[nonOne[0]] > 0 && metres(dimUnits[nonOne[0]]) > 0) {
                double step = dimDelta[nonOne[0]] * metres(dimUnits[nonOne[0]]) * 1e9;
                cal.scanStepNm(step, step); // a line scan: the one step along the line, reported for both axes
            }
        }
        readEmi(file, cal, meta);
        MappedFile map = new MappedFile(file, ByteOrder.LITTLE_ENDIAN, record);
        return new SerDataset(file, map, offsets, type, elementType, sx, sy, nav, Shape.of(sy, sx), cal.build(), Map.copyOf(meta));
    }

    private static long readOffset(MappedFile b, long at, boolean wide) {
        return wide ? i64(b, at) : i32(b, at) & 0xFFFFFFFFL;
    }

    private static int u16(MappedFile m, long at) {
        return m.buffer(at).getShort(m.index(at)) & 0xFFFF;
    }

    private static int i32(MappedFile m, long at) {
        return m.buffer(at).getInt(m.index(at));
    }

    private static long i64(MappedFile m, long at) {
        return m.buffer(at).getLong(m.index(at));
    }

    private static double f64(MappedFile m, long at) {
        return m.buffer(at).getDouble(m.index(at));
    }

    private static double metres(String unit) {
        String u = unit == null ? "" : unit.strip().toLowerCase(Locale.ROOT);
        return u.equals("meters") || u.equals("m") || u.equals("metres") ? 1.0 : Double.NaN;
    }

    private static String latin1(MappedFile b, long off, int len) {
        byte[] a = new byte[len];
        for (int i = 0; i < len; i++) a[i] = b.buffer(off + i).get(b.index(off + i));
        return new String(a, StandardCharsets.ISO_8859_1).strip();
    }

    private static final Pattern VOLTAGE = Pattern.compile("<AcceleratingVoltage>\\s*([-0-9.eE+]+)\\s*</AcceleratingVoltage>");
    private static final Pattern LABELLED = Pattern.compile("<Label>([^<]*)</Label><Value>([^<]*)</Value><Unit>([^<]*)</Unit>");

    /** Optional {@code .emi}: its ObjectInfo XML (beam energy, camera length, mode, microscope). */
    static void readEmi(Path ser, Calibration.Builder cal, Map<String, String> meta) {
        String n = ser.getFileName().toString();
        Matcher m = Pattern.compile("(.*)_\\d+\\.ser", Pattern.CASE_INSENSITIVE).matcher(n);
        String base = m.matches() ? m.group(1) : n.substring(0, n.length() - 4);
        Path emi = ser.resolveSibling(base + ".emi");
        if (!Files.isRegularFile(emi)) return;
        String text;
        try {
            if (Files.size(emi) > (64 << 20)) return;
            text = new String(Files.readAllBytes(emi), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return;
        }
        meta.put("emi.file", emi.getFileName().toString());
        Matcher v = VOLTAGE.matcher(text);
        if (v.find()) {
            double volts = Double.parseDouble(v.group(1));
            meta.put("emi.AcceleratingVoltage", v.group(1) + " V");
            if (volts > 0) cal.beamKv(volts / 1000.0);
        }
        Matcher l = LABELLED.matcher(text);
        while (l.find()) {
            String label = l.group(1).strip(), value = l.group(2).strip(), unit = l.group(3).strip();
            meta.putIfAbsent("emi." + label, value + (unit.isEmpty() ? "" : " " + unit));
            if (label.equalsIgnoreCase("Camera length") && unit.equals("m")) {
                try {
                    double cl = Double.parseDouble(value);
                    if (cl > 0) cal.cameraLengthMm(cl * 1000.0);
                } catch (NumberFormatException e) {
                    // unreadable value stays in the metadata only
                }
            }
        }
        Matcher d = Pattern.compile("<AcquireDate>([^<]*)</AcquireDate>").matcher(text);
        if (d.find()) meta.put("emi.AcquireDate", d.group(1).strip());
    }
}
