package org.ltz4d.ltem;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Analytic gradients of the forward model and regularisers against central finite differences. */
class GradientCheckTest {

    private static double relErr(double a, double b) {
        return Math.abs(a - b) / Math.max(Math.abs(a) + Math.abs(b), 1e-300) * 2;
    }

    @Test
    void forwardModelGradientsMatchFiniteDifferences() {
        Grid g = new Grid(32, 40, 3.0);
        Random rnd = new Random(7);
        // smooth random phase + amplitude, all microscope terms on
        double[] phase = new double[g.size()], amp = new double[g.size()];
        for (int r = 0; r < g.ny; r++) for (int c = 0; c < g.nx; c++) {
            phase[r * g.nx + c] = 1.5 * Math.sin(0.3 * r + 0.2 * c) + 0.8 * Math.cos(0.17 * r * c / 10.0);
            amp[r * g.nx + c] = 1 + 0.1 * Math.sin(0.21 * c - 0.1 * r);
        }
        Optics o = new Optics(Optics.wavelengthNm(300), 1e6, 300, 0.4, 2e-4, 50);
        ForwardModel fm = new ForwardModel(g, o);
        double[] z = {-20000, 3000, 25000};
        double alpha = 2e-4;
        double[][] meas = fm.simulate(phase, amp, new double[] {-21000, 2500, 24000}, 1.5e-4);
        for (double[] m : meas) for (int p = 0; p < m.length; p++) m[p] += 0.05 * rnd.nextGaussian();
        double[] w = new double[g.size()];
        for (int i = 0; i < w.length; i++) w[i] = rnd.nextDouble() < 0.2 ? 0 : rnd.nextDouble();
        fm.setWeights(w); // a misfit mask (padding margin) and uneven weights
        ForwardModel.Gradient gr = new ForwardModel.Gradient(g.size(), 3);
        fm.evaluate(phase, amp, z, alpha, meas, gr);
        double worst = 0;
        for (int t = 0; t < 6; t++) {
            int p = rnd.nextInt(g.size());
            double h = 1e-5;
            double[] ph = phase.clone();
            ph[p] += h;
            double fp = fm.evaluate(ph, amp, z, alpha, meas, null);
            ph[p] -= 2 * h;
            double fmn = fm.evaluate(ph, amp, z, alpha, meas, null);
            worst = Math.max(worst, relErr((fp - fmn) / (2 * h), gr.phase[p]));
            double[] am = amp.clone();
            am[p] += h;
            fp = fm.evaluate(phase, am, z, alpha, meas, null);
            am[p] -= 2 * h;
            fmn = fm.evaluate(phase, am, z, alpha, meas, null);
            worst = Math.max(worst, relErr((fp - fmn) / (2 * h), gr.amplitude[p]));
        }
        for (int k = 0; k < 3; k++) {
            double h = 0.5; // nm
            double[] zz = z.clone();
            zz[k] += h;
            double fp = fm.evaluate(phase, amp, zz, alpha, meas, null);
            zz[k] -= 2 * h;
            double fmn = fm.evaluate(phase, amp, zz, alpha, meas, null);
            double e = relErr((fp - fmn) / (2 * h), gr.defocus[k]);
            assertTrue(e < 1e-4, "defocus " + k + " relative error " + e + " (" + (fp - fmn) / (2 * h) + " vs " + gr.defocus[k] + ")");
        }
        double h = 1e-8;
        double fp = fm.evaluate(phase, amp, z, alpha + h, meas, null);
        double fmn = fm.evaluate(phase, amp, z, alpha - h, meas, null);
        double ea = relErr((fp - fmn) / (2 * h), gr.divergence);
        assertTrue(ea < 1e-4, "divergence relative error " + ea + " (" + (fp - fmn) / (2 * h) + " vs " + gr.divergence + ")");
        assertTrue(worst < 1e-4, "phase/amplitude relative error " + worst);
        // the terms checked are not trivially zero
        assertTrue(Math.abs(gr.divergence) > 1e-6 && Math.abs(gr.defocus[0]) > 1e-9, gr.divergence + " " + gr.defocus[0]);
    }

    @Test
    void regularizerGradientsMatchFiniteDifferences() {
        Grid g = new Grid(12, 9, 1.0);
        Random rnd = new Random(3);
        double[] f = new double[g.size()];
        for (int i = 0; i < f.length; i++) f[i] = rnd.nextGaussian();
        for (Regularizer reg : new Regularizer[] {Regularizer.SMOOTH, Regularizer.GRADIENT, Regularizer.TV}) {
            double[] grad = new double[f.length];
            reg.apply(f, g.ny, g.nx, 0.7, 0.1, grad);
            double worst = 0;
            for (int p = 0; p < f.length; p++) {
                double h = 1e-6;
                double[] a = f.clone();
                a[p] += h;
                double fp = reg.apply(a, g.ny, g.nx, 0.7, 0.1, new double[f.length]);
                a[p] -= 2 * h;
                double fm = reg.apply(a, g.ny, g.nx, 0.7, 0.1, new double[f.length]);
                worst = Math.max(worst, relErr((fp - fm) / (2 * h), grad[p]));
            }
            assertTrue(worst < 1e-4, reg + " relative error " + worst);
        }
    }

    @Test
    void packedObjectiveGradientMatchesFiniteDifferences() {
        Grid g = new Grid(24, 24, 4.0);
        double[][] m = Samples.vortex(g, 40, 8);
        double[] truth = MagneticPhase.fromMagnetisation(g, m[0], m[1], Samples.BT);
        Optics o = Optics.ideal(300).withDivergence(1e-4);
        ForwardModel fm = new ForwardModel(g, o);
        double[][] meas = fm.simulate(truth, null, new double[] {-30000, 0, 30000});
        GradientFit fit = new GradientFit(fm, meas, new double[] {-33000, 500, 28000},
                GradientFit.Options.defaults().withFitAmplitude(true).withRefineDefocus(true).withRefineDivergence(true)
                        .withPhaseRegularizer(Regularizer.TV, 1e-3));
        int size = fit.size();
        double[] x = new double[size];
        Random rnd = new Random(5);
        for (int p = 0; p < g.size(); p++) {
            x[p] = 0.8 * truth[p] + 0.1 * rnd.nextGaussian();
            x[g.size() + p] = 1 + 0.05 * rnd.nextGaussian();
        }
        double zs = 33000 / Math.sqrt(g.size());
        x[2 * g.size()] = -33000 / zs;
        x[2 * g.size() + 1] = 500 / zs;
        x[2 * g.size() + 2] = 28000 / zs;
        x[2 * g.size() + 3] = 1e-4 / (1e-4 / Math.sqrt(g.size()));
        double[] grad = new double[size];
        fit.objective(x, grad, null);
        int[] probe = {3, 100, 300, g.size() + 7, g.size() + 200, 2 * g.size(), 2 * g.size() + 1, 2 * g.size() + 2, 2 * g.size() + 3};
        for (int i : probe) {
            double h = 1e-5 * Math.max(1, Math.abs(x[i]));
            double[] a = x.clone();
            a[i] += h;
            double fp = fit.objective(a, new double[size], null);
            a[i] -= 2 * h;
            double fmn = fit.objective(a, new double[size], null);
            double e = relErr((fp - fmn) / (2 * h), grad[i]);
            assertTrue(e < 1e-4, "variable " + i + " relative error " + e);
        }
    }
}
