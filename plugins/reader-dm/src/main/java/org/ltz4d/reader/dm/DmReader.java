package org.ltz4d.reader.dm;

import org.ltz4d.io.MappedDataset;
import org.ltz4d.io.MappedFrames;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
import org.ltz4d.api.error.UnsupportedFormatException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.ltz4d.io.FormatReader;
import org.osgi.service.component.annotations.Component;

/**
 * Gatan DigitalMicrograph DM3/DM4 files (the tag tree of {@link DmTags}): the largest image of
 * {@code ImageList} that is not a thumbnail (the root {@code Thumbnails[*].ImageIndex}) is the
 * dataset. {@code Dimensions} lists X first (fastest), so the array is the list reversed:
 * <ul>
 * <li>2-D [X, Y] → one frame (det_y, det_x) = (Y, X), nav (1, 1);
 * <li>3-D [X, Y, Z] → a stack of Z frames as one scan row (1, Z), or {@code --scan-shape Y,X}
 * with Y·X = Z; unless it is a spectrum image (an axis in eV/keV, or Meta Data/Format "Spectrum
 * image"; {@code --spectrum-image auto|yes|no}): then one spectrum per scan position, nav (Y, X),
 * sig (1, E), with the energy axis as metadata ({@link SpectrumImages});
 * <li>4-D [kx, ky, rx, ry] (diffraction axes fastest, as GMS writes 4D STEM) → nav (ry, rx),
 * sig (ky, kx). A 4-D image whose units show the scan axes first (lengths on axes 0–1, reciprocal
 * lengths or angles on axes 2–3) is rejected with an {@code UnsupportedFormatException}: its frames
 * would be scattered over the whole file.
 * </ul>
 * Frames are kept as stored, nothing flipped. Calibration from {@code Calibrations.Dimension[i]}
 * (Scale, Origin in pixels, Units): the detector axes give the pixel when their unit is a reciprocal
 * length (1/nm → 1/Å ÷10; DM's reciprocal units are 1/d, i.e. s) or an angle (mrad, rad); the scan
 * axes give the step when their unit is a length (pm, Å, nm, µm, mm, m). Beam energy from
 * {@code Microscope Info/Voltage} (V); camera length from {@code STEM Camera Length} (mm), or in
 * diffraction mode, where DM records the camera length as the indicated magnification, from
 * {@code Indicated Magnification}; scan rotation from {@code DigiScan/Rotation} (°). Every axis's
 * scale, origin and units, exposure, date and microscope are kept as metadata.
 */
@Component(service = DatasetReader.class)
public final class DmReader extends FormatReader {
    static final String SCAN = "scan-shape";
    static final String SPECTRUM_IMAGE = "spectrum-image";

    private static final List<ParameterSpec> PARAMS = List.of(new ParameterSpec(SCAN, ParameterSpec.Type.INT_LIST,
                "scan shape Y,X (rows, columns) for a 3-D DM stack of diffraction patterns", Unit.DIMENSIONLESS, null, 0, 0, null),
            ParameterSpec.choice(SPECTRUM_IMAGE, "a 3-D image as a spectrum image (one spectrum per scan position): auto when an "
                    + "axis is calibrated in eV/keV or ImageTags Meta Data/Format is 'Spectrum image'; yes; no (a stack of frames)",
                    "auto", "auto", "yes", "no"));

    public DmReader() {
        super("dm", PARAMS, "dm3", "dm4");
    }

    @Override
    protected double confidence(Probe p) {
        boolean suffix = p.hasSuffix();
        if (p.headBytes() >= 16) {
            ByteBuffer head = p.head();
            int v = be32(head, 0); // absolute gets: the caller's position and byte order are left alone
            int bo = v == 3 ? be32(head, 8) : v == 4 ? be32(head, 12) : -1;
            if ((v == 3 || v == 4) && (bo == 0 || bo == 1)) return suffix ? 1.0 : 0.6;
        }
        return suffix ? 0.3 : 0.0;
    }

