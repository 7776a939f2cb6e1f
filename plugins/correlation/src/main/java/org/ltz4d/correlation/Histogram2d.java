package org.ltz4d.correlation;

/**
 * A 2D histogram of value pairs (x, y) over the positions where both are finite: {@code counts}
 * is row-major (ny, nx) with row = y bin, column = x bin; bins are half-open [e_i, e_(i+1)) except
 * the last, which includes its upper edge, so every finite pair inside the edges is counted.
 */
record Histogram2d(long[] counts, int nx, int ny, double[] xEdges, double[] yEdges, long total) {

    static Histogram2d of(float[] x, float[] y, double xMin, double xMax, int nx, double yMin, double yMax, int ny) {
        if (x.length != y.length) throw new IllegalArgumentException("x and y differ in size: " + x.length + ", " + y.length);
        if (nx < 1 || ny < 1) throw new IllegalArgumentException("bins must be ≥ 1");
        if (!(xMax > xMin) || !(yMax > yMin)) throw new IllegalArgumentException("empty histogram range");
        double[] xe = edges(xMin, xMax, nx);
        double[] ye = edges(yMin, yMax, ny);
        long[] c = new long[nx * ny];
        long total = 0;
        double sx = nx / (xMax - xMin);
        double sy = ny / (yMax - yMin);
        for (int i = 0; i < x.length; i++) {
            float a = x[i];
            float b = y[i];
            if (!Float.isFinite(a) || !Float.isFinite(b)) continue;
            if (a < xMin || a > xMax || b < yMin || b > yMax) continue;
            int ix = Math.min(nx - 1, (int) ((a - xMin) * sx));
            int iy = Math.min(ny - 1, (int) ((b - yMin) * sy));
            c[iy * nx + ix]++;
            total++;
        }
        return new Histogram2d(c, nx, ny, xe, ye, total);
    }

    private static double[] edges(double lo, double hi, int n) {
        double[] e = new double[n + 1];
        for (int i = 0; i <= n; i++) e[i] = lo + (hi - lo) * i / n;
        e[n] = hi;
        return e;
    }

    /** [min, max] of the finite values, widened when degenerate; {lo, hi}. */
    static double[] range(float[] v) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float f : v) {
            if (Float.isFinite(f)) {
                lo = Math.min(lo, f);
                hi = Math.max(hi, f);
            }
        }
        if (!(lo <= hi)) return new double[] {0, 1};
        if (hi == lo) {
            double d = lo == 0 ? 0.5 : Math.abs(lo) * 1e-3;
            return new double[] {lo - d, hi + d};
        }
        return new double[] {lo, hi};
    }

    /** [-m, m] with m the largest finite |value| (components centred on zero). */
    static double[] symmetricRange(float[] a, float[] b) {
        double m = 0;
        for (float f : a) if (Float.isFinite(f)) m = Math.max(m, Math.abs(f));
        for (float f : b) if (Float.isFinite(f)) m = Math.max(m, Math.abs(f));
        if (m == 0) m = 1;
        return new double[] {-m, m};
    }

    long max() {
        long m = 0;
        for (long c : counts) m = Math.max(m, c);
        return m;
    }
}
