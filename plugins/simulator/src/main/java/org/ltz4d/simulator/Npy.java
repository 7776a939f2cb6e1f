package org.ltz4d.simulator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Minimal NPY v1.0 writer (little-endian, C order), header padded to 64 bytes. */
final class Npy {
    private Npy() {
    }

    /** The complete header (magic, version, length, dict, padding, newline) for {@code descr} and {@code shape}. */
    static byte[] header(String descr, long... shape) {
        StringBuilder s = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) s.append(i > 0 ? ", " : "").append(shape[i]);
        if (shape.length == 1) s.append(',');
        s.append("), }");
        int total = 10 + s.length() + 1;
        int pad = (64 - total % 64) % 64;
        s.append(" ".repeat(pad)).append('\n');
        byte[] dict = s.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(10 + dict.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) dict.length).put(dict);
        return b.array();
    }

    /** Writes a float32 array of the given shape. */
    static void writeFloat32(Path file, float[] values, long... shape) throws IOException {
        byte[] h = header("<f4", shape);
        ByteBuffer b = ByteBuffer.allocate(h.length + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(h);
        for (float v : values) b.putFloat(v);
        b.flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (b.hasRemaining()) ch.write(b);
        }
    }
}
