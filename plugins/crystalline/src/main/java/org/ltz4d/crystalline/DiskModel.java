package org.ltz4d.crystalline;

/**
 * The Bragg-disk model shared by the refinement and the tests' simulator: a disk of radius R with a
 * Gaussian-blurred edge, D(ρ) = ½·erfc((ρ − R)/(√2·σ)), so a pattern near one disk is
 * λ(x) = b + A·D(|x − c|). D and dD/dρ come from a table (step σ/64) so that the hot loop has no
 * {@code exp}/{@code erfc}.
 */
final class DiskModel {
    static final int PER_SIGMA = 64;
    static final double T_MAX = 7.0;

    final double radius;
    final double edge;
    /** Tables of D and dD/dρ at ρ = {@link #t0} + i/{@link #inv}; read directly by the refinement's inner loops. */
    final double[] d;
    final double[] dd;
    final double inv;
    final double t0;
    final int last;

    DiskModel(double radius, double edge) {
        if (!(radius > 0.5) || !(edge > 0.05)) throw new IllegalArgumentException("disk radius " + radius + " px and edge " + edge + " px must be > 0.5 and > 0.05");
        this.radius = radius;
        this.edge = edge;
        int n = (int) (2 * T_MAX * PER_SIGMA) + 1;
        d = new double[n];
        dd = new double[n];
        for (int i = 0; i < n; i++) {
            double t = -T_MAX + i / (double) PER_SIGMA;
            d[i] = 0.5 * erfc(t / Math.sqrt(2));
            dd[i] = -Math.exp(-0.5 * t * t) / (Math.sqrt(2 * Math.PI) * edge);
        }
        inv = PER_SIGMA / edge;
        t0 = radius - T_MAX * edge;
        last = n - 1;
    }

    /** Half-size of the square window that holds all of a disk's information. */
    int window() {
        return (int) Math.ceil(radius + 4 * edge + 1);
    }

    /** D(ρ). */
    double value(double rho) {
        double u = (rho - t0) * inv;
        if (u <= 0) return 1;
        if (u >= last) return 0;
        int i = (int) u;
        double f = u - i;
        return d[i] + f * (d[i + 1] - d[i]);
    }

    /** dD/dρ. */
    double slope(double rho) {
        double u = (rho - t0) * inv;
        if (u <= 0 || u >= last) return 0;
        int i = (int) u;
        double f = u - i;
        return dd[i] + f * (dd[i + 1] - dd[i]);
    }

    /** Exact D(ρ) (for simulation and tests). */
    double exact(double rho) {
        return 0.5 * erfc((rho - radius) / (Math.sqrt(2) * edge));
    }

    /** Exact dD/dρ. */
    double exactSlope(double rho) {
        double t = (rho - radius) / edge;
        return -Math.exp(-0.5 * t * t) / (Math.sqrt(2 * Math.PI) * edge);
    }

    /**
     * erfc(x) to ~1.2e-7 relative (Numerical Recipes' Chebyshev fit erfcc); Java has no erf.
     */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
