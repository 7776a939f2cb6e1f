package org.ltz4d.derivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.param.Roi;

class RobustSurfaceTest {

    static double plane(int r, int c) {
        return 12.5 + 0.031 * c - 0.017 * r;
    }

    static double parabola(int r, int c) {
        return 40 + 0.05 * c + 0.02 * r + 1e-3 * c * c - 4e-4 * r * c + 7e-4 * r * r;
    }

    @Test
    void planeAndParabolaAreRecoveredDespiteOutliers() {
        int rows = 30;
        int cols = 40;
        for (RobustSurface.Kind kind : RobustSurface.Kind.values()) {
            float[] v = new float[rows * cols];
            Random rnd = new Random(7);
            int outliers = 0;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    double truth = kind == RobustSurface.Kind.PLANE ? plane(r, c) : parabola(r, c);
                    double noise = 1e-3 * rnd.nextGaussian();
                    boolean out = rnd.nextDouble() < 0.2;
                    if (out) outliers++;
                    v[r * cols + c] = (float) (truth + noise + (out ? 0.5 + rnd.nextDouble() : 0));
                }
            }
            v[17] = Float.NaN;
            RobustSurface s = RobustSurface.fit(v, rows, cols, null, kind);
            double worst = 0;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    double truth = kind == RobustSurface.Kind.PLANE ? plane(r, c) : parabola(r, c);
                    worst = Math.max(worst, Math.abs(s.at(r, c) - truth));
                }
            }
            // 1e-3 noise on 1200 points: the surface is known to ~1e-4; 20 % outliers of +0.5…1.5 must not bias it
            System.out.println(kind + ": worst surface error " + worst + ", down-weighted " + s.downweighted + " of " + outliers);
            assertTrue(worst < 3e-4, kind + ": worst surface error " + worst);
            assertTrue(Math.abs(s.downweighted - outliers) < 5, kind + ": down-weighted " + s.downweighted + " of " + outliers + " outliers");
            float[] e = s.evaluate(rows, cols);
            assertEquals(s.at(4, 5), e[4 * cols + 5], 1e-5);
        }
    }

    @Test
    void exactPlaneOverAnRoiIsExact() {
        int rows = 12;
        int cols = 10;
        float[] v = new float[rows * cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) v[r * cols + c] = (float) (r < 6 ? plane(r, c) : 99);
        RobustSurface s = RobustSurface.fit(v, rows, cols, new Roi(0, 6, 0, 10), RobustSurface.Kind.PLANE);
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) assertEquals(plane(r, c), s.at(r, c), 1e-5);
        assertThrows(IllegalArgumentException.class, () -> RobustSurface.fit(v, rows, cols, new Roi(0, 1, 0, 5), RobustSurface.Kind.PARABOLA));
    }
}
