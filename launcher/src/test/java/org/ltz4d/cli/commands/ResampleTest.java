package org.ltz4d.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Bilinear resampling between scan grids: a plane is reproduced exactly; outside the source and all-NaN neighbours give NaN. */
class ResampleTest {

    @Test
    void aPlaneIsReproducedAndOutsideIsNaN() {
        int rows = 5, cols = 7;
        float[] src = new float[rows * cols];
        // value = 10 + 0.5·y + 0.25·x in nm of a grid with step 4 nm and offset (2, −3) nm
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) src[r * cols + c] = (float) (10 + 0.5 * (2 + 4 * r) + 0.25 * (-3 + 4 * c));
        double[] off = {2, -3};
        double[] tOff = {3, 0};
        float[] out = Resample.bilinear(src, rows, cols, 4, off, 12, 14, 1.5, tOff);
        for (int r = 0; r < 12; r++) {
            for (int c = 0; c < 14; c++) {
                double y = 3 + 1.5 * r, x = 1.5 * c;
                boolean inside = y >= 2 && y <= 2 + 4 * (rows - 1) && x >= -3 && x <= -3 + 4 * (cols - 1);
                float v = out[r * 14 + c];
                if (inside) assertEquals(10 + 0.5 * y + 0.25 * x, v, 1e-4, "at " + r + "," + c);
                else assertTrue(Float.isNaN(v), "outside at " + r + "," + c + ": " + v);
            }
        }
        // a NaN neighbour is left out: the others' weights are renormalised
        float[] holes = {1, Float.NaN, 3, 5};
        assertEquals(3, Resample.bilinear(holes, 2, 2, 1, new double[] {0, 0}, 1, 1, 1, new double[] {0.5, 0.5})[0], 1e-6);
        float[] none = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        assertTrue(Float.isNaN(Resample.bilinear(none, 2, 2, 1, new double[] {0, 0}, 1, 1, 1, new double[] {0.5, 0.5})[0]));
    }

    @Test
    void theSigmaFileSitsBesideTheMap() {
        assertEquals(Path.of("/d/t_sigma.npy"), ThicknessCommand.sigmaPath(Path.of("/d/t.npy")));
        assertEquals(Path.of("map_sigma.npy"), ThicknessCommand.sigmaPath(Path.of("map")));
    }
}
