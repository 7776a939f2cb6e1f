package org.ltz4d.reader.mrc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.io.testing.Bench;

/**
 * Read throughput of the MRC reader on a generated 1 GiB file (mode 6, 8192 frames of 256×256,
 * scan 64×128) against a plain sequential read; the file is deleted afterwards. Not a unit test:
 * {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt) org.ltz4d.reader.mrc.MrcBenchmark [frames]}.
 */
public final class MrcBenchmark {
    public static void main(String[] args) throws Exception {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 8192;
        int n = 256;
        Path f = Files.createTempFile(Path.of("/tmp"), "ltz4d-bench-", ".mrc");
        try {
            ByteBuffer h = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0, n).putInt(4, n).putInt(8, frames).putInt(12, 6).putInt(28, n).putInt(32, n).putInt(36, frames);
            h.put(208, (byte) 'M').put(209, (byte) 'A').put(210, (byte) 'P').put(211, (byte) ' ').put(212, (byte) 0x44).put(213, (byte) 0x44);
            ByteBuffer frame = ByteBuffer.allocateDirect(n * n * 2).order(ByteOrder.LITTLE_ENDIAN);
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.write(h);
                for (int k = 0; k < frames; k++) {
                    frame.clear();
                    for (int i = 0; i < n * n; i++) frame.putShort((short) ((i * 31 + k * 7) & 0xFFF));
                    frame.flip();
                    while (frame.hasRemaining()) ch.write(frame);
                }
            }
            int scanY = frames / 128 > 0 && frames % 128 == 0 ? frames / 128 : frames;
            int scanX = scanY == frames ? 1 : 128;
            try (Dataset d = new MrcReader().open(f, Parameters.single("scan-shape", scanY + "," + scanX))) {
                Bench.compare("MRC mode 6 (uint16)", f, (long) frames * n * n * 2, d, 16);
            }
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
