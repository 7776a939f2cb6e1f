package org.ltz4d.io.testing;

import org.ltz4d.api.data.Dataset;

/** Whole-dataset reads for assertions in reader tests. */
public final class Frames {
    private Frames() {
    }

    /** Sum of every pixel, read in blocks of a few frames (double accumulation). */
    public static double sum(Dataset d) {
        int px = d.framePixels();
        int block = (int) Math.max(1, Math.min(d.frameCount(), Math.max(1, (1 << 20) / px)));
        float[] buf = new float[block * px];
        double s = 0;
        for (long f = 0; f < d.frameCount(); f += block) {
            int n = (int) Math.min(block, d.frameCount() - f);
            d.readFrames(f, n, buf, 0);
            for (int i = 0; i < n * px; i++) s += buf[i];
        }
        return s;
    }

    /** One frame as float32. */
    public static float[] frame(Dataset d, long index) {
        float[] f = new float[d.framePixels()];
        d.readFrames(index, 1, f, 0);
        return f;
    }
}
