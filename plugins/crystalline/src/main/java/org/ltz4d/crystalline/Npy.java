package org.ltz4d.crystalline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.UnsupportedFormatException;

/** Reads a probe pattern from a small .npy file (2D, or a stack whose leading axes are averaged). */
final class Npy {
    /** Pixels and shape: {@code data}, {@code rows}, {@code cols}. */
    record Image(float[] data, int rows, int cols) {
    }

    private Npy() {
    }

    static Image readMean(Path file) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidInputException(file, "file", "a readable .npy probe pattern", e.toString(), e);
        }
        if (!file.getFileName().toString().toLowerCase().endsWith(".npy")) {
            throw new UnsupportedFormatException(file, "suffix", "a .npy file holding the probe (vacuum / direct-beam) pattern", file.getFileName().toString());
        }
        if (all.length < 12 || (all[0] & 0xff) != 0x93 || all[1] != 'N') {
            throw new CorruptFileException(file, "magic", "\\x93NUMPY", "other bytes");
        }
        int major = all[6];
        int hlen = major == 1 ? (all[8] & 0xff) | (all[9] & 0xff) << 8 : ByteBuffer.wrap(all, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int start = major == 1 ? 10 : 12;
        String header = new String(all, start, hlen, java.nio.charset.StandardCharsets.ISO_8859_1);
        Matcher d = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'").matcher(header);
        Matcher s = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)").matcher(header);
        if (!d.find() || !s.find()) throw new CorruptFileException(file, "header", "'descr' and 'shape'", header.trim());
        if (header.contains("'fortran_order': True")) throw new UnsupportedFormatException(file, "fortran_order", "C order", "True");
        String[] parts = s.group(1).split(",");
        java.util.List<Integer> dims = new java.util.ArrayList<>();
        for (String p : parts) if (!p.isBlank()) dims.add(Integer.parseInt(p.trim()));
        if (dims.size() < 2) throw new InvalidInputException(file, "shape", "at least 2 dimensions (det_y, det_x)", s.group(1));
        int rows = dims.get(dims.size() - 2), cols = dims.get(dims.size() - 1);
        long frames = 1;
        for (int i = 0; i < dims.size() - 2; i++) frames *= dims.get(i);
        char kind = d.group(2).charAt(0);
        int size = Integer.parseInt(d.group(3));
        ByteBuffer bb = ByteBuffer.wrap(all, start + hlen, all.length - start - hlen)
                .order(d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        long need = frames * rows * cols * size;
        if (bb.remaining() < need) throw new CorruptFileException(file, "data", need + " bytes", bb.remaining() + " bytes");
        float[] out = new float[rows * cols];
        for (long f = 0; f < frames; f++) {
            for (int i = 0; i < rows * cols; i++) {
                double v = switch (kind + "" + size) {
                    case "f4" -> bb.getFloat();
                    case "f8" -> bb.getDouble();
                    case "u1" -> bb.get() & 0xff;
                    case "i1" -> bb.get();
                    case "u2" -> bb.getShort() & 0xffff;
                    case "i2" -> bb.getShort();
                    case "u4" -> bb.getInt() & 0xffffffffL;
                    case "i4" -> bb.getInt();
                    default -> throw new UnsupportedFormatException(file, "descr", "f4, f8, u1, i1, u2, i2, u4 or i4", d.group(0));
                };
                out[i] += (float) (v / frames);
            }
        }
        return new Image(out, rows, cols);
    }
}
