package org.ltz4d.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.UnsupportedFormatException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;

/** EDS maps (16-bit TIFF) and EBSD maps (.ang, .ctf) written here, registered onto a simulated scan. */
class RegisterCorrelatorTest {
    @TempDir
    Path dir;

    static AnalysisContext context(Map<String, String> p, double stepNm, Shape nav) {
        return new AnalysisContext() {
            @Override public Calibration calibration() { return Calibration.builder().scanStepNm(stepNm, stepNm).build(); }
            @Override public Parameters parameters() { return Parameters.of(p); }
            @Override public Shape navShape() { return nav; }
            @Override public MapSet analyzeReference(Path file, String fitter) { throw new UnsupportedOperationException(); }
            @Override public void log(String message) { }
        };
    }

    /** An EDS Fe map of 128² pixels of 5 nm as a 16-bit TIFF; the scan (64², 6 nm steps) sees part of it rotated by 12°. */
    @Test
    void anEdsTiffIsRegisteredAutomaticallyAndResampledOntoTheScan() throws IOException {
        int mapSize = 128, scanSize = 64;
        AutoRegistrationTest.Field f = AutoRegistrationTest.Field.random(7, 90, mapSize);
        BufferedImage img = new BufferedImage(mapSize, mapSize, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < mapSize; y++) for (int x = 0; x < mapSize; x++) img.getRaster().setSample(x, y, 0, (int) Math.min(65535, Math.round(f.at(x, y) * 10000)));
        Path tif = dir.resolve("eds_Fe.tif");
        assertTrue(ImageIO.write(img, "tiff", tif.toFile()));
        double scale = 5.0 / 6.0;
        Transform2D truth = AutoRegistrationTest.centred(12, scale, mapSize, scanSize, 2.5, -1.5);
        Grid scan = AutoRegistrationTest.scan(f, scanSize, mapSize, truth, 0.005, new Random(1));
        MapSet maps = MapSet.of(List.of(DataMap.of("virtual/adf", Shape.of(scanSize, scanSize), scan.v(), Unit.COUNTS, "ADF")));
        Correlation c = new RegisterCorrelator().correlate(maps, context(Map.of("register-map", tif.toString(), "map-pixel-nm", "5"), 6,
                Shape.of(scanSize, scanSize)));
        assertEquals(12, (double) c.statistics().get("rotation_deg"), 0.05);
        assertEquals(scale, (double) c.statistics().get("scale"), 1e-3);
        @SuppressWarnings("unchecked") List<Double> shift = (List<Double>) c.statistics().get("shift_px");
        assertEquals(truth.tx(), shift.get(0), 0.2);
        assertEquals(truth.ty(), shift.get(1), 0.2);
        DataMap fe = c.maps().require("registered/eds_Fe");
        // the resampled map matches the field under the scan (up to the TIFF's 16-bit quantisation)
        double worst = 0;
        Transform2D inv = truth.inverse();
        for (int r = 4; r < scanSize - 4; r++) for (int col = 4; col < scanSize - 4; col++) {
            worst = Math.max(worst, Math.abs(fe.get(r, col) / 10000.0 - f.at(inv.mapX(col, r), inv.mapY(col, r))));
        }
        assertTrue(worst < 0.02, "resampling error " + worst);
        assertEquals("automatic", fe.attributes().get("method"));
    }

