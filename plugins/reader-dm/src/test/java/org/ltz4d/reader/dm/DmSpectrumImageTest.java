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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.MissingCalibrationException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.io.testing.Expected;

/**
 * 3-D DM spectrum images: energy slowest ([X, Y, E], GMS's order) and energy fastest ([E, X, Y]),
 * DM3 big-endian and DM4 little-endian, read as one spectrum per scan position with the energy
 * axis from the calibration tags; the real 3-D files' pixels, re-labelled as a spectrum image, land
 * where EXPECTED_VALUES.json says; a spectrum image without an energy calibration is a typed error
 * naming the file and the tag.
 */
class DmSpectrumImageTest {
    @TempDir
    Path tmp;

    private final DmReader reader = new DmReader();

    /** value(y, x, e) = 1000·y + 10·x + e·0.5 as float32. */
    static float value(int y, int x, int e) {
        return 1000 * y + 10 * x + e * 0.5f;
    }

    static Path write(Path file, boolean dm4, ByteOrder order, boolean energySlowest, int rows, int cols, int channels, String eUnits,
            double eScale, double eOrigin, DmWriter.Node tags) throws IOException {
        DmWriter w = new DmWriter(dm4, order);
        ByteBuffer b = ByteBuffer.allocate(rows * cols * channels * 4).order(order);
        if (energySlowest) {
            for (int e = 0; e < channels; e++) for (int y = 0; y < rows; y++) for (int x = 0; x < cols; x++) b.putFloat(value(y, x, e));
        } else {
            for (int y = 0; y < rows; y++) for (int x = 0; x < cols; x++) for (int e = 0; e < channels; e++) b.putFloat(value(y, x, e));
        }
        long[] dims = energySlowest ? new long[] {cols, rows, channels} : new long[] {channels, cols, rows};
        double[] scales = energySlowest ? new double[] {2, 2, eScale} : new double[] {eScale, 2, 2};
        double[] origins = energySlowest ? new double[] {0, 0, eOrigin} : new double[] {eOrigin, 0, 0};
        String[] units = energySlowest ? new String[] {"nm", "nm", eUnits} : new String[] {eUnits, "nm", "nm"};
        DmWriter.Node img = w.image(2, 6, dims, b.array(), scales, origins, units, tags);
        return w.write(file, DmWriter.group("", DmWriter.group("ImageList", img)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dm4 slowest", "dm3 slowest", "dm4 fastest", "dm3 fastest"})
    void spectrumImagesGiveOneSpectrumPerPositionAndTheirEnergyAxis(String kind) throws IOException {
        boolean dm4 = kind.startsWith("dm4");
        boolean slowest = kind.endsWith("slowest");
        ByteOrder order = dm4 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        int rows = 3, cols = 5, channels = 40;
        Path f = write(tmp.resolve("si." + (dm4 ? "dm4" : "dm3")), dm4, order, slowest, rows, cols, channels, "eV", 0.25, 20, null);
        try (Dataset ds = reader.open(f, Parameters.empty())) {
            assertEquals(Shape.of(rows, cols), ds.navShape());
            assertEquals(Shape.of(1, channels), ds.sigShape());
            assertEquals(0.25, Double.parseDouble(ds.metadata().get("energy_axis.scale_ev")), 1e-12);
            assertEquals(-5.0, Double.parseDouble(ds.metadata().get("energy_axis.offset_ev")), 1e-9); // −Origin·Scale
            assertEquals("ImageList[0]/ImageData/Calibrations/Dimension[" + (slowest ? 2 : 0) + "]", ds.metadata().get("energy_axis.tag"));
            assertEquals(2.0, ds.calibration().scanStepXNm().getAsDouble(), 1e-6);
            float[] all = new float[rows * cols * channels];
            // odd blocks: a frame alone, then the rest
            ds.readFrames(0, 1, all, 0);
            ds.readFrames(1, rows * cols - 1, all, channels);
            for (int y = 0; y < rows; y++) for (int x = 0; x < cols; x++) for (int e = 0; e < channels; e++) {
                assertEquals(value(y, x, e), all[((y * cols) + x) * channels + e], 0.0, kind + " y " + y + " x " + x + " e " + e);
            }
        }
        // --spectrum-image no: the old reading, a stack of frames
        try (Dataset ds = reader.open(f, Parameters.single("spectrum-image", "no"))) {
            assertEquals(slowest ? Shape.of(1, channels) : Shape.of(1, rows), ds.navShape());
        }
    }

    @Test
    void keVIsConvertedAndMarkedSpectrumImagesNeedAnEnergyCalibration() throws IOException {
        Path kev = write(tmp.resolve("kev.dm4"), true, ByteOrder.LITTLE_ENDIAN, true, 2, 2, 8, "keV", 0.01, 0, null);
        try (Dataset ds = reader.open(kev, Parameters.empty())) {
            assertEquals(10.0, Double.parseDouble(ds.metadata().get("energy_axis.scale_ev")), 1e-6);
        }
        DmWriter w = new DmWriter(true, ByteOrder.LITTLE_ENDIAN);
        DmWriter.Node meta = DmWriter.group("ImageTags", DmWriter.group("Meta Data", w.text("Format", "Spectrum image"), w.text("Signal", "EELS")));
        Path noUnit = write(tmp.resolve("nounit.dm4"), true, ByteOrder.LITTLE_ENDIAN, true, 2, 2, 8, "", 1, 0, meta);
        MissingCalibrationException e = assertThrows(MissingCalibrationException.class, () -> reader.open(noUnit, Parameters.empty()));
        DmReaderTest.assertNames(e, noUnit, "ImageList[0]/ImageData/Calibrations/Dimension[2]/Units");
        assertTrue(e.getMessage().contains("Spectrum image"), e.getMessage());
        Path zero = write(tmp.resolve("zero.dm3"), false, ByteOrder.BIG_ENDIAN, true, 2, 2, 8, "eV", 0, 0, null);
        DmReaderTest.assertNames(assertThrows(MissingCalibrationException.class, () -> reader.open(zero, Parameters.empty())), zero,
                "ImageList[0]/ImageData/Calibrations/Dimension[2]/Scale");
        Path plain = write(tmp.resolve("plain.dm4"), true, ByteOrder.LITTLE_ENDIAN, true, 2, 2, 8, "nm", 1, 0, null);
        DmReaderTest.assertNames(assertThrows(MissingCalibrationException.class, () -> reader.open(plain, Parameters.single("spectrum-image", "yes"))),
                plain, "ImageList[0]/ImageData/Calibrations/Dimension[2]/Units");
    }

    /**
     * The real 3-D files (Dimensions [64, 65, 66], values = the X index, EXPECTED_VALUES.json): as
     * they stand (units pm, nm, µm) still a stack, and --spectrum-image yes refuses them for want of
     * an energy unit; their pixel block re-labelled [X, Y, E] with an eV axis reads as 65×64
     * spectra of 66 channels, each constant at its X index, summing to the expected total.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dm/ncempy/dmTest_3D_int16_64,65,66.dm3", "dm/ncempy/dmTest_3D_int16_64,65,66.dm4"})
    void theRealThreeDimensionalFilesInSpectrumImageOrder(String key) throws IOException {
        JsonNode e = Expected.all().get(key);
        Path file = Expected.real().resolve(key);
        int[] shape = Expected.ints(e.get("data_c_order").get("shape")); // (66, 65, 64)
        assertThrows(MissingCalibrationException.class, () -> reader.open(file, Parameters.single("spectrum-image", "yes")));
        try (Dataset ds = reader.open(file, Parameters.empty())) {
            assertEquals(Shape.of(1, shape[0]), ds.navShape());
        }
        long offset = e.get("data_offset").asLong();
        int n = shape[0] * shape[1] * shape[2];
        byte[] block = Arrays.copyOfRange(Files.readAllBytes(file), (int) offset, (int) offset + 2 * n);
        boolean dm4 = key.endsWith("dm4");
        DmWriter w = new DmWriter(dm4, ByteOrder.LITTLE_ENDIAN);
        DmWriter.Node img = w.image(1, 2, new long[] {shape[2], shape[1], shape[0]}, block, new double[] {2, 3, 0.1},
                new double[] {0, 0, 5}, new String[] {"nm", "nm", "eV"}, null);
        Path si = w.write(tmp.resolve("real-si." + (dm4 ? "dm4" : "dm3")), DmWriter.group("", DmWriter.group("ImageList", img)));
        try (Dataset ds = reader.open(si, Parameters.empty())) {
            assertEquals(Shape.of(shape[1], shape[2]), ds.navShape());
            assertEquals(Shape.of(1, shape[0]), ds.sigShape());
            float[] all = new float[n];
            ds.readFrames(0, (int) ds.frameCount(), all, 0);
            double sum = 0;
            for (int p = 0; p < shape[1] * shape[2]; p++) {
                for (int c = 0; c < shape[0]; c++) {
                    assertEquals(p % shape[2], all[p * shape[0] + c], 0.0, "position " + p + " channel " + c);
                    sum += all[p * shape[0] + c];
                }
            }
            assertEquals(e.get("data_c_order").get("sum").asDouble(), sum, 0.0);
            assertEquals(-0.5, Double.parseDouble(ds.metadata().get("energy_axis.offset_ev")), 1e-6);
        } catch (InvalidInputException ex) {
            throw new AssertionError(ex.getMessage(), ex);
        }
    }
}
