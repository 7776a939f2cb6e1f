package org.ltz4d.reader.raw;

import org.ltz4d.io.MappedDataset;
import org.ltz4d.io.MappedFrames;

import static org.ltz4d.io.testing.Broken.assertNames;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.param.Parameters;

class RawReaderTest {
    @TempDir
    Path tmp;

    private final RawReader reader = new RawReader();

    /** Pixel value of frame f, pixel p, exactly representable in every type used. */
    private static double value(long f, int p, DType t) {
        double v = (f * 7 + p * 3) % 120;
        return (t == DType.INT8 || t == DType.INT16 || t == DType.INT32 || t == DType.INT64 || t.name().startsWith("FLOAT")) ? v - 60 : v;
    }

    private static void put(ByteBuffer b, DType t, double v) {
        switch (t) {
            case UINT8, INT8 -> b.put((byte) v);
            case UINT16, INT16 -> b.putShort((short) v);
            case UINT32, INT32 -> b.putInt((int) v);
            case UINT64, INT64 -> b.putLong((long) v);
            case FLOAT32 -> b.putFloat((float) v);
            case FLOAT64 -> b.putDouble(v);
            default -> throw new IllegalArgumentException();
        }
    }

    /** Writes a raw file of the given layout; header/footer bytes are 0xEE so a wrong offset shows. */
    static Path write(Path file, int sy, int sx, int dy, int dx, DType t, ByteOrder order, int offset, int header, int footer) throws IOException {
        int frames = sy * sx;
        int px = dy * dx;
        ByteBuffer b = ByteBuffer.allocate(offset + frames * (header + footer + px * t.bytes())).order(order);
        for (int i = 0; i < offset; i++) b.put((byte) 0xEE);
        for (int f = 0; f < frames; f++) {
            for (int i = 0; i < header; i++) b.put((byte) 0xEE);
            for (int p = 0; p < px; p++) put(b, t, value(f, p, t));
            for (int i = 0; i < footer; i++) b.put((byte) 0xEE);
        }
        Files.write(file, b.array());
        return file;
    }

    private static Parameters params(String shape, String dtype, String order, int offset, int header, int footer) {
        return Parameters.of(Map.of("raw-shape", shape, "raw-dtype", dtype, "raw-byte-order", order,
                "raw-offset", "" + offset, "raw-frame-header", "" + header, "raw-frame-footer", "" + footer));
    }

    @ParameterizedTest
    @CsvSource({"uint8,little,0,0,0", "int8,big,3,1,2", "uint16,big,0,0,0", "uint16,little,1,3,0", "int16,little,8,0,2",
            "uint32,big,16,4,4", "int32,little,0,0,0", "uint64,big,0,8,0", "int64,little,5,0,0", "float32,little,0,0,0",
            "float32,big,7,2,1", "float64,big,0,0,0", "float64,little,12,16,16"})
    void readsEveryDtypeByteOrderAndLayoutExactly(String dtype, String order, int offset, int header, int footer) throws IOException {
        DType t = RawReader.dtype(dtype);
        ByteOrder bo = order.equals("big") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        Path f = write(tmp.resolve("d.raw"), 3, 4, 5, 6, t, bo, offset, header, footer);
        try (Dataset ds = reader.open(f, params("3,4,5,6", dtype, order, offset, header, footer))) {
            assertEquals(Shape.of(3, 4), ds.navShape());
            assertEquals(Shape.of(5, 6), ds.sigShape());
            assertEquals(t, ds.dtype());
            assertEquals("raw", ds.format());
            float[] all = new float[12 * 30];
            ds.readFrames(0, 12, all, 0);
            double sum = 0;
            double want = 0;
            for (int fr = 0; fr < 12; fr++) {
                for (int p = 0; p < 30; p++) {
                    assertEquals(value(fr, p, t), all[fr * 30 + p], 0.0, "frame " + fr + " pixel " + p);
                    sum += all[fr * 30 + p];
                    want += value(fr, p, t);
                }
            }
            assertEquals(want, sum, 0.0);
            float[] one = new float[40];
            ds.readFrames(7, 1, one, 10);
            for (int p = 0; p < 30; p++) assertEquals(value(7, p, t), one[10 + p], 0.0);
        }
    }

