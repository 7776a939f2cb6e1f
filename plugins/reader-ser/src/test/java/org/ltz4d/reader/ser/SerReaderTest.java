package org.ltz4d.reader.ser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
import org.ltz4d.io.testing.Expected;
import org.ltz4d.io.testing.Frames;

class SerReaderTest {
    private final SerReader reader = new SerReader();
    @TempDir
    Path tmp;

    private void assertHeader(Map<String, Object> e, Dataset d) {
        assertEquals(e.get("SeriesVersion"), d.metadata().get("ser.SeriesVersion"));
        assertEquals(e.get("DataTypeID"), d.metadata().get("ser.DataTypeID"));
        assertEquals(e.get("TagTypeID"), d.metadata().get("ser.TagTypeID"));
        assertEquals((int) Expected.num(e.get("Total")), Integer.parseInt(d.metadata().get("ser.TotalNumberElements")));
        assertEquals((int) Expected.num(e.get("Valid")), Integer.parseInt(d.metadata().get("ser.ValidNumberElements")));
        assertEquals((int) Expected.num(e.get("NumberDimensions")), Integer.parseInt(d.metadata().get("ser.NumberDimensions")));
        assertEquals((int) Expected.num(e.get("DataType")), Integer.parseInt(d.metadata().get("ser.element.DataType")));
        assertEquals(Shape.of((int) Expected.num(e.get("ArraySizeY")), (int) Expected.num(e.get("ArraySizeX"))), d.sigShape());
        assertEquals(Expected.num(e.get("CalibrationDeltaX")), Double.parseDouble(d.metadata().get("ser.element.CalibrationDeltaX")), 0);
        assertEquals(Expected.num(e.get("CalibrationOffsetX")), Double.parseDouble(d.metadata().get("ser.element.CalibrationOffsetX")), 0);
        // detector pixel: CalibrationDeltaX in 1/m -> 1/Å
        assertEquals(Expected.num(e.get("CalibrationDeltaX")) * 1e-10, d.calibration().requireInverseAngstromPerPixel("t"), 1e-15);
        Map<String, Object> data = Expected.object(e.get("data"));
        assertEquals(data.get("dtype"), d.dtype().numpyName());
        assertEquals(Expected.ints(data.get("shape"))[0], d.frameCount());
        assertEquals(Expected.num(data.get("sum")), Frames.sum(d), Math.abs(Expected.num(data.get("sum"))) * 1e-7);
        List<?> first = (List<?>) e.get("frame0_row0_first5");
        float[] f0 = Frames.frame(d, 0);
        for (int i = 0; i < first.size(); i++) assertEquals(Expected.num(first.get(i)), f0[i], 1e-4);
    }

    @Test
    void tiaDiffractionLineScanVersion220() throws IOException {
        String rel = "tia_ser/16x16-line_profile_horizontal_5x128x128_EDS_2.ser";
        Path f = Expected.file(rel);
        assertEquals(1.0, reader.probe(f, ByteBuffer.wrap(Files.readAllBytes(f), 0, 4096).slice()));
        try (Dataset d = reader.open(f, Parameters.empty())) {
            assertHeader(Expected.values(rel), d);
            assertEquals(Shape.of(5, 1), d.navShape());
            // dimension array: 5 positions of 3.6886364090376355e-09 m (rosettasciio: nav scale 3.68864 nm)
            assertEquals(3.6886364090376355, d.calibration().scanStepYNm().getAsDouble(), 1e-12);
        }
    }

    @Test
    void tiaSingleDiffractionPatternVersion210WithEmi() {
        String rel = "tia_ser/64x64_diffraction_acquire_1.ser";
        try (Dataset d = reader.open(Expected.file(rel), Parameters.empty())) {
            assertHeader(Expected.values(rel), d);
            assertEquals(Shape.of(1, 1), d.navShape());
            assertEquals(DType.FLOAT32, d.dtype());
            assertEquals(200.0, d.calibration().beamKv().getAsDouble(), 0);
            assertEquals(490.0, d.calibration().cameraLengthMm().getAsDouble(), 1e-9);
            assertEquals("64x64_diffraction_acquire.emi", d.metadata().get("emi.file"));
            assertTrue(d.metadata().get("emi.Mode").contains("Diffraction"));
        }
    }

