package org.ltz4d.reader.mib;

import org.ltz4d.io.FileByteSource;
import org.ltz4d.io.MappedDataset;
import org.ltz4d.io.MappedFrames;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.error.UnsupportedFormatException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.ltz4d.io.FormatReader;
import org.osgi.service.component.annotations.Component;

/**
 * Quantum Detectors Merlin {@code .mib} files: single chip (384-byte frame headers) and quad
 * (768-byte), processed pixel types U08/U16/U32 (counter depths 1 and 6 → one byte per pixel,
 * 12 → U16, 24 → U32), big-endian. Each frame is an ASCII header followed by its pixels; the
 * header size comes from the header itself (field 2) and every frame is checked to start with
 * {@code MQ1} when it is read. RAW frames ({@code R64}, the undecoded bit-packed counter readout,
 * including 1-bit packed data) are rejected with an {@link UnsupportedFormatException}.
 *
 * <p><b>Axis convention.</b> Frames are kept in <em>file order</em>: row 0 of a frame is the first
 * row stored, column 0 the first pixel of that row; nothing is flipped and quad frames are taken
 * as the 512×512 image Merlin assembled (no gap insertion). rosettasciio/pyxem flip every frame
 * vertically on load ({@code np.flip(data, axis=-2)}), so their row r is our row H−1−r; sums and
 * shapes are the same. A vertical flip is a reflection, which ltz4d's calibration expresses as
 * {@code transpose} plus a scan rotation of −90° should an analysis need the flipped frame.
 *
 * <p><b>Scan shape</b>, first that applies: (1) {@code --scan-shape Y,X} (Y·X may be less than the
 * frames in the file; the rest are ignored); (2) {@code ScanX}/{@code ScanY} in the {@code .hdr};
 * (3) {@code Frames per Trigger (Number)} F &gt; 1 from the {@code .hdr} (line trigger: N/F rows of
 * F); (4) as rosettasciio, the line width from the per-frame timestamps of the first 4096 frames:
 * the intervals that end a scan line (flyback) must all exceed every other interval by more than
 * 1 µs and by more than 10 times the spread of the others; (5) otherwise one scan row (1, N). The
 * metadata key {@code scan_shape_source} says which rule gave the shape.
 *
 * <p>The {@code .mib} has no beam energy, camera length or pixel size: the calibration is empty
 * and comes from the user. Exposure, timestamps, thresholds and the {@code .hdr} keys are kept as
 * metadata.
 */
@Component(service = DatasetReader.class)
public final class MibReader extends FormatReader {
    static final String SCAN = "scan-shape";
    private static final byte[] MAGIC = {'M', 'Q', '1', ','};
    private static final int TIMESTAMP_SAMPLE = 4096;

    private static final byte[] HDR = {'H', 'D', 'R'};

    private static final List<ParameterSpec> PARAMS = List.of(new ParameterSpec(SCAN, ParameterSpec.Type.INT_LIST,
                "scan shape Y,X (rows, columns) when the .hdr does not give it", Unit.DIMENSIONLESS, null, 0, 0, null));

    public MibReader() {
        super("mib", PARAMS, "mib", "hdr");
    }

    @Override
    protected double confidence(Probe p) {
        if (p.startsWith(MAGIC)) return 1.0;
        if (p.hasSuffix("hdr") && p.headBytes() >= 4 && p.startsWith(HDR) && Files.isRegularFile(sibling(p.file(), ".mib"))) return 0.9;
        return p.hasSuffix("mib") ? 0.3 : 0.0;
    }


