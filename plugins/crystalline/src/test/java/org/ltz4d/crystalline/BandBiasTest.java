package org.ltz4d.crystalline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * How a rocking-curve band biases the disk centres (noise-free disks, the pseudo-true centre averaged
 * over 16 sub-pixel phases, 8 reflections of {@link CrystalSim}'s inner contrast, peak 40 counts/px on
 * 5): the band alone is even about the centre and moves it by ≤ 0.01 px (sampling only); a gradient
 * alone is fitted and moves it by nothing; together, a model with a fitted gradient but no even inner
 * term lets the gradient give the centre's derivative an even part, which takes up the even band:
 * the centre moved by up to ≈ 0.2 px, differently for each reflection (the gradient-only model of
 * session 3; the error a grain labelled by another, symmetry-equivalent, basis than the reference
 * does not cancel). The gradient model now fits a quadratic inner profile as well
 * ({@code DiskFinder.refineProfile}), which takes up the band up to its quartic remainder: ≤ 0.05 px.
 */
class BandBiasTest {

    /** Largest |pseudo-true centre − truth| (px) over 8 reflections for the given band depth and gradient. */
    static double worstBias(double rocking, double gradient) {
        int n = 40;
        DiskModel dm = new DiskModel(5, 1);
        CrystalSim sim = new CrystalSim(1, 1, 8, 5.0, 1.0, new double[] {24, 0, 0, 24}, true, 40, 4000, 1, 0, 0, 0);
        sim.rockingAmp = rocking;
        sim.gradientAmp = gradient;
        DiskFinder f = new DiskFinder(Template.synthetic(n, n, dm), 12, 0, 6, 4);
        f.gradient = true;
        float[] img = new float[n * n];
        double worst = 0;
        for (int hk = 1; hk <= 8; hk++) {
            int h = hk, k = 2 * hk - 3;
            double mx = 0, my = 0;
            int m = 0;
            for (double sx = 0; sx < 1; sx += 0.25) for (double sy = 0; sy < 1; sy += 0.25) {
                double cx = 20 + sx, cy = 19 + sy;
                for (int r = 0; r < n; r++) for (int c = 0; c < n; c++) {
                    img[r * n + c] = (float) (5 + 40 * dm.exact(Math.hypot(c - cx, r - cy)) * sim.contrast(h, k, c - cx, r - cy));
                }
                assertTrue(f.refine(img, 0, cx + 0.2, cy - 0.1, 0));
                mx += f.x[0] - cx;
                my += f.y[0] - cy;
                m++;
            }
            worst = Math.max(worst, Math.hypot(mx / m, my / m));
        }
        System.out.printf("band %.0f %%, gradient %.0f %%: largest centre bias %.4f px%n", 100 * rocking, 100 * gradient, worst);
        return worst;
    }

    @Test
    void theQuadraticProfileTakesUpTheBand() {
        assertTrue(worstBias(0.3, 0) < 0.01);
        assertTrue(worstBias(0, 0.3) < 0.001);
        double both = worstBias(0.3, 0.3);
        assertTrue(both < 0.06, "band and gradient: centre bias " + both + " px");
        assertTrue(both > 0.005, "band and gradient: no bias at all (" + both + " px): the band's quartic remainder should show");
    }
}
