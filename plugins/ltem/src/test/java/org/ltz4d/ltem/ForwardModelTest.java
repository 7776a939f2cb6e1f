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
}
