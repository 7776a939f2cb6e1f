package org.ltz4d.derivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;

/**
 * {@code --scan-rotation-deg auto}: a deflection field that is the gradient of a phase (magnetic
 * domains: a sum of Gaussian phase bumps, analytic gradient, 2 % noise), seen on a detector rotated
 * by a known angle (and transposed), is rotated back by the angle of minimum curl. Tolerance: 0.5°
 * (modulo 180°, which the curl cannot tell apart).
 */
class ScanRotationTest {
    static final int ROWS = 48;
    static final int COLS = 56;
    static final double TOL_DEG = 0.5;

    @TempDir
    Path dir;

    /** The scan-frame deflection g = ∇φ (px) at every position. */
    static double[][] gradientField(long seed) {
        Random rnd = new Random(seed);
        int k = 14;
        double[] y0 = new double[k], x0 = new double[k], a = new double[k], w = new double[k];
        for (int j = 0; j < k; j++) {
            y0[j] = rnd.nextDouble() * ROWS;
            x0[j] = rnd.nextDouble() * COLS;
            a[j] = (rnd.nextBoolean() ? 1 : -1) * (20 + 20 * rnd.nextDouble());
            w[j] = 5 + 5 * rnd.nextDouble();
        }
        double[] gx = new double[ROWS * COLS], gy = new double[ROWS * COLS];
        for (int r = 0; r < ROWS; r++) for (int c = 0; c < COLS; c++) {
            for (int j = 0; j < k; j++) {
                double dy = r - y0[j], dx = c - x0[j];
                double e = a[j] * Math.exp(-(dx * dx + dy * dy) / (2 * w[j] * w[j]));
                gx[r * COLS + c] += -dx / (w[j] * w[j]) * e;
                gy[r * COLS + c] += -dy / (w[j] * w[j]) * e;
            }
        }
        return new double[][] {gx, gy};
    }

    /** The detector-frame field u = T·R(−α)·g plus noise, so that R(α)·T·u = g (the ScanFrame map). */
    static float[][] detectorField(double[][] g, double alphaDeg, boolean transpose, double noise, long seed) {
        Random rnd = new Random(seed);
        double rms = 0;
        for (int i = 0; i < g[0].length; i++) rms += (g[0][i] * g[0][i] + g[1][i] * g[1][i]) / g[0].length;
        rms = Math.sqrt(rms);
        double c = Math.cos(Math.toRadians(alphaDeg)), s = Math.sin(Math.toRadians(alphaDeg));
        float[] ux = new float[g[0].length], uy = new float[g[0].length];
        for (int i = 0; i < ux.length; i++) {
            double vx = c * g[0][i] + s * g[1][i];
            double vy = -s * g[0][i] + c * g[1][i];
            ux[i] = (float) ((transpose ? vy : vx) + noise * rms * rnd.nextGaussian());
            uy[i] = (float) ((transpose ? vx : vy) + noise * rms * rnd.nextGaussian());
        }
        return new float[][] {ux, uy};
    }

    static double mod180(double d) {
        double m = ((d % 180) + 180) % 180;
        return Math.min(m, 180 - m);
    }

    private static void recovers(double alpha, boolean transpose) {
        double[][] g = gradientField(3);
        float[][] u = detectorField(g, alpha, transpose, 0.02, 9);
        ScanRotation.Result r = ScanRotation.solve(u[0], u[1], ROWS, COLS, 1, 1, null);
        System.out.printf("scan rotation %.1f° transpose %s: found %.3f° ± %.3f°, transpose %s, curl fraction %.2g (other transpose %.2g)%n",
                alpha, transpose, r.rotationDeg(), r.sigmaDeg(), r.transpose(), r.curlFraction(), r.otherCurlFraction());
        assertEquals(transpose, r.transpose(), "transpose detected");
        assertTrue(mod180(r.rotationDeg() - alpha) < TOL_DEG, "rotation " + r.rotationDeg() + " vs " + alpha + " (mod 180°)");
        assertTrue(r.sigmaDeg() > 0 && r.sigmaDeg() < TOL_DEG, "σ " + r.sigmaDeg());
        assertTrue(r.curlFraction() < 0.05 && r.otherCurlFraction() > 0.2, r.toString());
    }

    @Test
    void zeroDegrees() {
        recovers(0, false);
    }

    @Test
    void twelveDegrees() {
        recovers(12, false);
    }

    @Test
    void ninetyDegrees() {
        recovers(90, false);
    }

    @Test
    void transposedAndRotated() {
        recovers(-33, true);
        recovers(0, true);
    }

    @Test
    void magneticDeriverSolvesTheFrameAndStrainUsesIt() throws IOException {
        double[][] g = gradientField(5);
        float[][] u = detectorField(g, 12, false, 0.01, 4);
        Shape nav = Shape.of(ROWS, COLS);
        float[] cx = new float[ROWS * COLS], cy = new float[ROWS * COLS], rx = new float[ROWS * COLS], ry = new float[ROWS * COLS];
        for (int i = 0; i < cx.length; i++) {
            rx[i] = 100;
            ry[i] = 90;
            cx[i] = 100 + u[0][i];
            cy[i] = 90 + u[1][i];
        }
        Path vac = dir.resolve("vac.mib");
        Files.write(vac, new byte[] {0});
        Calibration cal = Calibration.builder().beamKv(300).detectorPixelMrad(0.01).build();
        TestContext ctx = new TestContext(cal, Parameters.of(Map.of("vacuum", vac.toString(), "scan-rotation-deg", "auto")), nav)
                .reference(vac, MapSet.of(DataMap.of("beam/center_x", nav, rx, Unit.PIXEL, ""), DataMap.of("beam/center_y", nav, ry, Unit.PIXEL, "")));
        MapSet out = new MagneticRingDeriver().derive(MapSet.of(DataMap.of("ring/center_x", nav, cx, Unit.PIXEL, ""),
                DataMap.of("ring/center_y", nav, cy, Unit.PIXEL, "")), ctx);
        DataMap tx = out.require("magnetic/theta_x_mrad");
        double rot = ((Number) tx.attributes().get("scan_rotation_deg")).doubleValue();
        assertTrue(mod180(rot - 12) < TOL_DEG, "rotation " + rot);
        assertEquals(false, tx.attributes().get("transpose"));
        assertTrue(ctx.log.stream().anyMatch(l -> l.contains("scan rotation from the data")), ctx.log.toString());
        // the deflection in the scan frame is the phase gradient again (0.01 mrad per px)
        double worst = 0;
        for (int i = 0; i < cx.length; i++) worst = Math.max(worst, Math.abs(tx.get(i) - 0.01 * g[0][i]));
        double scale = 0;
        for (double v : g[0]) scale = Math.max(scale, Math.abs(v) * 0.01);
        assertTrue(worst < 0.05 * scale, "worst θx error " + worst + " mrad of " + scale);
        // strain shares the frame
        ScanFrame f = StrainDeriver.solvedFrame(out);
        assertEquals(rot, f.rotationDeg, 0);
        assertFalse(f.transpose);
        // without the magnetic maps 'auto' cannot be solved for strain: a typed error naming the parameter
        InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> StrainDeriver.solvedFrame(MapSet.of()));
        assertTrue(e.getMessage().contains("scan-rotation-deg"), e.getMessage());
    }
}
