package org.ltz4d.registration;

/** A row-major float image, h rows × w columns; NaN marks no value. Sampling is bicubic (Keys, a = −1/2). */
public record Grid(int h, int w, float[] v) {
    public Grid {
        if (h < 1 || w < 1 || v.length != h * w) throw new IllegalArgumentException("grid " + h + "x" + w + " with " + v.length + " values");
    }

    public float get(int r, int c) {
        return v[r * w + c];
    }

    /** Bicubic value at (x = column, y = row); NaN outside [0, w−1]×[0, h−1] or next to a NaN. */
    public double sample(double x, double y) {
        if (!(x >= 0 && y >= 0 && x <= w - 1 && y <= h - 1)) return Double.NaN;
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        double s = 0;
        for (int j = -1; j <= 2; j++) {
            int yy = Math.min(h - 1, Math.max(0, y0 + j));
            double wy = keys(j - fy);
            double row = 0;
            for (int i = -1; i <= 2; i++) {
                int xx = Math.min(w - 1, Math.max(0, x0 + i));
                row += keys(i - fx) * v[yy * w + xx];
            }
            s += wy * row;
        }
        return s;
    }

    private static double keys(double t) {
        double a = Math.abs(t);
        if (a <= 1) return (1.5 * a - 2.5) * a * a + 1;
        if (a < 2) return ((-0.5 * a + 2.5) * a - 4) * a + 2;
        return 0;
    }

    /** This map resampled onto an h×w scan grid: value at scan pixel p is this map at {@code toScan⁻¹(p)} (NaN outside). */
    public Grid resampleOnto(int sh, int sw, Transform2D toScan) {
        Transform2D inv = toScan.inverse();
        float[] out = new float[sh * sw];
        for (int r = 0; r < sh; r++) {
            for (int c = 0; c < sw; c++) out[r * sw + c] = (float) sample(inv.mapX(c, r), inv.mapY(c, r));
        }
        return new Grid(sh, sw, out);
    }

    /** Nearest-neighbour resampling (labels such as EBSD phases). */
    public Grid resampleNearest(int sh, int sw, Transform2D toScan) {
        Transform2D inv = toScan.inverse();
        float[] out = new float[sh * sw];
        for (int r = 0; r < sh; r++) {
            for (int c = 0; c < sw; c++) {
                long x = Math.round(inv.mapX(c, r));
                long y = Math.round(inv.mapY(c, r));
                out[r * sw + c] = x >= 0 && y >= 0 && x < w && y < h ? v[(int) y * w + (int) x] : Float.NaN;
            }
        }
        return new Grid(sh, sw, out);
    }
}
