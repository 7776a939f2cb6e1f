package org.ltz4d.reader.dm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.io.testing.Bench;

/**
 * Read throughput of the dm reader against a plain sequential FileChannel read of the same file.
 * Not a unit test: run by hand (command in plugins/reader-mib/README.md):
 * {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt) org.ltz4d.reader.dm.DmReadBenchmark [MiB]}.
 * Writes a ~1.5 GiB little-endian DM4 4-D dataset [256, 256, 100, N] of uint16 in /tmp. It is deleted afterwards. The file is in the page cache for every
 * measurement (it was just written), so this measures the reader's path, not the disk.
 */
@SuppressWarnings("unused")
public final class DmReadBenchmark {
    private DmReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long target = (args.length > 0 ? Long.parseLong(args[0]) : 1536L) << 20;
        Path dir = Bench.tempDir();
        try {
            Path f = dir.resolve("bench.dm4");
            int px = 256 * 256;
            long frames = target / (2L * px);
            int rx = 100;
            int ry = (int) (frames / rx);
            long n = (long) px * rx * ry;
            // the tag tree by hand: root { ImageList { [0] { ImageData { Data, DataType, Dimensions } } } }
            ByteBuffer h = ByteBuffer.allocate(1024).order(ByteOrder.BIG_ENDIAN);
            h.putInt(4).putLong(0).putInt(1);
            h.put((byte) 1).put((byte) 0).putLong(1); // root: 1 entry
            h.put((byte) 20).putShort((short) 9).put("ImageList".getBytes(StandardCharsets.US_ASCII)).putLong(0);
            h.put((byte) 1).put((byte) 0).putLong(1);
            h.put((byte) 20).putShort((short) 0).putLong(0);
            h.put((byte) 1).put((byte) 0).putLong(1);
            h.put((byte) 20).putShort((short) 9).put("ImageData".getBytes(StandardCharsets.US_ASCII)).putLong(0);
            h.put((byte) 1).put((byte) 0).putLong(3);
            h.put((byte) 21).putShort((short) 8).put("DataType".getBytes(StandardCharsets.US_ASCII)).putLong(0);
            h.put("%%%%".getBytes(StandardCharsets.US_ASCII)).putLong(1).putLong(3).order(ByteOrder.LITTLE_ENDIAN).putInt(10).order(ByteOrder.BIG_ENDIAN);
            h.put((byte) 20).putShort((short) 10).put("Dimensions".getBytes(StandardCharsets.US_ASCII)).putLong(0);
            h.put((byte) 1).put((byte) 0).putLong(4);
            for (int d : new int[] {256, 256, rx, ry}) {
                h.put((byte) 21).putShort((short) 0).putLong(0);
                h.put("%%%%".getBytes(StandardCharsets.US_ASCII)).putLong(1).putLong(5).order(ByteOrder.LITTLE_ENDIAN).putInt(d).order(ByteOrder.BIG_ENDIAN);
            }
            h.put((byte) 21).putShort((short) 4).put("Data".getBytes(StandardCharsets.US_ASCII)).putLong(0);
            h.put("%%%%".getBytes(StandardCharsets.US_ASCII)).putLong(3).putLong(20).putLong(4).putLong(n);
            ByteBuffer rec = ByteBuffer.allocate(2 * px).order(ByteOrder.LITTLE_ENDIAN);
            for (int p = 0; p < px; p++) rec.putShort((short) (p & 0xFFF));
            Bench.writeRecords(f, java.util.Arrays.copyOf(h.array(), h.position()), rec, (long) rx * ry, null);
            try (Dataset ds = new DmReader().open(f, Parameters.empty())) {
                Bench.compare("dm", f, Files.size(f), ds, 64);
            }
        } finally {
            Bench.delete(dir);
        }
    }
}
