package org.ltz4d.reader.raw;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.io.testing.Bench;

/**
 * Read throughput of the raw reader against a plain sequential FileChannel read of the same file.
 * Not a unit test: run by hand (command in plugins/reader-mib/README.md):
 * {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt) org.ltz4d.reader.raw.RawReadBenchmark [MiB]}.
 * Writes a ~1.5 GiB little-endian uint16 file of 256×256 frames in /tmp. It is deleted afterwards. The file is in the page cache for every
 * measurement (it was just written), so this measures the reader's path, not the disk.
 */
@SuppressWarnings("unused")
public final class RawReadBenchmark {
    private RawReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long target = (args.length > 0 ? Long.parseLong(args[0]) : 1536L) << 20;
        Path dir = Bench.tempDir();
        try {
            Path f = dir.resolve("bench.raw");
            int px = 256 * 256;
            long frames = target / (2L * px);
            frames -= frames % 100;
            ByteBuffer rec = ByteBuffer.allocate(2 * px).order(ByteOrder.LITTLE_ENDIAN);
            for (int p = 0; p < px; p++) rec.putShort((short) (p & 0xFFF));
            Bench.writeRecords(f, new byte[0], rec, frames, null);
            try (Dataset ds = new RawReader().open(f, Parameters.of(Map.of("raw-shape", (frames / 100) + ",100,256,256",
                    "raw-dtype", "uint16", "raw-byte-order", "little")))) {
                Bench.compare("raw", f, Files.size(f), ds, 64);
            }
        } finally {
            Bench.delete(dir);
        }
    }
}
