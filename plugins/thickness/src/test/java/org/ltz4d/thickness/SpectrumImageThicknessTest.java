package org.ltz4d.thickness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableDataset;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ltz4d.api.analysis.BufferSpec;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.FitOutput;
import org.ltz4d.api.analysis.Frame;
import org.ltz4d.api.analysis.FrameProcessor;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.MissingCalibrationException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.reader.dm.DmReader;
import org.ltz4d.reader.dm.DmWriter;

/**
 * Thickness from spectrum images in files: synthetic low-loss spectra of known t/λ (the Poisson
 * series of {@link ThicknessTest}, 10⁶ electrons, Poisson noise), four t/λ levels over a 4×6 scan,
 * written as DM4 and DM3 spectrum images (energy slowest, GMS's order; calibration in the
 * Calibrations tags), as a plain HDF5 dataset with energy attributes and as a Berkeley EMD group
 * with dim vectors (energy first), read by their readers and analysed by the fitter: t/λ within
 * 1 % of the truth per level, the energy axis the file's (zero-loss maximum at 0 eV), and a
 * wrong or missing energy calibration a typed error naming the file and the field.
 */
class SpectrumImageThicknessTest {
    static final int ROWS = 4, COLS = 6, CH = ThicknessTest.CHANNELS;
    static final double[] LEVELS = {0.2, 0.5, 0.9, 1.3};
    /** Channel of 0 eV (DM's Origin): −E_START / dispersion. */
    static final double ORIGIN = -ThicknessTest.E_START / ThicknessTest.DISPERSION;
    static float[][][] cube; // [y][x][e]
    static double[][] truth;

    @TempDir
    Path tmp;

    @BeforeAll
    static void spectra() {
        double[][] mu = new double[LEVELS.length][];
        for (int l = 0; l < LEVELS.length; l++) mu[l] = ThicknessTest.spectrum(LEVELS[l], 1e6);
        Random r = new Random(11);
        cube = new float[ROWS][COLS][CH];
        truth = new double[ROWS][COLS];
        for (int y = 0; y < ROWS; y++) for (int x = 0; x < COLS; x++) {
            int l = (y * COLS + x) % LEVELS.length;
            truth[y][x] = LEVELS[l];
            for (int e = 0; e < CH; e++) cube[y][x][e] = ThicknessTest.poisson(mu[l][e], r);
        }
    }

    // ------------------------------------------------------------ the fitter over a dataset

    record Ctx(Dataset dataset, Parameters parameters, List<String> names) implements FitContext {
        @Override public Calibration calibration() { return dataset.calibration(); }
        @Override public int slot(String name) { return names.indexOf(name); }
        @Override public OptionalInt upstreamSlot(String name) { return OptionalInt.empty(); }
        @Override public Optional<DataMap> previous(String name) { return Optional.empty(); }
    }

    record F(long index, int scanY, int scanX, int height, int width, float[] data, int offset) implements Frame {
        @Override public float upstream(int slot) { return Float.NaN; }
    }

    /** Every buffer of the fitter per position: [buffer][position]. */
    static float[][] run(Dataset ds, Parameters p) {
        EelsThicknessFitter fitter = new EelsThicknessFitter();
        Ctx ctx0 = new Ctx(ds, p, List.of());
        List<String> names = fitter.buffers(ctx0).stream().map(BufferSpec::name).toList();
        Ctx ctx = new Ctx(ds, p, names);
        FrameProcessor proc = fitter.processor(ctx);
        int n = (int) ds.frameCount(), w = ds.framePixels();
        float[][] out = new float[names.size()][n];
        float[] buf = new float[n * w];
        ds.readFrames(0, n, buf, 0);
        for (int i = 0; i < n; i++) {
            int at = i;
            FitOutput o = new FitOutput() {
                @Override public void set(int slot, float value) { out[slot][at] = value; }
                @Override public double[] partial(int buffer) { throw new UnsupportedOperationException(); }
            };
            proc.process(new F(i, i / ds.navShape().cols(), i % ds.navShape().cols(), 1, w, buf, i * w), o);
        }
        return out;
    }

    static final Parameters LAMBDA = Parameters.of(Map.of("lambda-nm", "100"));

