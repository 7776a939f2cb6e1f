package org.ltz4d.amorphous;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.error.UnsupportedFormatException;

/**
 * The user's detector mask ({@code --mask FILE.npy}): a 2D NumPy array of the detector's shape,
 * any boolean, integer or float dtype, C or Fortran order; nonzero (or NaN) = excluded from the
 * ring fits. A detector-sized file is small, so it is read whole.
 */
final class MaskFile {
    private static final Pattern HEADER = Pattern.compile(
            "'descr'\\s*:\\s*'([<>|=])([biuf])(\\d)'.*'fortran_order'\\s*:\\s*(True|False).*'shape'\\s*:\\s*\\(([^)]*)\\)", Pattern.DOTALL);

    private MaskFile() {
    }

    static boolean[] read(Path file, int rows, int cols) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidInputException(file, "mask", "a readable .npy file (the parameter 'mask')", e.toString(), e);
        }
        if (all.length < 12 || all[0] != (byte) 0x93 || !new String(all, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
            throw new CorruptFileException(file, "magic", "\\x93NUMPY (a NumPy .npy mask)", all.length + " bytes without it");
        }
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int major = all[6];
        int start = major == 1 ? 10 : 12;
        long len = major == 1 ? bb.getShort(8) & 0xFFFF : bb.getInt(8) & 0xFFFFFFFFL;
        if (start + len > all.length) throw new TruncatedFileException(file, "header", len + " header bytes", (all.length - start) + " bytes");
        String header = new String(all, start, (int) len, StandardCharsets.ISO_8859_1);
        Matcher m = HEADER.matcher(header);
        if (!m.find()) {
            throw new UnsupportedFormatException(file, "header", "a 2D boolean, integer or float array (descr, fortran_order, shape)", header.trim());
        }
        if (!m.group(5).replace(" ", "").equals(rows + "," + cols)) {
            throw new ShapeMismatchException(file, "shape", "a 2D mask of the detector's shape (" + rows + ", " + cols + ")",
                    "(" + m.group(5).trim() + ")");
        }
        char kind = m.group(2).charAt(0);
        int size = Integer.parseInt(m.group(3));
        boolean fortran = m.group(4).equals("True");
        ByteBuffer data = ByteBuffer.wrap(all, (int) (start + len), all.length - (int) (start + len)).slice()
                .order(m.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        long need = (long) rows * cols * size;
        if (data.remaining() < need) throw new TruncatedFileException(file, "data", need + " bytes", data.remaining() + " bytes");
        if (kind == 'f' && size != 4 && size != 8 || kind != 'f' && size != 1 && size != 2 && size != 4 && size != 8) {
            throw new UnsupportedFormatException(file, "descr", "bool, (u)int8–64, float32 or float64", m.group(1) + kind + size);
        }
        boolean[] out = new boolean[rows * cols];
        for (int k = 0; k < out.length; k++) {
            int at = k * size;
            boolean set = switch (kind) {
                case 'f' -> size == 4 ? data.getFloat(at) != 0 : data.getDouble(at) != 0; // NaN != 0: excluded
                default -> size == 1 ? data.get(at) != 0 : size == 2 ? data.getShort(at) != 0
                        : size == 4 ? data.getInt(at) != 0 : data.getLong(at) != 0;
            };
            out[fortran ? (k % rows) * cols + k / rows : k] = set;
        }
        return out;
    }
}
