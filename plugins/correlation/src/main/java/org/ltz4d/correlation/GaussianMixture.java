package org.ltz4d.correlation;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A Gaussian mixture of K components with full 2×2 covariances, fitted to points (x, y) by
 * expectation–maximisation. Each restart starts from k-means++ seeds (a seeded random
 * generator, so results are reproducible) refined by a few Lloyd iterations; the restart with the
 * highest log-likelihood wins. Features are standardised (zero mean, unit variance) for the fit,
 * so that |B| in tesla and angles in degrees weigh alike; the reported means and covariances are
 * in the original units. Components are ordered by their mean x (then mean y), ascending, so
 * labels do not depend on the random start.
 *
 * <p>Hand-written: commons-math3's {@code MultivariateNormalMixtureExpectationMaximization} has
 * no k-means++ seeding, no per-point responsibilities and inverts matrices through generic
 * decompositions per point; for 2D the closed-form 2×2 inverse is exact and much faster.
 */
final class GaussianMixture {

    /** Covariance regularisation added to the diagonal (standardised units). */
    private static final double REG = 1e-6;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    /**
     * The fitted mixture. means[c] = {x, y}; cov[c] = {xx, xy, yy} (original units);
     * labels[i] = most probable component of point i; logLikelihood in the original units
     * (per-point sum); bic = −2·LL + p·ln n with p = 6K − 1.
     */
    record Result(int k, double[] weights, double[][] means, double[][] cov, int[] labels, int[] sizes,
            double logLikelihood, double bic, int iterations, boolean converged) {
    }

    private GaussianMixture() {
    }