    /** Per level: the mean recovered t/λ within 1 % of the truth; the zero-loss maximum at 0 eV. */
    static void assertRecovered(Dataset ds, String what) {
        assertEquals(ROWS, ds.navShape().rows(), what);
        assertEquals(COLS, ds.navShape().cols(), what);
        float[][] r = run(ds, LAMBDA);
        Map<String, Object> at = new EelsThicknessFitter().attributes(new Ctx(ds, LAMBDA, List.of())).get(EelsThicknessFitter.ZLP_EV);
        assertEquals(ThicknessTest.DISPERSION, (double) at.get("energy_dispersion_ev"), 1e-7, what + ": the file's axis is recorded");
        int tl = 0, zlp = 5;
        StringBuilder s = new StringBuilder(what + ": ");
        for (double level : LEVELS) {
            double sum = 0;
            int n = 0;
            for (int y = 0; y < ROWS; y++) for (int x = 0; x < COLS; x++) {
                if (truth[y][x] != level) continue;
                sum += r[tl][y * COLS + x];
                n++;
                assertEquals(0.0, r[zlp][y * COLS + x], ThicknessTest.DISPERSION / 2 + 1e-6, "zero-loss maximum at 0 eV");
                assertEquals(100 * r[tl][y * COLS + x], r[2][y * COLS + x], 1e-3, "t = (t/λ)·λ");
            }
            double mean = sum / n;
            s.append(String.format("t/λ %.2f → %.4f (%+.2f %%); ", level, mean, 100 * (mean / level - 1)));
            assertEquals(level, mean, 0.01 * level, s.toString());
        }
        System.out.println(s);
    }

    // ------------------------------------------------------------ DM3 / DM4

