package org.ltz4d.reader.mib;

import static org.ltz4d.io.testing.Broken.assertNames;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.error.UnsupportedFormatException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.io.testing.Broken;
import org.ltz4d.io.testing.Expected;

class MibReaderTest {
    @TempDir
    Path tmp;

    private final MibReader reader = new MibReader();

    /** Expected nav shapes of the real files: RS's assertions where it makes them, our rules otherwise. */
    private static final Map<String, Shape> NAV = Map.of(
            "mib/rsciio/001_4x2_6bit.mib", Shape.of(2, 4), // RS: (2,4) from timestamps
            "mib/rsciio/003_merlin_test_roi_sig256x64_nav4x2_hot_pixel_52x_39y.mib", Shape.of(2, 4), // .hdr ScanX 4, ScanY 2
            "mib/rsciio/Single_9_Frame_CounterDepth_1_Rows_256.mib", Shape.of(1, 9), // Frames per Trigger 9
            "mib/rsciio/Single_1_Frame_CounterDepth_24_Rows_256.mib", Shape.of(1, 1),
            "mib/rsciio/Quad_1_Frame_CounterDepth_12_Rows_256.mib", Shape.of(1, 1),
            "mib/merlintools/CL_380mm_Si110.mib", Shape.of(1, 1));

    @TestFactory
    List<DynamicTest> everyRealMibFileMatchesExpectedValues() {
        List<DynamicTest> tests = new ArrayList<>();
        Iterator<String> names = Expected.all().fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (!key.startsWith("mib/")) continue;
            JsonNode e = Expected.all().get(key);
            tests.add(DynamicTest.dynamicTest(key, () -> checkReal(key, e)));
        }
        assertEquals(7, tests.size(), "MIB files in EXPECTED_VALUES.json");
        return tests;
    }

    private void checkReal(String key, JsonNode e) throws IOException {
        Path file = Expected.real().resolve(key);
        JsonNode hf = e.get("header_fields");
        ByteBuffer head = ByteBuffer.wrap(Files.readAllBytes(file), 0, 4096).slice();
        assertEquals(1.0, reader.probe(file, head), 0.0);
        if (hf.get("pixel_type").asText().equals("R64")) {
            UnsupportedFormatException u = assertThrows(UnsupportedFormatException.class, () -> reader.open(file, Parameters.empty()));
            assertTrue(u.getMessage().startsWith(file.toString()) && u.getMessage().contains("R64") && u.getMessage().contains("RAW"), u.getMessage());
            return;
        }
        try (Dataset ds = reader.open(file, Parameters.empty())) {
            JsonNode d = e.get("data_file_order");
            int[] shape = Expected.ints(d.get("shape"));
            assertEquals(shape[0], ds.frameCount());
            assertEquals(NAV.get(key), ds.navShape());
            assertEquals(Shape.of(shape[1], shape[2]), ds.sigShape());
            assertEquals(d.get("dtype").asText(), ds.dtype().numpyName());
            assertEquals(hf.get("width").asInt(), ds.sigShape().cols());
            assertEquals(hf.get("height").asInt(), ds.sigShape().rows());
            assertEquals(hf.get("header_size").asText(), ds.metadata().get("frame_header_bytes"));
            assertEquals(hf.get("counter_depth").asText(), ds.metadata().get("counter_depth"));
            assertEquals(hf.get("timestamp").asText(), ds.metadata().get("timestamp_first"));
            String exp = hf.get("exposure").asText();
            assertEquals(Long.parseLong(exp.replace("ns", "")) * 1e-9, Double.parseDouble(ds.metadata().get("exposure_s")), 1e-15);
            int px = ds.framePixels();
            float[] all = new float[Math.toIntExact(ds.frameCount() * px)];
            ds.readFrames(0, (int) ds.frameCount(), all, 0);
            double sum = 0;
            double max = 0;
            int[] perFrame = Expected.ints(e.get("per_frame_sum"));
            for (int f = 0; f < ds.frameCount(); f++) {
                double fs = 0;
                for (int p = 0; p < px; p++) {
                    fs += all[f * px + p];
                    max = Math.max(max, all[f * px + p]);
                }
                assertEquals(perFrame[f], fs, 0.0, "frame " + f + " sum");
                sum += fs;
            }
            assertEquals(d.get("sum").asDouble(), sum, 0.0);
            assertEquals(d.get("max").asDouble(), max, 0.0);
            int[] rc = Expected.ints(e.get("frame0_argmax_rc"));
            int arg = 0;
            for (int p = 1; p < px; p++) if (all[p] > all[arg]) arg = p;
            assertEquals(rc[0] * ds.sigShape().cols() + rc[1], arg, "argmax of frame 0 in file order (not flipped)");
            int[] row0 = Expected.ints(e.get("frame0_row0_first8"));
            for (int i = 0; i < 8; i++) assertEquals(row0[i], all[i], 0.0);
            assertTrue(ds.calibration().asMap().size() == 1, "no calibration in a .mib: " + ds.calibration());
        }
    }

    @Test
    void realFilesByRsAssertionsAndOptions() {
        Path f001 = Expected.real().resolve("mib/rsciio/001_4x2_6bit.mib");
        try (Dataset ds = reader.open(f001, Parameters.empty())) {
            assertEquals("frame timestamps (line flyback)", ds.metadata().get("scan_shape_source"));
            assertEquals("0.1", ds.metadata().get("exposure_s"));
            assertEquals("2021-05-07T16:51:11.619821708Z", ds.metadata().get("timestamp_last"));
            assertEquals("8", ds.metadata().get("hdr.Frames in Acquisition (Number)"));
        }
        Path f9 = Expected.real().resolve("mib/rsciio/Single_9_Frame_CounterDepth_1_Rows_256.mib");
        try (Dataset ds = reader.open(f9, Parameters.single("scan-shape", "3,3"))) {
            assertEquals(Shape.of(3, 3), ds.navShape());
        }
        try (Dataset ds = reader.open(f9, Parameters.single("scan-shape", "2,4"))) { // fewer frames than stored: the rest ignored
            assertEquals(8, ds.frameCount());
        }
        TruncatedFileException t = assertThrows(TruncatedFileException.class, () -> reader.open(f9, Parameters.single("scan-shape", "4,4")));
        assertNames(t, f9, "scan-shape");
        // hot pixel of the ROI file: one per frame at file (row 39, col 52)
        Path f3 = Expected.real().resolve("mib/rsciio/003_merlin_test_roi_sig256x64_nav4x2_hot_pixel_52x_39y.mib");
        try (Dataset ds = reader.open(f3, Parameters.empty())) {
            float[] fr = new float[ds.framePixels()];
            for (int k = 0; k < 8; k++) {
                ds.readFrames(k, 1, fr, 0);
                float max = 0;
                int n = 0;
                for (float v : fr) max = Math.max(max, v);
                for (float v : fr) if (v == max) n++;
                assertEquals(1, n, "frame " + k);
                assertEquals(max, fr[39 * 256 + 52], 0.0, "frame " + k);
            }
        }
        // the .hdr opens its .mib
        Path hdr = Expected.real().resolve("mib/rsciio/003_merlin_test_roi_sig256x64_nav4x2_hot_pixel_52x_39y.hdr");
        assertEquals(0.9, reader.probe(hdr, ByteBuffer.wrap("HDR,\t\r\n".getBytes(StandardCharsets.US_ASCII))), 0.0);
        try (Dataset ds = reader.open(hdr, Parameters.empty())) {
            assertEquals(f3, ds.source());
        }
    }

    // ---------------------------------------------------------------- files written by the test

    /** Writes a .mib of {@code n} frames; pixel (f, p) = (f·31 + p·7) mod (2^depth) (mod 2 for depth 1). */
    static Path writeMib(Path file, int n, int w, int h, int depth, boolean quad, long[] timesNs, String pixelType) throws IOException {
        int hs = quad ? 768 : 384;
        String type = pixelType != null ? pixelType : depth <= 6 ? "U08" : depth == 12 ? "U16" : "U32";
        int bpp = type.equals("U08") ? 1 : type.equals("U16") ? 2 : type.equals("U32") ? 4 : 8;
        ByteBuffer b = ByteBuffer.allocate(n * (hs + w * h * bpp)).order(ByteOrder.BIG_ENDIAN);
        for (int f = 0; f < n; f++) {
            Instant t = Instant.ofEpochSecond(1_600_000_000L, 0).plusNanos(timesNs == null ? f * 1_000_000L : timesNs[f]);
            String header = String.format("MQ1,%06d,%05d,%02d,%04d,%04d,%s,%6s,%02X,2021-04-15 14:43:00.835428,0.001000,0,0,0,"
                    + "1.000000E+1,5.110000E+2,0.000000E+0,0.000000E+0,0.000000E+0,0.000000E+0,0.000000E+0,0.000000E+0,3RX,011,511,"
                    + "MQ1A,%s,1000000ns,%d,", f + 1, hs, quad ? 4 : 1, w, h, type, quad ? "2x2" : "1x1", quad ? 15 : 1, t, depth);
            byte[] hb = Arrays.copyOf(header.getBytes(StandardCharsets.US_ASCII), hs);
            for (int i = header.length(); i < hs; i++) hb[i] = ' ';
            b.put(hb);
            long mod = depth == 1 ? 2 : 1L << depth;
            for (int p = 0; p < w * h; p++) {
                long v = ((long) f * 31 + (long) p * 7) % mod;
                switch (bpp) {
                    case 1 -> b.put((byte) v);
                    case 2 -> b.putShort((short) v);
                    case 4 -> b.putInt((int) v);
                    default -> b.putLong(v);
                }
            }
        }
        Files.write(file, b.array());
        return file;
    }

    static void writeHdr(Path file, String... lines) throws IOException {
        StringBuilder sb = new StringBuilder("HDR,\t\r\n");
        for (String l : lines) sb.append(l).append("\r\n");
        sb.append("End\t");
        Files.writeString(file, sb, StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @CsvSource({"1,false,uint8", "6,false,uint8", "12,false,uint16", "24,false,uint32", "12,true,uint16", "6,true,uint8", "24,true,uint32"})
    void writtenLayoutsReadExactly(int depth, boolean quad, String dtype) throws IOException {
        int w = quad ? 64 : 32;
        int h = quad ? 64 : 16; // ROI-like non-square single-chip frames
        Path f = writeMib(tmp.resolve("w.mib"), 6, w, h, depth, quad, null, null);
        try (Dataset ds = reader.open(f, Parameters.single("scan-shape", "2,3"))) {
            assertEquals(dtype, ds.dtype().numpyName());
            assertEquals(Shape.of(h, w), ds.sigShape());
            assertEquals(quad ? "768" : "384", ds.metadata().get("frame_header_bytes"));
            float[] d = new float[6 * w * h];
            ds.readFrames(0, 6, d, 0);
            long mod = depth == 1 ? 2 : 1L << depth;
            for (int fr = 0; fr < 6; fr++) {
                for (int p = 0; p < w * h; p++) {
                    assertEquals(((long) fr * 31 + (long) p * 7) % mod, d[fr * w * h + p], 0.0, "frame " + fr + " pixel " + p);
                }
            }
        }
    }

    @Test
    void scanShapeRulesFromHdrAndTimestamps() throws IOException {
        Path f = writeMib(tmp.resolve("s.mib"), 12, 8, 8, 12, false, null, null);
        // no .hdr, regular timestamps: one scan row
        try (Dataset ds = reader.open(f, Parameters.empty())) {
            assertEquals(Shape.of(1, 12), ds.navShape());
            assertEquals("none: one scan row of all frames", ds.metadata().get("scan_shape_source"));
        }
        writeHdr(tmp.resolve("s.hdr"), "Frames in Acquisition (Number):\t12", "Frames per Trigger (Number):\t4");
        try (Dataset ds = reader.open(f, Parameters.empty())) {
            assertEquals(Shape.of(3, 4), ds.navShape());
        }
        writeHdr(tmp.resolve("s.hdr"), "Frames in Acquisition (Number):\t12", "Frames per Trigger (Number):\t4", "ScanX:\t6", "ScanY:\t2");
        try (Dataset ds = reader.open(f, Parameters.empty())) {
            assertEquals(Shape.of(2, 6), ds.navShape());
        }
        try (Dataset ds = reader.open(f, Parameters.single("scan-shape", "4,3"))) {
            assertEquals(Shape.of(4, 3), ds.navShape());
        }
        writeHdr(tmp.resolve("s.hdr"), "Frames in Acquisition (Number):\t16", "Frames per Trigger (Number):\t1");
        assertNames(assertThrows(TruncatedFileException.class, () -> reader.open(f, Parameters.empty())),
                f, ".hdr Frames in Acquisition (Number)");

        // line flyback in the timestamps: 1 ms per frame, 3 ms between lines of 3
        long[] t = new long[12];
        for (int i = 1; i < 12; i++) t[i] = t[i - 1] + (i % 3 == 0 ? 3_000_000 : 1_000_000) + (i % 2) * 50;
        Path g = writeMib(tmp.resolve("t.mib"), 12, 8, 8, 6, false, t, null);
        try (Dataset ds = reader.open(g, Parameters.empty())) {
            assertEquals(Shape.of(4, 3), ds.navShape());
            assertEquals("frame timestamps (line flyback)", ds.metadata().get("scan_shape_source"));
        }
        // jitter as large as the "flyback": no inference
        long[] j = new long[12];
        for (int i = 1; i < 12; i++) j[i] = j[i - 1] + 1_000_000 + (i % 5) * 400_000;
        Path k = writeMib(tmp.resolve("j.mib"), 12, 8, 8, 6, false, j, null);
        try (Dataset ds = reader.open(k, Parameters.empty())) {
            assertEquals(Shape.of(1, 12), ds.navShape());
        }
    }

    @Test
    void brokenInputsGiveTypedErrorsNamingTheFile() throws IOException {
        Path empty = Files.createFile(tmp.resolve("empty.mib"));
        assertEquals(0.3, reader.probe(empty, ByteBuffer.allocate(0)), 0.0);
        assertNames(assertThrows(TruncatedFileException.class, () -> reader.open(empty, Parameters.empty())), empty, "frame 0 header");

        Path good = writeMib(tmp.resolve("g.mib"), 3, 16, 16, 12, false, null, null);
        byte[] all = Files.readAllBytes(good);
        Path cut = tmp.resolve("cut.mib");
        Files.write(cut, Arrays.copyOf(all, all.length - 100));
        assertNames(assertThrows(TruncatedFileException.class, () -> reader.open(cut, Parameters.empty())), cut, "frame 2");
        Path cutHeader = tmp.resolve("cuth.mib");
        Files.write(cutHeader, Arrays.copyOf(all, 200));
        assertNames(assertThrows(TruncatedFileException.class, () -> reader.open(cutHeader, Parameters.empty())), cutHeader, "frame 0 header");

        Path magic = tmp.resolve("magic.mib");
        byte[] bad = all.clone();
        bad[2] = '2';
        Files.write(magic, bad);
        assertEquals(0.3, reader.probe(magic, ByteBuffer.wrap(bad)), 0.0);
        assertEquals(0.0, reader.probe(tmp.resolve("x.dat"), ByteBuffer.wrap(bad)), 0.0);
        assertNames(assertThrows(CorruptFileException.class, () -> reader.open(magic, Parameters.empty())), magic, "frame 0 header magic");

        Path raw = writeMib(tmp.resolve("raw.mib"), 1, 16, 16, 1, false, null, "R64");
        assertNames(assertThrows(UnsupportedFormatException.class, () -> reader.open(raw, Parameters.empty())), raw, "frame 0 header: pixel type");

        Path odd = writeMib(tmp.resolve("odd.mib"), 1, 16, 16, 12, false, null, "U12");
        assertNames(assertThrows(UnsupportedFormatException.class, () -> reader.open(odd, Parameters.empty())), odd, "frame 0 header: pixel type");

        // the second frame's header is damaged: found when that frame is read
        Path mid = tmp.resolve("mid.mib");
        byte[] m = all.clone();
        m[384 + 512] = 'X';
        Files.write(mid, m);
        try (Dataset ds = reader.open(mid, Parameters.empty())) {
            float[] d = new float[256];
            ds.readFrames(0, 1, d, 0);
            assertNames(assertThrows(CorruptFileException.class, () -> ds.readFrames(1, 1, d, 0)), mid, "frame 1 header magic");
        }
    }

    @Test
    void randomlyDamagedHeadersGiveTypedErrorsOnly() throws IOException {
        byte[] good = Files.readAllBytes(writeMib(tmp.resolve("f.mib"), 4, 16, 16, 12, false, null, null));
        // the leading fields: sizes, type, offset
        int failed = Broken.damagedHeaders(reader, tmp, "mib", good, 64, 11, 300, (k, rnd) -> k % 3 == 0 ? '9' : rnd.nextInt(256));
        assertTrue(failed > 30, "damage is detected: " + failed);
    }


    @Test
    void probeNeverThrows() {
        assertEquals(0.0, reader.probe(Path.of("a"), null), 0.0);
        assertEquals(1.0, reader.probe(Path.of("a.bin"), ByteBuffer.wrap("MQ1,000001".getBytes(StandardCharsets.US_ASCII))), 0.0);
        assertArrayEquals(new String[] {"mib", "hdr"}, reader.suffixes().toArray());
    }
}