    /**
     * Fits K components; {@code tolerance} bounds the change of the mean log-likelihood per point
     * between iterations at convergence (standardised units; 1e-7 is tight).
     */
    static Result fit(double[] x, double[] y, int k, long seed, int restarts, int maxIterations, double tolerance) {
        int n = x.length;
        if (y.length != n) throw new IllegalArgumentException("x and y differ in length");
        if (k < 1) throw new IllegalArgumentException("k must be ≥ 1, got " + k);
        if (n < k) throw new IllegalArgumentException("need at least " + k + " points for " + k + " clusters, got " + n);
        double mx = mean(x);
        double my = mean(y);
        double sx = std(x, mx);
        double sy = std(y, my);
        double[] u = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = (x[i] - mx) / sx;
            v[i] = (y[i] - my) / sy;
        }
        Fit best = null;
        for (int r = 0; r < Math.max(1, restarts); r++) {
            SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + r);
            Fit f = em(u, v, k, rnd, maxIterations, tolerance);
            if (best == null || f.ll > best.ll) best = f;
        }
        // order components by mean x, then mean y
        Integer[] order = new Integer[k];
        for (int c = 0; c < k; c++) order[c] = c;
        Fit b = best;
        Arrays.sort(order, (p, q) -> {
            int cmp = Double.compare(b.mu[p][0], b.mu[q][0]);
            return cmp != 0 ? cmp : Double.compare(b.mu[p][1], b.mu[q][1]);
        });
        int[] rank = new int[k];
        for (int c = 0; c < k; c++) rank[order[c]] = c;
        double[] w = new double[k];
        double[][] means = new double[k][];
        double[][] cov = new double[k][];
        for (int c = 0; c < k; c++) {
            int o = order[c];
            w[c] = b.w[o];
            means[c] = new double[] {mx + sx * b.mu[o][0], my + sy * b.mu[o][1]};
            cov[c] = new double[] {sx * sx * b.cov[o][0], sx * sy * b.cov[o][1], sy * sy * b.cov[o][2]};
        }
        int[] labels = new int[n];
        int[] sizes = new int[k];
        for (int i = 0; i < n; i++) {
            labels[i] = rank[b.labels[i]];
            sizes[labels[i]]++;
        }
        // log-likelihood of the original data: the standardisation's Jacobian is 1/(sx·sy) per point
        double ll = b.ll - n * Math.log(sx * sy);
        double bic = -2 * ll + (6.0 * k - 1) * Math.log(n);
        return new Result(k, w, means, cov, labels, sizes, ll, bic, b.iterations, b.converged);
    }

    private static final class Fit {
        double[] w;
        double[][] mu;
        double[][] cov;
        int[] labels;
        double ll = Double.NEGATIVE_INFINITY;
        int iterations;
        boolean converged;
    }

    private static Fit em(double[] u, double[] v, int k, SplittableRandom rnd, int maxIterations, double tolerance) {
        int n = u.length;
        double[][] mu = kMeansPlusPlus(u, v, k, rnd);
        lloyd(u, v, mu, 10);
        double[] w = new double[k];
        double[][] cov = new double[k][];
        Arrays.fill(w, 1.0 / k);
        for (int c = 0; c < k; c++) cov[c] = new double[] {1, 0, 1};
        double[] resp = new double[n * k];
        double[] logp = new double[k];
        double prev = Double.NEGATIVE_INFINITY;
        Fit f = new Fit();
        int it = 0;
        boolean converged = false;
        double ll = Double.NEGATIVE_INFINITY;
        for (; it < maxIterations; it++) {
            // E-step
            double[] ia = new double[k], ib = new double[k], ic = new double[k], lnorm = new double[k];
            for (int c = 0; c < k; c++) {
                double a = cov[c][0], b = cov[c][1], d = cov[c][2];
                double det = a * d - b * b;
                ia[c] = d / det;
                ib[c] = -b / det;
                ic[c] = a / det;
                lnorm[c] = Math.log(w[c]) - LOG_2PI - 0.5 * Math.log(det);
            }
            ll = 0;
            for (int i = 0; i < n; i++) {
                double mxl = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double dx = u[i] - mu[c][0];
                    double dy = v[i] - mu[c][1];
                    double q = ia[c] * dx * dx + 2 * ib[c] * dx * dy + ic[c] * dy * dy;
                    logp[c] = lnorm[c] - 0.5 * q;
                    if (logp[c] > mxl) mxl = logp[c];
                }
                double s = 0;
                for (int c = 0; c < k; c++) {
                    double e = Math.exp(logp[c] - mxl);
                    resp[i * k + c] = e;
                    s += e;
                }
                ll += mxl + Math.log(s);
                double inv = 1 / s;
                for (int c = 0; c < k; c++) resp[i * k + c] *= inv;
            }
            if (Math.abs(ll - prev) <= tolerance * n) { // change of the mean log-likelihood per point
                converged = true;
                break;
            }
            prev = ll;
            // M-step
            for (int c = 0; c < k; c++) {
                double nk = 0, sx = 0, sy = 0;
                for (int i = 0; i < n; i++) {
                    double r = resp[i * k + c];
                    nk += r;
                    sx += r * u[i];
                    sy += r * v[i];
                }
                if (nk < 1e-9) { // an emptied component: restart it on a random point
                    int j = rnd.nextInt(n);
                    mu[c][0] = u[j];
                    mu[c][1] = v[j];
                    cov[c] = new double[] {1, 0, 1};
                    w[c] = 1.0 / n;
                    continue;
                }
                double cx = sx / nk, cy = sy / nk;
                double sxx = 0, sxy = 0, syy = 0;
                for (int i = 0; i < n; i++) {
                    double r = resp[i * k + c];
                    double dx = u[i] - cx, dy = v[i] - cy;
                    sxx += r * dx * dx;
                    sxy += r * dx * dy;
                    syy += r * dy * dy;
                }
                mu[c][0] = cx;
                mu[c][1] = cy;
                cov[c] = new double[] {sxx / nk + REG, sxy / nk, syy / nk + REG};
                w[c] = nk / n;
            }
            double ws = 0;
            for (double x : w) ws += x;
            for (int c = 0; c < k; c++) w[c] /= ws;
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int bestC = 0;
            for (int c = 1; c < k; c++) if (resp[i * k + c] > resp[i * k + bestC]) bestC = c;
            labels[i] = bestC;
        }
        f.w = w;
        f.mu = mu;
        f.cov = cov;
        f.labels = labels;
        f.ll = ll;
        f.iterations = it;
        f.converged = converged;
        return f;
    }

    /** k-means++ seeding: the first centre uniformly, each next one with probability ∝ D². */
    static double[][] kMeansPlusPlus(double[] u, double[] v, int k, SplittableRandom rnd) {
        int n = u.length;
        double[][] mu = new double[k][2];
        int first = rnd.nextInt(n);
        mu[0][0] = u[first];
        mu[0][1] = v[first];
        double[] d2 = new double[n];
        Arrays.fill(d2, Double.POSITIVE_INFINITY);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                double dx = u[i] - mu[c - 1][0], dy = v[i] - mu[c - 1][1];
                d2[i] = Math.min(d2[i], dx * dx + dy * dy);
                total += d2[i];
            }
            int pick;
            if (total <= 0) {
                pick = rnd.nextInt(n);
            } else {
                double t = rnd.nextDouble() * total;
                pick = n - 1;
                double acc = 0;
                for (int i = 0; i < n; i++) {
                    acc += d2[i];
                    if (acc >= t) {
                        pick = i;
                        break;
                    }
                }
            }
            mu[c][0] = u[pick];
            mu[c][1] = v[pick];
        }
        return mu;
    }

    private static void lloyd(double[] u, double[] v, double[][] mu, int iterations) {
        int n = u.length, k = mu.length;
        double[] sx = new double[k], sy = new double[k];
        int[] cnt = new int[k];
        for (int it = 0; it < iterations; it++) {
            Arrays.fill(sx, 0);
            Arrays.fill(sy, 0);
            Arrays.fill(cnt, 0);
            for (int i = 0; i < n; i++) {
                int best = 0;
                double bd = Double.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double dx = u[i] - mu[c][0], dy = v[i] - mu[c][1];
                    double d = dx * dx + dy * dy;
                    if (d < bd) {
                        bd = d;
                        best = c;
                    }
                }
                sx[best] += u[i];
                sy[best] += v[i];
                cnt[best]++;
            }
            for (int c = 0; c < k; c++) {
                if (cnt[c] > 0) {
                    mu[c][0] = sx[c] / cnt[c];
                    mu[c][1] = sy[c] / cnt[c];
                }
            }
        }
    }

    private static double mean(double[] a) {
        double s = 0;
        for (double d : a) s += d;
        return s / a.length;
    }

    private static double std(double[] a, double m) {
        double s = 0;
        for (double d : a) s += (d - m) * (d - m);
        double sd = Math.sqrt(s / a.length);
        return sd > 0 ? sd : 1;
    }
}
