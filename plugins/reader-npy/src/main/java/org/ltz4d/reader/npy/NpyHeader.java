package org.ltz4d.reader.npy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ltz4d.api.data.ByteSource;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.error.UnsupportedFormatException;

/**
 * The header of a NumPy {@code .npy} file (format versions 1.0, 2.0 and 3.0): magic
 * {@code \x93NUMPY}, version, header length, and a Python dict literal with {@code descr},
 * {@code fortran_order} and {@code shape}.
 */
record NpyHeader(DType dtype, ByteOrder order, int[] shape, long dataOffset) {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-zA-Z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    static boolean hasMagic(ByteBuffer head) {
        if (head.remaining() < MAGIC.length) return false;
        for (int i = 0; i < MAGIC.length; i++) if (head.get(head.position() + i) != MAGIC[i]) return false;
        return true;
    }

    static NpyHeader read(Path file, ByteSource ch) throws IOException {
        long size = ch.size();
        if (size == 0) throw new TruncatedFileException(file, "header", "a NumPy .npy header", "an empty file");
        ByteBuffer pre = ByteBuffer.allocate((int) Math.min(12, size)).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(0, pre);
        pre.flip();
        if (!hasMagic(pre)) throw new CorruptFileException(file, "magic", "\\x93NUMPY", "other bytes");
        if (pre.remaining() < 10) throw new TruncatedFileException(file, "header", "at least 10 header bytes", size + " bytes");
        int major = pre.get(6) & 0xff;
        int headerLen;
        int lenBytes;
        if (major == 1) {
            headerLen = pre.getShort(8) & 0xffff;
            lenBytes = 2;
        } else if (major == 2 || major == 3) {
            if (pre.limit() < 12) throw new TruncatedFileException(file, "header", "12 header bytes", size + " bytes");
            long l = pre.getInt(8) & 0xffffffffL;
            if (l > 1 << 24) throw new CorruptFileException(file, "header length", "< 16 MiB", l + " bytes");
            headerLen = (int) l;
            lenBytes = 4;
        } else {
            throw new UnsupportedFormatException(file, "version", "NPY format version 1, 2 or 3", major + "." + (pre.get(7) & 0xff));
        }
        long dataOffset = 8 + lenBytes + headerLen;
        if (dataOffset > size) throw new TruncatedFileException(file, "header", dataOffset + " header bytes", size + " bytes in the file");
        ByteBuffer hb = ByteBuffer.allocate(headerLen);
        ch.read(8 + lenBytes, hb);
        String dict = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return parse(file, dict, dataOffset);
    }

    static NpyHeader parse(Path file, String dict, long dataOffset) {
        Matcher d = DESCR.matcher(dict);
        if (!d.find()) throw new CorruptFileException(file, "descr", "a simple dtype such as '<u2'", dict.trim());
        ByteOrder order = switch (d.group(1)) {
            case ">" -> ByteOrder.BIG_ENDIAN;
            case "=" -> ByteOrder.nativeOrder();
            default -> ByteOrder.LITTLE_ENDIAN; // '<', or '|' for single bytes
        };
        DType dtype = dtype(file, d.group(2), Integer.parseInt(d.group(3)), d.group(0));
        Matcher f = FORTRAN.matcher(dict);
        if (f.find() && f.group(1).equals("True")) {
            throw new UnsupportedFormatException(file, "fortran_order", "C (row-major) order", "Fortran order; save with np.ascontiguousarray");
        }
        Matcher s = SHAPE.matcher(dict);
        if (!s.find()) throw new CorruptFileException(file, "shape", "a shape tuple", dict.trim());
        String[] parts = s.group(1).split(",");
        int n = 0;
        int[] tmp = new int[parts.length];
        for (String p : parts) {
            if (p.isBlank()) continue;
            try {
                long v = Long.parseLong(p.trim().replace("L", ""));
                if (v <= 0 || v > Integer.MAX_VALUE) throw new NumberFormatException();
                tmp[n++] = (int) v;
            } catch (NumberFormatException e) {
                throw new CorruptFileException(file, "shape", "positive integers", "(" + s.group(1) + ")");
            }
        }
        int[] shape = java.util.Arrays.copyOf(tmp, n);
        return new NpyHeader(dtype, order, shape, dataOffset);
    }

    private static DType dtype(Path file, String kind, int bytes, String descr) {
        DType t = switch (kind + bytes) {
            case "u1" -> DType.UINT8;
            case "i1" -> DType.INT8;
            case "b1" -> DType.BOOL;
            case "u2" -> DType.UINT16;
            case "i2" -> DType.INT16;
            case "u4" -> DType.UINT32;
            case "i4" -> DType.INT32;
            case "u8" -> DType.UINT64;
            case "i8" -> DType.INT64;
            case "f4" -> DType.FLOAT32;
            case "f8" -> DType.FLOAT64;
            default -> null;
        };
        if (t == null) {
            throw new UnsupportedFormatException(file, "descr", "one of u1, i1, b1, u2, i2, u4, i4, u8, i8, f4, f8", descr);
        }
        return t;
    }

    static InvalidInputException io(Path file, IOException e) {
        return new InvalidInputException(file, "file", "a readable .npy file", e.getMessage(), e);
    }
}
