package org.ltz4d.ltem;

/** First-order minimisers over a flat double[] (Adam and L-BFGS). */
public final class Optimizer {
    private Optimizer() {
    }

    /** A differentiable objective: returns f(x) and writes ∇f(x) into {@code grad}. */
    @FunctionalInterface
    public interface Objective {
        double evaluate(double[] x, double[] grad);
    }

    /** Called after every iteration with the iteration number (1-based) and the objective; return false to stop. */
    @FunctionalInterface
    public interface Monitor {
        boolean iteration(int iteration, double value);
    }

    /**
     * Adam (Kingma &amp; Ba 2015) with per-variable step sizes {@code lr} (β₁ = 0.9, β₂ = 0.999);
     * {@code x} is updated in place. Returns the number of iterations done.
     */
    public static int adam(Objective f, double[] x, double[] lr, int iterations, Monitor monitor) {
        int n = x.length;
        double[] g = new double[n], m = new double[n], v = new double[n];
        double b1 = 0.9, b2 = 0.999, eps = 1e-12;
        double b1t = 1, b2t = 1;
        for (int it = 1; it <= iterations; it++) {
            double value = f.evaluate(x, g);
            b1t *= b1;
            b2t *= b2;
            for (int i = 0; i < n; i++) {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                double mh = m[i] / (1 - b1t), vh = v[i] / (1 - b2t);
                x[i] -= lr[i] * mh / (Math.sqrt(vh) + eps);
            }
            if (!monitor.iteration(it, value)) return it;
        }
        return iterations;
    }

    /**
     * L-BFGS (memory {@code memory}) with a backtracking Armijo line search; {@code x} is updated
     * in place. Stops after {@code iterations}, when the line search fails, or when the monitor
     * says so. Returns the number of iterations done.
     */
    public static int lbfgs(Objective f, double[] x, int memory, int iterations, Monitor monitor) {
        int n = x.length;
        double[] g = new double[n], gNew = new double[n], d = new double[n], xNew = new double[n];
        double fx = f.evaluate(x, g);
        // ring buffer of the last {@code memory} pairs (s, y): allocated once, reused
        double[][] ss = new double[memory][], ys = new double[memory][];
        double[] rho = new double[memory], alpha = new double[memory];
        int count = 0, newest = -1;
        for (int it = 1; it <= iterations; it++) {
            // two-loop recursion: d = −H·g
            System.arraycopy(g, 0, d, 0, n);
            for (int j = 0; j < count; j++) {
                int idx = Math.floorMod(newest - j, memory);
                alpha[idx] = rho[idx] * dot(ss[idx], d);
                axpy(-alpha[idx], ys[idx], d);
            }
            double gamma;
            if (count > 0) {
                gamma = dot(ss[newest], ys[newest]) / dot(ys[newest], ys[newest]);
            } else {
                double gn = Math.sqrt(dot(g, g));
                gamma = gn > 0 ? Math.min(1.0, 1.0 / gn) : 1.0;
            }
            for (int i = 0; i < n; i++) d[i] *= gamma;
            for (int j = count - 1; j >= 0; j--) {
                int idx = Math.floorMod(newest - j, memory);
                double b = rho[idx] * dot(ys[idx], d);
                axpy(alpha[idx] - b, ss[idx], d);
            }
            for (int i = 0; i < n; i++) d[i] = -d[i];
            double slope = dot(g, d);
            if (!(slope < 0)) { // not a descent direction: restart with steepest descent
                count = 0;
                double gn = Math.sqrt(dot(g, g));
                for (int i = 0; i < n; i++) d[i] = -g[i] / Math.max(gn, 1e-300);
                slope = dot(g, d);
                if (!(slope < 0)) return it - 1;
            }
            double t = 1, fNew = Double.NaN;
            boolean ok = false;
            for (int ls = 0; ls < 30; ls++) {
                for (int i = 0; i < n; i++) xNew[i] = x[i] + t * d[i];
                fNew = f.evaluate(xNew, gNew);
                if (Double.isFinite(fNew) && fNew <= fx + 1e-4 * t * slope) {
                    ok = true;
                    break;
                }
                t *= 0.5;
            }
            if (!ok) return it - 1;
            int slot = (newest + 1) % memory;
            if (ss[slot] == null) {
                ss[slot] = new double[n];
                ys[slot] = new double[n];
            }
            double[] s = ss[slot], y = ys[slot];
            for (int i = 0; i < n; i++) {
                s[i] = xNew[i] - x[i];
                y[i] = gNew[i] - g[i];
            }
            double sy = dot(s, y);
            if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
                rho[slot] = 1 / sy;
                newest = slot;
                count = Math.min(count + 1, memory);
            } else if (count == memory) {
                count--; // the slot just overwritten held the oldest pair: drop it
            }
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            fx = fNew;
            if (!monitor.iteration(it, fx)) return it;
        }
        return iterations;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) y[i] += a * x[i];
    }
}
