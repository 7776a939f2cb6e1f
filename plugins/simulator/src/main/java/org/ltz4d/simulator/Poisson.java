package org.ltz4d.simulator;

import java.util.SplittableRandom;

/**
 * Exact Poisson sampling: inversion for small means, Hörmann's PTRS (transformed rejection with
 * squeeze, "The transformed rejection method for generating Poisson random variables", 1993, as in
 * NumPy) for means ≥ 10. Hand-written because java.util has none and commons-math3's sampler
 * allocates per call.
 */
final class Poisson {
    private static final double[] LOG_FACT = new double[16];

    static {
        double s = 0;
        LOG_FACT[0] = 0;
        for (int k = 1; k < LOG_FACT.length; k++) {
            s += Math.log(k);
            LOG_FACT[k] = s;
        }
    }

    private Poisson() {
    }

    static long sample(SplittableRandom r, double mu) {
        if (!(mu > 0)) return 0;
        if (mu < 10) {
            double p = Math.exp(-mu), f = p, u = r.nextDouble();
            long k = 0;
            while (u > f && k < 200) {
                k++;
                p *= mu / k;
                f += p;
            }
            return k;
        }
        double slam = Math.sqrt(mu), loglam = Math.log(mu);
        double b = 0.931 + 2.53 * slam;
        double a = -0.059 + 0.02483 * b;
        double invalpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = r.nextDouble() - 0.5;
            double v = r.nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + mu + 0.43);
            if (us >= 0.07 && v <= vr) return k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -mu + k * loglam - logFactorial(k)) return k;
        }
    }

    /** log(k!), exact below 16, Stirling's series above (error below 1e-12). */
    static double logFactorial(long k) {
        if (k < LOG_FACT.length) return LOG_FACT[(int) k];
        double x = k;
        double x2 = x * x;
        return (x + 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x2)
                + 1 / (1260 * x2 * x2 * x);
    }
}
