package org.ltz4d.reader.tvips;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.error.UnsupportedFormatException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.io.testing.Expected;
import org.ltz4d.io.testing.Frames;

class TvipsReaderTest {
    private final TvipsReader reader = new TvipsReader();
    @TempDir
    Path tmp;

    @Test
    void realFileHeaderFieldsShapeAndValues() throws IOException {
        String rel = "tvips/test_tvips_2345_000.tvips";
        Path f = Expected.file(rel);
        Map<String, Object> e = Expected.values(rel);
        assertEquals(1.0, reader.probe(f, ByteBuffer.wrap(Files.readAllBytes(f))));
        assertEquals((long) Expected.num(e.get("filesize")), Files.size(f));
        try (Dataset d = reader.open(f, Parameters.empty())) {
            for (String k : new String[] {"size", "version", "dimx", "dimy", "bitsperpixel", "pixelsize", "ht", "magtotal", "frameheaderbytes"}) {
                assertEquals(Integer.toString((int) Expected.num(e.get(k))), d.metadata().get("tvips." + k), k);
            }
            assertEquals(Shape.of(6, 1), d.navShape());
            assertEquals(Shape.of((int) Expected.num(e.get("dimy")), (int) Expected.num(e.get("dimx"))), d.sigShape());
            assertEquals(DType.UINT16, d.dtype());
            assertEquals(200.0, d.calibration().beamKv().getAsDouble(), 0);
            // HyperSpy's writer stored arange(120) as 6 frames of 4x5 (checked on the bytes)
            float[] all = new float[120];
            d.readFrames(0, 6, all, 0);
            for (int i = 0; i < 120; i++) assertEquals(i, all[i], 0);
            assertEquals(7140.0, Frames.sum(d), 0);
        }
    }

    @Test
    void splitSeriesReadsAsOneRecordingWithScanStart() throws IOException {
        Path single = Expected.file("tvips/test_tvips_2345_000.tvips");
        Path split = Expected.file("tvips/test_tvips_2345_split_000.tvips");
        try (Dataset a = reader.open(single, Parameters.empty()); Dataset b = reader.open(split, Parameters.empty())) {
            assertEquals("3", b.metadata().get("tvips.files"));
            assertEquals(a.navShape(), b.navShape());
            float[] fa = new float[120], fb = new float[120];
            a.readFrames(0, 6, fa, 0);
            b.readFrames(0, 6, fb, 0);
            assertArrayEquals(fa, fb);
        }
        // rosettasciio loads these with scan_shape=(2,2), scan_start_frame=2
        try (Dataset d = reader.open(split, Parameters.empty().with("scan-shape", "2,2").with("scan-start-frame", "2"))) {
            assertEquals(Shape.of(2, 2), d.navShape());
            float[] f0 = Frames.frame(d, 0);
            for (int i = 0; i < 20; i++) assertEquals(40 + i, f0[i], 0);
            assertEquals(100 + 19, Frames.frame(d, 3)[19], 0);
        }
        assertThrows(ShapeMismatchException.class,
                () -> reader.open(split, Parameters.empty().with("scan-shape", "2,2").with("scan-start-frame", "3")));
        Path cont = Expected.file("tvips/test_tvips_2345_split_001.tvips");
        InvalidInputException e = assertThrows(CorruptFileException.class, () -> reader.open(cont, Parameters.empty()));
        assertTrue(e.getMessage().contains("_000.tvips"), e.getMessage());
    }

    static byte[] recording(int version, int bpp, int dimx, int dimy, int frames, int frameHeader) {
        int bytes = bpp / 8;
        int fh = version == 1 ? 12 : frameHeader;
        ByteBuffer b = ByteBuffer.allocate(256 + frames * (fh + dimx * dimy * bytes)).order(ByteOrder.LITTLE_ENDIAN);
        int[] head = {256, version, dimx, dimy, bpp, 0, 0, 1, 1, 7, 300, 1000, frameHeader};
        for (int i = 0; i < head.length; i++) b.putInt(4 * i, head[i]);
        int p = 256;
        for (int f = 0; f < frames; f++) {
            b.putInt(p, f);
            p += fh;
            for (int i = 0; i < dimx * dimy; i++) {
                int v = value(bpp, f, i);
                if (bytes == 1) b.put(p, (byte) v);
                else b.putShort(p, (short) v);
                p += bytes;
            }
        }
        return b.array();
    }

    static int value(int bpp, int f, int i) {
        return bpp == 8 ? (f * 31 + i) & 0xFF : (f * 3001 + i * 7) & 0xFFFF;
    }

