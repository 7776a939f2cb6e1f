package org.ltz4d.ltem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The gradient-based fit against TIE at large defocus and high noise, and defocus refinement. */
class GradientFitTest {
    static final Grid G = new Grid(128, 128, Samples.PIXEL_NM);
    static final double LAMBDA = Optics.wavelengthNm(Samples.KV);
    static final double Z = 1_000_000; // 1 mm
    static final double SIGMA = 0.1;   // ~100 counts per pixel

    private static void fitBeatsTie(String what, double[] truth) {
        fitBeatsTie(what, truth, GradientFit.Method.LBFGS);
    }

    private static void fitBeatsTie(String what, double[] truth, GradientFit.Method method) {
        ForwardModel fm = new ForwardModel(G, Optics.ideal(Samples.KV).withDivergence(1e-6));
        double[] zs = {-Z, 0, Z};
        double[][] im = Samples.noisy(fm.simulate(truth, null, zs), SIGMA, 5);
        double[] tie = Tie.reconstruct(G, LAMBDA, im, zs, 0.0005, true, Tie.Mode.FULL).phase();
        GradientFit.Result r = new GradientFit(fm, im, zs, GradientFit.Options.defaults().withIterations(120).withMethod(method)
                .withPhaseRegularizer(Regularizer.SMOOTH, 0.05)).run(tie, null, null);
        double eTie = Samples.rmsError(tie, truth), eFit = Samples.rmsError(r.phase(), truth);
        System.out.printf("%s z=±%.0f nm σ=%.2f: RMS phase error TIE %.3f rad, %s fit %.3f rad (%d iterations, %.2f s, loss %.3e → %.3e)%n",
                what, Z, SIGMA, eTie, method, eFit, r.iterations(), r.seconds(), r.loss()[0], r.loss()[r.loss().length - 1]);
        assertTrue(eFit < 0.7 * eTie, what + ": fit " + eFit + " rad vs TIE " + eTie + " rad");
    }

    @Test
    void fitBeatsTieOnStripesAtLargeDefocusAndHighNoise() {
        double[][] m = Samples.stripes(G, 32, 20);
        fitBeatsTie("stripes", MagneticPhase.fromMagnetisation(G, m[0], m[1], Samples.BT));
    }

    @Test
    void adamAlsoBeatsTieOnStripes() {
        double[][] m = Samples.stripes(G, 32, 20);
        fitBeatsTie("stripes", MagneticPhase.fromMagnetisation(G, m[0], m[1], Samples.BT), GradientFit.Method.ADAM);
    }

    @Test
    void fitBeatsTieOnVortexAtLargeDefocusAndHighNoise() {
        double[][] m = Samples.vortex(G, 200, 6);
        fitBeatsTie("vortex", MagneticPhase.fromMagnetisation(G, m[0], m[1], Samples.BT));
    }

    @Test
    void wrongStartingDefocusIsRecovered() {
        double[][] m = Samples.stripes(G, 32, 20);
        double[] truth = MagneticPhase.fromMagnetisation(G, m[0], m[1], Samples.BT);
        ForwardModel fm = new ForwardModel(G, Optics.ideal(Samples.KV).withDivergence(1e-6));
        double[] zs = {-Z, 0, Z};
        double[][] im = Samples.noisy(fm.simulate(truth, null, zs), 0.05, 9);
        double[] start = {-0.9 * Z, 0, 0.9 * Z}; // 10 % wrong
        double[] tie = Tie.reconstruct(G, LAMBDA, im, start, 0.0005, true, Tie.Mode.FULL).phase();
        GradientFit.Result r = new GradientFit(fm, im, start, GradientFit.Options.defaults().withIterations(200)
                .withPhaseRegularizer(Regularizer.SMOOTH, 0.05).withRefineDefocus(true)).run(tie, null, null);
        System.out.printf("defocus refined from %s to %s nm (truth %s), phase RMS %.3f rad (TIE at the wrong defocus %.3f)%n",
                java.util.Arrays.toString(start), java.util.Arrays.toString(r.defocusNm()), java.util.Arrays.toString(zs),
                Samples.rmsError(r.phase(), truth), Samples.rmsError(tie, truth));
        for (int k = 0; k < 3; k++) {
            assertEquals(zs[k], r.defocusNm()[k], 0.02 * Z, "image " + k + " over-focus, nm");
        }
    }

