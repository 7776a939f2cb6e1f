package org.ltz4d.reader.blo;

import static org.ltz4d.io.testing.Broken.assertNames;
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
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.error.UnsupportedFormatException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.io.testing.Broken;
import org.ltz4d.io.testing.Expected;

class BloReaderTest {
    @TempDir
    Path tmp;

    private final BloReader reader = new BloReader();

    @ParameterizedTest
    @ValueSource(strings = {"blo/test1.blo", "blo/test2.blo"})
    void realFilesMatchExpectedValues(String key) throws IOException {
        JsonNode e = Expected.all().get(key);
        JsonNode h = e.get("header");
        Path file = Expected.real().resolve(key);
        assertEquals(1.0, reader.probe(file, ByteBuffer.wrap(Files.readAllBytes(file))), 0.0);
        try (Dataset ds = reader.open(file, Parameters.empty())) {
            int[] shape = Expected.ints(e.get("data").get("shape"));
            assertEquals(Shape.of(shape[0], shape[1]), ds.navShape());
            assertEquals(Shape.of(shape[2], shape[3]), ds.sigShape());
            assertEquals(h.get("NY").asInt(), ds.navShape().rows());
            assertEquals(h.get("NX").asInt(), ds.navShape().cols());
            assertEquals(h.get("DP_SZ").asInt(), ds.sigShape().rows());
            assertEquals(e.get("data").get("dtype").asText(), ds.dtype().numpyName());
            Calibration c = ds.calibration();
            assertEquals(h.get("SY").asDouble(), c.scanStepYNm().getAsDouble(), 0.0);
            assertEquals(h.get("SX").asDouble(), c.scanStepXNm().getAsDouble(), 0.0);
            assertEquals(h.get("Beam_energy").asDouble() / 1000, c.beamKv().getAsDouble(), 1e-12);
            assertEquals(h.get("Camera_length").asDouble() * 0.1, c.cameraLengthMm().getAsDouble(), 1e-9);
            assertEquals(200.0, c.cameraLengthMm().getAsDouble(), 1e-9);
            assertEquals(h.get("Scan_rotation").asDouble() * 0.01, c.scanRotationDeg(), 1e-12);
            assertTrue(c.detectorPixel().isEmpty());
            assertEquals(100.0 / h.get("SDP").asDouble(), Double.parseDouble(ds.metadata().get("dp_scale_per_px")), 0.0);
            assertEquals(h.get("Data_offset_2").asText(), ds.metadata().get("data_offset_2"));
            assertEquals(e.get("note").asText(), ds.metadata().get("note"));
            int px = ds.framePixels();
            float[] all = new float[(int) ds.frameCount() * px];
            ds.readFrames(0, (int) ds.frameCount(), all, 0);
            double sum = 0;
            double max = 0;
            for (float v : all) {
                sum += v;
                max = Math.max(max, v);
            }
            assertEquals(e.get("data").get("sum").asDouble(), sum, 0.0);
            assertEquals(e.get("data").get("max").asDouble(), max, 0.0);
            int[] row0 = Expected.ints(e.get("d_0_0_row0"));
            for (int i = 0; i < row0.length; i++) assertEquals(row0[i], all[i], 0.0, "pattern (0,0) row 0 col " + i);
        }
    }

    @Test
    void test1MetadataAndTest2FullPatternsAsRosettasciioAsserts() {
        try (Dataset ds = reader.open(Expected.real().resolve("blo/test1.blo"), Parameters.empty())) {
            assertEquals("2015-12-01T15:40:59.812Z", ds.metadata().get("timestamp"));
            assertEquals(25.0, ds.calibration().scanRotationDeg(), 1e-12);
            assertEquals(0.016061676839061997, Double.parseDouble(ds.metadata().get("dp_scale_per_px")), 0.0);
        }
        try (Dataset ds = reader.open(Expected.real().resolve("blo/test2.blo"), Parameters.empty())) {
            float[] first = new float[25];
            float[] last = new float[25];
            ds.readFrames(0, 1, first, 0);
            ds.readFrames(5, 1, last, 0); // (y=1, x=2)
            int[] wantFirst = {20, 23, 25, 25, 27, 29, 23, 23, 0, 29, 24, 0, 0, 22, 18, 0, 14, 19, 17, 26, 19, 21, 22, 27, 20};
            int[] wantLast = {24, 18, 20, 22, 21, 13, 25, 20, 28, 29, 15, 17, 24, 23, 23, 22, 21, 21, 22, 18, 24, 25, 18, 18, 27};
            for (int i = 0; i < 25; i++) {
                assertEquals(wantFirst[i], first[i], 0.0, "first pattern " + i);
                assertEquals(wantLast[i], last[i], 0.0, "last pattern " + i);
            }
        }
    }