    @Override
    public Dataset open(Path file, Parameters options) {
        Path mib = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".hdr") ? sibling(file, ".mib") : file;
        try (FileByteSource src = FileByteSource.open(mib)) {
            return open(mib, src, options, true);
        } catch (IOException e) {
            throw new InvalidInputException(mib, "file", "a readable file", e.toString(), e);
        }
    }

    /**
     * A .mib on remote storage ({@code hdfs://}): the first header and then each frame read by
     * position from {@code source} (a .hdr beside it is not read; give {@code --scan-shape} when the
     * frame headers' timestamps do not tell the scan's width).
     */
    @Override
    public Dataset open(Path file, ByteSource source, Parameters options) {
        try {
            return open(file, source, options, false);
        } catch (IOException e) {
            throw new InvalidInputException(file, "file", "a readable file", e.toString(), e);
        }
    }

    /** Reads the first frame header from {@code src}; maps the frames of a local file, reads a remote one's by position. */
    private Dataset open(Path mib, ByteSource src, Parameters options, boolean local) throws IOException {
        long size = src.size();
        if (size == 0) throw new TruncatedFileException(mib, "frame 0 header", "a Merlin frame header starting with MQ1", "an empty file (0 bytes)");
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(size, 4096));
        src.read(0, b);
        MibHeader h = MibHeader.parse(mib, b.array(), b.position());
        if (h.pixelType.equals("R64")) {
            throw new UnsupportedFormatException(mib, "frame 0 header: pixel type",
                    "processed frames (U08, U16 or U32); RAW (R64) Merlin frames are not supported, save processed frames in Merlin",
                    "R64 (RAW, counter depth " + h.counterDepth + ")");
        }
        DType dtype = switch (h.pixelType) {
            case "U08" -> DType.UINT8;
            case "U16" -> DType.UINT16;
            case "U32" -> DType.UINT32;
            case "U64" -> DType.UINT64;
            default -> throw new UnsupportedFormatException(mib, "frame 0 header: pixel type", "U08, U16, U32 or U64", h.pixelType);
        };
        long dataBytes = (long) h.width * h.height * dtype.bytes();
        long stride = h.headerSize + dataBytes;
        if (size < stride) {
            throw new TruncatedFileException(mib, "frame 0", stride + " bytes (" + h.headerSize + "-byte header + "
                    + h.width + "×" + h.height + " " + h.pixelType + ")", size + " bytes");
        }
        long frames = size / stride;
        if (size % stride != 0) {
            throw new TruncatedFileException(mib, "frame " + frames, "a whole number of " + stride + "-byte frames ("
                    + frames + " or " + (frames + 1) + " frames)", size + " bytes, the last frame cut after " + (size % stride) + " bytes");
        }
        Map<String, String> hdr = local ? readHdr(sibling(mib, ".hdr")) : new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        MappedFrames mf;
        if (local) {
            try {
                mf = new MappedFrames(mib, 0, stride, Math.toIntExact(stride), frames);
            } catch (IOException e) {
                throw new CorruptFileException(mib, "data", "a file that can be memory-mapped", e.toString(), e);
            }
        } else {
            mf = new MappedFrames(mib, src, 0, stride, Math.toIntExact(stride), frames);
        }
        try {
            Shape nav = navShape(mib, options, hdr, h, mf, frames, meta);
            meta.put("detector", "Quantum Detectors Merlin" + (h.chips == 4 ? " Quad" : ""));
            meta.put("pixel_type", h.pixelType);
            if (h.counterDepth != null) meta.put("counter_depth", h.counterDepth);
            meta.put("chips", Integer.toString(h.chips));
            meta.put("chip_layout", h.layout);
            meta.put("frame_header_bytes", Integer.toString(h.headerSize));
            meta.put("frames_in_file", Long.toString(frames));
            meta.put("orientation", "file order: row 0 = first stored row, not flipped (rosettasciio flips rows)");
            if (h.exposureS != null) meta.put("exposure_s", h.exposureS);
            if (h.shutterS != null) meta.put("shutter_s", h.shutterS);
            if (h.timestamp != null) {
                meta.put("timestamp", h.timestamp);
                meta.put("timestamp_first", h.timestamp);
            }
            if (frames > 1) {
                String last = MibHeader.timestampOf(record(mf, frames - 1, h.headerSize));
                if (last != null) meta.put("timestamp_last", last);
            }
            if (h.localTime != null) meta.put("local_time_first", h.localTime);
            if (h.gain != null) meta.put("gain", h.gain);
            if (h.thresholds != null) meta.put("thresholds_keV", h.thresholds);
            for (Map.Entry<String, String> e : hdr.entrySet()) meta.put("hdr." + e.getKey(), e.getValue());
            return new MappedDataset(mib, name(), nav, Shape.of(h.height, h.width), dtype, ByteOrder.BIG_ENDIAN,
                    Calibration.none(), meta, mf, h.headerSize, MAGIC);
        } catch (RuntimeException e) {
            mf.close();
            throw e;
        }
    }

    private static byte[] record(MappedFrames mf, long frame, int headerSize) {
        byte[] b = new byte[headerSize];
        mf.copy(frame, 0, b, 0, headerSize);
        return b;
    }

    private static Shape navShape(Path mib, Parameters options, Map<String, String> hdr, MibHeader h, MappedFrames mf,
            long frames, Map<String, String> meta) {
        int[] sc = options.intList(SCAN, 2).orElse(null);
        if (sc != null) {
            if (sc[0] <= 0 || sc[1] <= 0) throw new InvalidParameterException(SCAN, "two positive integers Y,X", options.string(SCAN, ""));
            check(mib, SCAN, (long) sc[0] * sc[1], frames);
            meta.put("scan_shape_source", "scan-shape option");
            return Shape.of(sc);
        }
        Integer sx = intOf(mib, hdr, "ScanX");
        Integer sy = intOf(mib, hdr, "ScanY");
        if (sx != null && sy != null && sx > 0 && sy > 0) {
            check(mib, ".hdr ScanX/ScanY", (long) sx * sy, frames);
            meta.put("scan_shape_source", ".hdr ScanX/ScanY");
            return Shape.of(sy, sx);
        }
        Integer inAcq = intOf(mib, hdr, "Frames in Acquisition (Number)");
        long n = frames;
        if (inAcq != null && inAcq > 0) {
            check(mib, ".hdr Frames in Acquisition (Number)", inAcq, frames);
            n = inAcq;
        }
        Integer fpt = intOf(mib, hdr, "Frames per Trigger (Number)");
        if (fpt != null && fpt > 1 && n % fpt == 0) {
            meta.put("scan_shape_source", ".hdr Frames per Trigger (Number)");
            return Shape.of(Math.toIntExact(n / fpt), fpt);
        }
        int w = widthFromTimestamps(mf, h.headerSize, n);
        if (w > 0) {
            meta.put("scan_shape_source", "frame timestamps (line flyback)");
            return Shape.of(Math.toIntExact(n / w), w);
        }
        meta.put("scan_shape_source", "none: one scan row of all frames");
        return Shape.of(1, Math.toIntExact(n));
    }

    private static void check(Path mib, String field, long want, long frames) {
        if (want > frames) {
            throw new TruncatedFileException(mib, field, want + " frames", frames + " frames in the file");
        }
    }

    /** The scan width from the timestamps' line-flyback pattern, or 0 when there is no clear one. */
    static int widthFromTimestamps(MappedFrames mf, int headerSize, long n) {
        int m = (int) Math.min(n, TIMESTAMP_SAMPLE + 1);
        if (m < 4) return 0;
        long[] t = new long[m];
        byte[] buf = new byte[headerSize];
        for (int i = 0; i < m; i++) {
            mf.copy(i, 0, buf, 0, headerSize);
            String ts = MibHeader.timestampOf(buf);
            if (ts == null) return 0;
            try {
                Instant in = Instant.parse(ts);
                t[i] = in.getEpochSecond() * 1_000_000_000L + in.getNano();
            } catch (DateTimeParseException e) {
                return 0;
            }
        }
        long[] dt = new long[m - 1];
        for (int i = 0; i < m - 1; i++) dt[i] = t[i + 1] - t[i];
        for (int w = 2; w <= dt.length; w++) {
            if (n % w != 0 || n / w < 2) continue;
            long minEnd = Long.MAX_VALUE;
            long maxIn = Long.MIN_VALUE;
            long minIn = Long.MAX_VALUE;
            int ends = 0;
            for (int j = 0; j < dt.length; j++) {
                if (j % w == w - 1) {
                    minEnd = Math.min(minEnd, dt[j]);
                    ends++;
                } else {
                    maxIn = Math.max(maxIn, dt[j]);
                    minIn = Math.min(minIn, dt[j]);
                }
            }
            if (ends == 0 || maxIn == Long.MIN_VALUE) continue;
            long gap = minEnd - maxIn;
            if (gap > 1_000 && gap > 10 * (maxIn - minIn)) return w;
        }
        return 0;
    }

    private static Integer intOf(Path mib, Map<String, String> hdr, String key) {
        String v = hdr.get(key);
        if (v == null) return null;
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw new CorruptFileException(sibling(mib, ".hdr"), key, "an integer", v);
        }
    }

    static Path sibling(Path file, String suffix) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return file.resolveSibling((dot > 0 ? n.substring(0, dot) : n) + suffix);
    }

    /** The {@code Key:\tValue} lines of a .hdr between {@code HDR,} and {@code End}; empty when absent. */
    static Map<String, String> readHdr(Path hdr) {
        Map<String, String> m = new LinkedHashMap<>();
        if (!Files.isRegularFile(hdr)) return m;
        String text;
        try {
            if (Files.size(hdr) > 1 << 20) return m;
            text = new String(Files.readAllBytes(hdr), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new InvalidInputException(hdr, "file", "a readable .hdr", e.toString(), e);
        }
        for (String line : text.split("\r?\n")) {
            String l = line.replace("\0", "").trim();
            if (l.startsWith("HDR") || l.startsWith("End")) continue;
            int c = l.indexOf(":\t");
            if (c <= 0) c = l.indexOf(':');
            if (c <= 0) continue;
            m.put(l.substring(0, c).trim(), l.substring(c + 1).trim());
        }
        return m;
    }
}