    @Test
    void spectraAreNotFrames() {
        Path f = Expected.file("tia_ser/16x16-line_profile_horizontal_5x128x128_EDS_1.ser");
        InvalidInputException e = assertThrows(ShapeMismatchException.class, () -> reader.open(f, Parameters.empty()));
        assertEquals("DataTypeID", e.field());
        assertTrue(e.getMessage().contains(f.toString()));
        assertEquals((int) Expected.num(Expected.values("tia_ser/16x16-line_profile_horizontal_5x128x128_EDS_1.ser").get("ArrayLength")), 4000);
    }

    /** A 2D-scan series written by hand: ny×nx elements of h×w int16, x fastest when {@code xFastTags}. */
    static byte[] series(boolean wide, int ny, int nx, int h, int w, boolean xFastTags) {
        int n = ny * nx;
        int osz = wide ? 8 : 4;
        String[] desc = {"Scan X", "Scan Y"};
        int dimsBytes = 0;
        for (String s : desc) dimsBytes += 28 + s.length() + 4 + "meters".length();
        int headerEnd = (wide ? 30 : 26) + 4 + dimsBytes;
        int offsetArray = headerEnd;
        int elements = offsetArray + 2 * n * osz;
        int record = 50 + h * w * 2;
        int tags = elements + n * record;
        ByteBuffer b = ByteBuffer.allocate(tags + n * 22).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0x4949).putShort((short) 0x0197).putShort((short) (wide ? 0x220 : 0x210));
        b.putInt(0x4122).putInt(0x4142).putInt(n).putInt(n);
        if (wide) b.putLong(offsetArray); else b.putInt(offsetArray);
        b.putInt(2);
        int[] size = xFastTags ? new int[] {nx, ny} : new int[] {ny, nx};
        double[] delta = xFastTags ? new double[] {2e-9, 3e-9} : new double[] {3e-9, 2e-9};
        for (int i = 0; i < 2; i++) {
            b.putInt(size[i]).putDouble(0).putDouble(delta[i]).putInt(0);
            b.putInt(desc[i].length()).put(desc[i].getBytes(StandardCharsets.ISO_8859_1));
            b.putInt(6).put("meters".getBytes(StandardCharsets.ISO_8859_1));
        }
        for (int e = 0; e < n; e++) {
            if (wide) b.putLong(offsetArray + e * osz, elements + (long) e * record);
            else b.putInt(offsetArray + e * osz, elements + e * record);
            if (wide) b.putLong(offsetArray + (n + e) * osz, tags + (long) e * 22);
            else b.putInt(offsetArray + (n + e) * osz, tags + e * 22);
            int p = elements + e * record;
            b.putDouble(p, -1.0).putDouble(p + 8, 2.5e8).putInt(p + 16, 0).putDouble(p + 20, -1.0).putDouble(p + 28, 2.5e8).putInt(p + 36, 0);
            b.putShort(p + 40, (short) 5).putInt(p + 42, w).putInt(p + 46, h);
            for (int i = 0; i < h * w; i++) b.putShort(p + 50 + 2 * i, (short) value(e, i));
            int t = tags + e * 22;
            int y = e / nx, x = e % nx;
            b.putShort(t, (short) 0x4142).putInt(t + 2, e).putDouble(t + 6, x * 2e-9).putDouble(t + 14, xFastTags ? y * 3e-9 : e * 1e-9);
        }
        return b.array();
    }

    static int value(int e, int i) {
        return (e * 977 + i * 13) % 30000 - 15000;
    }

    @Test
    void writtenTwoDimensionalScansInBothOffsetWidths() throws Exception {
        for (boolean wide : new boolean[] {false, true}) {
            Path f = Files.write(tmp.resolve("scan" + wide + "_1.ser"), series(wide, 3, 4, 6, 5, true));
            try (Dataset d = reader.open(f, Parameters.empty())) {
                assertEquals(Shape.of(3, 4), d.navShape());
                assertEquals(Shape.of(6, 5), d.sigShape());
                assertEquals(DType.INT16, d.dtype());
                assertEquals(3.0, d.calibration().scanStepYNm().getAsDouble(), 1e-9);
                assertEquals(2.0, d.calibration().scanStepXNm().getAsDouble(), 1e-9);
                assertEquals(0.025, d.calibration().requireInverseAngstromPerPixel("t"), 1e-12);
                float[] all = new float[12 * 30];
                d.readFrames(0, 12, all, 0);
                for (int e = 0; e < 12; e++) for (int i = 0; i < 30; i++) assertEquals(value(e, i), all[e * 30 + i], 0);
                float[] a = new float[12 * 30], b = new float[12 * 30];
                ExecutorService ex = Executors.newFixedThreadPool(2);
                try {
                    Future<?> t1 = ex.submit(() -> { for (int r = 0; r < 30; r++) for (int e = 0; e < 12; e++) d.readFrames(e, 1, a, e * 30); });
                    Future<?> t2 = ex.submit(() -> { for (int r = 0; r < 30; r++) for (int e = 11; e >= 0; e--) d.readFrames(e, 1, b, e * 30); });
                    t1.get();
                    t2.get();
                } finally {
                    ex.shutdown();
                }
                assertArrayEquals(all, a);
                assertArrayEquals(all, b);
            }
        }
        // dimension arrays listed slow axis first (tags do not share PositionY)
        Path c = Files.write(tmp.resolve("corder_1.ser"), series(true, 3, 4, 6, 5, false));
        try (Dataset d = reader.open(c, Parameters.empty())) {
            assertEquals(Shape.of(3, 4), d.navShape());
            assertEquals(3.0, d.calibration().scanStepYNm().getAsDouble(), 1e-9);
        }
        try (Dataset d = reader.open(c, Parameters.single("scan-shape", "2,6"))) {
            assertEquals(Shape.of(2, 6), d.navShape());
        }
        assertThrows(ShapeMismatchException.class, () -> reader.open(c, Parameters.single("scan-shape", "4,4")));
    }

    @Test
    void brokenFilesGiveTypedErrorsNamingTheFile() throws IOException {
        assertNamed(TruncatedFileException.class, Files.write(tmp.resolve("empty.ser"), new byte[0]));
        byte[] good = series(true, 2, 2, 4, 4, true);
        assertNamed(TruncatedFileException.class, Files.write(tmp.resolve("cut.ser"), Arrays.copyOf(good, good.length - 120)));
        assertNamed(TruncatedFileException.class, Files.write(tmp.resolve("tiny.ser"), Arrays.copyOf(good, 20)));
        byte[] real = Files.readAllBytes(Expected.file("tia_ser/64x64_diffraction_acquire_1.ser"));
        assertNamed(TruncatedFileException.class, Files.write(tmp.resolve("realcut_1.ser"), Arrays.copyOf(real, real.length / 2)));
        byte[] wrong = good.clone();
        wrong[0] = 'M';
        wrong[1] = 'M';
        Path w = Files.write(tmp.resolve("wrong.ser"), wrong);
        assertNamed(CorruptFileException.class, w);
        assertEquals(0.2, reader.probe(w, ByteBuffer.wrap(wrong)), 0);
        byte[] complex = good.clone();
        int firstElement = ByteBuffer.wrap(complex).order(ByteOrder.LITTLE_ENDIAN).getInt((int) ByteBuffer.wrap(complex).order(ByteOrder.LITTLE_ENDIAN).getLong(22));
        ByteBuffer.wrap(complex).order(ByteOrder.LITTLE_ENDIAN).putShort(firstElement + 40, (short) 9);
        assertEquals("element DataType", assertNamed(UnsupportedFormatException.class, Files.write(tmp.resolve("complex.ser"), complex)).field());
        byte[] version = good.clone();
        ByteBuffer.wrap(version).order(ByteOrder.LITTLE_ENDIAN).putShort(4, (short) 0x300);
        assertEquals("SeriesVersion", assertNamed(UnsupportedFormatException.class, Files.write(tmp.resolve("v300.ser"), version)).field());
    }

    @Test
    void probeNeverThrows() {
        assertEquals(0.0, reader.probe(null, null));
        assertEquals(0.0, reader.probe(Path.of("x.tvips"), ByteBuffer.allocate(2)));
    }

    private InvalidInputException assertNamed(Class<? extends InvalidInputException> type, Path f) {
        InvalidInputException e = assertThrows(type, () -> reader.open(f, Parameters.empty()));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        return e;
    }
}
