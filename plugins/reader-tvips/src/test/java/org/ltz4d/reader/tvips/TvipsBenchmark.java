package org.ltz4d.reader.tvips;

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
 * Read throughput of the TVIPS reader on a generated ~1 GiB v2 recording (8192 frames of 256×256
 * uint16 with 60-byte frame headers, scan 64×128) against a plain sequential read; deleted afterwards.
 * {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt) org.ltz4d.reader.tvips.TvipsBenchmark [frames]}.
 */
public final class TvipsBenchmark {
    public static void main(String[] args) throws Exception {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 8192;
        int n = 256;
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "ltz4d-bench-");
        Path f = dir.resolve("bench_000.tvips");
        try {
            ByteBuffer h = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
            int[] head = {256, 2, n, n, 16, 0, 0, 1, 1, 1, 300, 1000, 60};
            for (int i = 0; i < head.length; i++) h.putInt(4 * i, head[i]);
            ByteBuffer frame = ByteBuffer.allocateDirect(60 + n * n * 2).order(ByteOrder.LITTLE_ENDIAN);
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(h);
                for (int k = 0; k < frames; k++) {
                    frame.clear();
                    frame.putInt(k);
                    frame.position(60);
                    for (int i = 0; i < n * n; i++) frame.putShort((short) ((i * 31 + k * 7) & 0xFFF));
                    frame.flip();
                    while (frame.hasRemaining()) ch.write(frame);
                }
            }
            try (Dataset d = new TvipsReader().open(f, Parameters.single("scan-shape", (frames / 128) + ",128"))) {
                Bench.compare("TVIPS v2 (uint16)", f, (long) frames * n * n * 2, d, 16);
            }
        } finally {
            Files.deleteIfExists(f);
            Files.deleteIfExists(dir);
        }
    }
}
