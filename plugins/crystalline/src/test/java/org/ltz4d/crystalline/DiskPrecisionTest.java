package org.ltz4d.crystalline;

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

    static double sq(double v) {
        return v * v;
    }
}
