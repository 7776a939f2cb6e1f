package org.ltz4d.simulator;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * What the detector does to the expected image, fixed for a whole dataset (the sample scan and the
 * vacuum scan see the same detector). Applied in this order to the noise-free expected counts μ,
 * before the Poisson draw:
 * <ol>
 * <li>beam stop: μ·T(p), T = smoothstep((d + 1)/2) with d the signed distance (px) outside the
 * union of a disk of radius R about the undeflected pattern centre (no descan: the stop is fixed on
 * the detector) and an arm of half-width 0.35·R from there to the detector edge at angle φ: opaque
 * (T = 0) more than 1 px inside, clear (T = 1) more than 1 px outside;</li>
 * <li>point spread: a Gaussian of σ = psf-px (separable, zero outside the detector: counts spread
 * off the edge are lost) — applied to the expected image, so the Poisson noise stays per pixel;</li>
 * <li>gain: μ·g(p), g = max(0, 1 + gain-sigma·N(0,1)) per pixel;</li>
 * <li>hot pixels: μ = a fixed rate per hot pixel, log-uniform in [200, 20000] counts; dead
 * pixels: μ = 0.</li>
 * </ol>
 * After the draw, counts are clipped at saturation-counts (when given). Positions and gains come
 * from the dataset's seed.
 */
public final class DetectorEffects {
    private final int rows, cols;
    private final float[] transmission;
    private final double psfSigma;
    private final double[] kernel;
    private final float[] gain;
    private final int[] hot;
    private final double[] hotRate;
    private final int[] dead;
    private final double saturation;
    private final boolean[] bad;

    DetectorEffects(int rows, int cols, double stopCx, double stopCy, double stopRadius, double stopAngleDeg,
            double psfSigma, double gainSigma, int hotPixels, int deadPixels, double saturation, long seed) {
        this.rows = rows;
        this.cols = cols;
        int px = rows * cols;
        if (hotPixels < 0 || deadPixels < 0 || hotPixels + deadPixels > px / 4) {
            throw new IllegalArgumentException("hot + dead pixels must be between 0 and a quarter of the detector, got "
                    + hotPixels + " + " + deadPixels);
        }
        if (stopRadius > 0) {
            transmission = new float[px];
            double w = 0.35 * stopRadius, a = Math.toRadians(stopAngleDeg);
            double ux = Math.cos(a), uy = Math.sin(a);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    double dx = c - stopCx, dy = r - stopCy;
                    double dist = Math.hypot(dx, dy);
                    double disk = dist - stopRadius;
                    double t = dx * ux + dy * uy;
                    double arm = t < 0 ? dist - w : Math.abs(dx * uy - dy * ux) - w;
                    double d = Math.min(disk, arm);
                    double u = Math.min(1, Math.max(0, (d + 1) / 2));
                    transmission[r * cols + c] = (float) (u * u * (3 - 2 * u));
                }
            }
        } else {
            transmission = null;
        }
        this.psfSigma = psfSigma;
        if (psfSigma > 0) {
            int kr = (int) Math.ceil(4 * psfSigma);
            kernel = new double[2 * kr + 1];
            double s = 0;
            for (int k = -kr; k <= kr; k++) s += kernel[k + kr] = Math.exp(-0.5 * k * k / (psfSigma * psfSigma));
            for (int k = 0; k < kernel.length; k++) kernel[k] /= s;
        } else {
            kernel = null;
        }
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x5DEECE66DL);
        bad = new boolean[px];
        hot = pick(rnd, hotPixels, px);
        hotRate = new double[hotPixels];
        for (int i = 0; i < hotPixels; i++) hotRate[i] = 200 * Math.pow(100, rnd.nextDouble());
        dead = pick(rnd, deadPixels, px);
        if (gainSigma > 0) {
            gain = new float[px];
            for (int i = 0; i < px; i++) gain[i] = (float) Math.max(0, 1 + gainSigma * gaussian(rnd));
        } else {
            gain = null;
        }
        this.saturation = saturation > 0 ? saturation : Double.POSITIVE_INFINITY;
    }

    private int[] pick(SplittableRandom rnd, int count, int px) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            int p;
            do {
                p = rnd.nextInt(px);
            } while (bad[p]);
            bad[p] = true;
            out[i] = p;
        }
        Arrays.sort(out);
        return out;
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble(), v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    /** True when nothing but (perhaps) saturation is applied: the image is the pattern itself. */
    public boolean isNone() {
        return transmission == null && kernel == null && gain == null && hot.length == 0 && dead.length == 0;
    }

    /** Counts above this are clipped (+∞ when there is no saturation). */
    public double saturationCounts() { return saturation; }
    /** Gaussian σ of the point spread (px), 0 for none. */
    public double psfSigmaPx() { return psfSigma; }
    /** Row-major indices of the hot pixels. */
    public int[] hotPixels() { return hot.clone(); }
    /** Row-major indices of the dead pixels. */
    public int[] deadPixels() { return dead.clone(); }
    /** Per pixel: hot or dead (row-major). */
    public boolean[] badPixels() { return bad.clone(); }
    boolean isBad(int i) { return bad[i]; }
    /** Beam-stop transmission per pixel (row-major, 0 … 1), or null without a beam stop. */
    public float[] transmission() { return transmission == null ? null : transmission.clone(); }
    /** The gain map (row-major), or null for a uniform gain of 1. */
    public float[] gain() { return gain == null ? null : gain.clone(); }

    /**
     * Applies the effects to the expected image {@code mu} (rows × cols, row-major from 0) in
     * place; {@code scratch} holds at least rows·cols values.
     */
    public void apply(double[] mu, double[] scratch) {
        int px = rows * cols;
        if (transmission != null) for (int i = 0; i < px; i++) mu[i] *= transmission[i];
        if (kernel != null) blur(mu, scratch);
        if (gain != null) for (int i = 0; i < px; i++) mu[i] *= gain[i];
        for (int i = 0; i < hot.length; i++) mu[hot[i]] = hotRate[i];
        for (int i : dead) mu[i] = 0;
    }

    private void blur(double[] mu, double[] tmp) {
        int kr = kernel.length / 2;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int c = 0; c < cols; c++) {
                int k0 = Math.max(-kr, -c), k1 = Math.min(kr, cols - 1 - c);
                double s = 0;
                for (int k = k0; k <= k1; k++) s += kernel[k + kr] * mu[o + c + k];
                tmp[o + c] = s;
            }
        }
        Arrays.fill(mu, 0, rows * cols, 0);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            int k0 = Math.max(-kr, -r), k1 = Math.min(kr, rows - 1 - r);
            for (int k = k0; k <= k1; k++) {
                double w = kernel[k + kr];
                int src = (r + k) * cols;
                for (int c = 0; c < cols; c++) mu[o + c] += w * tmp[src + c];
            }
        }
    }
}