    private static int be32(ByteBuffer b, int i) {
        return (b.get(i) & 0xFF) << 24 | (b.get(i + 1) & 0xFF) << 16 | (b.get(i + 2) & 0xFF) << 8 | (b.get(i + 3) & 0xFF);
    }


    @Override
    public Dataset open(Path file, Parameters options) {
        DmTags tags;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            tags = DmTags.read(file, ch);
        } catch (IOException e) {
            throw new InvalidInputException(file, "file", "a readable file", e.toString(), e);
        } catch (org.ltz4d.api.error.Ltz4dException e) {
            throw e;
        } catch (RuntimeException e) { // type words that index past their own list, sizes beyond int...
            throw new CorruptFileException(file, "tag tree", "a consistent DM3/DM4 tag tree", e.toString(), e);
        }
        DmTags.Tag list = tags.root.get("ImageList");
        if (list == null || !list.isGroup() || list.children.isEmpty()) {
            throw new CorruptFileException(file, "ImageList", "at least one image", "none");
        }
        Set<Integer> thumbs = new HashSet<>();
        DmTags.Tag th = tags.root.get("Thumbnails");
        if (th != null && th.isGroup()) {
            for (DmTags.Tag t : th.children) {
                Double idx = t.number("ImageIndex");
                if (idx != null) thumbs.add(idx.intValue());
            }
        }
        // the largest non-thumbnail image of a real-valued type; RGBA/complex ones (display
        // thumbnails are RGBA) only when nothing else is there, to report their type
        int best = -1;
        long bestSize = -1;
        boolean bestReal = false;
        for (int i = 0; i < list.children.size(); i++) {
            if (thumbs.contains(i)) continue;
            long[] dims = dims(list.children.get(i));
            Double code = list.children.get(i).number("ImageData/DataType");
            if (dims == null || code == null) continue;
            boolean real = isReal(code.intValue());
            long n = 1;
            for (long d : dims) n *= d;
            if ((real && !bestReal) || (real == bestReal && n > bestSize)) {
                best = i;
                bestSize = n;
                bestReal = real;
            }
        }
        if (best < 0) throw new CorruptFileException(file, "ImageList", "an image with ImageData/Dimensions that is not a thumbnail", "only thumbnails");
        String where = "ImageList[" + best + "]/ImageData";
        DmTags.Tag image = list.children.get(best);
        DmTags.Tag data = image.path("ImageData/Data");
        Double dtCode = image.number("ImageData/DataType");
        if (data == null || data.arrayOffset < 0 || dtCode == null) {
            throw new CorruptFileException(file, where, "Data (an array) and DataType", "missing");
        }
        DType dtype = dtype(file, where, dtCode.intValue());
        long[] dims = dims(image);
        if (dims.length == 3) {
            SpectrumImages.Layout si = SpectrumImages.layout(file, image, where, dims, options.choice(SPECTRUM_IMAGE, "auto", "auto", "yes", "no"));
            if (si != null) return SpectrumImages.open(file, name(), tags, best, image, data, dtype, dtCode.intValue(), dims, si);
        }
        int[] nav;
        int[] sig;
        switch (dims.length) {
            case 2 -> { nav = new int[] {1, 1}; sig = new int[] {toInt(file, dims[1]), toInt(file, dims[0])}; }
            case 3 -> { nav = new int[] {1, toInt(file, dims[2])}; sig = new int[] {toInt(file, dims[1]), toInt(file, dims[0])}; }
            case 4 -> { nav = new int[] {toInt(file, dims[3]), toInt(file, dims[2])}; sig = new int[] {toInt(file, dims[1]), toInt(file, dims[0])}; }
            default -> throw new ShapeMismatchException(file, where + "/Dimensions",
                    "a 2-D image, 3-D stack or 4-D dataset", dims.length + "-D " + java.util.Arrays.toString(dims));
        }
        if (dims.length == 4) scanAxesFastest(file, image, where);
        long elements = (long) nav[0] * nav[1] * sig[0] * sig[1];
        long bytes = data.arrayCount * data.arrayElemBytes;
        if (bytes != elements * dtype.bytes()) {
            throw new CorruptFileException(file, where + "/Data", elements + " elements of " + dtype + " (" + elements * dtype.bytes()
                    + " bytes) for Dimensions " + java.util.Arrays.toString(dims), bytes + " bytes");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("dm_version", Integer.toString(tags.version));
        meta.put("image_index", Integer.toString(best));
        meta.put("dm_data_type", Integer.toString(dtCode.intValue()));
        meta.put("dimensions", java.util.Arrays.toString(dims));
        meta.put("data_offset", Long.toString(data.arrayOffset));
        Shape navShape = Shape.of(nav);
        int[] sc = options.intList(SCAN, 2).orElse(null);
        if (sc != null) {
            if (sc[0] <= 0 || sc[1] <= 0) throw new InvalidParameterException(SCAN, "two positive integers Y,X", options.string(SCAN, ""));
            if ((long) sc[0] * sc[1] != navShape.size()) {
                throw new ShapeMismatchException(file, SCAN, "Y·X = " + navShape.size() + " frames", sc[0] + "·" + sc[1]);
            }
            navShape = Shape.of(sc);
        }
        Calibration cal = calibration(image, dims.length, meta);
        String title = image.text("Name");
        if (title != null) meta.put("title", title);
        long frames = navShape.size();
        long frameBytes = (long) sig[0] * sig[1] * dtype.bytes();
        if (frameBytes > MappedFrames.MAX_WINDOW) {
            throw new UnsupportedFormatException(file, where + "/Dimensions", "frames of at most 1 GiB", frameBytes + " bytes per frame");
        }
        long end = data.arrayOffset + frames * frameBytes;
        long size;
        try {
            size = java.nio.file.Files.size(file);
        } catch (IOException e) {
            throw new InvalidInputException(file, "file", "a readable file", e.toString(), e);
        }
        if (end > size) throw new TruncatedFileException(file, where + "/Data", end + " bytes", size + " bytes");
        try {
            MappedFrames mf = new MappedFrames(file, data.arrayOffset, frameBytes, (int) frameBytes, frames);
            return new MappedDataset(file, name(), navShape, Shape.of(sig), dtype, tags.order, cal, meta, mf, 0, null);
        } catch (IOException e) {
            throw new CorruptFileException(file, "data", "a file that can be memory-mapped", e.toString(), e);
        }
    }

