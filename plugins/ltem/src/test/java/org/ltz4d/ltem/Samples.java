package org.ltz4d.ltem;

import java.util.Random;

/** Simulated magnetic films (test fixtures) and comparison helpers. */
final class Samples {
    static final double KV = 300;
    static final double PIXEL_NM = 4;
    /** Saturation induction × thickness: 1 T × 40 nm. */
    static final double BT = 40;

    private Samples() {
    }

    /**
     * Stripe domains with M along ±x, alternating along y every {@code domainRows} rows, walls
     * (Bloch, m_z in the centre) on the row boundaries j·domainRows − ½, so the image borders sit on
     * walls.
     */
    static double[][] stripes(Grid g, int domainRows, double sharpness) {
        double[] mx = new double[g.size()];
        double[] my = new double[g.size()];
        for (int r = 0; r < g.ny; r++) {
            double v = Math.tanh(sharpness * Math.sin(Math.PI * (r + 0.5) / domainRows)) / Math.tanh(sharpness);
            for (int c = 0; c < g.nx; c++) mx[r * g.nx + c] = v;
        }
        return new double[][] {mx, my};
    }

    /** A counter-clockwise (from +x towards +y) vortex in a disk of {@code radiusNm}, core radius {@code coreNm}. */
    static double[][] vortex(Grid g, double radiusNm, double coreNm) {
        double[] mx = new double[g.size()];
        double[] my = new double[g.size()];
        double cy = g.ny / 2.0, cx = g.nx / 2.0;
        for (int r = 0; r < g.ny; r++) {
            for (int c = 0; c < g.nx; c++) {
                double y = (r + 0.5 - cy) * g.dyNm, x = (c + 0.5 - cx) * g.dxNm;
                double rr = Math.hypot(x, y);
                double inside = 0.5 * (1 - Math.tanh((rr - radiusNm) / (0.7 * g.dxNm)));
                double mz = Math.exp(-(rr / coreNm) * (rr / coreNm));
                double inPlane = Math.sqrt(1 - mz * mz) * inside;
                double th = Math.atan2(y, x);
                mx[r * g.nx + c] = -Math.sin(th) * inPlane;
                my[r * g.nx + c] = Math.cos(th) * inPlane;
            }
        }
        return new double[][] {mx, my};
    }

    /** Adds Gaussian noise of relative standard deviation {@code sigma}·sqrt(I) (shot-noise-like) and normalises each image to mean 1. */
    static double[][] noisy(double[][] images, double sigma, long seed) {
        Random rnd = new Random(seed);
        double[][] out = new double[images.length][];
        for (int k = 0; k < images.length; k++) {
            double[] im = images[k].clone();
            for (int p = 0; p < im.length; p++) im[p] += sigma * Math.sqrt(Math.max(im[p], 0)) * rnd.nextGaussian();
            double m = Tie.mean(im);
            for (int p = 0; p < im.length; p++) im[p] /= m;
            out[k] = im;
        }
        return out;
    }

    static double correlation(double[] a, double[] b) {
        double ma = Tie.mean(a), mb = Tie.mean(b);
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    /** RMS difference after removing the mean difference (phase is defined up to a constant). */
    static double rmsError(double[] a, double[] truth) {
        double md = 0;
        for (int i = 0; i < a.length; i++) md += (a[i] - truth[i]) / a.length;
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - truth[i] - md;
            s += d * d;
        }
        return Math.sqrt(s / a.length);
    }

    static double[] ones(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, 1);
        return a;
    }

    /**
     * RMS difference after removing the best-fitting plane a + b·x + c·y from the difference: a
     * uniform phase gradient (a uniform in-plane B over the whole field) produces no intensity
     * contrast, so no method that works from intensities can recover it.
     */
    static double rmsErrorPlane(double[] a, double[] truth, int ny, int nx) {
        int n = a.length;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = a[i] - truth[i];
        // normal equations for [1, x, y]
        double[][] m = new double[3][4];
        for (int r = 0; r < ny; r++) for (int c = 0; c < nx; c++) {
            double[] f = {1, c, r};
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) m[i][j] += f[i] * f[j];
                m[i][3] += f[i] * d[r * nx + c];
            }
        }
        for (int i = 0; i < 3; i++) { // Gauss–Jordan
            double piv = m[i][i];
            for (int j = 0; j < 4; j++) m[i][j] /= piv;
            for (int k = 0; k < 3; k++) {
                if (k == i) continue;
                double f = m[k][i];
                for (int j = 0; j < 4; j++) m[k][j] -= f * m[i][j];
            }
        }
        double s = 0;
        for (int r = 0; r < ny; r++) for (int c = 0; c < nx; c++) {
            double e = d[r * nx + c] - m[0][3] - m[1][3] * c - m[2][3] * r;
            s += e * e;
        }
        return Math.sqrt(s / n);
    }
}
