package org.ltz4d.derivers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.error.UnsupportedFormatException;

/**
 * A minimal reader of a 2D NumPy {@code .npy} map (format versions 1–3; float32/64, int8–64,
 * uint8–32, either byte order, C or Fortran order) into row-major floats. Small maps only (a
 * thickness map of the scan's shape); the dataset readers handle large files.
 */
final class NpyMap {

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([fiu])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyMap() {
    }

    /** Reads {@code file}, which must hold a 2D array of shape {@code expected}. */
    static float[] read(Path file, Shape expected) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, pre, 0, file, "header");
            pre.flip();
            byte[] magic = new byte[6];
            pre.get(magic);
            if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
                throw new CorruptFileException(file, "magic", "\\x93NUMPY (a NumPy .npy file)", hex(magic));
            }
            int major = pre.get() & 255;
            pre.get();
            long headerLen;
            int headerStart;
            if (major == 1) {
                headerLen = pre.getShort(8) & 0xFFFF;
                headerStart = 10;
            } else if (major == 2 || major == 3) {
                headerLen = pre.getInt(8) & 0xFFFFFFFFL;
                headerStart = 12;
            } else {
                throw new UnsupportedFormatException(file, "version", "NPY format version 1, 2 or 3", Integer.toString(major));
            }
            if (headerLen > 1 << 20 || headerStart + headerLen > size) {
                throw new TruncatedFileException(file, "header", headerLen + " header bytes", (size - headerStart) + " bytes left");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, headerStart, file, "header");
            String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Matcher d = DESCR.matcher(header);
            if (!d.find()) throw new UnsupportedFormatException(file, "descr", "a numeric dtype such as '<f4' or '<f8'", header.trim());
            ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            char kind = d.group(2).charAt(0);
            int bytes = Integer.parseInt(d.group(3));
            boolean okType = switch (kind) {
                case 'f' -> bytes == 4 || bytes == 8;
                case 'i' -> bytes == 1 || bytes == 2 || bytes == 4 || bytes == 8;
                case 'u' -> bytes == 1 || bytes == 2 || bytes == 4;
                default -> false;
            };
            String dtype = d.group(1) + kind + bytes;
            if (!okType) throw new UnsupportedFormatException(file, "descr", "float32/64 or a signed/unsigned integer type", dtype);
            Matcher f = FORTRAN.matcher(header);
            if (!f.find()) throw new CorruptFileException(file, "fortran_order", "True or False", header.trim());
            boolean fortran = f.group(1).equals("True");
            Matcher s = SHAPE.matcher(header);
            if (!s.find()) throw new CorruptFileException(file, "shape", "a shape tuple", header.trim());
            String[] parts = s.group(1).split(",");
            long[] dims = new long[parts.length];
            int rank = 0;
            for (String p : parts) {
                if (p.isBlank()) continue;
                try {
                    dims[rank++] = Long.parseLong(p.trim());
                } catch (NumberFormatException e) {
                    throw new CorruptFileException(file, "shape", "integers", s.group(1));
                }
            }
            String found = "(" + s.group(1).trim() + ")";
            if (rank != 2 || dims[0] != expected.rows() || dims[1] != expected.cols()) {
                throw new ShapeMismatchException(file, "shape", "a 2D map of the scan's shape " + expected, found);
            }
            int rows = (int) dims[0];
            int cols = (int) dims[1];
            long dataStart = headerStart + headerLen;
            long need = (long) rows * cols * bytes;
            if (size - dataStart < need) {
                throw new TruncatedFileException(file, "data", need + " bytes of " + dtype, (size - dataStart) + " bytes");
            }
            ByteBuffer data = ByteBuffer.allocate((int) need).order(order);
            readFully(ch, data, dataStart, file, "data");
            data.flip();
            float[] out = new float[rows * cols];
            for (int k = 0; k < out.length; k++) {
                double v = switch (kind) {
                    case 'f' -> bytes == 4 ? data.getFloat() : data.getDouble();
                    case 'i' -> bytes == 1 ? data.get() : bytes == 2 ? data.getShort() : bytes == 4 ? data.getInt() : (double) data.getLong();
                    default -> bytes == 1 ? data.get() & 0xFF : bytes == 2 ? data.getShort() & 0xFFFF : data.getInt() & 0xFFFFFFFFL;
                };
                int dst = fortran ? (k % rows) * cols + k / rows : k;
                out[dst] = (float) v;
            }
            return out;
        } catch (IOException e) {
            throw new InvalidInputException(file, "file", "a readable .npy file", e.toString(), e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos, Path file, String field) throws IOException {
        long p = pos;
        while (b.hasRemaining()) {
            int r = ch.read(b, p);
            if (r < 0) throw new TruncatedFileException(file, field, b.capacity() + " bytes at offset " + pos, "end of file");
            p += r;
        }
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(String.format("%02x", x & 255));
        return "0x" + sb;
    }
}
