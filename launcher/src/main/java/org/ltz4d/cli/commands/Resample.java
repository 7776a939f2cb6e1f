package org.ltz4d.cli.commands;

/**
 * Bilinear resampling of a map between two scan grids in one stage frame: pixel (r, c) of a grid
 * with step s and offset (y0, x0) lies at (y0 + r·s, x0 + c·s) nm. Points outside the source grid,
 * or whose four neighbours hold no finite value, get NaN; a NaN neighbour is left out and the
 * others' weights renormalised.
 */
final class Resample {

    private Resample() {
    }

    static float[] bilinear(float[] src, int rows, int cols, double step, double[] offset, int outRows, int outCols, double outStep,
            double[] outOffset) {
        float[] out = new float[outRows * outCols];
        for (int r = 0; r < outRows; r++) {
            double fy = (outOffset[0] + r * outStep - offset[0]) / step;
            for (int c = 0; c < outCols; c++) {
                double fx = (outOffset[1] + c * outStep - offset[1]) / step;
                out[r * outCols + c] = sample(src, rows, cols, fy, fx);
            }
        }
        return out;
    }

    private static float sample(float[] src, int rows, int cols, double fy, double fx) {
        if (fy < -1e-9 || fx < -1e-9 || fy > rows - 1 + 1e-9 || fx > cols - 1 + 1e-9) return Float.NaN;
        int y0 = Math.min(Math.max(0, (int) Math.floor(fy)), Math.max(0, rows - 2));
        int x0 = Math.min(Math.max(0, (int) Math.floor(fx)), Math.max(0, cols - 2));
        double wy = rows == 1 ? 0 : fy - y0, wx = cols == 1 ? 0 : fx - x0;
        double sum = 0, wsum = 0;
        for (int dy = 0; dy <= (rows == 1 ? 0 : 1); dy++) {
            for (int dx = 0; dx <= (cols == 1 ? 0 : 1); dx++) {
                float v = src[(y0 + dy) * cols + x0 + dx];
                double w = (dy == 0 ? 1 - wy : wy) * (dx == 0 ? 1 - wx : wx);
                if (!Float.isFinite(v) || w <= 0) continue;
                sum += w * v;
                wsum += w;
            }
        }
        return wsum > 0 ? (float) (sum / wsum) : Float.NaN;
    }
}
