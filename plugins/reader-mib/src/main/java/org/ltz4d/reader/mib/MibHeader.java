package org.ltz4d.reader.mib;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.TruncatedFileException;

/**
 * One Merlin frame header: comma-separated ASCII, {@code MQ1,seq,offset,chips,width,height,type,
 * layout,chipselect,localtime,shutter,counter,colour,gain,thresholds...,[DACs],MQ1A,isotime,
 * exposure ns,depth,} padded with spaces/NULs to the header size (field 2).
 */
final class MibHeader {
    final int headerSize;
    final int chips;
    final int width;
    final int height;
    final String pixelType;
    final String layout;
    final String localTime;
    final String shutterS;
    final String gain;
    final String thresholds;
    final String timestamp;
    final String exposureS;
    final String counterDepth;

    private MibHeader(String[] f, int headerSize, String timestamp, String exposureS, String counterDepth, Path file) {
        this.headerSize = headerSize;
        this.chips = intField(file, f, 3, "number of chips");
        this.width = intField(file, f, 4, "width");
        this.height = intField(file, f, 5, "height");
        this.pixelType = f[6].trim();
        this.layout = f[7].trim();
        this.localTime = f.length > 9 ? f[9].trim() : null;
        this.shutterS = f.length > 10 ? f[10].trim() : null;
        this.gain = f.length > 13 ? f[13].trim() : null;
        StringBuilder th = new StringBuilder();
        for (int i = 14; i < Math.min(22, f.length); i++) th.append(i > 14 ? "," : "").append(f[i].trim());
        this.thresholds = th.length() == 0 ? null : th.toString();
        this.timestamp = timestamp;
        this.exposureS = exposureS;
        this.counterDepth = counterDepth;
        if (width <= 0 || height <= 0) {
            throw new CorruptFileException(file, "frame 0 header: width/height", "positive sizes", width + "×" + height);
        }
    }

    static MibHeader parse(Path file, byte[] head, int len) {
        if (len < 4 || head[0] != 'M' || head[1] != 'Q' || head[2] != '1' || head[3] != ',') {
            throw new CorruptFileException(file, "frame 0 header magic", "'MQ1,' (a Merlin .mib frame header)",
                    len < 4 ? len + " bytes" : "'" + printable(head, Math.min(len, 8)) + "'");
        }
        String start = new String(head, 0, Math.min(len, 32), StandardCharsets.ISO_8859_1);
        String[] f0 = start.split(",");
        int hs;
        try {
            hs = Integer.parseInt(f0[2].trim());
        } catch (RuntimeException e) {
            throw new CorruptFileException(file, "frame 0 header: header size (field 2)", "an integer such as 00384 or 00768", start);
        }
        if (hs < 64 || hs > 4096) {
            throw new CorruptFileException(file, "frame 0 header: header size (field 2)", "64..4096 bytes", Integer.toString(hs));
        }
        if (len < hs) {
            throw new TruncatedFileException(file, "frame 0 header", hs + " header bytes", len + " bytes");
        }
        String text = new String(head, 0, hs, StandardCharsets.ISO_8859_1);
        String[] f = text.split(",", -1);
        if (f.length < 8) {
            throw new CorruptFileException(file, "frame 0 header", "at least 8 comma-separated fields", f.length + " fields");
        }
        String ts = null;
        String exp = null;
        String depth = null;
        for (int i = 0; i < f.length; i++) {
            if (f[i].trim().equals("MQ1A")) {
                if (i + 1 < f.length) ts = f[i + 1].trim();
                if (i + 2 < f.length) exp = exposureSeconds(f[i + 2].trim());
                if (i + 3 < f.length) depth = f[i + 3].trim();
                break;
            }
        }
        return new MibHeader(f, hs, ts, exp, depth, file);
    }

    /** The ISO timestamp after {@code MQ1A} in a header, or null. */
    static String timestampOf(byte[] header) {
        String text = new String(header, StandardCharsets.ISO_8859_1);
        int i = text.indexOf(",MQ1A,");
        if (i < 0) return null;
        int s = i + 6;
        int e = text.indexOf(',', s);
        return e < 0 ? null : text.substring(s, e).trim();
    }

    /** "100000000ns" → "0.1". */
    private static String exposureSeconds(String v) {
        if (!v.endsWith("ns")) return null;
        try {
            return java.math.BigDecimal.valueOf(Long.parseLong(v.substring(0, v.length() - 2).trim())).movePointLeft(9)
                    .stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int intField(Path file, String[] f, int i, String what) {
        try {
            return Integer.parseInt(f[i].trim());
        } catch (RuntimeException e) {
            throw new CorruptFileException(file, "frame 0 header: " + what + " (field " + i + ")", "an integer",
                    i < f.length ? "'" + f[i] + "'" : "missing");
        }
    }

    private static String printable(byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xFF;
            sb.append(c >= 32 && c < 127 ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return sb.toString();
    }
}
