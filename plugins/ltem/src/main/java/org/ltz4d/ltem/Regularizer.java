package org.ltz4d.ltem;

/**
 * Regularisers of a 2D field f on an ny × nx grid, with analytic gradients. Forward differences
 * D_x f, D_y f (zero across the border: Neumann); N the number of pixels; differences in the
 * field's unit per pixel.
 * <ul>
 * <li>{@link #SMOOTH}: w/N·Σ(Lf)², L = D_xᵀD_x + D_yᵀD_y (the negative 5-point Laplacian): penalises
 * curvature, not slope, so uniform domains (linear phase) cost nothing.</li>
 * <li>{@link #GRADIENT}: w/N·Σ(D_xf² + D_yf²) (first-order Tikhonov).</li>
 * <li>{@link #TV}: w/N·Σ sqrt(D_xf² + D_yf² + ε²) (isotropic total variation, smoothed by ε).</li>
 * </ul>
 */
public enum Regularizer {
    NONE, SMOOTH, GRADIENT, TV;

    /** Adds the gradient of the regulariser to {@code grad} and returns its value. */
    public double apply(double[] f, int ny, int nx, double weight, double eps, double[] grad) {
        return apply(f, ny, nx, weight, eps, grad, scratch(ny * nx));
    }

    /** Scratch arrays for {@link #apply(double[], int, int, double, double, double[], double[][])}. */
    public static double[][] scratch(int n) {
        return new double[][] {new double[n], new double[n], new double[n], new double[n], new double[n]};
    }

    /** As {@link #apply(double[], int, int, double, double, double[])}, with caller-owned scratch (no allocation). */
    public double apply(double[] f, int ny, int nx, double weight, double eps, double[] grad, double[][] scratch) {
        if (this == NONE || weight == 0) return 0;
        int n = ny * nx;
        double[] dx = scratch[0], dy = scratch[1];
        diff(f, ny, nx, dx, dy);
        double w = weight / n;
        double value = 0;
        switch (this) {
            case GRADIENT -> {
                for (int p = 0; p < n; p++) {
                    value += dx[p] * dx[p] + dy[p] * dy[p];
                    dx[p] *= 2 * w;
                    dy[p] *= 2 * w;
                }
                addTranspose(dx, dy, ny, nx, grad);
            }
            case TV -> {
                for (int p = 0; p < n; p++) {
                    double s = Math.sqrt(dx[p] * dx[p] + dy[p] * dy[p] + eps * eps);
                    value += s;
                    dx[p] *= w / s;
                    dy[p] *= w / s;
                }
                addTranspose(dx, dy, ny, nx, grad);
            }
            case SMOOTH -> {
                double[] lf = scratch[2];
                java.util.Arrays.fill(lf, 0);
                addTranspose(dx, dy, ny, nx, lf);
                for (int p = 0; p < n; p++) value += lf[p] * lf[p];
                double[] ddx = scratch[3], ddy = scratch[4];
                diff(lf, ny, nx, ddx, ddy);
                for (int p = 0; p < n; p++) {
                    ddx[p] *= 2 * w;
                    ddy[p] *= 2 * w;
                }
                addTranspose(ddx, ddy, ny, nx, grad);
            }
            default -> throw new IllegalStateException();
        }
        return value * w;
    }

    static void diff(double[] f, int ny, int nx, double[] dx, double[] dy) {
        for (int r = 0; r < ny; r++) {
            for (int c = 0; c < nx; c++) {
                int p = r * nx + c;
                dx[p] = c < nx - 1 ? f[p + 1] - f[p] : 0;
                dy[p] = r < ny - 1 ? f[p + nx] - f[p] : 0;
            }
        }
    }

    /** out += D_xᵀvx + D_yᵀvy. */
    static void addTranspose(double[] vx, double[] vy, int ny, int nx, double[] out) {
        for (int r = 0; r < ny; r++) {
            for (int c = 0; c < nx; c++) {
                int p = r * nx + c;
                double s = 0;
                if (c > 0) s += vx[p - 1];
                if (c < nx - 1) s -= vx[p];
                if (r > 0) s += vy[p - nx];
                if (r < ny - 1) s -= vy[p];
                out[p] += s;
            }
        }
    }
}
