package org.ltz4d.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Ring harmonics and pixel size on simulated mean patterns of known geometry: a direct beam, a
 * smooth background and rings whose radius follows r(φ) = r₀·(1 + Σ a_n cos n(φ − φ_n)) (the
 * profile stretched with it, as a distorting detector does), with Poisson-like noise of a mean over
 * {@code frames} frames.
 */
class DetectorCalibrationTest {
    static final int N = 256;
    static final double CX = 127.3, CY = 129.6;

    /** One ring: radius (px), Gaussian width (px), peak counts. */
    record Ring(double r, double sigma, double height) {
    }

    /** Distortion orders, amplitudes and angles (deg). */
    static double distortion(double phi, int[] orders, double[] amps, double[] anglesDeg) {
        double d = 0;
        for (int i = 0; i < orders.length; i++) d += amps[i] * Math.cos(orders[i] * (phi - Math.toRadians(anglesDeg[i])));
        return d;
    }

    static double[] pattern(Ring[] rings, int[] orders, double[] amps, double[] anglesDeg, double frames, long seed) {
        Random rnd = new Random(seed);
        double[] p = new double[N * N];
        for (int r = 0; r < N; r++) {
            for (int c = 0; c < N; c++) {
                double dx = c - CX, dy = r - CY;
                double rho = Math.hypot(dx, dy);
                double u = rho / (1 + distortion(Math.atan2(dy, dx), orders, amps, anglesDeg)); // undistorted radius
                double v = 20000 * Math.exp(-rho * rho / (2 * 9)) + 400 / (1 + (u / 40) * (u / 40)) + 20;
                for (Ring g : rings) v += g.height * Math.exp(-(u - g.r) * (u - g.r) / (2 * g.sigma * g.sigma));
                p[r * N + c] = v + Math.sqrt(v / frames) * rnd.nextGaussian();
            }
        }
        return p;
    }

    @Test
    void threeAndSixFoldDistortionAreMeasuredWithTheirUncertainty() {
        int[] orders = {2, 3, 6};
        double[] amps = {0.01, 0.003, 0.002};
        double[] ang = {30, 10, 5};
        double[] p = pattern(new Ring[] {new Ring(70, 4, 300)}, orders, amps, ang, 1000, 1);
        double[] b = DetectorCalibration.beam(p, N, N);
        double r1 = DetectorCalibration.firstRing(p, N, N, b);
        RingHarmonics.Result r = RingHarmonics.measure(p, N, N, b[0], b[1], r1, 0.3, 72);
        System.out.printf("ring r0 %.3f ± %.3f px at (%.3f, %.3f), χ²red %.2f%n", r.r0(), r.r0Sigma(), r.cx(), r.cy(), r.chi2Reduced());
        for (int n : RingHarmonics.ORDERS) {
            int i = java.util.Arrays.asList(2, 3, 4, 6).indexOf(n);
            System.out.printf("  %d-fold %.5f at %.2f° (a ± %.5f, b ± %.5f)%n", n, r.amplitude(n), r.angleDeg(n), r.aSigma()[i], r.bSigma()[i]);
        }
        assertEquals(CX, r.cx(), 0.02, "centre x, px");
        assertEquals(CY, r.cy(), 0.02, "centre y, px");
        assertEquals(70, r.r0(), 0.1, "r0, px");
        double[] truthAmp = {0.01, 0.003, 0, 0.002};
        double[] truthAng = {30, 10, 0, 5};
        for (int i = 0; i < 4; i++) {
            int n = RingHarmonics.ORDERS[i];
            double ta = truthAmp[i] * Math.cos(n * Math.toRadians(truthAng[i])), tb = truthAmp[i] * Math.sin(n * Math.toRadians(truthAng[i]));
            assertTrue(r.aSigma()[i] < 3e-4 && r.bSigma()[i] < 3e-4, "σ of order " + n + ": " + r.aSigma()[i] + ", " + r.bSigma()[i]);
            assertEquals(ta, r.a()[i], 4 * r.aSigma()[i] + 1e-4, "a_" + n);
            assertEquals(tb, r.b()[i], 4 * r.bSigma()[i] + 1e-4, "b_" + n);
        }
        assertEquals(10, r.angleDeg(3), 3, "3-fold angle, deg");
    }

    @Test
    void goldRingsGiveThePixelSize() {
        double k = 0.0075; // 1/Å per px
        double a = DetectorCalibration.AU_A;
        int[] n = {3, 4, 8, 11, 12};
        double[] h = {300, 150, 100, 100, 30};
        Ring[] rings = new Ring[n.length];
        for (int i = 0; i < n.length; i++) rings[i] = new Ring(Math.sqrt(n[i]) / a / k, 1.3, h[i]);
        double[] p = pattern(rings, new int[] {2}, new double[] {0.005}, new double[] {60}, 500, 2);
        DetectorCalibration.PixelSize ps = DetectorCalibration.fromGold(p, N, N);
        System.out.printf("Au: %.6f ± %.6f 1/Å per px (truth %.6f), %d rings, χ²red %.2f; %.5f mrad/px at 300 kV%n", ps.sPerPx(), ps.sigma(), k,
                ps.rings().size(), ps.chi2Reduced(), ps.mradPerPx(300));
        assertEquals(4, ps.rings().size(), "rings measured");
        assertTrue(ps.sigma() < 1e-3 * k, "σ " + ps.sigma());
        assertEquals(k, ps.sPerPx(), Math.max(4 * ps.sigma(), 2e-4 * k), "pixel, 1/Å");
        assertEquals(k * 0.019687 * 1e3, ps.mradPerPx(300), 1e-3 * k * 19.687, "mrad per px at 300 kV");
    }

    @Test
    void glassFirstPeakGivesThePixelSize() {
        double q = 3.05, r = 62.5;
        double k = q / (2 * Math.PI) / r;
        double[] p = pattern(new Ring[] {new Ring(r, 5, 250)}, new int[] {3}, new double[] {0.003}, new double[] {0}, 1000, 3);
        DetectorCalibration.PixelSize ps = DetectorCalibration.fromRingQ(p, N, N, q);
        System.out.printf("glass: %.6f ± %.6f 1/Å per px (truth %.6f)%n", ps.sPerPx(), ps.sigma(), k);
        assertEquals(k, ps.sPerPx(), 2e-3 * k, "pixel, 1/Å");
    }

    @Test
    void patternWithoutARingIsRejected() {
        double[] p = pattern(new Ring[0], new int[0], new double[0], new double[0], 1000, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DetectorCalibration.fromRingQ(p, N, N, 3.05));
        assertTrue(e.getMessage().contains("ring") || e.getMessage().contains("peak"), e.getMessage());
    }
}
