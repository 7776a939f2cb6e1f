package org.ltz4d.ltem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TieTest {
    static final Grid G = new Grid(128, 128, Samples.PIXEL_NM);
    static final double LAMBDA = Optics.wavelengthNm(Samples.KV);

    private static double tieCorrelation(double[] truth, double z, double sigma, double qc) {
        ForwardModel fm = new ForwardModel(G, Optics.ideal(Samples.KV).withDivergence(1e-6));
        double[] zs = {-z, 0, z};
        double[][] im = Samples.noisy(fm.simulate(truth, null, zs), sigma, 11);
        Tie.Result t = Tie.reconstruct(G, LAMBDA, im, zs, qc, true, Tie.Mode.FULL);
        double c = Samples.correlation(t.phase(), truth);
        System.out.printf("TIE z=%.0f nm σ=%.3f qc=%.4f/nm: correlation %.4f, rms %.3f rad%n", z, sigma, qc, c, Samples.rmsError(t.phase(), truth));
        return c;
    }

    @Test
    void vortexAtSmallDefocusWithNoiseCorrelatesWithTruth() {
        double[][] m = Samples.vortex(G, 200, 10);
        double[] truth = MagneticPhase.fromMagnetisation(G, m[0], m[1], Samples.BT);
        double c = tieCorrelation(truth, 50000, 0.01, 0.0005);
        assertTrue(c >= 0.98, "correlation " + c);
    }

    @Test
    void stripesAtSmallDefocusWithNoiseCorrelateWithTruth() {
        double[][] m = Samples.stripes(G, 32, 6);
        double[] truth = MagneticPhase.fromMagnetisation(G, m[0], m[1], Samples.BT);
        double c = tieCorrelation(truth, 50000, 0.01, 0.0005);
        assertTrue(c >= 0.98, "correlation " + c);
    }

    @Test
    void stripeInductionFromTieHasMagnitudeAndDirection() {
        double[][] m = Samples.stripes(G, 32, 6);
        double[] truth = MagneticPhase.fromMagnetisation(G, m[0], m[1], Samples.BT);
        ForwardModel fm = new ForwardModel(G, Optics.ideal(Samples.KV));
        double[] zs = {-20000, 0, 20000};
        Tie.Result t = Tie.reconstruct(G, LAMBDA, fm.simulate(truth, null, zs), zs, 0, true, Tie.Mode.FULL);
        double[][] bt = MagneticPhase.btFromPhase(t.phase(), G.ny, G.nx, G.dyNm, G.dxNm);
        double sum1 = 0, sum2 = 0, sumY = 0;
        for (int c = 0; c < G.nx; c++) {
            sum1 += bt[0][16 * G.nx + c] / G.nx;  // first domain, M = +x
            sum2 += bt[0][48 * G.nx + c] / G.nx;  // second domain, M = −x
            sumY += Math.abs(bt[1][16 * G.nx + c]) / G.nx;
        }
        assertEquals(Samples.BT, sum1, 0.01 * Samples.BT, "B_x·t in the +x domain, T·nm");
        assertEquals(-Samples.BT, sum2, 0.01 * Samples.BT, "B_x·t in the −x domain, T·nm");
        assertEquals(0, sumY, 0.01 * Samples.BT, "B_y·t, T·nm");
    }

    @Test
    void singleImageTieRecoversVortex() {
        double[][] m = Samples.vortex(G, 200, 10);
        double[] truth = MagneticPhase.fromMagnetisation(G, m[0], m[1], Samples.BT);
        ForwardModel fm = new ForwardModel(G, Optics.ideal(Samples.KV));
        double[][] im = Samples.noisy(fm.simulate(truth, null, new double[] {50000}), 0.005, 3);
        Tie.Result t = Tie.reconstruct(G, LAMBDA, im, new double[] {50000}, 0.0002, true, Tie.Mode.UNIFORM);
        double c = Samples.correlation(t.phase(), truth);
        System.out.printf("SITIE z=50 µm σ=0.005: correlation %.4f%n", c);
        assertTrue(c >= 0.97, "SITIE correlation " + c);
    }

    @Test
    void flippedSeriesSeparatesMagneticFromElectrostaticPhase() {
        double[][] m = Samples.vortex(G, 200, 10);
        double[] mag = MagneticPhase.fromMagnetisation(G, m[0], m[1], Samples.BT);
        // a 40 nm disk (mean inner potential 20 V) thinning towards its rim
        double[] t = new double[G.size()];
        for (int r = 0; r < G.ny; r++) for (int c = 0; c < G.nx; c++) {
            double d = Math.hypot((r + 0.5 - 64) * 4, (c + 0.5 - 64) * 4);
            t[r * G.nx + c] = 40 * 0.5 * (1 - Math.tanh((d - 220) / 15.0));
        }
        double[] el = MagneticPhase.electrostatic(Samples.KV, 20, t);
        double[] up = new double[G.size()], down = new double[G.size()];
        for (int i = 0; i < up.length; i++) {
            up[i] = el[i] + mag[i];
            down[i] = el[i] - mag[i];
        }
        ForwardModel fm = new ForwardModel(G, Optics.ideal(Samples.KV));
        double[] zs = {-20000, 0, 20000};
        double[][] a = fm.simulate(up, null, zs), b = fm.simulate(down, null, zs);
        double[] pa = Tie.reconstruct(G, LAMBDA, a, zs, 0, true, Tie.Mode.FULL).phase();
        double[] pb = Tie.reconstruct(G, LAMBDA, b, zs, 0, true, Tie.Mode.FULL).phase();
        double[] m2 = new double[up.length], e2 = new double[up.length];
        for (int i = 0; i < up.length; i++) {
            m2[i] = 0.5 * (pa[i] - pb[i]);
            e2[i] = 0.5 * (pa[i] + pb[i]);
        }
        double cm = Samples.correlation(m2, mag), ce = Samples.correlation(e2, el);
        System.out.printf("flip series: magnetic correlation %.4f, electrostatic %.4f%n", cm, ce);
        assertTrue(cm > 0.99 && ce > 0.99, cm + " " + ce);
    }
}
