package org.ltz4d.pdf;

import java.util.Random;

/**
 * Builds 2D diffraction patterns from a tabulated I(q): pixel p (relative to the centre) sees
 * |q| = 2π·s·|A⁻¹·p|, A a 2×2 elliptic distortion/strain of the detector image, each pixel averaged
 * over 4×4 sub-positions (pixel i covers [i−½, i+½)), plus a constant background, a direct beam
 * and Poisson noise. Also gives the ring form Q the ring fitter would report for that geometry.
 */
final class PatternSim {
    final int size;
    final double sPerPx;
    final double[] qTab;
    final double[] iTab;
    final double dqTab;

    PatternSim(int size, double sPerPx, double[] qTab, double[] iTab) {
        this.size = size;
        this.sPerPx = sPerPx;
        this.qTab = qTab;
        this.iTab = iTab;
        this.dqTab = qTab[1] - qTab[0];
    }

    /** A = R(θ)·diag(1+e, 1/(1+e))·R(−θ) (det 1) times {@code iso}; returns A⁻¹ as {m00, m01, m10, m11}. */
    static double[] inverseDistortion(double e, double thetaDeg, double iso) {
        double t = Math.toRadians(thetaDeg);
        double c = Math.cos(t);
        double s = Math.sin(t);
        double l1 = 1 / ((1 + e) * iso);
        double l2 = (1 + e) / iso;
        return new double[] {c * c * l1 + s * s * l2, c * s * (l1 - l2), c * s * (l1 - l2), s * s * l1 + c * c * l2};
    }

    /** The ring form Q = A⁻ᵀA⁻¹·(2πs/q1)² for the ring ridge at |q| = q1 (Å⁻¹): {q11, q12, q22}. */
    double[] ringForm(double[] ainv, double q1) {
        double k = Math.pow(2 * Math.PI * sPerPx / q1, 2);
        double q11 = ainv[0] * ainv[0] + ainv[2] * ainv[2];
        double q12 = ainv[0] * ainv[1] + ainv[2] * ainv[3];
        double q22 = ainv[1] * ainv[1] + ainv[3] * ainv[3];
        return new double[] {q11 * k, q12 * k, q22 * k};
    }

    private double interp(double q) {
        double u = q / dqTab;
        int i = (int) u;
        if (i >= qTab.length - 1) return iTab[iTab.length - 1];
        double f = u - i;
        return iTab[i] * (1 - f) + iTab[i + 1] * f;
    }

    /** Pattern in counts: scale·I(q) + background + direct beam, Poisson noise if {@code rnd} is not null. */
    float[] pattern(double cx, double cy, double[] ainv, double scale, double background, Random rnd) {
        float[] out = new float[size * size];
        double k = 2 * Math.PI * sPerPx;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double acc = 0;
                for (int sy = 0; sy < 4; sy++) {
                    double dy = y - 0.5 + (sy + 0.5) / 4 - cy;
                    for (int sx = 0; sx < 4; sx++) {
                        double dx = x - 0.5 + (sx + 0.5) / 4 - cx;
                        double ux = ainv[0] * dx + ainv[1] * dy;
                        double uy = ainv[2] * dx + ainv[3] * dy;
                        acc += interp(k * Math.sqrt(ux * ux + uy * uy));
                    }
                }
                double r2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                double mean = scale * acc / 16 + background + 2e5 * Math.exp(-0.5 * r2 / (1.2 * 1.2));
                out[y * size + x] = (float) (rnd == null ? mean : poisson(mean, rnd));
            }
        }
        return out;
    }

    private static double poisson(double mean, Random rnd) {
        if (mean < 30) {
            double l = Math.exp(-mean);
            int n = 0;
            double p = rnd.nextDouble();
            while (p > l) {
                p *= rnd.nextDouble();
                n++;
            }
            return n;
        }
        return Math.max(0, Math.rint(mean + Math.sqrt(mean) * rnd.nextGaussian()));
    }
}
