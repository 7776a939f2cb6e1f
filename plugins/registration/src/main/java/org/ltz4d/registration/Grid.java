package org.ltz4d.registration;

/** A row-major float image, h rows × w columns; NaN marks no value. Sampling is bicubic ({@link Bicubic}). */
public record Grid(int h, int w, float[] v) {
    public Grid {
        if (h < 1 || w < 1 || v.length != h * w) throw new IllegalArgumentException("grid " + h + "x" + w + " with " + v.length + " values");
    }

    public float get(int r, int c) {
        return v[r * w + c];
    }

    /** The values as doubles (a copy). */
    public double[] toDouble() {
        double[] d = new double[v.length];
        for (int i = 0; i < d.length; i++) d[i] = v[i];
        return d;
    }

    /** This map resampled onto an h×w scan grid: value at scan pixel p is this map at {@code toScan⁻¹(p)} (NaN outside or next to a NaN). */
    public Grid resampleOnto(int sh, int sw, Transform2D toScan) {
        Transform2D inv = toScan.inverse();
        double[] d = toDouble();
        float[] out = new float[sh * sw];
        for (int r = 0; r < sh; r++) {
            for (int c = 0; c < sw; c++) {
                double x = inv.mapX(c, r), y = inv.mapY(c, r);
                out[r * sw + c] = Bicubic.inside(h, w, x, y) ? (float) Bicubic.sample(d, h, w, x, y) : Float.NaN;
            }
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
