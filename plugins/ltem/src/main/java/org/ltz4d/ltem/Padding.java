package org.ltz4d.ltem;

/**
 * Embeds an image in a larger grid with a margin of {@code m} pixels filled by mirror reflection,
 * so the periodic forward model's wrap-around falls in the margin (weighted 0 in the misfit) and not
 * across the measured field of view.
 */
final class Padding {
    final int ny;
    final int nx;
    final int m;

    Padding(int ny, int nx, int margin) {
        if (margin < 0 || margin > Math.min(ny, nx)) {
            throw new IllegalArgumentException("padding must be between 0 and " + Math.min(ny, nx) + " pixels, got " + margin);
        }
        this.ny = ny;
        this.nx = nx;
        this.m = margin;
    }

    int paddedRows() {
        return ny + 2 * m;
    }

    int paddedCols() {
        return nx + 2 * m;
    }

    private static int reflect(int i, int n) {
        if (i < 0) return -i - 1;
        if (i >= n) return 2 * n - 1 - i;
        return i;
    }

    double[] embed(double[] img) {
        int py = paddedRows(), px = paddedCols();
        double[] out = new double[py * px];
        for (int r = 0; r < py; r++) {
            int sr = reflect(r - m, ny);
            for (int c = 0; c < px; c++) out[r * px + c] = img[sr * nx + reflect(c - m, nx)];
        }
        return out;
    }

    double[] crop(double[] big) {
        int px = paddedCols();
        double[] out = new double[ny * nx];
        for (int r = 0; r < ny; r++) System.arraycopy(big, (r + m) * px + m, out, r * nx, nx);
        return out;
    }

    /** 1 on the measured field, 0 in the margin. */
    double[] mask() {
        int py = paddedRows(), px = paddedCols();
        double[] w = new double[py * px];
        for (int r = m; r < m + ny; r++) for (int c = m; c < m + nx; c++) w[r * px + c] = 1;
        return w;
    }
}