    /** Writes a blockfile: pattern (y, x) pixel p = (y·7 + x·13 + p) mod 251. */
    static Path writeBlo(Path file, int nx, int ny, int dp, int gap) throws IOException {
        int off1 = 4096;
        int off2 = off1 + nx * ny + gap;
        ByteBuffer b = ByteBuffer.allocate(off2 + nx * ny * (6 + dp * dp)).order(ByteOrder.LITTLE_ENDIAN);
        b.put("IMGBLO".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0x0102).putInt(off1).putInt(off2).putInt(0)
                .putShort((short) dp).putShort((short) 0).putShort((short) nx).putShort((short) ny).putShort((short) 9000)
                .putDouble(2.5).putDouble(3.5).putInt(300000).putShort((short) 1000).putInt(1500).putDouble(45000.5);
        b.position(240);
        b.put("written by a test".getBytes(StandardCharsets.ISO_8859_1));
        b.position(off2);
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                b.put((byte) 0xAA).put((byte) 0x55).putInt(y * nx + x);
                for (int p = 0; p < dp * dp; p++) b.put((byte) ((y * 7 + x * 13 + p) % 251));
            }
        }
        Files.write(file, b.array());
        return file;
    }

    @Test
    void writtenLayoutReadsExactly() throws IOException {
        Path f = writeBlo(tmp.resolve("w.blo"), 5, 3, 7, 13);
        try (Dataset ds = reader.open(f, Parameters.empty())) {
            assertEquals(Shape.of(3, 5), ds.navShape());
            assertEquals(Shape.of(7, 7), ds.sigShape());
            assertEquals(3.5, ds.calibration().scanStepYNm().getAsDouble(), 0.0);
            assertEquals(2.5, ds.calibration().scanStepXNm().getAsDouble(), 0.0);
            assertEquals(300.0, ds.calibration().beamKv().getAsDouble(), 0.0);
            assertEquals(150.0, ds.calibration().cameraLengthMm().getAsDouble(), 1e-12);
            assertEquals(90.0, ds.calibration().scanRotationDeg(), 1e-12);
            assertEquals("written by a test", ds.metadata().get("note"));
            assertEquals("2023-03-15T12:00:00Z", ds.metadata().get("timestamp"));
            float[] d = new float[15 * 49];
            ds.readFrames(0, 15, d, 0);
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 5; x++) {
                    for (int p = 0; p < 49; p++) assertEquals((y * 7 + x * 13 + p) % 251, d[(y * 5 + x) * 49 + p], 0.0);
                }
            }
        }
    }

    @Test
    void brokenInputsGiveTypedErrorsNamingTheFile() throws IOException {
        Path empty = Files.createFile(tmp.resolve("empty.blo"));
        assertEquals(0.3, reader.probe(empty, ByteBuffer.allocate(0)), 0.0);
        assertNames(assertThrows(TruncatedFileException.class, () -> reader.open(empty, Parameters.empty())), empty, "header");

        Path good = writeBlo(tmp.resolve("g.blo"), 4, 2, 6, 0);
        byte[] all = Files.readAllBytes(good);
        Path cut = tmp.resolve("cut.blo");
        Files.write(cut, Arrays.copyOf(all, all.length - 10));
        assertNames(assertThrows(TruncatedFileException.class, () -> reader.open(cut, Parameters.empty())), cut, "frame 7");
        Path cutHeader = tmp.resolve("cuth.blo");
        Files.write(cutHeader, Arrays.copyOf(all, 100));
        assertNames(assertThrows(TruncatedFileException.class, () -> reader.open(cutHeader, Parameters.empty())), cutHeader, "header");

        byte[] wrong = all.clone();
        wrong[0] = 'X';
        Path magic = tmp.resolve("magic.blo");
        Files.write(magic, wrong);
        assertEquals(0.3, reader.probe(magic, ByteBuffer.wrap(wrong)), 0.0);
        assertEquals(0.0, reader.probe(tmp.resolve("magic.dat"), ByteBuffer.wrap(wrong)), 0.0);
        assertNames(assertThrows(CorruptFileException.class, () -> reader.open(magic, Parameters.empty())), magic, "header ID");

        byte[] version = all.clone();
        version[6] = 0x03;
        Path v = tmp.resolve("v.blo");
        Files.write(v, version);
        assertNames(assertThrows(UnsupportedFormatException.class, () -> reader.open(v, Parameters.empty())), v, "header MAGIC");

        byte[] rec = all.clone();
        int off2 = 4096 + 8;
        rec[off2 + 3 * (6 + 36)] = 0x11;
        Path r = tmp.resolve("r.blo");
        Files.write(r, rec);
        try (Dataset ds = reader.open(r, Parameters.empty())) {
            float[] d = new float[36 * 8];
            ds.readFrames(0, 3, d, 0);
            assertNames(assertThrows(CorruptFileException.class, () -> ds.readFrames(0, 8, d, 0)), r, "frame 3 header magic");
        }
    }

    @Test
    void randomlyDamagedHeadersGiveTypedErrorsOnly() throws IOException {
        byte[] good = Files.readAllBytes(writeBlo(tmp.resolve("f.blo"), 4, 3, 8, 5));
        int failed = Broken.damagedHeaders(reader, tmp, "blo", good, 64, 5, 300, (k, rnd) -> rnd.nextInt(256));
        assertTrue(failed > 30, "damage is detected: " + failed);
    }

}
