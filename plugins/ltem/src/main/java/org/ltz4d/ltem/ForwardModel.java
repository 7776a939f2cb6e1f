package org.ltz4d.ltem;

import java.util.Arrays;

/**
 * Lorentz TEM image formation and its adjoint. Object wave ψ₀ = A·exp(iφ) on a periodic
 * {@link Grid}; image k is I_k = |F⁻¹[F(ψ₀)·H(q; z_k, α)]|², H from {@link TransferFunction}
 * (DESIGN.md §3 over-focus z; Kirkland's Δf = −z; see {@link Optics}).
 *
 * <p>Dose conservation: the quasi-coherent envelopes damp the wave and so remove intensity that a
 * partially coherent beam in fact redistributes; each simulated image is therefore rescaled to the
 * object wave's total intensity, I_k = |ψ_k|²·Σ|ψ₀|²/Σ|ψ_k|² (so it matches measured images
 * normalised to mean 1, and the envelopes act as a loss of contrast only).
 *
 * <p>{@link #evaluate} returns the misfit L = (1/(K·Σw))·Σ_k Σ_r w_r·(I_k − M_k)² (w = 1 unless
 * {@link #setWeights} says otherwise) and, on request, its
 * analytic gradients with respect to φ, A, every z_k and α (reverse mode: the gradient G_k = 2·∂L/∂I_k·ψ_k
 * is back-propagated with the adjoint F⁻¹[H*·F(·)] — what automatic differentiation computes).
 * Not thread-safe: one model per thread (it owns its FFT plan and scratch).
 */
public final class ForwardModel {
    private final Grid g;
    private final TransferFunction tf;
    private final Fft2 fft;
    private final int n;
    private final double[] psi0;
    private final double[] spec;
    private final double[] work;
    private final double[] acc;
    private double s0;
    private double[] weights;
    private double weightSum;
    // per-image transfer-function cache (recomputed only when z_k or α change)
    private double[][] h = new double[0][];
    private double[][] dEz = new double[0][];
    private double[][] dEa = new double[0][];
    private double[] cachedZ = new double[0];
    private double cachedAlpha = Double.NaN;

    /** Gradient buffers filled by {@link #evaluate}. */
    public static final class Gradient {
        public final double[] phase;
        public final double[] amplitude;
        public final double[] defocus;
        public double divergence;

        public Gradient(int pixels, int images) {
            phase = new double[pixels];
            amplitude = new double[pixels];
            defocus = new double[images];
        }
    }

    public ForwardModel(Grid grid, Optics optics) {
        this.g = grid;
        this.tf = new TransferFunction(grid, optics);
        this.fft = new Fft2(grid.ny, grid.nx);
        this.n = grid.size();
        this.psi0 = new double[2 * n];
        this.spec = new double[2 * n];
        this.work = new double[2 * n];
        this.acc = new double[2 * n];
        this.weightSum = n;
    }

    /**
     * Per-pixel weights of the misfit (null = all 1), e.g. 0 in a padding margin where nothing was
     * measured: L = Σ_k Σ_r w·(I_k − M_k)² / (K·Σw).
     */
    public void setWeights(double[] w) {
        if (w == null) {
            weights = null;
            weightSum = n;
            return;
        }
        if (w.length != n) throw new IllegalArgumentException("weights need " + n + " values, got " + w.length);
        double sum = 0;
        for (double v : w) {
            if (!(v >= 0)) throw new IllegalArgumentException("weights must be ≥ 0, got " + v);
            sum += v;
        }
        if (!(sum > 0)) throw new IllegalArgumentException("weights must not all be 0");
        weights = w.clone();
        weightSum = sum;
    }

    public Grid grid() {
        return g;
    }

    public Optics optics() {
        return tf.optics();
    }

    /** Simulated images at over-focus values {@code defocusNm} (nm) with beam divergence {@code alpha} (rad). */
    public double[][] simulate(double[] phase, double[] amplitude, double[] defocusNm, double alpha) {
        double[][] out = new double[defocusNm.length][n];
        objectSpectrum(phase, amplitude);
        ensureTransfer(defocusNm, alpha);
        for (int k = 0; k < defocusNm.length; k++) {
            propagate(h[k], out[k]);
        }
        return out;
    }

    /** Simulated images with the optics' own divergence. */
    public double[][] simulate(double[] phase, double[] amplitude, double[] defocusNm) {
        return simulate(phase, amplitude, defocusNm, optics().divergenceRad());
    }