    /**
     * A 4-D image whose first two (fastest) axes are calibrated in lengths and the last two in
     * reciprocal lengths or angles has its scan axes fastest, [rx, ry, kx, ky]: each frame would be
     * scattered over the whole file. Not supported; better an error than frames made of scan pixels.
     */
    private static void scanAxesFastest(Path file, DmTags.Tag image, String where) {
        DmTags.Tag dimCal = image.path("ImageData/Calibrations/Dimension");
        if (dimCal == null || !dimCal.isGroup() || dimCal.children.size() < 4) return;
        double[] sc = new double[4];
        String[] un = new String[4];
        for (int i = 0; i < 4; i++) {
            Double s = dimCal.children.get(i).number("Scale");
            String u = dimCal.children.get(i).text("Units");
            sc[i] = s == null ? Double.NaN : s;
            un[i] = u == null ? "" : u.trim();
        }
        if (lengthNm(sc[0], un[0]) != null && lengthNm(sc[1], un[1]) != null
                && detectorPixel(sc[2], un[2]) != null && detectorPixel(sc[3], un[3]) != null) {
            throw new UnsupportedFormatException(file, where + "/Calibrations/Dimension",
                    "4-D data with the diffraction axes first (Dimensions [kx, ky, rx, ry])",
                    "scan axes first: units [" + String.join(", ", un) + "]");
        }
    }

