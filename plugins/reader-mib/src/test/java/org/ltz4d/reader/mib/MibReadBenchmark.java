package org.ltz4d.reader.mib;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.io.testing.Bench;

/**
 * Read throughput of the MIB reader against a plain sequential FileChannel read of the same file.
 * Not a unit test: run by hand (see plugins/reader-mib/README.md):
 * {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt) org.ltz4d.reader.mib.MibReadBenchmark [MiB]}.
 * Writes a ~1.5 GiB single-chip U16 file (256×256, 384-byte headers) in /tmp and deletes it.
 * The file is in the page cache for every measurement (it was just written), so this measures
 * the reader's decoding path, not the disk.
 */
public final class MibReadBenchmark {
    private MibReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long target = (args.length > 0 ? Long.parseLong(args[0]) : 1536L) << 20;
        Path dir = Bench.tempDir();
        Path f = dir.resolve("bench.mib");
        try {
            int w = 256;
            int h = 256;
            int hs = 384;
            int stride = hs + w * h * 2;
            long frames = target / stride;
            frames -= frames % 100;
            ByteBuffer rec = ByteBuffer.allocate(stride).order(ByteOrder.BIG_ENDIAN);
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (long k = 0; k < frames; k++) {
                    rec.clear();
                    String header = String.format("MQ1,%06d,%05d,01,%04d,%04d,U16,   1x1,01,2021-04-15 14:43:00.835428,0.001000,0,0,0,"
                            + "MQ1A,2021-04-15T13:43:00.%09dZ,1000000ns,12,", k % 1_000_000, hs, w, h, (k * 1000) % 1_000_000_000);
                    byte[] hb = header.getBytes(StandardCharsets.US_ASCII);
                    rec.put(hb);
                    while (rec.position() < hs) rec.put((byte) ' ');
                    for (int p = 0; p < w * h; p++) rec.putShort((short) ((p + k) & 0xFFF));
                    rec.flip();
                    while (rec.hasRemaining()) ch.write(rec);
                }
            }
            try (Dataset ds = new MibReader().open(f, Parameters.single("scan-shape", (frames / 100) + ",100"))) {
                Bench.compare("mib", f, Files.size(f), ds, 64);
            }
        } finally {
            Bench.delete(dir);
        }
    }
}