    /** Euler angles in an .ang (radians) and a .ctf (degrees) give the same in-plane orientation; landmarks register them. */
    @Test
    void ebsdAngAndCtfWithLandmarks() throws IOException {
        int w = 20, h = 16;
        double step = 0.05; // µm
        StringBuilder ang = new StringBuilder("# XSTEP: 0.05\n# YSTEP: 0.05\n# GRID: SqrGrid\n");
        StringBuilder ctf = new StringBuilder("Channel Text File\nXCells\t20\nYCells\t16\nXStep\t0.05\nYStep\t0.05\n"
                + "Phase\tX\tY\tBands\tError\tEuler1\tEuler2\tEuler3\tMAD\tBC\tBS\n");
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            int phase = x < w / 2 ? 1 : 2;
            double p1 = 10 + x, pp = 0, p2 = 5 + y; // Φ = 0: in-plane = φ1 + φ2
            ang.append(String.format(Locale.ROOT, "%.6f %.6f %.6f %.4f %.4f 100.0 0.9 %d%n", Math.toRadians(p1), Math.toRadians(pp),
                    Math.toRadians(p2), x * step, y * step, phase));
            ctf.append(String.format(Locale.ROOT, "%d\t%.4f\t%.4f\t8\t0\t%.4f\t%.4f\t%.4f\t0.4\t120\t200%n", phase, x * step, y * step, p1, pp, p2));
        }
        Path a = Files.writeString(dir.resolve("grains.ang"), ang);
        Path c = Files.writeString(dir.resolve("grains.ctf"), ctf);
        for (Path p : List.of(a, c)) {
            MapImport.Imported in = MapImport.read(p, null);
            assertEquals(50.0, in.pixelNm(), 1e-9);
            Grid ip = in.channels().get("inplane_deg");
            assertEquals(20, ip.w());
            assertEquals(10 + 3 + 5 + 7, ip.get(7, 3), 1e-3, p.toString());
            assertEquals(2, in.channels().get("phase").get(0, 15), 0);
        }
        // Bunge: φ1 = 90°, Φ = 90°, φ2 = 0 puts [100] along +y
        assertEquals(90, MapImport.inPlaneDeg(Math.PI / 2, Math.PI / 2, 0), 1e-9);
        // scan of 40×32 at 25 nm: the EBSD map doubled, shifted by (3, 2) scan pixels
        Transform2D truth = Transform2D.similarity(0, 2, 3, 2);
        StringBuilder lm = new StringBuilder("x_map y_map x_scan y_scan\n");
        for (double[] q : new double[][] {{0, 0}, {19, 0}, {0, 15}, {19, 15}, {10, 7}}) {
            lm.append(q[0]).append(' ').append(q[1]).append(' ').append(truth.mapX(q[0], q[1])).append(' ').append(truth.mapY(q[0], q[1])).append('\n');
        }
        Path landmarks = Files.writeString(dir.resolve("lm.txt"), lm);
        MapSet maps = MapSet.of(List.of(DataMap.of("virtual/adf", Shape.of(32, 40), new float[32 * 40], Unit.COUNTS, "ADF")));
        Correlation r = new RegisterCorrelator().correlate(maps, context(Map.of("register-map", c.toString(), "landmarks", landmarks.toString()),
                25, Shape.of(32, 40)));
        assertEquals(0, (double) r.statistics().get("rotation_deg"), 1e-9);
        assertEquals(2, (double) r.statistics().get("scale"), 1e-9);
        assertEquals(0, (double) r.statistics().get("residual_px"), 1e-9);
        DataMap ph = r.maps().require("registered/phase");
        assertTrue(ph.integer());
        assertEquals(1, ph.get(2 + 2 * 3, 3 + 2 * 4), 0); // map (4, 3) → scan (11, 8)
        assertEquals(2, ph.get(2 + 2 * 3, 3 + 2 * 15), 0);
        assertTrue(Float.isNaN(ph.get(0, 0)), "outside the map");
        assertEquals(10 + 4 + 5 + 3, r.maps().require("registered/inplane_deg").get(2 + 2 * 3, 3 + 2 * 4), 1e-3);
    }

    @Test
    void badMapFilesAreTypedErrorsNamingTheFile() throws IOException {
        Path bad = Files.writeString(dir.resolve("x.ang"), "# XSTEP: 0.1\n# YSTEP: 0.1\n1 2 3 oops 5 6 7 8\n");
        assertEquals(bad, assertThrows(CorruptFileException.class, () -> MapImport.read(bad, null)).file());
        Path hex = Files.writeString(dir.resolve("h.ang"), "# XSTEP: 0.1\n# YSTEP: 0.1\n# GRID: HexGrid\n0 0 0 0 0 1 1 1\n");
        assertThrows(UnsupportedFormatException.class, () -> MapImport.read(hex, null));
        Path noStep = Files.writeString(dir.resolve("n.ctf"), "Phase\tX\tY\tBands\tError\tEuler1\tEuler2\tEuler3\tMAD\tBC\tBS\n");
        assertEquals("XSTEP", assertThrows(CorruptFileException.class, () -> MapImport.read(noStep, null)).field());
        Path png = Files.writeString(dir.resolve("p.png"), "not a png");
        assertThrows(CorruptFileException.class, () -> MapImport.read(png, null));
        assertThrows(UnsupportedFormatException.class, () -> MapImport.read(Files.writeString(dir.resolve("m.bmp"), "x"), null));
    }
}