    @Test
    void writtenV1AndV2RecordingsIncludingFramesSplitAcrossFiles() throws Exception {
        byte[] v1 = recording(1, 8, 6, 5, 12, 0);
        Path f1 = Files.write(tmp.resolve("v1.tvips"), v1);
        try (Dataset d = reader.open(f1, Parameters.single("scan-shape", "3,4"))) {
            assertEquals(DType.UINT8, d.dtype());
            assertEquals(Shape.of(3, 4), d.navShape());
            check(d, 8, 12, 30);
        }
        byte[] v2 = recording(2, 16, 9, 7, 20, 60);
        // split at byte offsets that fall inside frames and inside frame headers
        int[] cuts = {0, 1000, 1001, 2900, v2.length};
        for (int i = 0; i + 1 < cuts.length; i++) {
            Files.write(tmp.resolve(String.format("rec_%03d.tvips", i)), Arrays.copyOfRange(v2, cuts[i], cuts[i + 1]));
        }
        try (Dataset d = reader.open(tmp.resolve("rec_000.tvips"), Parameters.single("scan-shape", "4,5"))) {
            assertEquals("4", d.metadata().get("tvips.files"));
            assertEquals(300.0, d.calibration().beamKv().getAsDouble(), 0);
            check(d, 16, 20, 63);
            float[] ref = new float[20 * 63];
            d.readFrames(0, 20, ref, 0);
            float[] a = new float[20 * 63], b = new float[20 * 63];
            ExecutorService ex = Executors.newFixedThreadPool(2);
            try {
                Future<?> t1 = ex.submit(() -> { for (int r = 0; r < 30; r++) for (int f = 0; f < 20; f++) d.readFrames(f, 1, a, f * 63); });
                Future<?> t2 = ex.submit(() -> { for (int r = 0; r < 30; r++) for (int f = 19; f >= 0; f--) d.readFrames(f, 1, b, f * 63); });
                t1.get();
                t2.get();
            } finally {
                ex.shutdown();
            }
            assertArrayEquals(ref, a);
            assertArrayEquals(ref, b);
        }
    }

    private static void check(Dataset d, int bpp, int frames, int px) {
        float[] all = new float[frames * px];
        for (int f = 0; f < frames; f += 3) d.readFrames(f, Math.min(3, frames - f), all, f * px);
        for (int f = 0; f < frames; f++) for (int i = 0; i < px; i++) assertEquals(value(bpp, f, i), all[f * px + i], 0, "frame " + f + " px " + i);
    }

    @Test
    void brokenFilesGiveTypedErrorsNamingTheFile() throws IOException {
        assertNamed(TruncatedFileException.class, Files.write(tmp.resolve("empty.tvips"), new byte[0]));
        assertNamed(TruncatedFileException.class, Files.write(tmp.resolve("short.tvips"), new byte[100]));
        byte[] good = recording(2, 16, 8, 8, 3, 60);
        assertNamed(TruncatedFileException.class, Files.write(tmp.resolve("cut.tvips"), Arrays.copyOf(good, good.length - 5)));
        assertNamed(TruncatedFileException.class, Files.write(tmp.resolve("noframes.tvips"), Arrays.copyOf(good, 256)));
        byte[] wrong = good.clone();
        Arrays.fill(wrong, 0, 64, (byte) 'x');
        Path w = Files.write(tmp.resolve("wrong.tvips"), wrong);
        assertNamed(CorruptFileException.class, w);
        assertEquals(0.2, reader.probe(w, ByteBuffer.wrap(wrong)), 0);
        byte[] bpp = good.clone();
        ByteBuffer.wrap(bpp).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 32);
        assertEquals("bitsperpixel", assertNamed(UnsupportedFormatException.class, Files.write(tmp.resolve("bpp.tvips"), bpp)).field());
        byte[] ver = good.clone();
        ByteBuffer.wrap(ver).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 3);
        assertEquals("version", assertNamed(UnsupportedFormatException.class, Files.write(tmp.resolve("ver.tvips"), ver)).field());
    }

    @Test
    void probeNeverThrows() {
        assertEquals(0.0, reader.probe(null, null));
        assertEquals(0.0, reader.probe(Path.of("a.h5"), ByteBuffer.allocate(4)));
    }

    private InvalidInputException assertNamed(Class<? extends InvalidInputException> type, Path f) {
        InvalidInputException e = assertThrows(type, () -> reader.open(f, Parameters.empty()));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        return e;
    }
}
