package org.ltz4d.reader.mrc;

import org.ltz4d.io.MappedFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * MRC / MRC2014 (CCP-EM), including Direct Electron DE-Server movies (scan shape and beam from the
 * companion {@code <base>_info.txt}) and Thermo Fisher/FEI extended headers (EXTTYP FEI1/FEI2: one
 * metadata record per frame; beam energy, camera length and pixel size are taken from the first).
 * Modes 0 (int8; uint8 when IMOD's stamp says the bytes are unsigned), 1 (int16), 2 (float32), 6 (uint16) and 12 (float16, reported as float32).
 * Sections (nz) are frames; frames keep the file's row order (no flip). A stack is nav (nz, 1)
 * unless {@code scan-shape} or the DE companion says otherwise.
 */
@Component(service = DatasetReader.class)
public final class MrcReader extends FormatReader {
    static final int HEADER = 1024;
    static final String SCAN_SHAPE = "scan-shape";
    /** IMOD's stamp at byte 152; its flags at 156 say (bit 0) whether mode-0 bytes are signed. */
    static final int IMOD_STAMP = 1146047817;

    private static final List<ParameterSpec> PARAMS = List.of(new ParameterSpec(SCAN_SHAPE, ParameterSpec.Type.INT_LIST,
            "scan shape Y,X of an MRC stack (frames are in row-major scan order); default: the DE-Server _info.txt, else (frames, 1)",
            null, null, 1, Integer.MAX_VALUE, null));

    private static final byte[] MAP = {'M', 'A', 'P', ' '};

    public MrcReader() {
        super("mrc", PARAMS, "mrc", "mrcs");
    }


    @Override
    protected double confidence(Probe p) {
        boolean suffix = p.hasSuffix();
        if (p.headBytes() < 224) return suffix ? 0.2 : 0.0;
        ByteBuffer h = p.head().duplicate();
        boolean map = p.bytesAt(208, MAP);
        h.order(order(h));
        boolean plausible = h.getInt(0) > 0 && h.getInt(4) > 0 && h.getInt(8) > 0 && dtype(h.getInt(12)) != null;
        if (map && plausible) return 1.0;
        if (suffix && plausible) return 0.8;
        if (map) return 0.5;
        return suffix ? 0.2 : 0.0;
    }

    /** Byte order from the machine stamp (bytes 212-213), else from which order makes nx sane. */
    static ByteOrder order(ByteBuffer h) {
        int stamp = h.get(212) & 0xFF;
        if (stamp == 0x44 || stamp == 0x41) return ByteOrder.LITTLE_ENDIAN;
        if (stamp == 0x11) return ByteOrder.BIG_ENDIAN;
        int le = h.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        return le > 0 && le < (1 << 24) ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    }

    /** Element type of an MRC mode; mode 12 (float16) is reported as FLOAT32; null when unsupported. */
    static DType dtype(int mode) {
        return switch (mode) {
            case 0 -> DType.INT8;
            case 1 -> DType.INT16;
            case 2, 12 -> DType.FLOAT32;
            case 6 -> DType.UINT16;
            default -> null;
        };
    }

    static int storedBytes(int mode) {
        return switch (mode) {
            case 0 -> 1;
            case 1, 6, 12 -> 2;
            default -> 4;
        };
    }

    @Override
    public Dataset open(Path file, Parameters options) {
        long size;
        ByteBuffer h = ByteBuffer.allocate(HEADER);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            size = ch.size();
            if (size == 0) throw new TruncatedFileException(file, "header", "a 1024-byte MRC header", "an empty file (0 bytes)");
            while (h.hasRemaining() && ch.read(h, h.position()) > 0) { /* fill */ }
        } catch (IOException e) {
            throw new InvalidInputException(file, "file", "a readable file", MappedFile.describe(e), e);
        }
        if (h.position() < HEADER) {
            throw new TruncatedFileException(file, "header", "a 1024-byte MRC header", size + " bytes");
        }
        h.flip();
        boolean map = h.get(208) == 'M' && h.get(209) == 'A' && h.get(210) == 'P' && h.get(211) == ' ';
        ByteOrder order = order(h);
        h.order(order);
        int nx = h.getInt(0), ny = h.getInt(4), nz = h.getInt(8), mode = h.getInt(12);
        boolean dimsOk = nx > 0 && ny > 0 && nz > 0;
        if (!map && (!dimsOk || (dtype(mode) == null && (mode < 0 || mode > 200)))) {
            throw new CorruptFileException(file, "map (bytes 208-211)", "'MAP ' or a plausible MRC header",
                    "'" + ascii(h, 208, 4) + "' with nx=" + nx + ", ny=" + ny + ", nz=" + nz + ", mode=" + mode);
        }
        if (!dimsOk) throw new CorruptFileException(file, "nx/ny/nz", "positive dimensions", nx + "/" + ny + "/" + nz);
        DType type = dtype(mode);
        boolean imod = h.getInt(152) == IMOD_STAMP;
        if (mode == 0 && imod && (h.getInt(156) & 1) == 0) type = DType.UINT8; // IMOD: flag bit 0 clear = unsigned bytes
        if (type == null) {
            throw new UnsupportedFormatException(file, "mode", "MRC mode 0, 1, 2, 6 or 12",
                    mode + (mode == 3 || mode == 4 ? " (complex)" : mode == 101 ? " (4-bit packed)" : ""));
        }
        int nsymbt = h.getInt(92);
        if (nsymbt < 0) throw new CorruptFileException(file, "nsymbt", "a non-negative extended header size", Integer.toString(nsymbt));
        long dataOffset = HEADER + (long) nsymbt;
        long frameBytes = (long) nx * ny * storedBytes(mode);
        if (frameBytes > Integer.MAX_VALUE / 4) {
            throw new UnsupportedFormatException(file, "nx*ny", "frames below 2^29 bytes", frameBytes + " bytes");
        }
        long need = dataOffset + frameBytes * nz;
        if (size < need) {
            throw new TruncatedFileException(file, "data", need + " bytes (1024 + nsymbt " + nsymbt + " + " + nz + " frames of "
                    + frameBytes + " bytes)", size + " bytes");
        }

        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("mrc.nx", Integer.toString(nx));
        meta.put("mrc.ny", Integer.toString(ny));
        meta.put("mrc.nz", Integer.toString(nz));
        meta.put("mrc.mode", Integer.toString(mode) + (mode == 12 ? " (float16, decoded to float32)" : ""));
        meta.put("mrc.byte_order", order.toString());
        meta.put("mrc.nsymbt", Integer.toString(nsymbt));
        String exttyp = ascii(h, 104, 4);
        if (!exttyp.isBlank()) meta.put("mrc.exttyp", exttyp);
        meta.put("mrc.nversion", Integer.toString(h.getInt(108)));
        int mx = h.getInt(28);
        float xlen = h.getFloat(40), ylen = h.getFloat(44);
        int my = h.getInt(32);
        meta.put("mrc.cella", xlen + "," + ylen + "," + h.getFloat(48));
        if (mx > 0 && xlen > 0) meta.put("mrc.pixel_size_x_angstrom", Double.toString((double) xlen / mx));
        if (my > 0 && ylen > 0) meta.put("mrc.pixel_size_y_angstrom", Double.toString((double) ylen / my));
        int nlabl = h.getInt(220);
        for (int i = 0; i < Math.min(Math.max(nlabl, 0), 10); i++) {
            String l = ascii(h, 224 + 80 * i, 80).strip();
            if (!l.isEmpty()) meta.put("mrc.label" + i, l);
        }

        Calibration.Builder cal = Calibration.builder();
        if (nsymbt > 0 && (exttyp.equals("FEI1") || exttyp.equals("FEI2"))) {
            readFeiExtendedHeader(file, order, nsymbt, nz, cal, meta);
        }
        int[] deScan = readDeInfo(file, cal, meta);

        Shape nav = navShape(file, options, nz, deScan, meta);
        MappedFile data = new MappedFile(file, order, frameBytes);
        return new MrcDataset(file, data, dataOffset, frameBytes, mode, type, nav, Shape.of(ny, nx), cal.build(), Map.copyOf(meta));
    }

    static Shape navShape(Path file, Parameters options, int frames, int[] companion, Map<String, String> meta) {
        Optional<int[]> user = options == null ? Optional.empty() : options.intList(SCAN_SHAPE, 2);
        int[] s = user.orElse(null);
        String origin = "--" + SCAN_SHAPE;
        if (s == null && companion != null && (long) companion[0] * companion[1] <= frames) {
            s = companion;
            origin = "DE-Server _info.txt";
        }
        if (s == null) return Shape.of(frames, 1);
        if (s[0] <= 0 || s[1] <= 0 || (long) s[0] * s[1] > frames) {
            throw new ShapeMismatchException(file, SCAN_SHAPE, "a scan of at most " + frames + " frames (nz)",
                    s[0] + "," + s[1] + " from " + origin);
        }
        if ((long) s[0] * s[1] < frames) meta.put("unused_trailing_frames", Long.toString(frames - (long) s[0] * s[1]));
        meta.put("scan_shape_from", origin);
        return Shape.of(s[0], s[1]);
    }

    /**
     * FEI1/FEI2 extended header: one record per section; record size at offset 0 (int32), version at 4;
     * HT (V) at 84, pixel size x/y (m) at 156/164, camera length (m) at 301, as little-endian values.
     */
    private static void readFeiExtendedHeader(Path file, ByteOrder order, int nsymbt, int nz, Calibration.Builder cal,
            Map<String, String> meta) {
        ByteBuffer e = ByteBuffer.allocate(Math.min(nsymbt, 4096)).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (e.hasRemaining() && ch.read(e, HEADER + e.position()) > 0) { /* fill */ }
        } catch (IOException ex) {
            throw new InvalidInputException(file, "extended header", "a readable FEI extended header", MappedFile.describe(ex), ex);
        }
        if (e.position() < 309) return;
        int recSize = e.getInt(0);
        meta.put("fei.record_size", Integer.toString(recSize));
        meta.put("fei.version", Integer.toString(e.getInt(4)));
        if (recSize > 0) meta.put("fei.records", Long.toString(nsymbt / recSize));
        meta.put("fei.frame0.timestamp_days", Double.toString(e.getDouble(12)));
        meta.put("fei.frame0.microscope_type", ascii(e, 20, 16).strip());
        meta.put("fei.frame0.application", (ascii(e, 52, 16) + " " + ascii(e, 68, 16)).strip());
        double ht = e.getDouble(84);
        meta.put("fei.frame0.ht_volt", Double.toString(ht));
        if (ht > 0 && ht < 1e7) cal.beamKv(ht / 1000.0);
        double px = e.getDouble(156), py = e.getDouble(164);
        meta.put("fei.frame0.pixel_size_x_m", Double.toString(px));
        meta.put("fei.frame0.pixel_size_y_m", Double.toString(py));
        meta.put("fei.frame0.defocus_m", Double.toString(e.getDouble(220)));
        meta.put("fei.frame0.magnification", Double.toString(e.getDouble(289)));
        double cl = e.getDouble(301);
        meta.put("fei.frame0.camera_length_m", Double.toString(cl));
        if (cl > 0 && cl < 1e3) cal.cameraLengthMm(cl * 1000.0);
        if (recSize >= 309 && nz > 1 && (long) recSize * nz <= nsymbt) summariseFeiRecords(file, recSize, nz, meta);
    }

    /**
     * The per-frame records beyond the first, summarised (the metadata map is flat text): the last
     * frame's timestamp, and how many frames' HT, pixel size or camera length differ from frame 0's.
     */
    private static void summariseFeiRecords(Path file, int recSize, int nz, Map<String, String> meta) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, HEADER, (long) recSize * nz).order(ByteOrder.LITTLE_ENDIAN);
            double ht0 = m.getDouble(84), px0 = m.getDouble(156), cl0 = m.getDouble(301);
            int differ = 0;
            for (int k = 1; k < nz; k++) {
                int o = k * recSize;
                if (m.getDouble(o + 84) != ht0 || m.getDouble(o + 156) != px0 || m.getDouble(o + 301) != cl0) differ++;
            }
            int last = (nz - 1) * recSize;
            meta.put("fei.frame_last.timestamp_days", Double.toString(m.getDouble(last + 12)));
            meta.put("fei.frames_with_other_optics", Integer.toString(differ));
        } catch (IOException | RuntimeException ex) {
            meta.put("fei.records_error", ex.toString());
        }
    }

    /** DE-Server companion {@code <base>_info.txt}: "Key = Value" lines. Returns the scan (Y, X) or null. */
    static int[] readDeInfo(Path file, Calibration.Builder cal, Map<String, String> meta) {
        Path info = deInfo(file);
        if (info == null) return null;
        Map<String, String> kv = new LinkedHashMap<>();
        try {
            if (Files.size(info) > (16 << 20)) return null;
            for (String line : Files.readAllLines(info, StandardCharsets.ISO_8859_1)) {
                int eq = line.indexOf('=');
                if (eq > 0) kv.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        } catch (IOException e) {
            return null;
        }
        meta.put("de.info_file", info.getFileName().toString());
        for (String k : List.of("Camera Model", "Frames Per Second", "Instrument Project Magnification", "Scan - Type",
                "Scan - Size X", "Scan - Size Y", "Diffraction Pixel Size X", "Diffraction Pixel Size Y",
                "Scan - Dwell Time (microseconds)", "Instrument Accelerating Voltage (V)", "Instrument Project Camera Length (centimeters)")) {
            String v = kv.get(k);
            if (v != null) meta.put("de." + k, v);
        }
        Double kv0 = number(kv.get("Instrument Accelerating Voltage (V)"));
        if (kv0 != null && kv0 > 0) cal.beamKv(kv0 / 1000.0);
        Double cl = number(kv.get("Instrument Project Camera Length (centimeters)"));
        if (cl != null && cl > 0) cal.cameraLengthMm(cl * 10.0);
        Double sx = number(kv.get("Scan - Size X")), sy = number(kv.get("Scan - Size Y"));
        if (sx != null && sy != null && sx >= 1 && sy >= 1) return new int[] {(int) Math.round(sy), (int) Math.round(sx)};
        return null;
    }

    static Path deInfo(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        String base = dot > 0 ? n.substring(0, dot) : n;
        for (int i = base.length(); i > 0; i = base.lastIndexOf('_', i - 1)) {
            Path p = dir.resolve(base.substring(0, i) + "_info.txt");
            if (Files.isRegularFile(p)) return p;
            if (i == 0) break;
        }
        return null;
    }

    private static Double number(String s) {
        if (s == null) return null;
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String ascii(ByteBuffer b, int off, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len && off + i < b.limit(); i++) {
            int c = b.get(off + i) & 0xFF;
            if (c == 0) break;
            sb.append(c >= 32 && c < 127 ? (char) c : '?');
        }
        return sb.toString();
    }
}
