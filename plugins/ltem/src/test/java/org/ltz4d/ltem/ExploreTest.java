package org.ltz4d.ltem;

import org.junit.jupiter.api.Test;

class ExploreTest {
    @Test
    void explore() {
        Grid g = new Grid(128, 128, Samples.PIXEL_NM);
        double lambda = Optics.wavelengthNm(300);
        for (String kind : new String[] {"vortex", "stripes"}) {
            double[][] m = kind.equals("vortex") ? Samples.vortex(g, 200, 6) : Samples.stripes(g, 32, 20);
            double[] truth = MagneticPhase.fromMagnetisation(g, m[0], m[1], Samples.BT);
            ForwardModel fm = new ForwardModel(g, Optics.ideal(300).withDivergence(1e-6));
            for (double z : new double[] {1000000}) {
                double[] zs = {-z, 0, z};
                double[][] clean = fm.simulate(truth, null, zs);
                for (double sigma : new double[] {0.1}) {
                    double[][] im = Samples.noisy(clean, sigma, 1);
                    double[] start = {-0.9 * z, 0, 0.9 * z};
                    for (double[] zz : new double[][] {zs, start}) {
                    Tie.Result t = Tie.reconstruct(g, lambda, im, zz, 0.0005, true, Tie.Mode.FULL);
                    System.out.printf("%s z=%.0f sigma=%.2f TIE corr=%.4f rms=%.3f%n", kind, z, sigma,
                            Samples.correlation(t.phase(), truth), Samples.rmsError(t.phase(), truth));
                    for (double w : new double[] {1e-2, 1e-1}) {
                        long t0 = System.nanoTime();
                        int[] evals = {0};
                        GradientFit fit = new GradientFit(fm, im, zz, GradientFit.Options.defaults().withIterations(150)
                                .withPhaseRegularizer(Regularizer.SMOOTH, w).withRefineDefocus(zz != zs));
                        GradientFit.Result r = fit.run(t.phase(), null, null);
                        System.out.printf("   fit w=%.0e corr=%.4f rms=%.3f it=%d loss %.3e -> %.3e  %.1fs z=%s%n", w,
                                Samples.correlation(r.phase(), truth), Samples.rmsError(r.phase(), truth), r.iterations(),
                                r.loss()[0], r.loss()[r.loss().length - 1], r.seconds(), java.util.Arrays.toString(r.defocusNm()));
                    }
                    }
                }
            }
        }
    }
}
