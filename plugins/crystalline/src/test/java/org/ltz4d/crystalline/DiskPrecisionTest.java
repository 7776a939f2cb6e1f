package org.ltz4d.crystalline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Disk-centre precision against the Cramér–Rao bound of the disk model at the same dose: the
 * Fisher information of Poisson counts, I = Σ_pixels ∂λ/∂θ·∂λ/∂θᵀ / λ, for θ = (cx, cy, A, b)
 * (amplitude and background are nuisance parameters), λ = b + A·D(|x − c|). The RMS error of the
 * whole finder (correlation, peak, ML refinement) over many noisy frames must be within 1.5× of
 * √[I⁻¹]₀₀ (and not below 0.8×, which would mean the bound is computed wrongly).
 */
class DiskPrecisionTest {

    @ParameterizedTest(name = "amplitude {0} counts/px, background {1}, gradient model {2}")
    @CsvSource({"40, 2, false", "400, 2, false", "15, 5, false", "40, 2, true"})
    void centreRmsWithinCramerRao(double amp, double bg, boolean gradient) {
        int size = 48, trials = 400;
        DiskModel m = new DiskModel(5.0, 1.0);
        Template t = Template.synthetic(size, size, m);
        DiskFinder f = new DiskFinder(t, 12, Double.NaN, Double.NaN, 4);
        f.gradient = gradient;
        int np = gradient ? 6 : 4; // the gradient model's bound includes its two extra nuisance parameters
        SplittableRandom rnd = new SplittableRandom(5);
        float[] frame = new float[size * size];
        double ex = 0, ey = 0, crbX = 0, crbY = 0, counts = 0;
        for (int k = 0; k < trials; k++) {
            double cx = 23.5 + rnd.nextDouble(), cy = 22.7 + rnd.nextDouble();
            double[] fi = new double[np * np];
            for (int r = 0; r < size; r++) for (int c = 0; c < size; c++) {
                double dx = c - cx, dy = r - cy, rho = Math.hypot(dx, dy);
                double d = m.exact(rho), lam = bg + amp * d;
                frame[r * size + c] = CrystalSim.poisson(rnd, lam);
                double g = rho > 0 ? -amp * m.exactSlope(rho) / rho : 0;
                double[] j = {g * dx, g * dy, d, 1, dx * d, dy * d};
                for (int a = 0; a < np; a++) for (int b = 0; b < np; b++) fi[a * np + b] += j[a] * j[b] / lam;
                counts += amp * d;
            }
            double[] l = new double[np * np], e = new double[np];
            assertTrue(Small.cholesky(fi, np, l));
            crbX += Small.inverseDiag(l, np, 0, e);
            crbY += Small.inverseDiag(l, np, 1, e);
            int n = f.find(frame, 0);
            assertTrue(n >= 1, "no disk found");
            int best = 0;
            for (int i = 1; i < n; i++) if (f.amp[i] > f.amp[best]) best = i;
            ex += sq(f.x[best] - cx);
            ey += sq(f.y[best] - cy);
        }
        double rx = Math.sqrt(ex / trials), ry = Math.sqrt(ey / trials);
        double bx = Math.sqrt(crbX / trials), by = Math.sqrt(crbY / trials);
        System.out.printf("disk %.0f counts" + (gradient ? " (gradient model)" : "") + ": RMS x %.4f px (CRB %.4f, ratio %.2f), y %.4f px (CRB %.4f, ratio %.2f)%n",
                counts / trials, rx, bx, rx / bx, ry, by, ry / by);
        assertTrue(rx <= 1.5 * bx && ry <= 1.5 * by, "RMS/CRB " + rx / bx + ", " + ry / by + " > 1.5");
        assertTrue(rx >= 0.8 * bx && ry >= 0.8 * by, "RMS/CRB " + rx / bx + ", " + ry / by + " < 0.8: bound or test wrong");
    }

