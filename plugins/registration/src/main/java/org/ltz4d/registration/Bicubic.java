package org.ltz4d.registration;

/** Bicubic interpolation with Keys' cubic convolution kernel (a = −1/2): the one interpolation of this bundle. */
final class Bicubic {
    private Bicubic() {
    }

    /**
     * The value of a row-major h×w image at (x = column, y = row), pixel centres at integers; the
     * four-by-four neighbourhood is clamped to the image (edge pixels repeated outside).
     */
    static double sample(double[] v, int h, int w, double x, double y) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        double s = 0;
        for (int j = -1; j <= 2; j++) {
            int yy = Math.min(h - 1, Math.max(0, y0 + j));
            double row = 0;
            for (int i = -1; i <= 2; i++) {
                int xx = Math.min(w - 1, Math.max(0, x0 + i));
                row += keys(i - fx) * v[yy * w + xx];
            }
            s += keys(j - fy) * row;
        }
        return s;
    }

    /** Whether (x, y) lies within the pixel centres of an h×w image, [0, w−1]×[0, h−1]. */
    static boolean inside(int h, int w, double x, double y) {
        return x >= 0 && y >= 0 && x <= w - 1 && y <= h - 1;
    }

    private static double keys(double t) {
        double a = Math.abs(t);
        if (a <= 1) return (1.5 * a - 2.5) * a * a + 1;
        if (a < 2) return ((-0.5 * a + 2.5) * a - 4) * a + 2;
        return 0;
    }
}
