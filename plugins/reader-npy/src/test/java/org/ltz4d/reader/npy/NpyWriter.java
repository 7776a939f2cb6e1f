package org.ltz4d.reader.npy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small .npy files for tests (format 1.0, C order). */
final class NpyWriter {
    private NpyWriter() {
    }

    /** {@code descr} like "<u2"; values are converted to that type. */
    static void write(Path file, String descr, int[] shape, double[] values) throws IOException {
        write(file, descr, shape, values, false);
    }

    static void write(Path file, String descr, int[] shape, double[] values, boolean fortran) throws IOException {
        StringBuilder sh = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) sh.append(shape[i]).append(shape.length == 1 || i < shape.length - 1 ? ", " : "");
        sh.append(")");
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + sh + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        int bytes = Integer.parseInt(descr.substring(2));
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + values.length * bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        b.order(order);
        char kind = descr.charAt(1);
        for (double v : values) {
            switch (kind + "" + bytes) {
                case "u1", "i1" -> b.put((byte) (long) v);
                case "u2", "i2" -> b.putShort((short) (long) v);
                case "u4", "i4" -> b.putInt((int) (long) v);
                case "f4" -> b.putFloat((float) v);
                case "f8" -> b.putDouble(v);
                default -> throw new IllegalArgumentException(descr);
            }
        }
        Files.write(file, b.array());
    }
}
