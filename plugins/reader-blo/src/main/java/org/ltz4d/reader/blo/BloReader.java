package org.ltz4d.reader.blo;

import org.ltz4d.io.FormatReader;
import org.ltz4d.io.MappedDataset;
import org.ltz4d.io.FileByteSource;
import org.ltz4d.io.MappedFrames;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ltz4d.api.data.ByteSource;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.error.UnsupportedFormatException;
import org.ltz4d.api.param.Parameters;
import org.osgi.service.component.annotations.Component;

/**
 * NanoMegas ASTAR blockfiles ({@code .blo}): a 240-byte little-endian header ({@code IMGBLO},
 * magic 0x0102, data offsets, pattern size DP_SZ, scan NX × NY, scan rotation in 0.01°, steps SX/SY
 * in nm, beam energy in V, SDP, camera length in 0.1 mm, acquisition time as an Excel serial day),
 * a note (latin-1) up to Data_offset_1, a virtual bright field of NX·NY bytes, and from
 * Data_offset_2 (trusted as written; test1.blo has 4112, not the writer's formula) NX·NY records of
 * {@code AA 55}, a u32 frame index and DP_SZ² uint8 pixels, row-major in (NY, NX) scan order.
 *
 * <p>Axis convention: frames as stored, row-major (det_y, det_x), nothing flipped; nav shape
 * (NY, NX). Calibration: scan step (SY, SX) nm, beam energy, camera length, scan rotation. The
 * detector pixel is <em>not</em> set: the header's pattern scale 100/SDP is in a unit the format
 * does not define (rosettasciio labels it "cm"); it is kept as metadata {@code dp_scale_per_px}
 * and the user gives {@code --pixel-mrad} or {@code --pixel-inv-angstrom}.
 */
@Component(service = DatasetReader.class)
public final class BloReader extends FormatReader {
    static final int HEADER_BYTES = 240;
    private static final byte[] ID = "IMGBLO".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECORD_MAGIC = {(byte) 0xAA, 0x55};
    private static final int RECORD_HEADER = 6;

    public BloReader() {
        super("blo", "blo");
    }

    @Override
    protected double confidence(Probe p) {
        if (p.startsWith(ID)) return 1.0;
        return p.hasSuffix() ? 0.3 : 0.0;
    }

    @Override
    public Dataset open(Path file, Parameters options) {
        return open(file, null, options);
    }