    private static int toInt(Path file, long d) {
        if (d <= 0 || d > Integer.MAX_VALUE) throw new CorruptFileException(file, "Dimensions", "sizes 1..2^31-1", Long.toString(d));
        return (int) d;
    }

    private static long[] dims(DmTags.Tag image) {
        DmTags.Tag d = image.path("ImageData/Dimensions");
        if (d == null || !d.isGroup() || d.children.isEmpty()) return null;
        long[] out = new long[d.children.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = d.children.get(i).value;
            if (!(v instanceof Number n)) return null;
            out[i] = n.longValue();
        }
        return out;
    }

    private static boolean isReal(int code) {
        return switch (code) {
            case 1, 2, 6, 7, 9, 10, 11, 12, 14 -> true;
            default -> false;
        };
    }

    static DType dtype(Path file, String where, int code) {
        return switch (code) {
            case 1 -> DType.INT16;
            case 2 -> DType.FLOAT32;
            case 6 -> DType.UINT8;
            case 7 -> DType.INT32;
            case 9 -> DType.INT8;
            case 10 -> DType.UINT16;
            case 11 -> DType.UINT32;
            case 12 -> DType.FLOAT64;
            case 14 -> DType.BOOL;
            default -> throw new UnsupportedFormatException(file, where + "/DataType",
                    "a real-valued type (1 i2, 2 f4, 6 u1, 7 i4, 9 i1, 10 u2, 11 u4, 12 f8, 14 bool)",
                    code + (code == 3 || code == 13 ? " (complex)" : code == 23 ? " (RGBA)" : code == 27 || code == 28 ? " (packed complex)" : ""));
        };
    }

    static Calibration calibration(DmTags.Tag image, int rank, Map<String, String> meta) {
        Calibration.Builder b = Calibration.builder();
        DmTags.Tag dimCal = image.path("ImageData/Calibrations/Dimension");
        int n = dimCal == null || !dimCal.isGroup() ? 0 : dimCal.children.size();
        double[] scale = new double[n];
        String[] units = new String[n];
        for (int i = 0; i < n; i++) {
            DmTags.Tag c = dimCal.children.get(i);
            Double s = c.number("Scale");
            Double o = c.number("Origin");
            String u = c.text("Units");
            scale[i] = s == null ? Double.NaN : s;
            units[i] = u == null ? "" : u.trim();
            meta.put("axis" + i + ".scale", s == null ? "" : Double.toString(s));
            meta.put("axis" + i + ".origin_px", o == null ? "" : Double.toString(o));
            meta.put("axis" + i + ".units", units[i]);
            if (s != null && o != null) meta.put("axis" + i + ".offset", Double.toString(-o * s));
        }
        if (n >= 2) {
            Double pix = detectorPixel(scale[0], units[0]);
            String kind = pix == null ? null : kind(units[0]);
            if (pix != null && pix > 0 && kind.equals("mrad")) b.detectorPixelMrad(pix);
            if (pix != null && pix > 0 && kind.equals("inv")) b.detectorPixelInverseAngstrom(pix);
        }
        if (rank == 3 && n >= 3) {
            Double x = lengthNm(scale[2], units[2]);
            if (x != null) b.scanStepNm(x, x); // one scan row: the y step is unused
        } else if (rank == 4 && n >= 4) {
            Double x = lengthNm(scale[2], units[2]);
            Double y = lengthNm(scale[3], units[3]);
            if (x != null && y != null) b.scanStepNm(y, x);
        }
        DmTags.Tag tags = image.get("ImageTags");
        if (tags != null) {
            Double v = find(tags, "Microscope Info/Voltage");
            if (v != null && v > 0) b.beamKv(v / 1000.0);
            Double cl = find(tags, "Microscope Info/STEM Camera Length");
            String mode = findText(tags, "Microscope Info/Operation Mode");
            if (mode == null) mode = findText(tags, "Microscope Info/Imaging Mode");
            if ((cl == null || cl <= 0) && mode != null && mode.toUpperCase(Locale.ROOT).contains("DIFFRACTION")) {
                cl = find(tags, "Microscope Info/Indicated Magnification");
            }
            if (cl != null && cl > 0) b.cameraLengthMm(cl);
            Double rot = find(tags, "DigiScan/Rotation");
            if (rot != null && Double.isFinite(rot)) b.scanRotationDeg(rot);
            putText(meta, tags, "Microscope Info/Name", "microscope");
            putText(meta, tags, "Microscope Info/Illumination Mode", "illumination_mode");
            if (mode != null) meta.put("operation_mode", mode);
            putText(meta, tags, "DataBar/Acquisition Date", "acquisition_date");
            putText(meta, tags, "DataBar/Acquisition Time", "acquisition_time");
            putText(meta, tags, "DataBar/Device Name", "detector");
            Double exp = find(tags, "DataBar/Exposure Time (s)");
            if (exp == null) exp = find(tags, "High Level/Exposure (s)");
            if (exp != null) meta.put("exposure_s", Double.toString(exp));
            Double mag = find(tags, "Microscope Info/Indicated Magnification");
            if (mag != null) meta.put("indicated_magnification", Double.toString(mag));
            Double dwell = find(tags, "DigiScan/Sample Time");
            if (dwell != null) meta.put("dwell_time_us", Double.toString(dwell));
        }
        return b.build();
    }

