package org.ltz4d.reader.mrc;

import org.ltz4d.io.MappedFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ltz4d.io.testing.Expected;
import org.ltz4d.io.testing.Frames;

class MrcReaderTest {
    private final MrcReader reader = new MrcReader();
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"mrc_de/20241021_00405_movie.mrc", "mrc_de/20241021_00405_final.mrc",
            "mrc_de/20241021_00405_0_Virt 0_sum.mrc", "mrc_de/20241021_00405_1_Virt 1_sum.mrc",
            "mrc_de/20241021_00405_ext1_Ext 1.mrc", "mrc_velox/HAADFscan.mrc"})
    void realFilesMatchExpectedValues(String rel) throws IOException {
        Path f = Expected.file(rel);
        Map<String, Object> e = Expected.values(rel);
        assertEquals(1.0, reader.probe(f, head(f)), rel);
        try (Dataset d = reader.open(f, Parameters.empty())) {
            Map<String, Object> data = Expected.object(e.get("data"));
            int[] shape = Expected.ints(data.get("shape"));
            assertEquals(Shape.of(shape[1], shape[2]), d.sigShape());
            assertEquals(shape[0], d.frameCount());
            assertEquals(data.get("dtype"), d.dtype().numpyName());
            double sum = Expected.num(data.get("sum"));
            assertEquals(sum, Frames.sum(d), Math.max(1e-6, Math.abs(sum) * 1e-6));
            assertEquals(Integer.toString((int) Expected.num(e.get("nsymbt_ext_header_bytes"))), d.metadata().get("mrc.nsymbt"));
            assertEquals(Integer.toString((int) Expected.num(e.get("mode"))), d.metadata().get("mrc.mode"));
            List<?> consts = (List<?>) e.get("frame_const_values");
            for (int k = 0; k < consts.size(); k++) {
                if (consts.get(k) == null) continue;
                float[] fr = Frames.frame(d, k);
                for (float v : fr) assertEquals(Expected.num(consts.get(k)), v, 0.0, rel + " frame " + k);
            }
        }
    }

    @Test
    void deMovieTakesScanShapeAndBeamFromInfoTxt() {
        Path f = Expected.file("mrc_de/20241021_00405_movie.mrc");
        try (Dataset d = reader.open(f, Parameters.empty())) {
            assertEquals(Shape.of(4, 8), d.navShape());
            assertEquals(Shape.of(4, 8), d.sigShape());
            assertEquals(300.0, d.calibration().beamKv().getAsDouble(), 1e-12);
            assertEquals(1.0, d.calibration().cameraLengthMm().getAsDouble(), 1e-12); // 0.1 cm
            assertEquals("DESim", d.metadata().get("de.Camera Model"));
            assertEquals("700", d.metadata().get("de.Frames Per Second"));
            assertEquals("1000", d.metadata().get("de.Instrument Project Magnification"));
            for (int k : new int[] {0, 5, 31}) {
                for (float v : Frames.frame(d, k)) assertEquals(k, v, 0.0);
            }
        }
        try (Dataset d = reader.open(f, Parameters.single("scan-shape", "2,16"))) {
            assertEquals(Shape.of(2, 16), d.navShape());
        }
        assertThrows(ShapeMismatchException.class, () -> reader.open(f, Parameters.single("scan-shape", "8,8")));
    }

    @Test
    void veloxFei2ExtendedHeaderGivesBeamAndCameraLength() {
        try (Dataset d = reader.open(Expected.file("mrc_velox/HAADFscan.mrc"), Parameters.empty())) {
            assertEquals(Shape.of(1, 1), d.navShape());
            assertEquals(Shape.of(16, 16), d.sigShape());
            assertEquals(300.0, d.calibration().beamKv().getAsDouble(), 1e-9);
            assertEquals(91.1, d.calibration().cameraLengthMm().getAsDouble(), 1e-9);
            assertEquals("FEI2", d.metadata().get("mrc.exttyp"));
            assertEquals("888", d.metadata().get("fei.record_size"));
            // 908.661 Å / 16 = 56.79 Å = 5.679131317138672 nm (asserted by rosettasciio)
            assertEquals(56.79131317138672, Double.parseDouble(d.metadata().get("mrc.pixel_size_x_angstrom")), 1e-5);
            assertEquals(5.679131290012676e-09, Double.parseDouble(d.metadata().get("fei.frame0.pixel_size_x_m")), 1e-20);
            float[] fr = Frames.frame(d, 0);
            float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
            for (float v : fr) { min = Math.min(min, v); max = Math.max(max, v); }
            assertEquals(3923f, min);
            assertEquals(9399f, max);
        }
    }

    /** Values of element i of frame f written by {@link #write}. */
    static double value(int mode, int f, int i) {
        double v = f * 7 + i;
        return switch (mode) {
            case 0 -> (byte) (v - 60);
            case 1 -> v * 3 - 1000;
            case 2 -> v * 0.25 - 3;
            case 6 -> 60000 - v;
            case 12 -> v * 0.5; // exact in binary16 up to 2048
            default -> throw new IllegalArgumentException();
        };
    }

    static Path write(Path file, int mode, ByteOrder order, int nx, int ny, int nz, int nsymbt, boolean mapTag) throws IOException {
        int bpe = MrcReader.storedBytes(mode);
        ByteBuffer b = ByteBuffer.allocate(1024 + nsymbt + nx * ny * nz * bpe).order(order);
        b.putInt(0, nx).putInt(4, ny).putInt(8, nz).putInt(12, mode);
        b.putInt(28, nx).putInt(32, ny).putInt(36, nz);
        b.putFloat(40, nx * 2.5f).putFloat(44, ny * 2.5f).putFloat(48, nz);
        b.putInt(92, nsymbt);
        b.put(104, (byte) 'F').put(105, (byte) 'E').put(106, (byte) 'I').put(107, (byte) '1');
        if (mapTag) b.put(208, (byte) 'M').put(209, (byte) 'A').put(210, (byte) 'P').put(211, (byte) ' ');
        byte stamp = (byte) (order == ByteOrder.LITTLE_ENDIAN ? 0x44 : 0x11);
        b.put(212, stamp).put(213, stamp);
        if (nsymbt >= 309 * nz) {
            ByteBuffer e = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            int rec = nsymbt / nz;
            for (int k = 0; k < nz; k++) {
                int o = 1024 + k * rec;
                e.putInt(o, rec).putInt(o + 4, 1).putDouble(o + 12, 45000.0 + k);
                e.putDouble(o + 84, 200000.0).putDouble(o + 156, 1.5e-10).putDouble(o + 301, k == 2 ? 0.3 : 0.25);
            }
        }
        int p = 1024 + nsymbt;
        for (int f = 0; f < nz; f++) {
            for (int i = 0; i < nx * ny; i++) {
                double v = value(mode, f, i);
                switch (mode) {
                    case 0 -> b.put(p, (byte) v);
                    case 1 -> b.putShort(p, (short) v);
                    case 2 -> b.putFloat(p, (float) v);
                    case 6 -> b.putShort(p, (short) (int) v);
                    case 12 -> b.putShort(p, toHalf((float) v));
                    default -> throw new IllegalArgumentException();
                }
                p += bpe;
            }
        }
        Files.write(file, b.array());
        return file;
    }

    /** binary16 of a float that is exactly representable (test values only). */
    static short toHalf(float v) {
        if (v == 0) return 0;
        int bits = Float.floatToIntBits(v);
        int sign = (bits >>> 16) & 0x8000;
        int exp = ((bits >>> 23) & 0xFF) - 127 + 15;
        int mant = (bits >>> 13) & 0x3FF;
        return (short) (sign | (exp << 10) | mant);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 6, 12})
    void writtenFilesInEveryModeAndByteOrderReadBackExactly(int mode) throws IOException {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            Path f = write(tmp.resolve("m" + mode + order + ".mrc"), mode, order, 5, 3, 6, 0, true);
            try (Dataset d = reader.open(f, Parameters.single("scan-shape", "2,3"))) {
                assertEquals(Shape.of(2, 3), d.navShape());
                assertEquals(Shape.of(3, 5), d.sigShape());
                assertEquals(MrcReader.dtype(mode), d.dtype());
                float[] all = new float[6 * 15];
                d.readFrames(0, 6, all, 0);
                for (int fr = 0; fr < 6; fr++) {
                    for (int i = 0; i < 15; i++) assertEquals(value(mode, fr, i), all[fr * 15 + i], 0.0, "mode " + mode + " " + order);
                }
                assertEquals("2.5", d.metadata().get("mrc.pixel_size_x_angstrom"));
            }
        }
    }

    @Test
    void imodUnsignedBytes() throws IOException {
        Path f = write(tmp.resolve("imod.mrc"), 0, ByteOrder.LITTLE_ENDIAN, 4, 2, 1, 0, true);
        byte[] b = Files.readAllBytes(f);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(152, MrcReader.IMOD_STAMP).putInt(156, 0);
        b[1024] = (byte) 200;
        Files.write(f, b);
        try (Dataset d = reader.open(f, Parameters.empty())) {
            assertEquals(DType.UINT8, d.dtype());
            assertEquals(200f, Frames.frame(d, 0)[0]);
        }
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(156, 1); // signed flag
        Files.write(f, b);
        try (Dataset d = reader.open(f, Parameters.empty())) {
            assertEquals(DType.INT8, d.dtype());
            assertEquals(-56f, Frames.frame(d, 0)[0]);
        }
    }

    @Test
    void stackWithoutScanShapeIsAColumnAndFeiHeaderIsRead() throws IOException {
        Path f = write(tmp.resolve("fei.mrc"), 6, ByteOrder.LITTLE_ENDIAN, 4, 4, 3, 3 * 400, true);
        try (Dataset d = reader.open(f, Parameters.empty())) {
            assertEquals(Shape.of(3, 1), d.navShape());
            assertEquals(200.0, d.calibration().beamKv().getAsDouble(), 1e-12);
            assertEquals(250.0, d.calibration().cameraLengthMm().getAsDouble(), 1e-12);
            assertEquals(value(6, 2, 15), Frames.frame(d, 2)[15], 0.0);
            assertEquals("3", d.metadata().get("fei.records"));
            assertEquals("45002.0", d.metadata().get("fei.frame_last.timestamp_days"));
            assertEquals("1", d.metadata().get("fei.frames_with_other_optics")); // frame 2's camera length differs
        }
    }

    @Test
    void readsAcrossMappingSegmentsAndFromTwoThreads() throws Exception {
        Path f = write(tmp.resolve("seg.mrc"), 1, ByteOrder.LITTLE_ENDIAN, 7, 5, 40, 100, true);
        Dataset ref = reader.open(f, Parameters.empty());
        long frameBytes = 7 * 5 * 2;
        // 1000-byte segments: most frames straddle a segment border of the default layout.
        MappedFile small = new MappedFile(f, ByteOrder.LITTLE_ENDIAN, frameBytes, 1000);
        Dataset d = new MrcDataset(f, small, 1124, frameBytes, 1, DType.INT16, ref.navShape(), ref.sigShape(),
                ref.calibration(), Map.of());
        float[] a = new float[40 * 35];
        float[] b = new float[40 * 35];
        ref.readFrames(0, 40, a, 0);
        ExecutorService ex = Executors.newFixedThreadPool(2);
        try {
            Future<?> f1 = ex.submit(() -> { for (int r = 0; r < 50; r++) d.readFrames(0, 20, b, 0); });
            Future<?> f2 = ex.submit(() -> { for (int r = 0; r < 50; r++) d.readFrames(20, 20, b, 20 * 35); });
            f1.get();
            f2.get();
        } finally {
            ex.shutdown();
        }
        assertArrayEquals(a, b);
        for (int i = 0; i < 35; i++) assertEquals(value(1, 39, i), a[39 * 35 + i], 0.0);
    }

    @Test
    void brokenFilesGiveTypedErrorsNamingTheFile() throws IOException {
        Path empty = Files.write(tmp.resolve("empty.mrc"), new byte[0]);
        assertNamed(TruncatedFileException.class, empty);
        Path shortHeader = Files.write(tmp.resolve("short.mrc"), new byte[500]);
        assertNamed(TruncatedFileException.class, shortHeader);
        Path good = write(tmp.resolve("good.mrc"), 2, ByteOrder.LITTLE_ENDIAN, 8, 8, 4, 0, true);
        byte[] all = Files.readAllBytes(good);
        Path cut = Files.write(tmp.resolve("cut.mrc"), java.util.Arrays.copyOf(all, all.length - 10));
        InvalidInputException t = assertNamed(TruncatedFileException.class, cut);
        assertEquals("data", t.field());
        byte[] text = new byte[2048];
        java.util.Arrays.fill(text, (byte) 'x');
        Path wrong = Files.write(tmp.resolve("wrong.mrc"), text);
        assertNamed(CorruptFileException.class, wrong);
        assertEquals(0.2, reader.probe(wrong, ByteBuffer.wrap(text)), 1e-12);
        Path complex = write(tmp.resolve("complex.mrc"), 2, ByteOrder.LITTLE_ENDIAN, 8, 8, 4, 0, true);
        byte[] c = Files.readAllBytes(complex);
        c[12] = 4;
        Files.write(complex, c);
        InvalidInputException u = assertNamed(UnsupportedFormatException.class, complex);
        assertEquals("mode", u.field());
    }

    @Test
    void probeIsCheapAndNeverThrows() {
        assertEquals(0.0, reader.probe(Path.of("x.npy"), ByteBuffer.allocate(0)));
        assertEquals(0.0, reader.probe(Path.of("x.bin"), null));
        assertEquals(0.2, reader.probe(Path.of("x.MRC"), ByteBuffer.allocate(10)));
    }

    private InvalidInputException assertNamed(Class<? extends InvalidInputException> type, Path f) {
        InvalidInputException e = assertThrows(type, () -> reader.open(f, Parameters.empty()));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertEquals(f, e.file());
        return e;
    }

    static ByteBuffer head(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        return ByteBuffer.wrap(b, 0, Math.min(b.length, 4096)).slice();
    }
}