    /** A blockfile on remote storage ({@code hdfs://}): header and frames read by position from {@code source}; local when it is null. */
    @Override
    public Dataset open(Path file, ByteSource source, Parameters options) {
        long size;
        ByteBuffer h = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (source != null) {
                size = head(source, h);
            } else {
                try (FileByteSource ch = FileByteSource.open(file)) {
                    size = head(ch, h);
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException(file, "file", "a readable file", e.toString(), e);
        }
        int got = h.position();
        if (size == 0) throw new TruncatedFileException(file, "header", "a " + HEADER_BYTES + "-byte blockfile header", "an empty file (0 bytes)");
        for (int i = 0; i < ID.length; i++) {
            if (i >= got || h.get(i) != ID[i]) {
                throw new CorruptFileException(file, "header ID", "'IMGBLO' (a NanoMegas blockfile)",
                        "'" + new String(h.array(), 0, Math.min(got, 6), StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", "?") + "'");
            }
        }
        if (got < HEADER_BYTES) throw new TruncatedFileException(file, "header", HEADER_BYTES + " bytes", size + " bytes");
        int magic = Short.toUnsignedInt(h.getShort(6));
        if (magic != 0x0102) {
            throw new UnsupportedFormatException(file, "header MAGIC", "0x0102 (the blockfile version this reader knows)", String.format("0x%04X", magic));
        }
        long off1 = Integer.toUnsignedLong(h.getInt(8));
        long off2 = Integer.toUnsignedLong(h.getInt(12));
        int dp = Short.toUnsignedInt(h.getShort(20));
        int dpRot = Short.toUnsignedInt(h.getShort(22));
        int nx = Short.toUnsignedInt(h.getShort(24));
        int ny = Short.toUnsignedInt(h.getShort(26));
        int scanRot = Short.toUnsignedInt(h.getShort(28));
        double sx = h.getDouble(30);
        double sy = h.getDouble(38);
        long beamV = Integer.toUnsignedLong(h.getInt(46));
        int sdp = Short.toUnsignedInt(h.getShort(50));
        long camLen = Integer.toUnsignedLong(h.getInt(52));
        double acq = h.getDouble(56);
        if (dp == 0) throw new CorruptFileException(file, "header DP_SZ", "a pattern size > 0", "0");
        if (nx == 0 || ny == 0) throw new CorruptFileException(file, "header NX/NY", "a scan of at least 1×1", nx + "×" + ny);
        if (off2 < HEADER_BYTES || off1 < HEADER_BYTES) {
            throw new CorruptFileException(file, "header Data_offset_1/Data_offset_2", "offsets ≥ " + HEADER_BYTES, off1 + "/" + off2);
        }
        long frames = (long) nx * ny;
        long stride = RECORD_HEADER + (long) dp * dp;
        // compared by division: off2 + frames·stride can pass 2^63 (NX, NY, DP_SZ up to 65535 each) and wrap negative
        if (off2 > size || frames > (size - off2) / stride) {
            long whole = Math.max(0, (size - off2) / stride);
            String need = frames > (Long.MAX_VALUE - off2) / stride ? "more than 2^63" : Long.toString(off2 + frames * stride);
            throw new TruncatedFileException(file, "frame " + whole, need + " bytes for " + ny + "×" + nx + " patterns of "
                    + dp + "×" + dp + " from Data_offset_2 " + off2, size + " bytes");
        }
        if (stride > MappedFrames.MAX_WINDOW) {
            throw new UnsupportedFormatException(file, "header DP_SZ", "patterns of at most " + MappedFrames.MAX_WINDOW + " bytes",
                    dp + "×" + dp);
        }
        Calibration.Builder cal = Calibration.builder();
        if (sx > 0 && sy > 0 && Double.isFinite(sx) && Double.isFinite(sy)) cal.scanStepNm(sy, sx);
        if (beamV > 0) cal.beamKv(beamV / 1000.0);
        if (camLen > 0) cal.cameraLengthMm(camLen * 0.1);
        cal.scanRotationDeg(scanRot * 0.01);

        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("detector", "NanoMegas ASTAR blockfile");
        meta.put("data_offset_1", Long.toString(off1));
        meta.put("data_offset_2", Long.toString(off2));
        meta.put("dp_rotation", Integer.toString(dpRot));
        meta.put("sdp", Integer.toString(sdp));
        if (sdp > 0) meta.put("dp_scale_per_px", Double.toString(100.0 / sdp));
        meta.put("dp_scale_unit", "undefined by the format (rosettasciio: cm)");
        meta.put("beam_energy_V", Long.toString(beamV));
        meta.put("camera_length_raw", Long.toString(camLen));
        meta.put("scan_rotation_raw", Integer.toString(scanRot));
        if (Double.isFinite(acq) && acq > 0) {
            meta.put("acquisition_time_excel_days", Double.toString(acq));
            meta.put("timestamp", excelToInstant(acq).toString());
        }
        int noteEnd = (int) Math.min(Math.min(off1, got), 4096);
        if (noteEnd > HEADER_BYTES) {
            String note = new String(h.array(), HEADER_BYTES, noteEnd - HEADER_BYTES, StandardCharsets.ISO_8859_1);
            int z = note.indexOf('\0');
            meta.put("note", z >= 0 ? note.substring(0, z) : note);
        }
        try {
            MappedFrames mf = source == null ? new MappedFrames(file, off2, stride, Math.toIntExact(stride), frames)
                    : new MappedFrames(file, source, off2, stride, Math.toIntExact(stride), frames);
            return new MappedDataset(file, name(), Shape.of(ny, nx), Shape.of(dp, dp), DType.UINT8, ByteOrder.LITTLE_ENDIAN,
                    cal.build(), meta, mf, RECORD_HEADER, RECORD_MAGIC);
        } catch (IOException e) {
            throw new CorruptFileException(file, "data", "a file that can be memory-mapped", e.toString(), e);
        }
    }

    /** Reads the first (up to) 4096 bytes into {@code h} (its position ends after them); returns the file's size. */
    private static long head(ByteSource ch, ByteBuffer h) throws IOException {
        long size = ch.size();
        h.limit((int) Math.min(h.capacity(), size));
        ch.read(0, h);
        h.limit(h.capacity());
        return size;
    }

    /** Excel serial day (days since 1899-12-30, fraction = time of day) → instant (no zone in the file; taken as UTC). */
    static Instant excelToInstant(double days) {
        double sinceEpoch = days - 25569.0;
        long millis = Math.round(sinceEpoch * 86_400_000.0);
        return Instant.ofEpochMilli(millis);
    }
}
