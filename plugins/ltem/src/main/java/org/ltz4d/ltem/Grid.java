package org.ltz4d.ltem;

/**
 * A real-space image grid (ny rows × nx columns, pixel sizes in nm) and its discrete Fourier
 * frequencies in cycles per nm, in FFT order (0, 1, …, n/2−1, −n/2, …, −1)/(n·pixel). Row index =
 * y, column index = x (DESIGN.md §2). Immutable.
 */
public final class Grid {
    public final int ny;
    public final int nx;
    public final double dyNm;
    public final double dxNm;
    /** Frequencies along x (columns), cycles/nm, length nx. */
    final double[] qx;
    /** Frequencies along y (rows), cycles/nm, length ny. */
    final double[] qy;

    public Grid(int ny, int nx, double dyNm, double dxNm) {
        if (ny < 2 || nx < 2) throw new IllegalArgumentException("grid must be at least 2×2, got " + ny + "×" + nx);
        if (!(dyNm > 0) || !(dxNm > 0) || Double.isInfinite(dyNm) || Double.isInfinite(dxNm)) {
            throw new IllegalArgumentException("pixel sizes must be positive nm, got " + dyNm + ", " + dxNm);
        }
        this.ny = ny;
        this.nx = nx;
        this.dyNm = dyNm;
        this.dxNm = dxNm;
        this.qx = frequencies(nx, dxNm);
        this.qy = frequencies(ny, dyNm);
    }

    public Grid(int ny, int nx, double pixelNm) {
        this(ny, nx, pixelNm, pixelNm);
    }

    static double[] frequencies(int n, double d) {
        double[] q = new double[n];
        for (int i = 0; i < n; i++) q[i] = (i < (n + 1) / 2 ? i : i - n) / (n * d);
        return q;
    }

    public int size() {
        return ny * nx;
    }

    /** Frequency along x of column c, cycles/nm. */
    public double qx(int c) {
        return qx[c];
    }

    /** Frequency along y of row r, cycles/nm. */
    public double qy(int r) {
        return qy[r];
    }

    /** A grid of twice the size in both directions (for mirror padding). */
    Grid doubled() {
        return new Grid(2 * ny, 2 * nx, dyNm, dxNm);
    }
}