    @Test
    void beamDivergenceMovesTowardsTruthAtLowNoise() {
        // α and the wall sharpness trade off against each other, so α is only weakly identifiable:
        // at low noise the refined α must get within 20 % from a start 50 % off
        double[][] m = Samples.stripes(G, 32, 20);
        double[] truth = MagneticPhase.fromMagnetisation(G, m[0], m[1], Samples.BT);
        double alpha = 5e-6;
        double[] zs = {-Z, 0, Z};
        double[][] im = Samples.noisy(new ForwardModel(G, Optics.ideal(Samples.KV).withDivergence(alpha)).simulate(truth, null, zs), 0.005, 3);
        double[] tie = Tie.reconstruct(G, LAMBDA, im, zs, 0.0005, true, Tie.Mode.FULL).phase();
        ForwardModel fm = new ForwardModel(G, Optics.ideal(Samples.KV).withDivergence(0.5 * alpha));
        GradientFit.Result r = new GradientFit(fm, im, zs, GradientFit.Options.defaults().withIterations(200)
                .withPhaseRegularizer(Regularizer.SMOOTH, 0.0005).withRefineDivergence(true)).run(tie, null, null);
        System.out.printf("divergence refined from %.2f to %.2f µrad (truth %.2f)%n", 0.5 * alpha * 1e6, r.divergenceRad() * 1e6, alpha * 1e6);
        assertEquals(alpha, r.divergenceRad(), 0.2 * alpha);
    }

    @Test
    void amplitudeIsFittedWhenTheFilmAbsorbs() {
        // a vortex disk that also absorbs (amplitude 0.85 inside): with A fixed to 1 the fit goes wrong,
        // with fit-amplitude both phase and amplitude come back
        double[][] m = Samples.vortex(G, 200, 6);
        double[] truth = MagneticPhase.fromMagnetisation(G, m[0], m[1], Samples.BT);
        double[] amp = new double[G.size()];
        for (int r = 0; r < G.ny; r++) for (int c = 0; c < G.nx; c++) {
            double d = Math.hypot((r + 0.5 - 64) * 4, (c + 0.5 - 64) * 4);
            amp[r * G.nx + c] = 1 - 0.15 * 0.5 * (1 - Math.tanh((d - 200) / 6.0));
        }
        double[] zs = {-Z, 0, Z};
        ForwardModel fm = new ForwardModel(G, Optics.ideal(Samples.KV).withDivergence(1e-6));
        double[][] im = Samples.noisy(fm.simulate(truth, amp, zs), 0.05, 2);
        double[] tie = Tie.reconstruct(G, LAMBDA, im, zs, 0.0005, true, Tie.Mode.FULL).phase();
        GradientFit.Options o = GradientFit.Options.defaults().withIterations(150).withPhaseRegularizer(Regularizer.SMOOTH, 0.05);
        GradientFit.Result fixed = new GradientFit(fm, im, zs, o.withFitAmplitude(false)).run(tie, null, null);
        GradientFit.Result fitted = new GradientFit(fm, im, zs, o.withFitAmplitude(true)).run(tie, null, null);
        double eTie = Samples.rmsError(tie, truth), eFixed = Samples.rmsError(fixed.phase(), truth), eFit = Samples.rmsError(fitted.phase(), truth);
        double ca = Samples.correlation(fitted.amplitude(), amp);
        System.out.printf("absorbing vortex disk, σ = 0.05: RMS phase error TIE %.3f, fit with A = 1 %.3f, fit with A %.3f rad; "
                + "amplitude correlation %.3f%n", eTie, eFixed, eFit, ca);
        assertTrue(eFit < 0.5 * eTie && eFit < 0.5 * eFixed, eTie + " " + eFixed + " " + eFit);
        assertTrue(ca > 0.9, "amplitude correlation " + ca);
    }
}
