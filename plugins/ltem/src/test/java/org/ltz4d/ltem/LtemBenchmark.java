package org.ltz4d.ltem;

/**
 * Speed of the gradient-based fit on 512×512 images (3 images, stripe film, z = ±1 mm): iterations
 * and forward+adjoint evaluations per second for L-BFGS and Adam, with and without defocus
 * refinement. Not a unit test; run as described in README.md.
 */
public final class LtemBenchmark {
    private LtemBenchmark() {
    }

    private static double cpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() * 1e-9 : Double.NaN;
    }

    public static void main(String[] args) {
        double cpu0 = cpuSeconds();
        long wall0 = System.nanoTime();
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 512;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Grid g = new Grid(size, size, Samples.PIXEL_NM);
        double[][] m = Samples.stripes(g, size / 4, 20);
        double[] truth = MagneticPhase.fromMagnetisation(g, m[0], m[1], Samples.BT);
        ForwardModel fm = new ForwardModel(g, Optics.ideal(Samples.KV).withDivergence(1e-6));
        double[] zs = {-1e6, 0, 1e6};
        double[][] im = Samples.noisy(fm.simulate(truth, null, zs), 0.1, 1);
        double lambda = Optics.wavelengthNm(Samples.KV);
        long t0 = System.nanoTime();
        double[] tie = Tie.reconstruct(g, lambda, im, zs, 0.0005, true, Tie.Mode.FULL).phase();
        double tieS = (System.nanoTime() - t0) * 1e-9;
        System.out.printf("%d×%d, 3 images, %d threads available; TIE: %.3f s%n", size, size, Runtime.getRuntime().availableProcessors(), tieS);
        // one evaluation = forward model of 3 images + adjoint + regulariser
        ForwardModel.Gradient gr = new ForwardModel.Gradient(g.size(), 3);
        for (int i = 0; i < 3; i++) fm.evaluate(tie, null, zs, 1e-6, im, gr); // warm-up
        t0 = System.nanoTime();
        int evals = 10;
        for (int i = 0; i < evals; i++) fm.evaluate(tie, null, zs, 1e-6, im, gr);
        double evalS = (System.nanoTime() - t0) * 1e-9 / evals;
        System.out.printf("loss+gradient evaluation (fixed defocus): %.1f ms → %.2f /s%n", evalS * 1e3, 1 / evalS);
        t0 = System.nanoTime();
        double[] z2 = zs.clone();
        for (int i = 0; i < evals; i++) {
            for (int k = 0; k < 3; k++) z2[k] = zs[k] + i + 1; // all transfer functions recomputed, as with --refine-defocus
            fm.evaluate(tie, null, z2, 1e-6, im, gr);
        }
        double evalZ = (System.nanoTime() - t0) * 1e-9 / evals;
        System.out.printf("loss+gradient evaluation (defocus changing): %.1f ms → %.2f /s%n", evalZ * 1e3, 1 / evalZ);
        for (GradientFit.Method method : GradientFit.Method.values()) {
            for (boolean refine : new boolean[] {false, true}) {
                int[] count = {0};
                GradientFit.Options o = GradientFit.Options.defaults().withIterations(iterations).withMethod(method)
                        .withPhaseRegularizer(Regularizer.SMOOTH, 0.05).withRefineDefocus(refine);
                GradientFit.Result r = new GradientFit(new ForwardModel(g, fm.optics()), im, zs, o).run(tie, null, it -> count[0]++);
                System.out.printf("%s%s: %d iterations (%d evaluations) in %.2f s → %.2f iterations/s "
                        + "(speed only: RMS phase error %.3f rad vs TIE %.3f, far from converged after so few iterations)%n",
                        method, refine ? " +refine-defocus" : "", r.iterations(), r.evaluations(), r.seconds(), r.iterations() / r.seconds(),
                        Samples.rmsError(r.phase(), truth), Samples.rmsError(tie, truth));
            }
        }
    
        System.out.printf("total: %.1f s wall, %.1f s CPU (the machine's other load inflates wall time)%n",
                (System.nanoTime() - wall0) * 1e-9, cpuSeconds() - cpu0);
    }
}
