package org.ltz4d.derivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.MissingCalibrationException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Electron;
import org.ltz4d.api.units.Unit;

class MagneticDeriverTest {

    static final int ROWS = 6;
    static final int COLS = 9;
    static final Shape NAV = Shape.of(ROWS, COLS);
    static final double KV = 300;
    static final double T_NM = 50;

    @TempDir
    Path dir;

    /** Deflection (rad) of a field B (T) through thickness t (nm): θ = (e·λ·t/h)·(B_y, −B_x). */
    static double[] theta(double bx, double by, double tNm) {
        double f = Electron.E * Electron.wavelengthMetres(KV) * tNm * 1e-9 / Electron.H;
        return new double[] {f * by, -f * bx};
    }

    static MapSet centres(String prefix, float[] x, float[] y) {
        return MapSet.of(DataMap.of(prefix + "/center_x", NAV, x, Unit.PIXEL, ""), DataMap.of(prefix + "/center_y", NAV, y, Unit.PIXEL, ""));
    }

    Path emptyFile(String name) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, new byte[] {0});
        return p;
    }

    @Test
    void uniformFieldAlongXDeflectsAlongMinusYAndIsRecovered() throws IOException {
        double[] th = theta(1.0, 0, T_NM);
        assertEquals(0, th[0], 0);
        assertTrue(th[1] < 0, "B along +x deflects along −y");
        // pixel size chosen so that 1 T gives a shift of exactly −4 px: centres stay exact in float32
        double mradPerPx = Math.abs(th[1]) * 1e3 / 4;
        float[] vx = new float[ROWS * COLS];
        float[] vy = new float[ROWS * COLS];
        float[] rx = new float[ROWS * COLS];
        float[] ry = new float[ROWS * COLS];
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < COLS; c++) {
                int i = r * COLS + c;
                rx[i] = 60 + 0.25f * c;          // descan of the vacuum reference, exact in float
                ry[i] = 70 - 0.5f * r;
                vx[i] = rx[i];
                vy[i] = ry[i] - 4;
            }
        }
        Path vac = emptyFile("vacuum.mib");
        Calibration cal = Calibration.builder().beamKv(KV).detectorPixelMrad(mradPerPx).build();
        TestContext ctx = new TestContext(cal, Parameters.of(Map.of("vacuum", vac.toString(), "thickness-nm", "50")), NAV)
                .reference(vac, centres("beam", rx, ry));
        MapSet out = new MagneticRingDeriver().derive(centres("ring", vx, vy), ctx);
        assertEquals(java.util.List.of("beam " + vac), ctx.referenceCalls);
        DataMap bx = out.require("magnetic/Bx");
        assertEquals(Unit.TESLA, bx.unit());
        for (int i = 0; i < ROWS * COLS; i++) {
            assertEquals(1.0, bx.get(i), 1e-6);
            assertEquals(0.0, out.require("magnetic/By").get(i), 1e-6);
            assertEquals(1.0, out.require("magnetic/B_magnitude").get(i), 1e-6);
            assertEquals(0.0, out.require("magnetic/B_angle_deg").get(i), 1e-4);
            assertEquals(th[1] * 1e3, out.require("magnetic/theta_y_mrad").get(i), 1e-6 * Math.abs(th[1] * 1e3));
            assertEquals(0.0, out.require("magnetic/theta_x_mrad").get(i), 0);
        }
        assertEquals("vacuum", bx.attributes().get("reference"));
        assertEquals(50.0, bx.attributes().get("thickness_nm"));
        assertEquals(mradPerPx, bx.attributes().get("mrad_per_pixel"));

        // without a thickness: B·t in T·nm
        TestContext noT = new TestContext(cal, Parameters.of(Map.of("vacuum", vac.toString())), NAV).reference(vac, centres("beam", rx, ry));
        MapSet bt = new MagneticRingDeriver().derive(centres("ring", vx, vy), noT);
        assertFalse(bt.contains("magnetic/Bx"));
        assertEquals(Unit.TESLA_NANOMETRE, bt.require("magnetic/Bt_x").unit());
        assertEquals(50.0, bt.require("magnetic/Bt_x").get(7), 50e-6);
        assertEquals(50.0, bt.require("magnetic/B_magnitude").get(7), 50e-6);
        assertEquals(Unit.TESLA_NANOMETRE, bt.require("magnetic/B_magnitude").unit());
    }

    @Test
    void fieldAtAnAngleAndPixelInInverseAngstrom() throws IOException {
        double bAngle = Math.toRadians(130);
        double[] th = theta(0.8 * Math.cos(bAngle), 0.8 * Math.sin(bAngle), T_NM);
        double sPerPx = 2e-4; // Å⁻¹ per pixel: θ = s·λ
        double radPerPx = sPerPx * Electron.wavelengthAngstrom(KV);
        float[] x = new float[ROWS * COLS];
        float[] y = new float[ROWS * COLS];
        float[] rx = new float[ROWS * COLS];
        float[] ry = new float[ROWS * COLS];
        for (int i = 0; i < x.length; i++) {
            rx[i] = 3;
            ry[i] = 2;
            x[i] = (float) (3 + th[0] / radPerPx);
            y[i] = (float) (2 + th[1] / radPerPx);
        }
        Path vac = emptyFile("vac.h5");
        Calibration cal = Calibration.builder().beamKv(KV).detectorPixelInverseAngstrom(sPerPx).build();
        MapSet out = new MagneticRingDeriver().derive(centres("ring", x, y),
                new TestContext(cal, Parameters.of(Map.of("vacuum", vac.toString(), "thickness-nm", "50")), NAV).reference(vac, centres("beam", rx, ry)));
        assertEquals(0.8, out.require("magnetic/B_magnitude").get(0), 0.8e-5);
        assertEquals(130.0, out.require("magnetic/B_angle_deg").get(0), 1e-3);
        assertEquals(0.8 * Math.cos(bAngle), out.require("magnetic/Bx").get(3), 1e-5);
        assertEquals(0.8 * Math.sin(bAngle), out.require("magnetic/By").get(3), 1e-5);
    }

    /** One detector shift (dx, dy) px everywhere against a zero vacuum reference, B·t reported. */
    private MapSet shifted(double dx, double dy, Calibration cal, String prefix) throws IOException {
        float[] x = new float[ROWS * COLS];
        float[] y = new float[ROWS * COLS];
        java.util.Arrays.fill(x, (float) (10 + dx));
        java.util.Arrays.fill(y, (float) (10 + dy));
        float[] r = new float[ROWS * COLS];
        java.util.Arrays.fill(r, 10);
        Path vac = emptyFile("v" + System.nanoTime());
        TestContext ctx = new TestContext(cal, Parameters.of(Map.of("vacuum", vac.toString())), NAV).reference(vac, centres("beam", r, r));
        MagneticDeriver d = prefix.equals("ring") ? new MagneticRingDeriver() : new MagneticBeamDeriver();
        return d.derive(centres(prefix, x, y), ctx);
    }

    @Test
    void scanRotationAndTransposeMapDetectorVectorsIntoTheScanFrame() throws IOException {
        Calibration base = Calibration.builder().beamKv(KV).detectorPixelMrad(0.01).build();
        // no rotation: detector +x shift is scan +x deflection, B along +y (B = k·(−θy, θx))
        MapSet m0 = shifted(2, 0, base, "ring");
        assertEquals(0.02, m0.require("magnetic/theta_x_mrad").get(0), 1e-7);
        assertEquals(90.0, m0.require("magnetic/B_angle_deg").get(0), 1e-4);
        // 90°: detector +x is scan +y; θ along +y gives B along −x
        MapSet m90 = shifted(2, 0, base.toBuilder().scanRotationDeg(90).build(), "ring");
        assertEquals(0.0, m90.require("magnetic/theta_x_mrad").get(0), 0);
        assertEquals(0.02, m90.require("magnetic/theta_y_mrad").get(0), 1e-7);
        assertTrue(m90.require("magnetic/Bt_x").get(0) < 0);
        assertEquals(180.0, m90.require("magnetic/B_angle_deg").get(0), 1e-4);
        assertEquals(m0.require("magnetic/B_magnitude").get(0), m90.require("magnetic/B_magnitude").get(0), 1e-9);
        // 30°: the deflection turns by 30°
        MapSet m30 = shifted(2, 0, base.toBuilder().scanRotationDeg(30).build(), "beam");
        assertEquals(0.02 * Math.cos(Math.toRadians(30)), m30.require("magnetic/theta_x_mrad").get(0), 1e-7);
        assertEquals(0.02 * Math.sin(Math.toRadians(30)), m30.require("magnetic/theta_y_mrad").get(0), 1e-7);
        assertEquals(120.0, m30.require("magnetic/B_angle_deg").get(0), 1e-3);
        // transpose: detector x is scan y
        MapSet mt = shifted(2, 0, base.toBuilder().transpose(true).build(), "beam");
        assertEquals(0.02, mt.require("magnetic/theta_y_mrad").get(0), 1e-7);
        assertEquals(0.0, mt.require("magnetic/theta_x_mrad").get(0), 0);
        assertEquals(90.0, m0.require("magnetic/B_angle_deg").get(0), 1e-4);
        assertEquals("magnetic-beam", mt.require("magnetic/Bt_x").attributes().get("deriver"));
    }

    @Test
    void descanParabolaRemovesTheScanDeflectionAroundADomain() {
        int rows = 20;
        int cols = 24;
        Shape nav = Shape.of(rows, cols);
        double[] th = theta(0, -1.5, 40); // domain with B along −y
        double mrad = 0.02;
        double shiftX = th[0] * 1e3 / mrad;
        double shiftY = th[1] * 1e3 / mrad;
        float[] x = new float[rows * cols];
        float[] y = new float[rows * cols];
        boolean[] domain = new boolean[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                double u = c / 23.0;
                double v = r / 19.0;
                double px = 100 + 3 * u - 2 * v + 1.5 * u * u - 0.7 * u * v + 0.4 * v * v;
                double py = 90 - 1 * u + 4 * v - 0.5 * u * u + 0.2 * u * v - 1.1 * v * v;
                domain[i] = r >= 4 && r < 10 && c >= 14 && c < 20; // 36 of 480 positions (7.5 %)
                x[i] = (float) (px + (domain[i] ? shiftX : 0));
                y[i] = (float) (py + (domain[i] ? shiftY : 0));
            }
        }
        x[5] = Float.NaN; // a failed fit
        Calibration cal = Calibration.builder().beamKv(KV).detectorPixelMrad(mrad).build();
        TestContext ctx = new TestContext(cal, Parameters.of(Map.of("descan", "parabola", "thickness-nm", "40")), nav);
        MapSet out = new MagneticRingDeriver().derive(MapSet.of(DataMap.of("ring/center_x", nav, x, Unit.PIXEL, ""),
                DataMap.of("ring/center_y", nav, y, Unit.PIXEL, "")), ctx);
        double worst = 0;
        for (int i = 0; i < rows * cols; i++) {
            if (i == 5) {
                assertTrue(Float.isNaN(out.require("magnetic/Bx").get(i)), "NaN in, NaN out");
                assertTrue(Float.isNaN(out.require("magnetic/B_angle_deg").get(i)));
                continue;
            }
            double ebx = out.require("magnetic/Bx").get(i);
            double eby = out.require("magnetic/By").get(i) - (domain[i] ? -1.5 : 0);
            worst = Math.max(worst, Math.hypot(ebx, eby));
        }
        // centres are float32 near 100 px (ulp 7.6e-6 px ≈ 0.5 mT here): the fit adds no more than that
        System.out.println("descan parabola: worst |B error| " + worst + " T");
        assertTrue(worst < 2e-3, "worst |B error| " + worst + " T");
        assertEquals("descan parabola", out.require("magnetic/Bx").attributes().get("reference"));
        assertFalse(ctx.log.isEmpty());
    }

    @Test
    void aGivenDescanSurfaceKeepsAUniformFieldThatARefitRemoves() {
        int rows = 12;
        int cols = 16;
        Shape nav = Shape.of(rows, cols);
        double mrad = 0.02;
        double[] th = theta(0.8, 0, 40); // a uniform applied field along +x
        float[][] free = new float[2][rows * cols];
        float[][] field = new float[2][rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                double u = c / 15.0;
                double v = r / 11.0;
                free[0][i] = (float) (100 + 3 * u - 2 * v + 1.5 * u * u - 0.7 * u * v);
                free[1][i] = (float) (90 - u + 4 * v - 1.1 * v * v);
                field[0][i] = (float) (free[0][i] + th[0] * 1e3 / mrad);
                field[1][i] = (float) (free[1][i] + th[1] * 1e3 / mrad);
            }
        }
        Calibration cal = Calibration.builder().beamKv(KV).detectorPixelMrad(mrad).build();
        Map<String, String> p = new java.util.HashMap<>(Map.of("descan", "parabola", "thickness-nm", "40"));
        MapSet first = new MagneticRingDeriver().derive(centres(nav, free), new TestContext(cal, Parameters.of(p), nav));
        String cx = first.require("magnetic/Bx").attributes().get("descan_coefficients_x_px").toString();
        String cy = first.require("magnetic/Bx").attributes().get("descan_coefficients_y_px").toString();
        p.put("descan-coefficients", (cx + "," + cy).replace("[", "").replace("]", ""));
        MapSet shared = new MagneticRingDeriver().derive(centres(nav, field), new TestContext(cal, Parameters.of(p), nav));
        p.remove("descan-coefficients");
        MapSet refit = new MagneticRingDeriver().derive(centres(nav, field), new TestContext(cal, Parameters.of(p), nav));
        double worstShared = 0;
        double largestRefit = 0;
        for (int i = 0; i < rows * cols; i++) {
            worstShared = Math.max(worstShared, Math.hypot(shared.require("magnetic/Bx").get(i) - 0.8, shared.require("magnetic/By").get(i)));
            largestRefit = Math.max(largestRefit, Math.hypot(refit.require("magnetic/Bx").get(i), refit.require("magnetic/By").get(i)));
        }
        System.out.println("given descan surface: worst |B error| " + worstShared + " T; a refit leaves at most " + largestRefit + " T of 0.8 T");
        assertTrue(worstShared < 2e-3, "worst |B error| with the given surface " + worstShared + " T");
        assertTrue(largestRefit < 2e-3, "a refit absorbs the uniform field: " + largestRefit + " T");
        assertTrue(shared.require("magnetic/Bx").attributes().containsKey("descan_coefficients_from"));

        p.put("descan-coefficients", "1,2,3");
        assertEquals("descan-coefficients", assertThrows(InvalidParameterException.class, () -> new MagneticRingDeriver().derive(
                centres(nav, field), new TestContext(cal, Parameters.of(p), nav))).parameter());
        p.remove("descan");
        assertEquals("descan-coefficients", assertThrows(InvalidParameterException.class, () -> new MagneticRingDeriver().check(
                new TestContext(cal, Parameters.of(p), nav))).parameter());
    }

    private static MapSet centres(Shape nav, float[][] c) {
        return MapSet.of(DataMap.of("ring/center_x", nav, c[0], Unit.PIXEL, ""), DataMap.of("ring/center_y", nav, c[1], Unit.PIXEL, ""));
    }

    @Test
    void missingOrConflictingReferencesAndCalibrationAreTypedErrors() throws IOException {
        float[] z = new float[ROWS * COLS];
        MapSet in = centres("ring", z, z);
        Calibration cal = Calibration.builder().beamKv(KV).detectorPixelMrad(0.01).build();
        InvalidParameterException none = assertThrows(InvalidParameterException.class,
                () -> new MagneticRingDeriver().derive(in, new TestContext(cal, Parameters.empty(), NAV)));
        assertEquals("vacuum", none.parameter());
        assertTrue(none.getMessage().contains("--descan"), none.getMessage());
        Path vac = emptyFile("vac2");
        InvalidParameterException both = assertThrows(InvalidParameterException.class, () -> new MagneticRingDeriver().derive(in,
                new TestContext(cal, Parameters.of(Map.of("vacuum", vac.toString(), "descan", "plane")), NAV)));
        assertEquals("descan", both.parameter());
        assertEquals("descan", assertThrows(InvalidParameterException.class, () -> new MagneticRingDeriver().derive(in,
                new TestContext(cal, Parameters.of(Map.of("descan", "cubic")), NAV))).parameter());
        assertThrows(MissingCalibrationException.class, () -> new MagneticRingDeriver().derive(in,
                new TestContext(Calibration.builder().beamKv(KV).build(), Parameters.of(Map.of("descan", "plane")), NAV)));
        // vacuum scan of another shape
        float[] small = new float[4];
        MapSet wrong = MapSet.of(DataMap.of("beam/center_x", Shape.of(2, 2), small, Unit.PIXEL, ""),
                DataMap.of("beam/center_y", Shape.of(2, 2), small, Unit.PIXEL, ""));
        ShapeMismatchException sm = assertThrows(ShapeMismatchException.class, () -> new MagneticRingDeriver().derive(in,
                new TestContext(cal, Parameters.of(Map.of("vacuum", vac.toString())), NAV).reference(vac, wrong)));
        assertEquals(vac, sm.file());
        assertTrue(sm.getMessage().contains("(2, 2)") && sm.getMessage().contains("(6, 9)"), sm.getMessage());
        // both thicknesses
        Path tm = writeNpy("t.npy", "<f4", ROWS, COLS, false);
        assertEquals("thickness-map", assertThrows(InvalidParameterException.class, () -> new MagneticRingDeriver().derive(in,
                new TestContext(cal, Parameters.of(Map.of("descan", "plane", "thickness-nm", "5", "thickness-map", tm.toString())), NAV))).parameter());
        // input map of the wrong shape
        MapSet bad = MapSet.of(DataMap.of("ring/center_x", Shape.of(2, 2), small, Unit.PIXEL, ""), DataMap.of("ring/center_y", NAV, z, Unit.PIXEL, ""));
        assertThrows(ShapeMismatchException.class, () -> new MagneticRingDeriver().derive(bad, new TestContext(cal, Parameters.of(Map.of("descan", "plane")), NAV)));
    }

    /** Writes a rows×cols .npy whose value at (r, c) is 10 + r + c/10 (NaN at (0, 1) for floats). */
    Path writeNpy(String name, String descr, int rows, int cols, boolean fortran) throws IOException {
        String h = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': (" + rows + ", " + cols + "), }";
        int total = 10 + h.length() + 1;
        int pad = (64 - total % 64) % 64;
        h = h + " ".repeat(pad) + "\n";
        int bytes = Integer.parseInt(descr.substring(2));
        ByteBuffer b = ByteBuffer.allocate(10 + h.length() + rows * cols * bytes)
                .order(descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0);
        b.put((byte) (h.length() & 255)).put((byte) (h.length() >> 8));
        b.put(h.getBytes(StandardCharsets.ISO_8859_1));
        for (int k = 0; k < rows * cols; k++) {
            int r = fortran ? k % rows : k / cols;
            int c = fortran ? k / rows : k % cols;
            double v = 10 + r + c / 10.0;
            if (r == 0 && c == 1 && descr.charAt(1) == 'f') v = Double.NaN;
            switch (descr.substring(1)) {
                case "f4" -> b.putFloat((float) v);
                case "f8" -> b.putDouble(v);
                case "i2" -> b.putShort((short) Math.round(v));
                default -> throw new IllegalArgumentException(descr);
            }
        }
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    @Test
    void thicknessMapScalesBAndIsCheckedAsAFile() throws IOException {
        Calibration cal = Calibration.builder().beamKv(KV).detectorPixelMrad(0.01).build();
        for (String descr : new String[] {"<f4", ">f8", "<f8"}) {
            for (boolean fortran : new boolean[] {false, true}) {
                Path tm = writeNpy("t" + descr.charAt(0) + descr.substring(1) + fortran + ".npy", descr, ROWS, COLS, fortran);
                float[] th = NpyMap.read(tm, NAV);
                assertEquals(10 + 3 + 0.4, th[3 * COLS + 4], 1e-6);
                assertTrue(Float.isNaN(th[1]));
            }
        }
        Path tm = writeNpy("t.npy", "<f4", ROWS, COLS, false);
        float[] x = new float[ROWS * COLS];
        float[] y = new float[ROWS * COLS];
        float[] r = new float[ROWS * COLS];
        java.util.Arrays.fill(x, 12);
        java.util.Arrays.fill(r, 10);
        java.util.Arrays.fill(y, 10);
        Path vac = emptyFile("vac3");
        MapSet withMap = new MagneticRingDeriver().derive(centres("ring", x, y), new TestContext(cal,
                Parameters.of(Map.of("vacuum", vac.toString(), "thickness-map", tm.toString())), NAV).reference(vac, centres("beam", r, r)));
        MapSet bt = new MagneticRingDeriver().derive(centres("ring", x, y), new TestContext(cal,
                Parameters.of(Map.of("vacuum", vac.toString())), NAV).reference(vac, centres("beam", r, r)));
        int i = 3 * COLS + 4;
        assertEquals(bt.require("magnetic/Bt_y").get(i) / 13.4, withMap.require("magnetic/By").get(i), 1e-6 * Math.abs(withMap.require("magnetic/By").get(i)));
        assertTrue(Float.isNaN(withMap.require("magnetic/By").get(1)), "NaN thickness gives NaN B");
        assertFalse(Float.isNaN(withMap.require("magnetic/theta_x_mrad").get(1)), "the deflection does not need a thickness");

        Path wrongShape = writeNpy("w.npy", "<f4", ROWS + 1, COLS, false);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> NpyMap.read(wrongShape, NAV));
        assertEquals(wrongShape, e.file());
        Path garbage = dir.resolve("g.npy");
        Files.write(garbage, "not an npy file at all".getBytes(StandardCharsets.US_ASCII));
        assertEquals(garbage, assertThrows(CorruptFileException.class, () -> NpyMap.read(garbage, NAV)).file());
        byte[] full = Files.readAllBytes(tm);
        Path cut = dir.resolve("cut.npy");
        Files.write(cut, java.util.Arrays.copyOf(full, full.length - 10));
        assertEquals("data", assertThrows(TruncatedFileException.class, () -> NpyMap.read(cut, NAV)).field());
        assertEquals(11.0f, NpyMap.read(writeNpy("i.npy", "<i2", ROWS, COLS, false), NAV)[COLS], 0);
    }
}
