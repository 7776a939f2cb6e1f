package org.ltz4d.simulator;

/**
 * The structure factor of hard spheres in the Percus–Yevick approximation (Wertheim 1963, Thiele
 * 1963; the closed form as in Kinning &amp; Thomas, Macromolecules 17, 1712 (1984)), with x = q·σ
 * (σ the sphere diameter) and η the packing fraction:
 *
 * <pre>
 *   α = (1+2η)²/(1−η)⁴,  β = −6η(1+η/2)²/(1−η)⁴,  γ = η·α/2
 *   G(x) = α(sin x − x cos x)/x² + β(2x sin x + (2−x²) cos x − 2)/x³
 *        + γ(−x⁴ cos x + 4[(3x²−6) cos x + (x³−6x) sin x + 6])/x⁵
 *   S(x) = 1 / (1 + 24η·G(x)/x),    S(0) = (1−η)⁴/(1+2η)²
 * </pre>
 *
 * Below x = 0.5 the closed form loses digits to cancellation; there S is interpolated as
 * S(0) + (S(0.5) − S(0))·(x/0.5)² (S is even in q; only the direct beam's region is affected).
 */
final class PercusYevick {
    private static final double X_SMALL = 0.5;

    private PercusYevick() {
    }

    /** S at x = q·σ for packing fraction eta (0 &lt; η &lt; 0.6). */
    static double s(double x, double eta) {
        x = Math.abs(x);
        if (x < X_SMALL) {
            double s0 = s0(eta);
            double t = x / X_SMALL;
            return s0 + (closed(X_SMALL, eta) - s0) * t * t;
        }
        return closed(x, eta);
    }

    /** S(0) = (1−η)⁴/(1+2η)², the compressibility limit. */
    static double s0(double eta) {
        double d = (1 - eta) * (1 - eta);
        return d * d / ((1 + 2 * eta) * (1 + 2 * eta));
    }

    private static double closed(double x, double eta) {
        double d = Math.pow(1 - eta, 4);
        double a = (1 + 2 * eta) * (1 + 2 * eta) / d;
        double b = -6 * eta * (1 + eta / 2) * (1 + eta / 2) / d;
        double g = 0.5 * eta * a;
        double sn = Math.sin(x), cs = Math.cos(x);
        double x2 = x * x, x3 = x2 * x, x4 = x2 * x2, x5 = x4 * x;
        double ff = a * (sn - x * cs) / x2 + b * (2 * x * sn + (2 - x2) * cs - 2) / x3
                + g * ((4 * x3 - 24 * x) * sn - (x4 - 12 * x2 + 24) * cs + 24) / x5;
        return 1 / (1 + 24 * eta * ff / x);
    }

    /** x = q·σ of the first (highest) maximum of S, found on a 10⁻³ grid in [3, 12] and refined by a parabola. */
    static double firstPeakX(double eta) {
        double best = 3, bv = Double.NEGATIVE_INFINITY;
        for (double x = 3; x <= 12; x += 1e-3) {
            double v = s(x, eta);
            if (v > bv) {
                bv = v;
                best = x;
            }
        }
        double h = 1e-3;
        double ym = s(best - h, eta), y0 = s(best, eta), yp = s(best + h, eta);
        double den = ym - 2 * y0 + yp;
        return den < 0 ? best + 0.5 * h * (ym - yp) / den : best;
    }
}
