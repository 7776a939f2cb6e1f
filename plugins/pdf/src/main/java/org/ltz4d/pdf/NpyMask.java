package org.ltz4d.pdf;

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
 * Reads a detector mask from a NumPy {@code .npy} file: a 2D (det_y, det_x) array of bool (or
 * uint8/int8), C order; a non-zero value marks a pixel to leave out (dead, hot, beam stop).
 */
public final class NpyMask {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyMask() {
    }

    /** The mask as row-major booleans (true = leave out), checked against the detector shape. */
    public static boolean[] read(Path file, int detY, int detX) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidInputException(file, "file", "a readable .npy mask", e.toString(), e);
        }
        if (all.length < 10 || (all[0] & 0xff) != 0x93 || all[1] != 'N' || all[2] != 'U' || all[3] != 'M' || all[4] != 'P' || all[5] != 'Y') {
            throw new UnsupportedFormatException(file, "magic", "\\x93NUMPY (a NumPy .npy file)", "other bytes");
        }
        int major = all[6];
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = bb.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            headerLen = bb.getInt(8);
            start = 12;
        } else {
            throw new UnsupportedFormatException(file, "version", "npy format 1, 2 or 3", Integer.toString(major));
        }
        if (start + headerLen > all.length) throw new TruncatedFileException(file, "header", headerLen + " header bytes", (all.length - start) + " bytes");
        String header = new String(all, start, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) throw new CorruptFileException(file, "header", "descr, fortran_order and shape", header.trim());
        String descr = d.group(1);
        if (!(descr.equals("|b1") || descr.equals("|u1") || descr.equals("|i1"))) {
            throw new UnsupportedFormatException(file, "descr", "a bool mask (|b1, or |u1/|i1)", descr);
        }
        if (f.group(1).equals("True")) throw new UnsupportedFormatException(file, "fortran_order", "False (C order)", "True");
        String[] dims = s.group(1).split(",");
        int[] shape = new int[2];
        int n = 0;
        for (String dim : dims) {
            if (dim.isBlank()) continue;
            if (n == 2) throw new ShapeMismatchException(file, "shape", "(" + detY + ", " + detX + ")", "(" + s.group(1) + ")");
            shape[n++] = Integer.parseInt(dim.trim());
        }
        if (n != 2 || shape[0] != detY || shape[1] != detX) {
            throw new ShapeMismatchException(file, "shape", "(" + detY + ", " + detX + ") like the detector", "(" + s.group(1) + ")");
        }
        int data = start + headerLen;
        long need = (long) detY * detX;
        if (all.length - data < need) throw new TruncatedFileException(file, "data", need + " bytes", (all.length - data) + " bytes");
        boolean[] out = new boolean[(int) need];
        for (int i = 0; i < out.length; i++) out[i] = all[data + i] != 0;
        return out;
    }
}
