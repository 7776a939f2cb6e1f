package org.ltz4d.reader.ser;

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
 * Read throughput of the TIA reader on a generated ~1 GiB series (SeriesVersion 0x220, 64×128 scan of
 * 256×256 uint16 elements) against a plain sequential read; deleted afterwards.
 * {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt) org.ltz4d.reader.ser.SerBenchmark [scanY]}.
 */
public final class SerBenchmark {
    public static void main(String[] args) throws Exception {
        int ny = args.length > 0 ? Integer.parseInt(args[0]) : 64, nx = 128, n = 256;
        int elements = ny * nx;
        Path f = Files.createTempFile(Path.of("/tmp"), "ltz4d-bench-", "_1.ser");
        try {
            String[] desc = {"Scan X", "Scan Y"};
            int[] size = {nx, ny};
            ByteBuffer h = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
            h.putShort((short) 0x4949).putShort((short) 0x0197).putShort((short) 0x220).putInt(0x4122).putInt(0x4142)
                    .putInt(elements).putInt(elements).putLong(0).putInt(2);
            for (int i = 0; i < 2; i++) {
                h.putInt(size[i]).putDouble(0).putDouble(1e-9).putInt(0).putInt(desc[i].length())
                        .put(desc[i].getBytes(StandardCharsets.ISO_8859_1)).putInt(6).put("meters".getBytes(StandardCharsets.ISO_8859_1));
            }
            long offsetArray = h.position();
            h.putLong(22, offsetArray);
            h.flip();
            long record = 50 + (long) n * n * 2;
            long first = offsetArray + 16L * elements;
            long tags = first + record * elements;
            ByteBuffer offs = ByteBuffer.allocate(16 * elements).order(ByteOrder.LITTLE_ENDIAN);
            for (int e = 0; e < elements; e++) offs.putLong(8 * e, first + e * record).putLong(8 * (elements + e), tags + 22L * e);
            ByteBuffer el = ByteBuffer.allocateDirect((int) record).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer tag = ByteBuffer.allocate(22 * elements).order(ByteOrder.LITTLE_ENDIAN);
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.write(h);
                ch.write(offs);
                for (int e = 0; e < elements; e++) {
                    el.clear();
                    el.putDouble(0).putDouble(1e8).putInt(0).putDouble(0).putDouble(1e8).putInt(0).putShort((short) 2).putInt(n).putInt(n);
                    for (int i = 0; i < n * n; i++) el.putShort((short) ((i * 31 + e * 7) & 0xFFF));
                    el.flip();
                    while (el.hasRemaining()) ch.write(el);
                    tag.putShort((short) 0x4142).putInt(e).putDouble((e % nx) * 1e-9).putDouble((e / nx) * 1e-9);
                }
                tag.flip();
                ch.write(tag);
            }
            try (Dataset d = new SerReader().open(f, Parameters.empty())) {
                if (d.frameCount() != elements || d.navShape().dim(1) != nx) throw new AssertionError("shape " + d.navShape());
                Bench.compare("TIA .ser 0x220 (uint16)", f, (long) elements * n * n * 2, d, 16);
            }
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
