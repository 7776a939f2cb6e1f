package org.ltz4d.reader.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.error.UnsupportedFormatException;
import org.ltz4d.api.param.Parameters;

class NpyReaderTest {
    @TempDir
    Path dir;

    private final NpyReader reader = new NpyReader();

    private static double[] ramp(int n, double max) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (i * 37) % (long) max;
        return v;
    }

    @ParameterizedTest
    @ValueSource(strings = {"|u1", "<u2", ">u2", "<i2", ">i2", "<u4", ">u4", "<i4", ">i4", "<f4", ">f4", "<f8", ">f8"})
    void readsEveryDtypeAndByteOrderExactly(String descr) throws Exception {
        int[] shape = {3, 4, 5, 6};
        double[] values = ramp(3 * 4 * 5 * 6, descr.contains("u1") ? 250 : 30000);
        Path f = dir.resolve("d.npy");
        NpyWriter.write(f, descr, shape, values);
        try (Dataset ds = reader.open(f, Parameters.empty())) {
            assertEquals(Shape.of(3, 4), ds.navShape());
            assertEquals(Shape.of(5, 6), ds.sigShape());
            float[] all = new float[values.length];
            ds.readFrames(0, 12, all, 0);
            for (int i = 0; i < values.length; i++) assertEquals(values[i], all[i], 0.0, "element " + i);
            float[] one = new float[30];
            ds.readFrames(7, 1, one, 0);
            for (int i = 0; i < 30; i++) assertEquals(values[7 * 30 + i], one[i], 0.0);
        }
    }

    @Test
    void dtypeAndProbe() throws Exception {
        Path f = dir.resolve("x.npy");
        NpyWriter.write(f, "<u2", new int[] {2, 2, 4, 4}, new double[64]);
        try (Dataset ds = reader.open(f, Parameters.empty())) {
            assertEquals(DType.UINT16, ds.dtype());
            assertEquals("npy", ds.format());
        }
        ByteBuffer head = ByteBuffer.wrap(Files.readAllBytes(f));
        assertEquals(1.0, reader.probe(f, head));
        assertEquals(0.0, reader.probe(dir.resolve("x.mib"), ByteBuffer.wrap(new byte[] {1, 2, 3})));
    }

    @Test
    void parallelReadsAgree() throws Exception {
        int[] shape = {16, 16, 8, 8};
        double[] values = ramp(16 * 16 * 64, 60000);
        Path f = dir.resolve("p.npy");
        NpyWriter.write(f, "<u2", shape, values);
        try (Dataset ds = reader.open(f, Parameters.empty())) {
            AtomicInteger bad = new AtomicInteger();
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                Thread th = new Thread(() -> {
                    float[] buf = new float[64 * 3];
                    for (int k = 0; k < 2000; k++) {
                        int first = (k * 7 + seed * 13) % 254;
                        ds.readFrames(first, 3, buf, 0);
                        for (int i = 0; i < buf.length; i++) if (buf[i] != values[first * 64 + i]) bad.incrementAndGet();
                    }
                });
                th.start();
                ts.add(th);
            }
            for (Thread th : ts) th.join();
            assertEquals(0, bad.get());
        }
    }

    @Test
    void threeDimensionalIsALineScanAndTwoDimensionalOneFrame() throws Exception {
        Path f3 = dir.resolve("s.npy");
        NpyWriter.write(f3, "<f4", new int[] {5, 4, 4}, new double[80]);
        try (Dataset ds = reader.open(f3, Parameters.empty())) {
            assertEquals(Shape.of(1, 5), ds.navShape());
        }
        Path f2 = dir.resolve("i.npy");
        NpyWriter.write(f2, "<f4", new int[] {4, 4}, new double[16]);
        try (Dataset ds = reader.open(f2, Parameters.empty())) {
            assertEquals(Shape.of(1, 1), ds.navShape());
        }
    }

    @Test
    void truncatedFileNamesTheFile() throws Exception {
        Path f = dir.resolve("t.npy");
        NpyWriter.write(f, "<u2", new int[] {4, 4, 8, 8}, new double[1024]);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 100));
        TruncatedFileException e = assertThrows(TruncatedFileException.class, () -> reader.open(f, Parameters.empty()));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertEquals(f, e.file());
    }

    @Test
    void emptyWrongMagicFortranAndRankAreTypedErrors() throws Exception {
        Path empty = dir.resolve("e.npy");
        Files.write(empty, new byte[0]);
        assertThrows(TruncatedFileException.class, () -> reader.open(empty, Parameters.empty()));
        Path junk = dir.resolve("j.npy");
        Files.write(junk, "hello world, not numpy".getBytes());
        CorruptFileException c = assertThrows(CorruptFileException.class, () -> reader.open(junk, Parameters.empty()));
        assertEquals("magic", c.field());
        Path fortran = dir.resolve("f.npy");
        NpyWriter.write(fortran, "<u2", new int[] {2, 2, 2, 2}, new double[16], true);
        assertThrows(UnsupportedFormatException.class, () -> reader.open(fortran, Parameters.empty()));
        Path oneD = dir.resolve("o.npy");
        NpyWriter.write(oneD, "<u2", new int[] {16}, new double[16]);
        assertThrows(ShapeMismatchException.class, () -> reader.open(oneD, Parameters.empty()));
    }

    @Test
    void headerParserReadsShapesWithTrailingComma() {
        NpyHeader h = NpyHeader.parse(Path.of("x.npy"), "{'descr': '>i4', 'fortran_order': False, 'shape': (7,), }", 128);
        assertArrayEquals(new int[] {7}, h.shape());
        assertEquals(DType.INT32, h.dtype());
    }
}
