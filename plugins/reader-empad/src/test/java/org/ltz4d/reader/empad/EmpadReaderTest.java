package org.ltz4d.reader.empad;

import static org.ltz4d.io.testing.Broken.assertNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.io.testing.Expected;

/**
 * The shared data hold the real EMPAD XML headers but no .raw (rosettasciio generates its raw as
 * {@code np.arange(N, dtype=float32)}); these tests copy each XML into a temporary folder and
 * write that same raw beside it, so RS's assertions apply.
 */
class EmpadReaderTest {
    @TempDir
    Path tmp;

    private final EmpadReader reader = new EmpadReader();

    /** Writes float32 arange(frames·130·128) as RS's tests do. */
    static Path writeArange(Path raw, int frames) throws IOException {
        int n = frames * 130 * 128;
        ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) b.putFloat(i);
        Files.write(raw, b.array());
        return raw;
    }

    private Path copyXml(String name) throws IOException {
        return Files.copy(Expected.real().resolve("empad").resolve(name), tmp.resolve(name));
    }

    private static void assertArange(Dataset ds) {
        int frames = (int) ds.frameCount();
        float[] d = new float[frames * 128 * 128];
        ds.readFrames(0, frames, d, 0);
        double sum = 0;
        double want = 0;
        for (int f = 0; f < frames; f++) {
            for (int r = 0; r < 128; r++) {
                for (int c = 0; c < 128; c++) {
                    double v = f * 130.0 * 128 + r * 128 + c;
                    assertEquals(v, d[(f * 128 + r) * 128 + c], 0.0);
                    want += v;
                }
            }
        }
        for (float v : d) sum += v;
        assertEquals(want, sum, 0.0);
    }

    @Test
    void map4x4AsRosettasciioAsserts() throws IOException {
        Path xml = copyXml("map4x4.xml");
        assertEquals(0.9, reader.probe(xml, ByteBuffer.wrap(Files.readAllBytes(xml))), 0.0);
        writeArange(tmp.resolve("scan_x4_y4.raw"), 16);
        try (Dataset ds = reader.open(xml, Parameters.empty())) {
            assertEquals(Shape.of(4, 4), ds.navShape());
            assertEquals(Shape.of(128, 128), ds.sigShape());
            assertEquals("float32", ds.dtype().numpyName());
            assertEquals("pix_x/pix_y", ds.metadata().get("scan_shape_source"));
            Calibration c = ds.calibration();
            // RS: signal scale 0.1826537 1/nm → 0.01826537 1/Å; nav scale 1.1415856 µm
            assertEquals(0.01826537060227288, c.detectorPixel().get().value(), 1e-15);
            assertEquals("1/Å", c.detectorPixel().get().unit().symbol());
            assertEquals(1141.5856626420549, c.scanStepXNm().getAsDouble(), 1e-9);
            assertEquals(1141.5856626420549, c.scanStepYNm().getAsDouble(), 1e-9);
            assertEquals(300.0, c.beamKv().getAsDouble(), 0.0);
            assertEquals(722.5, c.cameraLengthMm().getAsDouble(), 1e-9);
            assertEquals(0.0, c.scanRotationDeg(), 0.0);
            assertEquals("2019-06-06T13:30:00.164675", ds.metadata().get("timestamp"));
            assertEquals("0.00042906574394463665", ds.metadata().get("calibrated_diffraction_angle_rad"));
            assertArange(ds);
        }
        // the raw named directly finds its XML
        Path raw = tmp.resolve("scan_x4_y4.raw");
        assertEquals(0.6, reader.probe(raw, ByteBuffer.allocate(16)), 0.0);
        try (Dataset ds = reader.open(raw, Parameters.empty())) {
            assertEquals(Shape.of(4, 4), ds.navShape());
            assertEquals(300.0, ds.calibration().beamKv().getAsDouble(), 0.0);
        }
        try (Dataset ds = reader.open(xml, Parameters.single("scan-shape", "2,8"))) {
            assertEquals(Shape.of(2, 8), ds.navShape());
        }
    }

    @Test
    void version122ScanShapeFromNameAndCalibration() throws IOException {
        Path xml = copyXml("EMPAD_v1.2.2_x32_y64_size0.8.xml");
        Path raw = tmp.resolve("scan_x32_y64.raw");
        long frames = 64L * 32;
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.setLength(frames * EmpadReader.RECORD); // sparse: zeros except what is written below
        }
        try (FileChannel ch = FileChannel.open(raw, StandardOpenOption.WRITE)) {
            ByteBuffer v = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            // last frame: row 127 col 127 = 7; footer row 128 col 0 = 1000 (must be dropped)
            ch.write(v.putFloat(0, 7f), (frames - 1) * EmpadReader.RECORD + (127 * 128 + 127) * 4L);
            ch.write(v.putFloat(0, 1000f).rewind(), (frames - 1) * EmpadReader.RECORD + 128 * 128 * 4L);
        }
        try (Dataset ds = reader.open(xml, Parameters.empty())) {
            assertEquals(Shape.of(64, 32), ds.navShape());
            assertEquals("raw file name", ds.metadata().get("scan_shape_source"));
            Calibration c = ds.calibration();
            assertEquals(27.6131150, c.scanStepXNm().getAsDouble(), 1e-6); // RS: 1.272412341559544e-6 / 0.72 / 64
            assertEquals(300.0, c.beamKv().getAsDouble(), 0.0);
            assertEquals(369.0, c.cameraLengthMm().getAsDouble(), 1e-9);
            assertTrue(c.detectorPixel().isEmpty(), "1.2.x XML has no calibrated_pixelsize");
            assertEquals("2026-03-25T16:47:52.586728", ds.metadata().get("timestamp"));
            float[] d = new float[128 * 128];
            ds.readFrames(frames - 1, 1, d, 0);
            double sum = 0;
            for (float x : d) sum += x;
            assertEquals(7.0, sum, 0.0);
            assertEquals(7f, d[128 * 128 - 1], 0f);
        }
    }

    @Test
    void seriesAsRosettasciioAsserts() throws IOException {
        Path xml = copyXml("stack_images.xml");
        writeArange(tmp.resolve("series_x10.raw"), 10);
        try (Dataset ds = reader.open(xml, Parameters.empty())) {
            assertEquals(Shape.of(1, 10), ds.navShape());
            assertEquals("series_count", ds.metadata().get("scan_shape_source"));
            assertEquals("2019-06-07T13:17:22.590279", ds.metadata().get("timestamp"));
            assertArange(ds);
        }
    }

    @Test
    void rawWithoutXmlUsesItsName() throws IOException {
        writeArange(tmp.resolve("scan_x3_y2.raw"), 6);
        try (Dataset ds = reader.open(tmp.resolve("scan_x3_y2.raw"), Parameters.empty())) {
            assertEquals(Shape.of(2, 3), ds.navShape());
            assertEquals(Calibration.none(), ds.calibration());
            assertArange(ds);
        }
    }

    @Test
    void brokenInputsGiveTypedErrorsNamingTheFile() throws IOException {
        Path xml = copyXml("map4x4.xml");
        assertNames(assertThrows(InvalidInputException.class, () -> reader.open(xml, Parameters.empty())), xml, "raw_file");

        Path raw = tmp.resolve("scan_x4_y4.raw");
        Files.createFile(raw);
        assertNames(assertThrows(TruncatedFileException.class, () -> reader.open(xml, Parameters.empty())), raw, "frame 0");
        writeArange(raw, 15);
        assertNames(assertThrows(TruncatedFileException.class, () -> reader.open(xml, Parameters.empty())), raw, "frame 15");
        writeArange(raw, 17);
        assertNames(assertThrows(ShapeMismatchException.class, () -> reader.open(xml, Parameters.empty())), raw, "scan shape (pix_x/pix_y)");

        Path emptyXml = Files.createFile(tmp.resolve("e.xml"));
        assertNames(assertThrows(TruncatedFileException.class, () -> reader.open(emptyXml, Parameters.empty())), emptyXml, "XML header");
        Path notXml = Files.write(tmp.resolve("n.xml"), new byte[] {0, 1, 2, 3});
        assertEquals(0.0, reader.probe(notXml, ByteBuffer.wrap(new byte[] {0, 1, 2, 3})), 0.0);
        assertNames(assertThrows(CorruptFileException.class, () -> reader.open(notXml, Parameters.empty())), notXml, "XML header");
        Path other = Files.writeString(tmp.resolve("o.xml"), "<svg><raw_file filename=\"x.raw\"/></svg>", StandardCharsets.UTF_8);
        assertNames(assertThrows(CorruptFileException.class, () -> reader.open(other, Parameters.empty())), other, "XML root element");
        Path noRaw = Files.writeString(tmp.resolve("r.xml"), "<root><pix_x>2</pix_x></root>", StandardCharsets.UTF_8);
        assertNames(assertThrows(CorruptFileException.class, () -> reader.open(noRaw, Parameters.empty())), noRaw, "raw_file");
        Path anon = writeArange(tmp.resolve("anon.raw"), 2);
        assertNames(assertThrows(ShapeMismatchException.class, () -> reader.open(anon, Parameters.empty())), anon, "scan shape");
        assertEquals(0.0, reader.probe(anon, ByteBuffer.allocate(8)), 0.0);
    }

}