    @Test
    void unsignedExtremesConvert() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(2 * 4 + 2 * 2 + 2).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0xFFFFFFFF).putInt(0x80000000);
        Path u32 = tmp.resolve("u32.bin");
        Files.write(u32, java.util.Arrays.copyOf(b.array(), 8));
        try (Dataset ds = reader.open(u32, params("1,2", "uint32", "big", 0, 0, 0))) {
            float[] d = new float[2];
            ds.readFrames(0, 1, d, 0);
            assertEquals(4294967295.0, d[0], 1.0);
            assertEquals(2147483648.0, d[1], 1.0);
        }
        Path u16 = tmp.resolve("u16.bin");
        Files.write(u16, new byte[] {(byte) 0xFF, (byte) 0xFE, 0x00, 0x01});
        try (Dataset ds = reader.open(u16, params("1,2", "uint16", "little", 0, 0, 0))) {
            float[] d = new float[2];
            ds.readFrames(0, 1, d, 0);
            assertArrayEquals(new float[] {65279f, 256f}, d);
        }
    }

    @Test
    void twoAndThreeDimensionalShapesAndScanShapeOverride() throws IOException {
        Path f = write(tmp.resolve("img.raw"), 1, 6, 4, 4, DType.UINT16, ByteOrder.LITTLE_ENDIAN, 0, 0, 0);
        try (Dataset ds = reader.open(f, params("6,4,4", "uint16", "little", 0, 0, 0))) {
            assertEquals(Shape.of(1, 6), ds.navShape());
        }
        try (Dataset ds = reader.open(f, params("6,4,4", "uint16", "little", 0, 0, 0).with("scan-shape", "2,3"))) {
            assertEquals(Shape.of(2, 3), ds.navShape());
            float[] d = new float[16];
            ds.readFrames(5, 1, d, 0);
            assertEquals(value(5, 3, DType.UINT16), d[3], 0.0);
        }
        Path g = write(tmp.resolve("one.raw"), 1, 1, 4, 4, DType.UINT8, ByteOrder.LITTLE_ENDIAN, 0, 0, 0);
        try (Dataset ds = reader.open(g, params("4,4", "uint8", "little", 0, 0, 0))) {
            assertEquals(Shape.of(1, 1), ds.navShape());
            assertEquals(Shape.of(4, 4), ds.sigShape());
        }
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> reader.open(f, params("6,4,4", "uint16", "little", 0, 0, 0).with("scan-shape", "4,4")));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("scan-shape"), e.getMessage());
    }

    @Test
    void framesAcrossSeveralMappingsReadCorrectly() throws IOException {
        // window of 1000 bytes, record 6+64+2 = 72 bytes: 13 records per window, 40 records in 4 windows
        Path f = write(tmp.resolve("w.raw"), 5, 8, 8, 4, DType.UINT16, ByteOrder.BIG_ENDIAN, 10, 6, 2);
        MappedFrames mf = new MappedFrames(f, 10, 72, 70, 40, 1000);
        assertEquals(4, mf.windows());
        try (MappedDataset ds = new MappedDataset(f, "raw", Shape.of(5, 8), Shape.of(8, 4), DType.UINT16, ByteOrder.BIG_ENDIAN,
                org.ltz4d.api.data.Calibration.none(), Map.of(), mf, 6, null)) {
            float[] d = new float[40 * 32];
            ds.readFrames(0, 40, d, 0);
            for (int fr = 0; fr < 40; fr++) {
                for (int p = 0; p < 32; p++) assertEquals(value(fr, p, DType.UINT16), d[fr * 32 + p], 0.0);
            }
        }
    }

    @Test
    void concurrentReadsMatchSequential() throws Exception {
        Path f = write(tmp.resolve("c.raw"), 16, 16, 16, 16, DType.FLOAT32, ByteOrder.LITTLE_ENDIAN, 0, 0, 0);
        try (Dataset ds = reader.open(f, params("16,16,16,16", "float32", "little", 0, 0, 0))) {
            float[] seq = new float[256 * 256];
            ds.readFrames(0, 256, seq, 0);
            ExecutorService ex = Executors.newFixedThreadPool(4);
            try {
                Future<?>[] fs = new Future<?>[4];
                float[][] outs = new float[4][256 * 256];
                for (int t = 0; t < 4; t++) {
                    int tt = t;
                    fs[t] = ex.submit(() -> {
                        for (int rep = 0; rep < 20; rep++) {
                            for (int fr = (tt * 37) % 256, n = 0; n < 256; n++, fr = (fr + 1) % 256) ds.readFrames(fr, 1, outs[tt], fr * 256);
                        }
                    });
                }
                for (int t = 0; t < 4; t++) {
                    fs[t].get();
                    assertArrayEquals(seq, outs[t]);
                }
            } finally {
                ex.shutdownNow();
            }
        }
    }

    @Test
    void probeIsLowAndNeverThrows() {
        assertEquals(0.05, reader.probe(Path.of("x.raw"), ByteBuffer.allocate(0)), 0.0);
        assertEquals(0.05, reader.probe(Path.of("x.BIN"), ByteBuffer.allocate(4)), 0.0);
        assertEquals(0.0, reader.probe(Path.of("x.mib"), ByteBuffer.allocate(4)), 0.0);
    }

    @Test
    void brokenInputsGiveTypedErrorsNamingFileAndField() throws IOException {
        Path empty = Files.createFile(tmp.resolve("empty.raw"));
        assertNames(assertThrows(TruncatedFileException.class, () -> reader.open(empty, params("2,2,2,2", "uint8", "little", 0, 0, 0))), empty, "data");

        Path f = write(tmp.resolve("t.raw"), 2, 2, 4, 4, DType.UINT16, ByteOrder.LITTLE_ENDIAN, 0, 0, 0);
        byte[] all = Files.readAllBytes(f);
        Path cut = tmp.resolve("cut.raw");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 1));
        assertNames(assertThrows(TruncatedFileException.class, () -> reader.open(cut, params("2,2,4,4", "uint16", "little", 0, 0, 0))), cut, "data");
        assertNames(assertThrows(ShapeMismatchException.class, () -> reader.open(f, params("2,2,4,4", "uint8", "little", 0, 0, 0))), f, "raw-shape");
        assertNames(assertThrows(ShapeMismatchException.class, () -> reader.open(f, Parameters.empty())), f, "raw-shape");
        assertNames(assertThrows(ShapeMismatchException.class, () -> reader.open(f, params("1,2,2,4,4", "uint16", "little", 0, 0, 0))), f, "raw-shape");
        assertNames(assertThrows(ShapeMismatchException.class, () -> reader.open(f, params("64", "uint16", "little", 0, 0, 0))), f, "raw-shape");
        InvalidParameterException p = assertThrows(InvalidParameterException.class,
                () -> reader.open(f, params("2,2,4,4", "complex64", "little", 0, 0, 0)));
        assertEquals("raw-dtype", p.parameter());
        assertThrows(InvalidParameterException.class, () -> reader.open(f, params("2,2,4,4", "uint16", "little", -1, 0, 0)));
    }

    @Test
    void readOutsideTheScanIsRejected() throws IOException {
        Path f = write(tmp.resolve("r.raw"), 2, 2, 4, 4, DType.UINT8, ByteOrder.LITTLE_ENDIAN, 0, 0, 0);
        try (Dataset ds = reader.open(f, params("2,2,4,4", "uint8", "little", 0, 0, 0))) {
            assertThrows(IndexOutOfBoundsException.class, () -> ds.readFrames(3, 2, new float[32], 0));
            assertThrows(IndexOutOfBoundsException.class, () -> ds.readFrames(0, 2, new float[31], 0));
        }
    }

}
