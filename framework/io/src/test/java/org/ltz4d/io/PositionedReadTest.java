package org.ltz4d.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.data.ByteSource;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.TruncatedFileException;

/**
 * Records read by position from a {@link ByteSource} (remote storage) give the same frames as the
 * memory-mapped file, read only the bytes asked for, and a short source is a typed error naming
 * the file and frame.
 */
class PositionedReadTest {
    @TempDir
    Path dir;

    /** A file source that counts the bytes read. */
    static final class Counted implements ByteSource {
        final FileByteSource in;
        final AtomicLong bytes = new AtomicLong();
        boolean closed;

        Counted(Path p) throws IOException {
            in = FileByteSource.open(p);
        }

        @Override public String name() { return in.name(); }
        @Override public long size() throws IOException { return in.size(); }

        @Override
        public void read(long position, ByteBuffer dst) throws IOException {
            bytes.addAndGet(dst.remaining());
            in.read(position, dst);
        }

        @Override
        public void close() throws IOException {
            closed = true;
            in.close();
        }
    }

    /** 6 records of a 16-byte header + 3×4 big-endian uint16 pixels, after a 100-byte file header; pixel i of frame k = 1000k + i. */
    private Path file() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(100 + 6 * (16 + 24)).order(ByteOrder.BIG_ENDIAN);
        b.position(100);
        for (int k = 0; k < 6; k++) {
            b.put("REC!".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(new byte[12]);
            for (int i = 0; i < 12; i++) b.putShort((short) (1000 * k + i));
        }
        return Files.write(dir.resolve("recs.bin"), b.array());
    }

    private static MappedDataset dataset(Path f, MappedFrames mf) {
        return new MappedDataset(f, "recs", Shape.of(2, 3), Shape.of(3, 4), DType.UINT16, ByteOrder.BIG_ENDIAN, Calibration.none(),
                Map.of(), mf, 16, "REC!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void positionedReadsGiveTheMappedFramesAndOnlyTheBytesAsked() throws Exception {
        Path f = file();
        float[] mapped = new float[6 * 12];
        float[] read = new float[6 * 12];
        try (MappedDataset m = dataset(f, new MappedFrames(f, 100, 40, 40, 6))) {
            m.readFrames(0, 6, mapped, 0);
        }
        Counted src = new Counted(f);
        try (MappedDataset r = dataset(f, new MappedFrames(f, src, 100, 40, 40, 6))) {
            r.readFrames(0, 6, read, 0);
            assertEquals(6 * (16 + 24), src.bytes.get(), "each record (16-byte header with its magic, 24 bytes of pixels) once");
            float[] one = new float[12];
            r.readFrames(4, 1, one, 0);
            assertEquals(4000f + 11, one[11]);
        }
        assertArrayEquals(mapped, read);
        assertEquals(1005f, read[12 + 5]);
        assertTrue(src.closed, "the dataset closes its source");
    }

    @Test
    void aSourceShorterThanItsRecordsIsATypedErrorNamingTheFrame() throws Exception {
        Path f = file();
        Path cut = Files.write(dir.resolve("cut.bin"), java.util.Arrays.copyOf(Files.readAllBytes(f), 100 + 5 * 40 + 10));
        try (MappedDataset r = dataset(cut, new MappedFrames(cut, FileByteSource.open(cut), 100, 40, 40, 6))) {
            float[] d = new float[12];
            r.readFrames(4, 1, d, 0);
            TruncatedFileException e = assertThrows(TruncatedFileException.class, () -> r.readFrames(5, 1, d, 0));
            assertEquals(cut, e.file());
            assertTrue(e.field().contains("frame 5"), e.getMessage());
        }
    }
}