    static Path writeDm(Path file, boolean dm4, double scale, double origin, String units) throws IOException {
        ByteOrder order = dm4 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        DmWriter w = new DmWriter(dm4, order);
        ByteBuffer b = ByteBuffer.allocate(ROWS * COLS * CH * 4).order(order);
        for (int e = 0; e < CH; e++) for (int y = 0; y < ROWS; y++) for (int x = 0; x < COLS; x++) b.putFloat(cube[y][x][e]);
        DmWriter.Node tags = DmWriter.group("ImageTags", DmWriter.group("Meta Data", w.text("Format", "Spectrum image"), w.text("Signal", "EELS")));
        DmWriter.Node img = w.image(2, 6, new long[] {COLS, ROWS, CH}, b.array(), new double[] {5, 5, scale}, new double[] {0, 0, origin},
                new String[] {"nm", "nm", units}, tags);
        return w.write(file, DmWriter.group("", DmWriter.group("ImageList", img)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dm4", "dm3"})
    void dmSpectrumImagesGiveTheirThickness(String suffix) throws IOException {
        Path f = writeDm(tmp.resolve("eels." + suffix), suffix.equals("dm4"), ThicknessTest.DISPERSION, ORIGIN, "eV");
        try (Dataset ds = new DmReader().open(f, Parameters.empty())) {
            EnergyAxis a = EnergyAxis.of(ds, Parameters.empty(), CH);
            assertEquals(ThicknessTest.DISPERSION, a.scaleEv(), 1e-7, "the file's dispersion");
            assertEquals(ThicknessTest.E_START, a.offsetEv(), 1e-5, "the file's channel 0");
            assertEquals(5.0, ds.calibration().scanStepXNm().getAsDouble(), 1e-6);
            assertRecovered(ds, suffix);
        }
    }

    @Test
    void aWrongOrMissingDmEnergyCalibrationIsATypedErrorNamingTheTag() throws IOException {
        // Origin −100 channels: the axis starts at +25 eV, no zero-loss peak on it
        Path shifted = writeDm(tmp.resolve("shifted.dm4"), true, ThicknessTest.DISPERSION, -100, "eV");
        try (Dataset ds = new DmReader().open(shifted, Parameters.empty())) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(ds, LAMBDA));
            assertTrue(e.getMessage().startsWith(shifted + ": "), e.getMessage());
            assertEquals("ImageList[0]/ImageData/Calibrations/Dimension[2]", e.field());
        }
        Path none = writeDm(tmp.resolve("none.dm3"), false, 1, 0, "");
        MissingCalibrationException m = assertThrows(MissingCalibrationException.class, () -> new DmReader().open(none, Parameters.empty()));
        assertTrue(m.getMessage().startsWith(none + ": "), m.getMessage());
        assertEquals("ImageList[0]/ImageData/Calibrations/Dimension[2]/Units", m.field());
    }

    // ------------------------------------------------------------ HDF5 / EMD

    @Test
    void plainHdf5AndEmdSpectrumImagesGiveTheirThickness() throws IOException {
        Path plain = tmp.resolve("si.h5");
        try (WritableHdfFile out = HdfFile.write(plain)) {
            WritableGroup g = out.putGroup("eels");
            WritableDataset d = g.putDataset("si", cube); // (y, x, energy)
            d.putAttribute("energy_scale", ThicknessTest.DISPERSION);
            d.putAttribute("energy_offset", ThicknessTest.E_START);
            d.putAttribute("energy_units", "eV");
        }
        Hdf5SpectrumImageReader reader = new Hdf5SpectrumImageReader();
        assertEquals(0.0, reader.probe(plain, null), 0.0, "never chosen by probing");
        for (Parameters p : List.of(Parameters.empty(), Parameters.single("hdf5-path", "/eels/si"))) {
            try (Dataset ds = reader.open(plain, p)) {
                assertEquals("/eels/si@energy_scale", ds.metadata().get("energy_axis.tag"));
                assertRecovered(ds, "plain HDF5 " + p);
            }
        }

        // Berkeley EMD: energy first (E, y, x), dim1..dim3 vectors with units
        float[][][] efirst = new float[CH][ROWS][COLS];
        for (int y = 0; y < ROWS; y++) for (int x = 0; x < COLS; x++) for (int e = 0; e < CH; e++) efirst[e][y][x] = cube[y][x][e];
        double[] energy = new double[CH];
        for (int e = 0; e < CH; e++) energy[e] = ThicknessTest.E_START + e * ThicknessTest.DISPERSION;
        Path emd = tmp.resolve("si.emd");
        try (WritableHdfFile out = HdfFile.write(emd)) {
            out.putAttribute("version_major", 0);
            WritableGroup g = out.putGroup("data").putGroup("eels_si");
            g.putAttribute("emd_group_type", 1);
            g.putDataset("data", efirst);
            g.putDataset("dim1", energy).putAttribute("units", "eV");
            g.putDataset("dim2", new double[] {0, 2, 4, 6}).putAttribute("units", "nm");
            g.putDataset("dim3", new double[] {0, 2, 4, 6, 8, 10}).putAttribute("units", "nm");
        }
        try (Dataset ds = reader.open(emd, Parameters.empty())) {
            assertEquals(2.0, ds.calibration().scanStepXNm().getAsDouble(), 1e-9);
            assertTrue(ds.metadata().get("energy_axis.tag").endsWith("dim1"), ds.metadata().toString());
            assertRecovered(ds, "Berkeley EMD");
        }
    }

    @Test
    void aMissingOrWrongHdf5EnergyCalibrationIsATypedErrorNamingTheAttribute() throws IOException {
        Path bare = tmp.resolve("bare.h5");
        try (WritableHdfFile out = HdfFile.write(bare)) {
            out.putDataset("si", cube);
        }
        Hdf5SpectrumImageReader reader = new Hdf5SpectrumImageReader();
        MissingCalibrationException m = assertThrows(MissingCalibrationException.class, () -> reader.open(bare, Parameters.empty()));
        assertTrue(m.getMessage().startsWith(bare + ": "), m.getMessage());
        assertEquals("/si@energy_scale", m.field());
        assertEquals("/si@energy_scale", assertThrows(MissingCalibrationException.class,
                () -> reader.open(bare, Parameters.single("hdf5-path", "/si"))).field());

        Path nm = tmp.resolve("nm.h5");
        try (WritableHdfFile out = HdfFile.write(nm)) {
            WritableDataset d = out.putDataset("si", cube);
            d.putAttribute("energy_scale", 0.25);
            d.putAttribute("energy_offset", -5.0);
            d.putAttribute("energy_units", "nm");
        }
        assertEquals("/si@energy_units", assertThrows(MissingCalibrationException.class, () -> reader.open(nm, Parameters.empty())).field());
        assertThrows(InvalidInputException.class, () -> reader.open(nm, Parameters.single("hdf5-path", "/nothing")));
    }

    @Test
    void spectraWithoutACalibrationTakeOneFromTheParameters() throws IOException {
        Path bare = tmp.resolve("bare.h5");
        try (WritableHdfFile out = HdfFile.write(bare)) {
            WritableDataset d = out.putDataset("si", cube);
            d.putAttribute("energy_scale", 0.25);
            d.putAttribute("energy_offset", -5.0);
        }
        try (Dataset ds = new Hdf5SpectrumImageReader().open(bare, Parameters.empty())) {
            Map<String, String> m = new HashMap<>(Map.of("lambda-nm", "100", "energy-dispersion-ev", "0.25", "energy-offset-ev", "10"));
            // the user's axis wins; an axis without 0 eV is refused naming the parameters
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(ds, Parameters.of(m)));
            assertEquals("--energy-dispersion-ev/--energy-offset-ev", e.field());
            m.put("energy-offset-ev", "-5");
            float[][] r = run(ds, Parameters.of(m));
            assertEquals(truth[0][0], r[0][0], 0.05 * truth[0][0]);
        }
    }
}
