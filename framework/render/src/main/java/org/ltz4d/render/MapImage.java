package org.ltz4d.render;

import java.awt.image.BufferedImage;

/**
 * Maps of the scan's shape as images at one pixel per scan position (row 0 at the top), and
 * nearest-neighbour upscaling so that each position becomes a square block of screen pixels.
 */
public final class MapImage {

    private MapImage() {
    }

    /** A scalar map through a colour map on a value range. */
    public static BufferedImage scalar(float[] values, int rows, int cols, ColorMap map, Range range) {
        check(values, rows, cols, "values");
        BufferedImage img = new BufferedImage(cols, rows, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[rows * cols];
        for (int i = 0; i < px.length; i++) px[i] = map.rgb(values[i], range);
        img.setRGB(0, 0, cols, rows, px, 0, cols);
        return img;
    }

    /** A vector map (vx, vy) in the vector colour wheel, brightness = |v| / maxMagnitude. */
    public static BufferedImage vector(float[] vx, float[] vy, int rows, int cols, double maxMagnitude) {
        check(vx, rows, cols, "vx");
        check(vy, rows, cols, "vy");
        BufferedImage img = new BufferedImage(cols, rows, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[rows * cols];
        for (int i = 0; i < px.length; i++) px[i] = ColorWheel.vector(vx[i], vy[i], maxMagnitude);
        img.setRGB(0, 0, cols, rows, px, 0, cols);
        return img;
    }

    /** An axis map (degrees, 180°-periodic) in the two-fold wheel, brightness = weight / maxWeight. */
    public static BufferedImage axial(float[] angleDeg, float[] weight, int rows, int cols, double maxWeight) {
        check(angleDeg, rows, cols, "angleDeg");
        check(weight, rows, cols, "weight");
        BufferedImage img = new BufferedImage(cols, rows, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[rows * cols];
        for (int i = 0; i < px.length; i++) px[i] = ColorWheel.axial(angleDeg[i], weight[i], maxWeight);
        img.setRGB(0, 0, cols, rows, px, 0, cols);
        return img;
    }

    /** The largest finite magnitude hypot(vx, vy), or the p-th percentile of the magnitudes when p &lt; 100. */
    public static double maxMagnitude(float[] vx, float[] vy, double percentile) {
        float[] m = new float[vx.length];
        for (int i = 0; i < m.length; i++) m[i] = (float) Math.hypot(vx[i], vy[i]);
        double p = Range.percentileValue(m, percentile);
        return p > 0 ? p : 1;
    }

    /**
     * The integer factor that makes the smaller side of a rows×cols map at least {@code minPixels}
     * screen pixels, without letting the larger side exceed {@code maxPixels} (unless the factor
     * is already 1).
     */
    public static int upscaleFactor(int rows, int cols, int minPixels, int maxPixels) {
        int small = Math.min(rows, cols);
        int large = Math.max(rows, cols);
        int f = Math.max(1, (minPixels + small - 1) / small);
        while (f > 1 && (long) large * f > maxPixels) f--;
        return f;
    }

    /** Nearest-neighbour upscaling by an integer factor (each pixel becomes a factor×factor block). */
    public static BufferedImage upscale(BufferedImage src, int factor) {
        if (factor < 1) throw new IllegalArgumentException("upscale factor must be ≥ 1, got " + factor);
        if (factor == 1) return src;
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage out = new BufferedImage(w * factor, h * factor, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        int[] big = new int[w * factor];
        for (int y = 0; y < h; y++) {
            src.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int c = row[x];
                int o = x * factor;
                for (int k = 0; k < factor; k++) big[o + k] = c;
            }
            for (int k = 0; k < factor; k++) out.setRGB(0, y * factor + k, w * factor, 1, big, 0, w * factor);
        }
        return out;
    }

    private static void check(float[] v, int rows, int cols, String what) {
        if (rows < 1 || cols < 1) throw new IllegalArgumentException("map shape must be positive, got " + rows + "×" + cols);
        if (v.length != rows * cols) {
            throw new IllegalArgumentException(what + ": a " + rows + "×" + cols + " map needs " + rows * cols + " values, got " + v.length);
        }
    }
}
