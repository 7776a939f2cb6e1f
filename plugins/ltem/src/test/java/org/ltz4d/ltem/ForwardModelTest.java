package org.ltz4d.ltem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ForwardModelTest {

    @Test
    void stripeDomainPhaseGradientHasDesignSignAndMagnitude() {
        Grid g = new Grid(128, 128, Samples.PIXEL_NM);
        double[][] m = Samples.stripes(g, 32, 6);
        double[] phase = MagneticPhase.fromMagnetisation(g, m[0], m[1], Samples.BT);
        double[] gx = new double[g.size()], gy = new double[g.size()];
        MagneticPhase.gradient(phase, g.ny, g.nx, g.dyNm, g.dxNm, gx, gy);
        double expected = MagneticPhase.E_OVER_HBAR * Samples.BT; // rad/nm, e·B·t/ħ
        // centre of the first domain (rows 0..31, M = +x): ∇φ = (e t/ħ)(B_y, −B_x) = (0, −eBt/ħ)
        int p = 16 * g.nx + 40;
        assertEquals(-expected, gy[p], 1e-3 * expected, "∂φ/∂y in a +x domain");
        assertEquals(0, gx[p], 1e-6, "∂φ/∂x");
        int q = 48 * g.nx + 40; // second domain, M = −x
        assertEquals(expected, gy[q], 1e-3 * expected);
        // and back: B·t = (ħ/e)(−∂φ/∂y, ∂φ/∂x) = (+B_s t, 0)
        double[][] bt = MagneticPhase.btFromPhase(phase, g.ny, g.nx, g.dyNm, g.dxNm);
        assertEquals(Samples.BT, bt[0][p], 1e-3 * Samples.BT);
        assertEquals(-Samples.BT, bt[0][q], 1e-3 * Samples.BT);
        assertEquals(0, bt[1][p], 1e-6);
    }

    @Test
    void counterClockwiseVortexHasRadialPhaseGradient() {
        Grid g = new Grid(128, 128, Samples.PIXEL_NM);
        double[][] m = Samples.vortex(g, 200, 10);
        double[] phase = MagneticPhase.fromMagnetisation(g, m[0], m[1], Samples.BT);
        double[][] bt = MagneticPhase.btFromPhase(phase, g.ny, g.nx, g.dyNm, g.dxNm);
        // at (x, y) = (+100 nm, 0) from the centre m = (0, 1): B·t = (0, +B_s t)
        int r = 64, c = 64 + 25;
        int p = r * g.nx + c;
        assertEquals(0, bt[0][p], 0.02 * Samples.BT);
        assertEquals(Samples.BT, bt[1][p], 0.02 * Samples.BT);
        // ∇φ = c·r̂ outward: phase minimum at the centre
        assertTrue(phase[64 * g.nx + 64] < phase[64 * g.nx + 64 + 40] - 5, "phase rises outwards");
    }

    @Test
    void propagationObeysTransportOfIntensityAtSmallDefocus() {
        Grid g = new Grid(128, 128, Samples.PIXEL_NM);
        double[][] m = Samples.vortex(g, 200, 15);
        double[] phase = MagneticPhase.fromMagnetisation(g, m[0], m[1], Samples.BT);
        Optics o = Optics.ideal(Samples.KV);
        ForwardModel fm = new ForwardModel(g, o);
        double z = 200;
        double[][] im = fm.simulate(phase, null, new double[] {-z, 0, z});
        // in focus: a pure phase object has uniform intensity; total intensity is conserved
        assertEquals(1.0, Tie.mean(im[1]), 1e-12);
        assertEquals(1.0, Tie.mean(im[2]), 1e-12);
        // (2π/λ)·∂I/∂z = −∇²φ for I = 1
        Poisson ps = new Poisson(g, false, 0);
        double[] gx = new double[g.size()], gy = new double[g.size()];
        ps.gradient(phase, gx, gy);
        double[] lap = ps.divergence(gx, gy);
        double num = 0, den = 0;
        for (int p = 0; p < g.size(); p++) {
            double lhs = 2 * Math.PI / o.wavelengthNm() * (im[2][p] - im[0][p]) / (2 * z);
            num += (lhs + lap[p]) * (lhs + lap[p]);
            den += lap[p] * lap[p];
        }
        assertTrue(Math.sqrt(num / den) < 0.02, "relative TIE residual " + Math.sqrt(num / den));
    }

    @Test
    void overFocusBrightensPositiveCurvatureSign() {
        // a phase bump (maximum, ∇²φ < 0) focuses: over-focus (z > 0) makes it brighter
        Grid g = new Grid(64, 64, 2);
        double[] phase = new double[g.size()];
        for (int r = 0; r < 64; r++) for (int c = 0; c < 64; c++) {
            double d2 = (r - 32) * (r - 32) + (c - 32) * (c - 32);
            phase[r * 64 + c] = 0.5 * Math.exp(-d2 / 50.0);
        }
        ForwardModel fm = new ForwardModel(g, Optics.ideal(300));
        double[][] im = fm.simulate(phase, null, new double[] {-1000, 1000});
        assertTrue(im[1][32 * 64 + 32] > 1.0 && im[0][32 * 64 + 32] < 1.0,
                "over " + im[1][32 * 64 + 32] + " under " + im[0][32 * 64 + 32]);
    }

    @Test
    void astigmatismAddsOverFocusAlongItsAxisAndRemovesItAcross() {
        // a phase grating along x (q along x): with a₂ along x the image is that of z + a₂, along y that of z − a₂
        Grid g = new Grid(16, 64, 5);
        double[] phase = new double[g.size()];
        for (int r = 0; r < 16; r++) for (int c = 0; c < 64; c++) phase[r * 64 + c] = 0.8 * Math.sin(2 * Math.PI * 3 * c / 64.0) + 0.3 * Math.cos(2 * Math.PI * 7 * c / 64.0);
        double z = 20000, a2 = 7000;
        Optics o = Optics.ideal(300);
        double[] along = new ForwardModel(g, o.withAstigmatism(a2, 0)).simulate(phase, null, new double[] {z})[0];
        double[] across = new ForwardModel(g, o.withAstigmatism(a2, Math.PI / 2)).simulate(phase, null, new double[] {z})[0];
        double[][] ref = new ForwardModel(g, o).simulate(phase, null, new double[] {z + a2, z - a2});
        for (int p = 0; p < g.size(); p++) {
            assertEquals(ref[0][p], along[p], 1e-9);
            assertEquals(ref[1][p], across[p], 1e-9);
        }
    }

    @Test
    void kirklandScherzerDefocusIsUnderFocus() {
        // Kirkland: Δf_Scherzer = +sqrt(4/3·C_s·λ) (under-focus), i.e. z = −Δf. There χ(q) stays within
        // [−2π/3, 0] up to the first zero of sin χ, so the weak-phase contrast keeps one sign over a wide band.
        double lambda = Optics.wavelengthNm(200), cs = 1.2e6; // 1.2 mm
        double z = -Math.sqrt(4.0 / 3 * cs * lambda);
        Grid g = new Grid(4, 512, 0.02);
        double[] h = new double[2 * g.size()];
        new TransferFunction(g, Optics.ideal(200).withCs(cs)).fill(z, 0, h, null, null);
        // sin χ = −Im(H) must not change sign over q < 0.9·q_zero, q_zero = (4/3)^{1/4}·√2·(C_sλ³)^{-1/4}
        double qZero = Math.pow(4.0 / 3, 0.25) * Math.sqrt(2) * Math.pow(cs * lambda * lambda * lambda, -0.25);
        int signChanges = 0;
        double prev = 0;
        for (int c = 1; c < 256 && g.qx(c) < 0.9 * qZero; c++) {
            double sinChi = -h[2 * c + 1];
            if (prev != 0 && Math.signum(sinChi) != Math.signum(prev)) signChanges++;
            prev = sinChi;
        }
        assertEquals(0, signChanges);
        assertTrue(prev < 0, "sin χ < 0 in the Scherzer band (χ between −2π/3 and 0)");
    }
}