    /** Depth-first search for a relative path anywhere under {@code t}. */
    private static DmTags.Tag findTag(DmTags.Tag t, String rel, int depth) {
        DmTags.Tag hit = t.path(rel);
        if (hit != null) return hit;
        if (depth > 12 || !t.isGroup()) return null;
        for (DmTags.Tag c : t.children) {
            if (!c.isGroup()) continue;
            DmTags.Tag h = findTag(c, rel, depth + 1);
            if (h != null) return h;
        }
        return null;
    }

    private static Double find(DmTags.Tag t, String rel) {
        DmTags.Tag h = findTag(t, rel, 0);
        if (h == null) return null;
        if (h.value instanceof Number n) return n.doubleValue();
        return null;
    }

    private static String findText(DmTags.Tag t, String rel) {
        DmTags.Tag h = findTag(t, rel, 0);
        if (h == null || !(h.value instanceof String s) || s.isBlank()) return null;
        return s;
    }

    private static void putText(Map<String, String> meta, DmTags.Tag t, String rel, String key) {
        String s = findText(t, rel);
        if (s != null) meta.put(key, s);
    }

    private static String kind(String u) {
        String s = u.replace(" ", "");
        return s.startsWith("1/") ? "inv" : "mrad";
    }

    /** Detector pixel: s in 1/Å for reciprocal lengths, mrad for angles, null otherwise. */
    static Double detectorPixel(double scale, String units) {
        if (!(scale > 0) || !Double.isFinite(scale)) return null;
        String u = units.replace(" ", "");
        return switch (u) {
            case "1/nm", "nm^-1", "nm-1" -> scale / 10.0;
            case "1/Å", "1/A", "1/Angstrom", "Å^-1", "A^-1" -> scale;
            case "1/pm" -> scale * 100.0;
            case "1/um", "1/µm" -> scale * 1e-4;
            case "1/m" -> scale * 1e-10;
            case "mrad" -> scale;
            case "rad" -> scale * 1e3;
            case "µrad", "urad" -> scale * 1e-3;
            case "deg", "°" -> Math.toRadians(scale) * 1e3;
            default -> null;
        };
    }

    /** A length in nm, or null when the unit is not a length. */
    static Double lengthNm(double scale, String units) {
        if (!(scale > 0) || !Double.isFinite(scale)) return null;
        return switch (units.replace(" ", "")) {
            case "pm" -> scale * 1e-3;
            case "Å", "A", "Angstrom" -> scale * 0.1;
            case "nm" -> scale;
            case "µm", "um" -> scale * 1e3;
            case "mm" -> scale * 1e6;
            case "m" -> scale * 1e9;
            default -> null;
        };
    }
}
