package org.ltz4d.thickness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.scattering.Composition;

/**
 * Log-ratio t/λ on synthetic low-loss spectra of known t/λ: a Gaussian zero-loss peak (0.8 eV
 * FWHM), plasmon scattering as a Poisson series of self-convolutions of a Drude single-scattering
 * distribution (E_p = 22 eV, Γ = 6 eV, as for Fe-based glasses), 0.25 eV channels from −5 to
 * 250 eV, 10⁶ electrons per spectrum with Poisson noise; and the mean free path models against
 * hand-evaluated values of their formulas.
 */
class ThicknessTest {

    static final double DISPERSION = 0.25, E_START = -5, EP = 22, GAMMA = 6, ZLP_SIGMA = 0.8 / 2.3548;
    static final int CHANNELS = 1021;

    /** Expected counts of a spectrum with {@code dose} electrons and t/λ = {@code tl}. */
    static double[] spectrum(double tl, double dose) {
        // single-scattering distribution on the channel grid from 0 eV (Drude: Im(−1/ε))
        int n = 4 * CHANNELS;
        double[] ssd = new double[n];
        double sum = 0;
        for (int k = 1; k < n; k++) {
            double e = k * DISPERSION;
            ssd[k] = e * GAMMA * EP * EP / ((e * e - EP * EP) * (e * e - EP * EP) + e * e * GAMMA * GAMMA);
            sum += ssd[k];
        }
        for (int k = 0; k < n; k++) ssd[k] /= sum;
        // Poisson series: P_m = e^(−t) t^m / m!, m-fold = SSD convolved m times
        double[] loss = new double[n];
        double[] fold = new double[n];
        fold[0] = 1;
        double pm = Math.exp(-tl);
        for (int m = 0; m < 25; m++) {
            for (int k = 0; k < n; k++) loss[k] += pm * fold[k];
            double[] next = new double[n];
            for (int i = 0; i < n; i++) {
                if (fold[i] == 0) continue;
                for (int j = 0; i + j < n; j++) next[i + j] += fold[i] * ssd[j];
            }
            fold = next;
            pm *= tl / (m + 1);
        }
        // the zero-loss shape on the recorded channels
        double[] out = new double[CHANNELS];
        int zero = (int) Math.round(-E_START / DISPERSION);
        for (int c = 0; c < CHANNELS; c++) {
            double s = 0;
            for (int k = Math.max(0, c - zero - 30); k < n && k <= c - zero + 30; k++) {
                double d = (c - zero - k) * DISPERSION;
                s += loss[k] * Math.exp(-0.5 * d * d / (ZLP_SIGMA * ZLP_SIGMA));
            }
            out[c] = s;
        }
        double norm = 0;
        for (int k = -30; k <= 30; k++) norm += Math.exp(-0.5 * k * k * DISPERSION * DISPERSION / (ZLP_SIGMA * ZLP_SIGMA));
        for (int c = 0; c < CHANNELS; c++) out[c] *= dose / norm;
        return out;
    }

    static int poisson(double mu, Random r) {
        if (mu < 50) {
            double l = Math.exp(-mu), p = 1;
            int k = 0;
            do {
                k++;
                p *= r.nextDouble();
            } while (p > l);
            return k - 1;
        }
        return (int) Math.max(0, Math.round(mu + Math.sqrt(mu) * r.nextGaussian()));
    }

    @Test
    void logRatioRecoversKnownThicknessWithinOnePercentAndItsNoise() {
        Random rnd = new Random(4);
        LogRatio lr = new LogRatio();
        StringBuilder s = new StringBuilder();
        for (double tl : new double[] {0.1, 0.3, 0.6, 1.0, 1.5}) {
            double[] mu = spectrum(tl, 1e6);
            float[] f = new float[CHANNELS];
            int reps = 200;
            double mean = 0, m2 = 0, sig = 0;
            for (int r = 0; r < reps; r++) {
                for (int c = 0; c < CHANNELS; c++) f[c] = poisson(mu[c], rnd);
                assertTrue(lr.measure(f, 0, CHANNELS), "t/λ " + tl);
                mean += lr.tOverLambda;
                m2 += lr.tOverLambda * lr.tOverLambda;
                sig += lr.sigma;
            }
            mean /= reps;
            double sd = Math.sqrt(m2 / reps - mean * mean);
            sig /= reps;
            s.append(String.format("t/λ %.2f: mean %.4f (bias %+.2f %%), sd %.4f, σ %.4f; ", tl, mean, 100 * (mean / tl - 1), sd, sig));
            // the window: the peak at 0 eV, the valley before the plasmon
            double valleyEv = E_START + lr.hi * DISPERSION;
            assertTrue(valleyEv > 1 && valleyEv < EP, "valley at " + valleyEv + " eV");
            assertEquals(tl, mean, 0.01 * tl, s.toString());
            assertEquals(1, sd / sig, 0.2, "the counting error matches the scatter: " + s);
        }
        System.out.println(s);
    }

    @Test
    void spectraWithoutAZeroLossValleyOrCountsAreRejected() {
        LogRatio lr = new LogRatio();
        assertFalse(lr.measure(new float[10], 0, 10), "no counts");
        float[] rising = new float[50];
        for (int i = 0; i < 50; i++) rising[i] = i;
        assertFalse(lr.measure(rising, 0, 50), "peak at the end: no valley");
        float[] nan = {1, 5, Float.NaN, 2, 3, 1};
        assertFalse(lr.measure(nan, 0, nan.length));
        assertTrue(Double.isNaN(lr.tOverLambda));
    }

    @Test
    void meanFreePathsFollowMalisAndIakoubovskii() {
        // hand-evaluated: Si at 200 kV, β = 10 mrad: Z_eff = 14, E_m = 7.6·14^0.36 = 19.66 eV, F = 0.6176
        assertEquals(125.33, MeanFreePath.malis(200, 10, 14), 0.01);
        // Si, ρ = 2.33 g/cm³, 200 kV, α = 0, β = 10 mrad: θ_E = 0.0574 mrad
        assertEquals(172.56, MeanFreePath.iakoubovskii(200, 0, 10, 2.33), 0.01);
        assertEquals(153.78, MeanFreePath.iakoubovskii(300, 10, 10, 7.87), 0.01);
        // Z_eff of a pure element is its Z; of a mixture between its elements', nearer the heavier
        assertEquals(26, MeanFreePath.zEff(Composition.parse("composition", "Fe", MeanFreePath.symbols()), "composition"), 1e-9);
        double z = MeanFreePath.zEff(Composition.parse("composition", "Fe85.2Si0.5B9.5P4Cu0.8", MeanFreePath.symbols()), "composition");
        assertTrue(z > 22 && z < 26, "Z_eff " + z);
        // a larger collection angle collects more: a shorter λ
        assertTrue(MeanFreePath.malis(300, 20, z) < MeanFreePath.malis(300, 5, z));
        assertThrows(InvalidParameterException.class, () -> Composition.parse("composition", "Xx3", MeanFreePath.symbols()));
    }
}
