package org.ltz4d.ltem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Gradient-based Lorentz TEM reconstruction (after Zhou, Cherukara &amp; Phatak, npj Comput. Mater.
 * 7, 141 (2021)): minimises
 * <pre>
 *   L = (1/(K·Σw))·Σ_k Σ_r w_r·(I_k(φ, A, z_k, α) − M_k)²  +  R_φ(φ)  +  R_A(A)
 * </pre>
 * over the phase φ and optionally the amplitude A, each image's over-focus z_k and the beam
 * divergence α, with the analytic gradients of {@link ForwardModel} (its adjoint) and Adam or
 * L-BFGS, started from the TIE phase. Measured images M_k should be normalised to mean 1; w are the
 * model's misfit weights (0 in a padding margin, see {@link ForwardModel#setWeights}). Defaults: the
 * curvature regulariser {@link Regularizer#SMOOTH} with weight 0.05 on φ, {@link Regularizer#GRADIENT}
 * with weight 0.01 on A.
 *
 * <p>Variables are scaled for the optimiser: z_k enters as z_k/s_z with s_z = max|z|/√N (a unit
 * step changes z by max|z|/√N, which makes its curvature comparable to a phase pixel's), α as
 * α/s_α with s_α = 0.1 mrad/√N. Note: in the geometric-optics limit (small λzq²) the images depend
 * on z and φ only through z·φ, so an overall defocus scale is only identifiable from wave effects
 * (Fresnel fringes, large defocus) — exactly where this method is meant to be used.
 */
public final class GradientFit {

    public enum Method { LBFGS, ADAM }

    /** Fit options. Weights are per the loss's normalisation (images of mean 1). */
    public record Options(int iterations, Method method, boolean fitAmplitude, boolean refineDefocus,
            boolean refineDivergence, Regularizer phaseRegularizer, double phaseWeight, double tvEpsilon,
            double amplitudeWeight, double learningRate) {

        public static Options defaults() {
            return new Options(200, Method.LBFGS, false, false, false, Regularizer.SMOOTH, 0.05, 1e-3, 1e-2, 0.02);
        }

        public Options withIterations(int n) {
            return new Options(n, method, fitAmplitude, refineDefocus, refineDivergence, phaseRegularizer, phaseWeight,
                    tvEpsilon, amplitudeWeight, learningRate);
        }

        public Options withRefineDefocus(boolean b) {
            return new Options(iterations, method, fitAmplitude, b, refineDivergence, phaseRegularizer, phaseWeight,
                    tvEpsilon, amplitudeWeight, learningRate);
        }

        public Options withRefineDivergence(boolean b) {
            return new Options(iterations, method, fitAmplitude, refineDefocus, b, phaseRegularizer, phaseWeight,
                    tvEpsilon, amplitudeWeight, learningRate);
        }

        public Options withFitAmplitude(boolean b) {
            return new Options(iterations, method, b, refineDefocus, refineDivergence, phaseRegularizer, phaseWeight,
                    tvEpsilon, amplitudeWeight, learningRate);
        }

        public Options withMethod(Method m) {
            return new Options(iterations, m, fitAmplitude, refineDefocus, refineDivergence, phaseRegularizer, phaseWeight,
                    tvEpsilon, amplitudeWeight, learningRate);
        }

        public Options withPhaseRegularizer(Regularizer r, double weight) {
            return new Options(iterations, method, fitAmplitude, refineDefocus, refineDivergence, r, weight, tvEpsilon,
                    amplitudeWeight, learningRate);
        }

        public Options withLearningRate(double lr) {
            return new Options(iterations, method, fitAmplitude, refineDefocus, refineDivergence, phaseRegularizer,
                    phaseWeight, tvEpsilon, amplitudeWeight, lr);
        }
    }

    /** Fit result: phase (rad, zero mean), amplitude, over-focus per image (nm), divergence (rad), loss per iteration. */
    public record Result(double[] phase, double[] amplitude, double[] defocusNm, double divergenceRad, double[] loss,
            int iterations, int evaluations, double seconds) {
    }

    private final ForwardModel model;
    private final Grid g;
    private final double[][] measured;
    private final Options o;
    private final int n;
    private final int k;
    private final double zScale;
    private final double aScale;
    private final ForwardModel.Gradient mg;
    private final double[] zNominal;
    private final double alphaNominal;
    private final double[] zWork;
    private int evaluations;
    private final double[] phaseBuf;
    private final double[] ampBuf;
    private final double[] ampGrad;
    private final double[][] regScratch;
    // packed layout
    private final int offA;
    private final int offZ;
    private final int offAlpha;
    private final int size;

    /**
     * @param model        forward model (its optics give the starting divergence and the fixed aberrations)
     * @param measured     images normalised to mean 1
     * @param defocusNm    starting over-focus per image (nm)
     */
    public GradientFit(ForwardModel model, double[][] measured, double[] defocusNm, Options options) {
        this.model = model;
        this.g = model.grid();
        this.measured = measured;
        this.o = options;
        this.n = g.size();
        this.k = defocusNm.length;
        if (measured.length != k) throw new IllegalArgumentException(measured.length + " images, " + k + " defocus values");
        double zMax = 0;
        for (double z : defocusNm) zMax = Math.max(zMax, Math.abs(z));
        this.zScale = Math.max(zMax, 1.0) / Math.sqrt(n);
        this.aScale = 1e-4 / Math.sqrt(n);
        this.mg = new ForwardModel.Gradient(n, k);
        this.zNominal = defocusNm.clone();
        this.alphaNominal = model.optics().divergenceRad();
        this.zWork = new double[k];
        this.phaseBuf = new double[n];
        this.ampBuf = options.fitAmplitude() ? new double[n] : null;
        this.ampGrad = options.fitAmplitude() ? new double[n] : null;
        this.regScratch = Regularizer.scratch(n);
        this.offA = n;
        this.offZ = offA + (o.fitAmplitude() ? n : 0);
        this.offAlpha = offZ + (o.refineDefocus() ? k : 0);
        this.size = offAlpha + (o.refineDivergence() ? 1 : 0);
    }

    /** Runs the fit from {@code phaseStart} (e.g. the TIE phase) and {@code amplitudeStart} (null = 1). */
    public Result run(double[] phaseStart, double[] amplitudeStart, IntConsumer progress) {
        long t0 = System.nanoTime();
        double[] x = new double[size];
        System.arraycopy(phaseStart, 0, x, 0, n);
        if (o.fitAmplitude()) {
            for (int p = 0; p < n; p++) x[offA + p] = amplitudeStart == null ? 1.0 : amplitudeStart[p];
        }
        if (o.refineDefocus()) for (int j = 0; j < k; j++) x[offZ + j] = zNominal[j] / zScale;
        if (o.refineDivergence()) x[offAlpha] = alphaNominal / aScale;
        double[] fixedAmp = o.fitAmplitude() ? null : amplitudeStart;
        List<Double> history = new ArrayList<>();
        Optimizer.Objective f = (xx, grad) -> objective(xx, grad, fixedAmp);
        Optimizer.Monitor mon = (it, value) -> {
            history.add(value);
            if (progress != null) progress.accept(it);
            return true;
        };
        int done;
        if (o.method() == Method.ADAM) {
            double[] lr = new double[size];
            Arrays.fill(lr, 0, n, o.learningRate());
            if (o.fitAmplitude()) Arrays.fill(lr, offA, offA + n, 0.1 * o.learningRate());
            if (o.refineDefocus()) Arrays.fill(lr, offZ, offZ + k, o.learningRate() * 0.1 * Math.sqrt(n) / 100);
            if (o.refineDivergence()) lr[offAlpha] = o.learningRate();
            done = Optimizer.adam(f, x, lr, o.iterations(), mon);
        } else {
            done = Optimizer.lbfgs(f, x, 10, o.iterations(), mon);
        }
        double[] phase = Arrays.copyOf(x, n);
        double m = Tie.mean(phase);
        for (int p = 0; p < n; p++) phase[p] -= m;
        double[] amp = o.fitAmplitude() ? Arrays.copyOfRange(x, offA, offA + n)
                : (amplitudeStart == null ? null : amplitudeStart.clone());
        double[] z = o.refineDefocus() ? zOf(x) : zNominal.clone();
        double alpha = o.refineDivergence() ? Math.abs(x[offAlpha] * aScale) : alphaNominal;
        double[] loss = history.stream().mapToDouble(Double::doubleValue).toArray();
        return new Result(phase, amp, z, alpha, loss, done, evaluations, (System.nanoTime() - t0) * 1e-9);
    }

    private double[] zOf(double[] x) {
        double[] z = new double[k];
        for (int j = 0; j < k; j++) z[j] = x[offZ + j] * zScale;
        return z;
    }

    /** The packed objective (exposed for gradient tests). */
    double objective(double[] x, double[] grad, double[] fixedAmp) {
        evaluations++;
        double[] phase = phaseBuf;
        System.arraycopy(x, 0, phase, 0, n);
        double[] amp = fixedAmp;
        if (o.fitAmplitude()) {
            amp = ampBuf;
            System.arraycopy(x, offA, amp, 0, n);
        }
        double[] z = zNominal;
        if (o.refineDefocus()) {
            for (int j = 0; j < k; j++) zWork[j] = x[offZ + j] * zScale;
            z = zWork;
        }
        double alpha = o.refineDivergence() ? x[offAlpha] * aScale : alphaNominal;
        double value = model.evaluate(phase, amp, z, alpha, measured, mg);
        System.arraycopy(mg.phase, 0, grad, 0, n);
        value += o.phaseRegularizer().apply(phase, g.ny, g.nx, o.phaseWeight(), o.tvEpsilon(), grad, regScratch);
        if (o.fitAmplitude()) {
            double[] ga = ampGrad;
            System.arraycopy(mg.amplitude, 0, ga, 0, n);
            value += Regularizer.GRADIENT.apply(amp, g.ny, g.nx, o.amplitudeWeight(), 0, ga, regScratch);
            System.arraycopy(ga, 0, grad, offA, n);
        }
        if (o.refineDefocus()) for (int j = 0; j < k; j++) grad[offZ + j] = mg.defocus[j] * zScale;
        if (o.refineDivergence()) grad[offAlpha] = mg.divergence * aScale;
        return value;
    }

    int size() {
        return size;
    }
}
