package org.ltz4d.reader.blo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.io.testing.Bench;

/**
 * Read throughput of the blo reader against a plain sequential FileChannel read of the same file.
 * Not a unit test: run by hand (command in plugins/reader-mib/README.md):
 * {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt) org.ltz4d.reader.blo.BloReadBenchmark [MiB]}.
 * Writes a ~1.5 GiB blockfile of 256×256 uint8 patterns in /tmp. It is deleted afterwards. The file is in the page cache for every
 * measurement (it was just written), so this measures the reader's path, not the disk.
 */
@SuppressWarnings("unused")
public final class BloReadBenchmark {
    private BloReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long target = (args.length > 0 ? Long.parseLong(args[0]) : 1536L) << 20;
        Path dir = Bench.tempDir();
        try {
            Path f = dir.resolve("bench.blo");
            int dp = 256;
            int stride = 6 + dp * dp;
            long frames = target / stride;
            int nx = 100;
            int ny = (int) Math.min(65535, frames / nx);
            int off1 = 4096;
            int off2 = off1 + nx * ny;
            ByteBuffer h = ByteBuffer.allocate(off2).order(ByteOrder.LITTLE_ENDIAN);
            h.put("IMGBLO".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0x0102).putInt(off1).putInt(off2).putInt(0)
                    .putShort((short) dp).putShort((short) 0).putShort((short) nx).putShort((short) ny).putShort((short) 0)
                    .putDouble(2.0).putDouble(2.0).putInt(200000).putShort((short) 1000).putInt(1000).putDouble(45000.0);
            ByteBuffer rec = ByteBuffer.allocate(stride).order(ByteOrder.LITTLE_ENDIAN);
            rec.put((byte) 0xAA).put((byte) 0x55).putInt(0);
            for (int p = 0; p < dp * dp; p++) rec.put((byte) p);
            Bench.writeRecords(f, h.array(), rec, (long) nx * ny, (r, k) -> r.putInt(2, (int) k));
            try (Dataset ds = new BloReader().open(f, Parameters.empty())) {
                Bench.compare("blo", f, Files.size(f), ds, 64);
            }
        } finally {
            Bench.delete(dir);
        }
    }
}