    /**
     * Issue 12 item 3, realistic CBED disks: 0.3 %, 1 % and 10 % of a direct beam of 4000 counts/px,
     * with inner contrast (a linear gradient of up to 30 % across the radius and a rocking-curve-like
     * band of {@link #BAND} depth), on a diffuse background with a slope (5 counts/px, 0.03 counts/px per px, as
     * on the flank of the halo around the direct beam), Poisson noise. The bound is that of this
     * model with all nine parameters unknown (centre, amplitude, background and its slope, the
     * gradient, the band depth), from its Fisher information computed numerically (central
     * differences); the finder runs at its defaults with the gradient model ({@code --disk-model auto}
     * picks it for such disks: a gradient and a quadratic inner profile, which takes up the band but for
     * its quartic remainder; the background's slope is not modelled).
     */
    @ParameterizedTest(name = "disk {0} of the direct beam")
    @CsvSource({"0.003", "0.01", "0.1"})
    void realisticCbedDiskWithinCramerRao(double rel) {
        int size = 48, trials = 300, np = 9;
        DiskModel m = new DiskModel(5.0, 1.0);
        DiskFinder f = new DiskFinder(Template.synthetic(size, size, m), 12, Double.NaN, Double.NaN, 4);
        f.gradient = true;
        SplittableRandom rnd = new SplittableRandom(17);
        float[] frame = new float[size * size];
        double ex = 0, ey = 0, crbX = 0, crbY = 0;
        int found = 0;
        for (int k = 0; k < trials; k++) {
            double[] th = {23.5 + rnd.nextDouble(), 22.7 + rnd.nextDouble(), 4000 * rel, 5, 0.03, -0.02,
                0.3 * (2 * rnd.nextDouble() - 1), 0.3 * (2 * rnd.nextDouble() - 1), BAND};
            double phi = Math.PI * rnd.nextDouble();
            double[] fi = new double[np * np];
            double[] j = new double[np];
            for (int r = 0; r < size; r++) for (int c = 0; c < size; c++) {
                double lam = cbed(m, th, phi, c, r);
                frame[r * size + c] = CrystalSim.poisson(rnd, lam);
                for (int a = 0; a < np; a++) {
                    double h = a < 2 ? 1e-4 : 1e-6 * Math.max(1, Math.abs(th[a]));
                    double[] tp = th.clone(), tm = th.clone();
                    tp[a] += h;
                    tm[a] -= h;
                    j[a] = (cbed(m, tp, phi, c, r) - cbed(m, tm, phi, c, r)) / (2 * h);
                }
                for (int a = 0; a < np; a++) for (int b = 0; b < np; b++) fi[a * np + b] += j[a] * j[b] / lam;
            }
            double[] l = new double[np * np], e = new double[np];
            assertTrue(Small.cholesky(fi, np, l));
            int n = f.find(frame, 0);
            if (n < 1) continue;
            found++;
            int best = 0;
            for (int i = 1; i < n; i++) if (f.amp[i] > f.amp[best]) best = i;
            crbX += Small.inverseDiag(l, np, 0, e);
            crbY += Small.inverseDiag(l, np, 1, e);
            ex += sq(f.x[best] - th[0]);
            ey += sq(f.y[best] - th[1]);
        }
        double rx = Math.sqrt(ex / found), ry = Math.sqrt(ey / found), bx = Math.sqrt(crbX / found), by = Math.sqrt(crbY / found);
        System.out.printf("CBED disk %.1f %% of the direct beam (%.0f counts/px): found %d/%d, RMS x %.4f px (CRB %.4f, ratio %.2f), y %.4f px (CRB %.4f, ratio %.2f)%n",
                100 * rel, 4000 * rel, found, trials, rx, bx, rx / bx, ry, by, ry / by);
        assertEquals(trials, found, "disks found at the default significance");
        assertTrue(rx <= 1.5 * bx && ry <= 1.5 * by, "RMS/CRB " + rx / bx + ", " + ry / by + " > 1.5");
        assertTrue(rx >= 0.7 * bx && ry >= 0.7 * by, "RMS/CRB " + rx / bx + ", " + ry / by + " < 0.7: bound or test wrong");
    }

    /**
     * Depth of the rocking-curve-like band: 30 %, as in the realistic scans. Measured RMS/CRB at 0.3 / 1 / 10 % disks:
     * 1.02 / 1.05 / 1.20 (x), 1.07 / 1.09 / 1.08 (y). The gradient-only model of session 3 (no even inner term) was at
     * 1.5 / 1.8 / 4 with this band, 1.1 / 1.1 / 1.3 with a 10 % band.
     */
    static final double BAND = 0.3;

    /** Expected counts of the realistic disk at pixel (c, r): θ = (cx, cy, A, b, b_x, b_y, g_x, g_y, band depth), band direction φ. */
    static double cbed(DiskModel m, double[] th, double phi, int c, int r) {
        double dx = c - th[0], dy = r - th[1], rho = Math.hypot(dx, dy);
        double u = (dx * Math.cos(phi) + dy * Math.sin(phi)) / m.radius;
        double band = Math.sin(0.5 * Math.PI * u);
        double contrast = 1 + (th[6] * dx + th[7] * dy) / m.radius - th[8] * band * band;
        return th[3] + th[4] * (c - 24) + th[5] * (r - 24) + th[2] * m.exact(rho) * contrast;
    }

    static double sq(double v) {
        return v * v;
    }
}
