package org.ltz4d.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small datasets for in-framework tests, written as .npy (uint16, little-endian). */
final class TestData {
    private TestData() {
    }

    /** A (ny, nx, h, w) dataset where every pixel of frame i holds (i % 7) + 1. */
    static Path npy(Path dir, String name, int ny, int nx, int h, int w) throws IOException {
        Path f = dir.resolve(name);
        String dict = "{'descr': '<u2', 'fortran_order': False, 'shape': (" + ny + ", " + nx + ", " + h + ", " + w + "), }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        try (OutputStream out = Files.newOutputStream(f)) {
            ByteBuffer pre = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
            pre.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
            out.write(pre.array());
            out.write(header.getBytes(StandardCharsets.ISO_8859_1));
            ByteBuffer frame = ByteBuffer.allocate(2 * h * w).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < ny * nx; i++) {
                frame.clear();
                for (int p = 0; p < h * w; p++) frame.putShort((short) (i % 7 + 1));
                out.write(frame.array());
            }
        }
        return f;
    }

    /** Pixels of an h×w frame whose centres lie at r0 ≤ r &lt; r1 from the frame's centre. */
    static int pixelsIn(int h, int w, double r0, double r1) {
        int n = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double r = Math.hypot(x - (w - 1) / 2.0, y - (h - 1) / 2.0);
                if (r >= r0 && r < r1) n++;
            }
        }
        return n;
    }
}