    /**
     * Misfit between simulated and {@code measured} images and, when {@code grad} is non-null,
     * its gradients (overwritten). {@code amplitude} null means A = 1.
     */
    public double evaluate(double[] phase, double[] amplitude, double[] defocusNm, double alpha, double[][] measured,
            Gradient grad) {
        final int kk = defocusNm.length;
        if (measured.length != kk) throw new IllegalArgumentException(measured.length + " images for " + kk + " defocus values");
        objectSpectrum(phase, amplitude);
        ensureTransfer(defocusNm, alpha);
        double dS0 = 0; // ∂L/∂S₀, S₀ = Σ|ψ₀|²
        if (grad != null) {
            Arrays.fill(acc, 0);
            grad.divergence = 0;
        }
        final double[] w = weights;
        final double norm = 1.0 / (kk * weightSum);
        double loss = 0;
        for (int k = 0; k < kk; k++) {
            final double[] hk = h[k];
            final double[] m = measured[k];
            for (int i = 0; i < 2 * n; i += 2) {
                double a = spec[i], b = spec[i + 1], c = hk[i], d = hk[i + 1];
                work[i] = a * c - b * d;
                work[i + 1] = a * d + b * c;
            }
            fft.inverse(work);
            // J = |ψ_k|², S_k = ΣJ; the image is I = c·J with c = S₀/S_k (dose conserved)
            double sk = 0;
            for (int i = 0; i < 2 * n; i += 2) sk += work[i] * work[i] + work[i + 1] * work[i + 1];
            final double ck = s0 / sk;
            double lk = 0, gj = 0;
            for (int p = 0, i = 0; p < n; p++, i += 2) {
                double re = work[i], im = work[i + 1];
                double j = re * re + im * im;
                double res = ck * j - m[p];
                double wres = w == null ? res : w[p] * res;
                lk += wres * res;
                gj += wres * j; // Σ (∂L/∂I)·J up to the factor 2·norm
            }
            if (grad != null) {
                // ∂L/∂J = c·(g − Σ(g·J)/S_k), g = ∂L/∂I = 2·res·norm; G_k = 2·(∂L/∂J)·ψ_k
                final double mean = gj / sk;
                for (int p = 0, i = 0; p < n; p++, i += 2) {
                    double re = work[i], im = work[i + 1];
                    double res = ck * (re * re + im * im) - m[p];
                    double f = 4 * norm * ck * ((w == null ? res : w[p] * res) - mean);
                    work[i] = f * re;
                    work[i + 1] = f * im;
                }
                dS0 += 2 * norm * gj / sk;
            }
            loss += lk * norm;
            if (grad == null) continue;
            fft.forward(work); // B_k = F(G_k)
            final double[] ez = dEz[k];
            final double[] ea = dEa[k];
            double dz = 0, da = 0;
            final double pil = Math.PI * tf.optics().wavelengthNm();
            for (int r = 0; r < g.ny; r++) {
                final double qy = g.qy[r];
                for (int c = 0; c < g.nx; c++) {
                    final int p = r * g.nx + c;
                    final int i = 2 * p;
                    final double qx = g.qx[c];
                    double br = work[i], bi = work[i + 1];
                    double hr = hk[i], hi = hk[i + 1];
                    // adjoint accumulation: acc += conj(H)·B
                    acc[i] += hr * br + hi * bi;
                    acc[i + 1] += hr * bi - hi * br;
                    // t = conj(B)·Ψ·H
                    double pr = spec[i] * hr - spec[i + 1] * hi;
                    double pi = spec[i] * hi + spec[i + 1] * hr;
                    double tr = br * pr + bi * pi;
                    double ti = br * pi - bi * pr;
                    // Re[t·(dlnE/dz − iπλq²)] = tr·dlnE/dz + ti·πλq²
                    dz += tr * ez[p] + ti * pil * (qx * qx + qy * qy);
                    da += tr * ea[p];
                }
            }
            grad.defocus[k] = dz / n;
            grad.divergence += da / n;
        }
        if (grad != null) {
            fft.inverse(acc); // G₀ = F⁻¹(Σ_k H_k*·B_k)
            for (int p = 0, i = 0; p < n; p++, i += 2) {
                double a = acc[i], b = acc[i + 1];
                double c = psi0[i], d = psi0[i + 1];
                // ∂L/∂φ = Re(conj(G₀)·iψ₀) = b·c − a·d; ∂L/∂A = Re(conj(G₀)·e^{iφ})
                grad.phase[p] = b * c - a * d;
                double amp = amplitude == null ? 1.0 : amplitude[p];
                double ga = amp != 0 ? (a * c + b * d) / amp : a * Math.cos(phase[p]) + b * Math.sin(phase[p]);
                grad.amplitude[p] = ga + dS0 * 2 * amp;
            }
        }
        return loss;
    }

    private void objectSpectrum(double[] phase, double[] amplitude) {
        if (phase.length != n) throw new IllegalArgumentException("phase has " + phase.length + " pixels, grid " + n);
        double sum = 0;
        for (int p = 0, i = 0; p < n; p++, i += 2) {
            double a = amplitude == null ? 1.0 : amplitude[p];
            sum += a * a;
            psi0[i] = a * Math.cos(phase[p]);
            psi0[i + 1] = a * Math.sin(phase[p]);
        }
        s0 = sum;
        System.arraycopy(psi0, 0, spec, 0, 2 * n);
        fft.forward(spec);
    }

    private void propagate(double[] hk, double[] out) {
        for (int i = 0; i < 2 * n; i += 2) {
            double a = spec[i], b = spec[i + 1], c = hk[i], d = hk[i + 1];
            work[i] = a * c - b * d;
            work[i + 1] = a * d + b * c;
        }
        fft.inverse(work);
        double sk = 0;
        for (int p = 0, i = 0; p < n; p++, i += 2) {
            out[p] = work[i] * work[i] + work[i + 1] * work[i + 1];
            sk += out[p];
        }
        double c = s0 / sk;
        for (int p = 0; p < n; p++) out[p] *= c;
    }

    private void ensureTransfer(double[] z, double alpha) {
        int kk = z.length;
        if (h.length != kk) {
            h = new double[kk][2 * n];
            dEz = new double[kk][n];
            dEa = new double[kk][n];
            cachedZ = new double[kk];
            Arrays.fill(cachedZ, Double.NaN);
        }
        boolean alphaChanged = Double.doubleToLongBits(alpha) != Double.doubleToLongBits(cachedAlpha);
        for (int k = 0; k < kk; k++) {
            if (alphaChanged || Double.doubleToLongBits(z[k]) != Double.doubleToLongBits(cachedZ[k])) {
                tf.fill(z[k], alpha, h[k], dEz[k], dEa[k]);
                cachedZ[k] = z[k];
            }
        }
        cachedAlpha = alpha;
    }
}
