package org.ltz4d.reader.empad;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.io.testing.Bench;

/**
 * Read throughput of the empad reader against a plain sequential FileChannel read of the same file.
 * Not a unit test: run by hand (command in plugins/reader-mib/README.md):
 * {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt) org.ltz4d.reader.empad.EmpadReadBenchmark [MiB]}.
 * Writes a ~1.5 GiB EMPAD raw (130×128 float32 records) named scan_x100_yN.raw in /tmp. It is deleted afterwards. The file is in the page cache for every
 * measurement (it was just written), so this measures the reader's path, not the disk.
 */
@SuppressWarnings("unused")
public final class EmpadReadBenchmark {
    private EmpadReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long target = (args.length > 0 ? Long.parseLong(args[0]) : 1536L) << 20;
        Path dir = Bench.tempDir();
        try {
            long frames = target / EmpadReader.RECORD;
            int nx = 100;
            int ny = (int) (frames / nx);
            Path f = dir.resolve("scan_x" + nx + "_y" + ny + ".raw");
            ByteBuffer rec = ByteBuffer.allocate(EmpadReader.RECORD).order(ByteOrder.LITTLE_ENDIAN);
            for (int p = 0; p < 130 * 128; p++) rec.putFloat(p * 0.5f);
            Bench.writeRecords(f, new byte[0], rec, (long) nx * ny, null);
            try (Dataset ds = new EmpadReader().open(f, Parameters.empty())) {
                Bench.compare("empad", f, Files.size(f), ds, 64);
            }
        } finally {
            Bench.delete(dir);
        }
    }
}
