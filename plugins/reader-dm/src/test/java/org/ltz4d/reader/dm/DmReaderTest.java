package org.ltz4d.reader.dm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.error.UnsupportedFormatException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.io.testing.Expected;

class DmReaderTest {
    @TempDir
    Path tmp;

    private final DmReader reader = new DmReader();

    private static final Map<String, Shape> NAV = Map.of(
            "dm/rsciio/3D_test-10_uint16.dm4", Shape.of(1, 2),
            "dm/rsciio/3D_test-2_float32.dm4", Shape.of(1, 2),
            "dm/rsciio/3D_test-7_int32.dm3", Shape.of(1, 2),
            "dm/rsciio/test_diffraction_pattern.dm3", Shape.of(1, 1),
            "dm/rsciio/test_stackbuilder_imagestack.dm3", Shape.of(1, 3),
            "dm/ncempy/dmTest_3D_int16_64,65,66.dm3", Shape.of(1, 66),
            "dm/ncempy/dmTest_3D_int16_64,65,66.dm4", Shape.of(1, 66));

    @ParameterizedTest
    @ValueSource(strings = {"dm/rsciio/3D_test-10_uint16.dm4", "dm/rsciio/3D_test-2_float32.dm4", "dm/rsciio/3D_test-7_int32.dm3",
            "dm/rsciio/test_diffraction_pattern.dm3", "dm/rsciio/test_stackbuilder_imagestack.dm3",
            "dm/ncempy/dmTest_3D_int16_64,65,66.dm3", "dm/ncempy/dmTest_3D_int16_64,65,66.dm4"})
    void realFilesMatchExpectedValues(String key) throws IOException {
        JsonNode e = Expected.all().get(key);
        assertTrue(e != null, key);
        Path file = Expected.real().resolve(key);
        byte[] head = Arrays.copyOf(Files.readAllBytes(file), 4096);
        assertEquals(1.0, reader.probe(file, ByteBuffer.wrap(head)), 0.0);
        try (Dataset ds = reader.open(file, Parameters.empty())) {
            JsonNode d = e.get("data_c_order");
            int[] shape = Expected.ints(d.get("shape"));
            assertEquals(NAV.get(key), ds.navShape());
            assertEquals(Shape.of(shape[shape.length - 2], shape[shape.length - 1]), ds.sigShape());
            assertEquals(d.get("dtype").asText(), ds.dtype().numpyName());
            assertEquals(e.get("version").asText(), ds.metadata().get("dm_version"));
            assertEquals(e.get("DataType").asText(), ds.metadata().get("dm_data_type"));
            assertEquals(e.get("data_offset").asText(), ds.metadata().get("data_offset"));
            assertEquals(Arrays.toString(Expected.ints(e.get("Dimensions"))), ds.metadata().get("dimensions"));
            JsonNode cals = e.get("calibrations");
            for (int i = 0; i < cals.size(); i++) {
                JsonNode c = cals.get(i);
                assertEquals(c.get("scale").asDouble(), Double.parseDouble(ds.metadata().get("axis" + i + ".scale")), 0.0, "axis " + i);
                assertEquals(c.get("origin").asDouble(), Double.parseDouble(ds.metadata().get("axis" + i + ".origin_px")), 0.0, "axis " + i);
                assertEquals(c.get("units").asText(), ds.metadata().get("axis" + i + ".units"), "axis " + i);
            }
            int n = (int) ds.frameCount() * ds.framePixels();
            float[] all = new float[n];
            ds.readFrames(0, (int) ds.frameCount(), all, 0);
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (float v : all) {
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertEquals(d.get("sum").asDouble(), sum, 0.0);
            assertEquals(d.get("min").asDouble(), min, 0.0);
            assertEquals(d.get("max").asDouble(), max, 0.0);
            double[] first = Expected.doubles(e.get("flat_first8"));
            for (int i = 0; i < first.length; i++) assertEquals(first[i], all[i], 0.0, "element " + i);
        }
    }

    @Test
    void realFileCalibrationsAndMetadata() {
        try (Dataset ds = reader.open(Expected.real().resolve("dm/rsciio/test_diffraction_pattern.dm3"), Parameters.empty())) {
            Calibration c = ds.calibration();
            assertEquals("1/Å", c.detectorPixel().get().unit().symbol());
            assertEquals(0.17443285882472992 / 10, c.detectorPixel().get().value(), 1e-16); // 1/nm → 1/Å
            assertEquals(200.0, c.beamKv().getAsDouble(), 0.0);
            assertEquals(320.0, c.cameraLengthMm().getAsDouble(), 1e-9); // RS: camera_length 320 (diffraction mode)
            assertEquals("0.2", ds.metadata().get("exposure_s"));
            assertEquals("FEI Tecnai", ds.metadata().get("microscope"));
            assertEquals("7/9/2014", ds.metadata().get("acquisition_date"));
            assertEquals("6:56:37 PM", ds.metadata().get("acquisition_time"));
            assertEquals("1", ds.metadata().get("image_index")); // ImageList[0] is the RGBA display image
            assertEquals(Double.toString(786 * (double) 0.17443286f), ds.metadata().get("axis0.offset"));
        }
        try (Dataset ds = reader.open(Expected.real().resolve("dm/rsciio/test_stackbuilder_imagestack.dm3"), Parameters.empty())) {
            Calibration c = ds.calibration();
            assertEquals(200.0, c.beamKv().getAsDouble(), 0.0);
            assertEquals(15.0, c.cameraLengthMm().getAsDouble(), 0.0);
            assertTrue(c.detectorPixel().isEmpty(), "µm image axes are no detector pixel");
            assertEquals(30000.05078125, Double.parseDouble(ds.metadata().get("dwell_time_us")), 1e-9); // RS dwell 0.03000005078125 s
            assertEquals("5/17/2015", ds.metadata().get("acquisition_date"));
            assertEquals("stackbuilder_test4_16x2", ds.metadata().get("title"));
            assertEquals("[16, 2, 3]", ds.metadata().get("dimensions"));
        }
        try (Dataset ds = reader.open(Expected.real().resolve("dm/ncempy/dmTest_3D_int16_64,65,66.dm4"), Parameters.empty())) {
            assertEquals(4000.0, ds.calibration().scanStepXNm().getAsDouble(), 0.0); // stack axis 4 µm
            assertEquals("1", ds.metadata().get("image_index")); // Thumbnails[0].ImageIndex = 0 skipped
            float[] f = new float[64 * 65];
            ds.readFrames(65, 1, f, 0);
            for (int y = 0; y < 65; y += 16) {
                for (int x = 0; x < 64; x++) assertEquals(x, f[y * 64 + x], 0.0); // value = x index
            }
        }
        try (Dataset ds = reader.open(Expected.real().resolve("dm/ncempy/dmTest_3D_int16_64,65,66.dm3"), Parameters.single("scan-shape", "6,11"))) {
            assertEquals(Shape.of(6, 11), ds.navShape());
        }
    }

    // ------------------------------------------------------------ files written by the test

    /** 4D [kx, ky, rx, ry] u16 with a thumbnail first; value(ry, rx, ky, kx) = ry·1000 + rx·100 + ky·10 + kx. */
    private Path write4d(Path file, boolean dm4, ByteOrder order) throws IOException {
        DmWriter w = new DmWriter(dm4, order);
        int kx = 6;
        int ky = 5;
        int rx = 4;
        int ry = 3;
        ByteBuffer data = ByteBuffer.allocate(kx * ky * rx * ry * 2).order(order);
        for (int a = 0; a < ry; a++) for (int b = 0; b < rx; b++) for (int c = 0; c < ky; c++) for (int d = 0; d < kx; d++) {
            data.putShort((short) (a * 1000 + b * 100 + c * 10 + d));
        }
        DmWriter.Node thumb = w.image(23, 5, new long[] {8, 8}, new byte[8 * 8 * 4], null, null, null, null);
        DmWriter.Node tags = DmWriter.group("ImageTags",
                DmWriter.group("Microscope Info", w.f64("Voltage", 300000), w.f64("STEM Camera Length", 100),
                        w.text("Name", "Test TEM"), w.text("Operation Mode", "SCANNING")),
                DmWriter.group("DigiScan", w.f64("Rotation", 12.5), w.f64("Sample Time", 16.0)),
                DmWriter.group("DataBar", w.f64("Exposure Time (s)", 0.001), w.text("Acquisition Date", "1/2/2025")));
        DmWriter.Node img = w.image(10, 4, new long[] {kx, ky, rx, ry}, data.array(), new double[] {0.2, 0.2, 1.5, 2.5},
                new double[] {3, 2.5, 0, 0}, new String[] {"1/nm", "1/nm", "nm", "nm"}, tags);
        return w.write(file, DmWriter.group("", DmWriter.group("ImageList", thumb, img),
                DmWriter.group("Thumbnails", DmWriter.group("", w.u32("ImageIndex", 0)))));
    }

    @ParameterizedTest
    @CsvSource({"true,little", "true,big", "false,little", "false,big"})
    void written4dDatasetsInEachVariant(boolean dm4, String order) throws IOException {
        ByteOrder bo = order.equals("big") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        Path f = write4d(tmp.resolve(dm4 ? "w.dm4" : "w.dm3"), dm4, bo);
        try (Dataset ds = reader.open(f, Parameters.empty())) {
            assertEquals(Shape.of(3, 4), ds.navShape());
            assertEquals(Shape.of(5, 6), ds.sigShape());
            assertEquals("uint16", ds.dtype().numpyName());
            Calibration c = ds.calibration();
            assertEquals(0.02, c.detectorPixel().get().value(), 1e-8);
            assertEquals("1/Å", c.detectorPixel().get().unit().symbol());
            assertEquals(2.5, c.scanStepYNm().getAsDouble(), 1e-6);
            assertEquals(1.5, c.scanStepXNm().getAsDouble(), 1e-6);
            assertEquals(300.0, c.beamKv().getAsDouble(), 0.0);
            assertEquals(100.0, c.cameraLengthMm().getAsDouble(), 0.0);
            assertEquals(12.5, c.scanRotationDeg(), 0.0);
            assertEquals("0.001", ds.metadata().get("exposure_s"));
            assertEquals("Test TEM", ds.metadata().get("microscope"));
            float[] all = new float[12 * 30];
            ds.readFrames(0, 12, all, 0);
            for (int a = 0; a < 3; a++) for (int b = 0; b < 4; b++) for (int cc = 0; cc < 5; cc++) for (int d = 0; d < 6; d++) {
                assertEquals(a * 1000 + b * 100 + cc * 10 + d, all[((a * 4 + b) * 5 + cc) * 6 + d], 0.0);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"2,7,4,float32,mrad,0.5,0.5", "12,7,8,float64,rad,0.002,2", "9,9,1,int8,1/A,0.03,0.03", "1,2,2,int16,1/pm,0.001,0.1",
            "6,10,1,uint8,nm,1,-1", "7,3,4,int32,mrad,1,1", "11,5,4,uint32,1/nm,1,0.1"})
    void written2dAnd3dImagesOfEveryType(int dataType, int elemType, int bytes, String dtype, String unit, double scale, double want) throws IOException {
        DmWriter w = new DmWriter(dataType % 2 == 0, dataType % 3 == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        ByteOrder o = dataType % 3 == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        int n = 4 * 3 * 2;
        ByteBuffer b = ByteBuffer.allocate(n * bytes).order(o);
        for (int i = 0; i < n; i++) {
            switch (dtype) {
                case "float32" -> b.putFloat(i - 5);
                case "float64" -> b.putDouble(i - 5);
                case "int8" -> b.put((byte) (i - 5));
                case "uint8" -> b.put((byte) i);
                case "int16" -> b.putShort((short) (i - 5));
                case "int32" -> b.putInt(i - 5);
                default -> b.putInt(i);
            }
        }
        boolean signed = !dtype.startsWith("u");
        DmWriter.Node img = w.image(dataType, elemType, new long[] {4, 3, 2}, b.array(), new double[] {scale, scale, 7},
                new double[] {0, 0, 0}, new String[] {unit, unit, "µm"}, null);
        Path f = w.write(tmp.resolve("s.dm" + (dataType % 2 == 0 ? 4 : 3)), DmWriter.group("", DmWriter.group("ImageList", img)));
        try (Dataset ds = reader.open(f, Parameters.empty())) {
            assertEquals(dtype, ds.dtype().numpyName());
            assertEquals(Shape.of(1, 2), ds.navShape());
            assertEquals(Shape.of(3, 4), ds.sigShape());
            assertEquals(7000.0, ds.calibration().scanStepXNm().getAsDouble(), 1e-3);
            if (want < 0) {
                assertTrue(ds.calibration().detectorPixel().isEmpty());
            } else {
                assertEquals(want, ds.calibration().detectorPixel().get().value(), want * 1e-6);
                assertEquals(unit.contains("rad") ? "mrad" : "1/Å", ds.calibration().detectorPixel().get().unit().symbol());
            }
            float[] all = new float[n];
            ds.readFrames(0, 2, all, 0);
            for (int i = 0; i < n; i++) assertEquals(signed ? i - 5 : i, all[i], 0.0, "element " + i);
        }
        // one image: the first frame alone
        DmWriter.Node img2 = w.image(dataType, elemType, new long[] {4, 3}, Arrays.copyOf(b.array(), 12 * bytes), null, null, null, null);
        Path g = w.write(tmp.resolve("i.dm4"), DmWriter.group("", DmWriter.group("ImageList", img2)));
        try (Dataset ds = reader.open(g, Parameters.empty())) {
            assertEquals(Shape.of(1, 1), ds.navShape());
            assertEquals(Shape.of(3, 4), ds.sigShape());
        }
    }

    @Test
    void brokenInputsGiveTypedErrorsNamingTheFile() throws IOException {
        Path empty = Files.createFile(tmp.resolve("empty.dm4"));
        assertEquals(0.3, reader.probe(empty, ByteBuffer.allocate(0)), 0.0);
        assertNames(assertThrows(TruncatedFileException.class, () -> reader.open(empty, Parameters.empty())), empty, "header");

        Path good = write4d(tmp.resolve("g.dm4"), true, ByteOrder.LITTLE_ENDIAN);
        byte[] all = Files.readAllBytes(good);
        Path cut = tmp.resolve("cut.dm4");
        Files.write(cut, Arrays.copyOf(all, 300));
        TruncatedFileException t = assertThrows(TruncatedFileException.class, () -> reader.open(cut, Parameters.empty()));
        assertTrue(t.field().startsWith("tag tree at byte "), t.getMessage());
        assertTrue(t.getMessage().startsWith(cut.toString() + ": "), t.getMessage());

        // a data array that claims more than the file holds (cut inside the image data)
        DmWriter w = new DmWriter(false, ByteOrder.LITTLE_ENDIAN);
        DmWriter.Node img = w.image(2, 6, new long[] {4, 4, 4, 4}, new byte[256 * 4], null, null, null, null);
        byte[] full = w.bytes(DmWriter.group("", DmWriter.group("ImageList", img)));
        Path cutData = tmp.resolve("cutdata.dm3");
        Files.write(cutData, Arrays.copyOf(full, full.length - 600));
        assertTrue(assertThrows(TruncatedFileException.class, () -> reader.open(cutData, Parameters.empty())).getMessage().startsWith(cutData.toString()));

        byte[] magic = all.clone();
        magic[3] = 5;
        Path m = tmp.resolve("magic.dm4");
        Files.write(m, magic);
        assertEquals(0.3, reader.probe(m, ByteBuffer.wrap(magic)), 0.0);
        assertNames(assertThrows(CorruptFileException.class, () -> reader.open(m, Parameters.empty())), m, "header version");

        DmWriter.Node cplx = w.image(3, 6, new long[] {4, 4}, new byte[16 * 8], null, null, null, null);
        Path c = w.write(tmp.resolve("complex.dm3"), DmWriter.group("", DmWriter.group("ImageList", cplx)));
        assertNames(assertThrows(UnsupportedFormatException.class, () -> reader.open(c, Parameters.empty())), c, "ImageList[0]/ImageData/DataType");

        DmWriter.Node spec = w.image(2, 6, new long[] {16}, new byte[16 * 4], null, null, null, null);
        Path s = w.write(tmp.resolve("spectrum.dm3"), DmWriter.group("", DmWriter.group("ImageList", spec)));
        assertNames(assertThrows(ShapeMismatchException.class, () -> reader.open(s, Parameters.empty())), s, "ImageList[0]/ImageData/Dimensions");

        DmWriter.Node wrong = w.image(2, 6, new long[] {4, 4}, new byte[15 * 4], null, null, null, null);
        Path ws = w.write(tmp.resolve("size.dm3"), DmWriter.group("", DmWriter.group("ImageList", wrong)));
        assertNames(assertThrows(CorruptFileException.class, () -> reader.open(ws, Parameters.empty())), ws, "ImageList[0]/ImageData/Data");

        DmWriter.Node scanFirst = w.image(2, 6, new long[] {2, 2, 2, 2}, new byte[16 * 4], new double[] {1, 1, 0.1, 0.1},
                new double[] {0, 0, 0, 0}, new String[] {"nm", "nm", "1/nm", "1/nm"}, null);
        Path sf = w.write(tmp.resolve("scanfirst.dm4"), DmWriter.group("", DmWriter.group("ImageList", scanFirst)));
        assertNames(assertThrows(UnsupportedFormatException.class, () -> reader.open(sf, Parameters.empty())), sf,
                "ImageList[0]/ImageData/Calibrations/Dimension");

        Path none = w.write(tmp.resolve("none.dm3"), DmWriter.group("", DmWriter.group("DocumentTags")));
        assertNames(assertThrows(CorruptFileException.class, () -> reader.open(none, Parameters.empty())), none, "ImageList");

        assertNames(assertThrows(ShapeMismatchException.class, () -> reader.open(good, Parameters.single("scan-shape", "5,5"))), good, "scan-shape");
    }

    @Test
    void randomlyDamagedFilesGiveTypedErrorsOnly() throws IOException {
        byte[] good = Files.readAllBytes(write4d(tmp.resolve("f.dm4"), true, ByteOrder.LITTLE_ENDIAN));
        byte[] good3 = Files.readAllBytes(write4d(tmp.resolve("f.dm3"), false, ByteOrder.BIG_ENDIAN));
        java.util.Random rnd = new java.util.Random(7);
        int opened = 0;
        int failed = 0;
        for (int k = 0; k < 400; k++) {
            byte[] src = k % 2 == 0 ? good : good3;
            byte[] b = src.clone();
            int hits = 1 + rnd.nextInt(3);
            for (int j = 0; j < hits; j++) b[rnd.nextInt(b.length - 12 * 30 * 2)] = (byte) rnd.nextInt(256); // the tag tree, not the pixels
            Path f = Files.write(tmp.resolve("d" + k + (k % 2 == 0 ? ".dm4" : ".dm3")), b);
            try (Dataset ds = reader.open(f, Parameters.empty())) {
                float[] all = new float[(int) ds.frameCount() * ds.framePixels()];
                ds.readFrames(0, (int) ds.frameCount(), all, 0);
                opened++;
            } catch (InvalidInputException e) {
                // any other exception fails the test by itself; a typed one must name the file and the field, on one line
                assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
                assertTrue(e.field() != null && !e.field().isBlank(), "names the field: " + e.getMessage());
                assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
                failed++;
            }
            Files.delete(f);
        }
        assertTrue(failed > 50, "most damage is detected: " + failed + " of 400");
        assertTrue(opened > 0, "damage the reader tolerates still reads every frame: " + opened + " of 400");
    }

    static void assertNames(InvalidInputException e, Path file, String field) {
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
