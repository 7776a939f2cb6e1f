package org.ltz4d.correlation;

import java.util.Arrays;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/** Correlation coefficients over the positions where both maps have a value. */
final class Stats {

    private Stats() {
    }

    /** Pearson r, Spearman ρ (ties ranked by their average) and the number n of finite pairs. */
    record Coefficients(double pearson, double spearman, int n) {
    }

    static Coefficients coefficients(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("maps of different sizes: " + a.length + " and " + b.length);
        int n = 0;
        for (int i = 0; i < a.length; i++) if (Float.isFinite(a[i]) && Float.isFinite(b[i])) n++;
        double[] x = new double[n];
        double[] y = new double[n];
        int k = 0;
        for (int i = 0; i < a.length; i++) {
            if (Float.isFinite(a[i]) && Float.isFinite(b[i])) {
                x[k] = a[i];
                y[k++] = b[i];
            }
        }
        if (n < 3 || constant(x) || constant(y)) return new Coefficients(Double.NaN, Double.NaN, n);
        double p = new PearsonsCorrelation().correlation(x, y);
        double s = new SpearmansCorrelation(new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE)).correlation(x, y);
        return new Coefficients(p, s, n);
    }

    private static boolean constant(double[] v) {
        for (double d : v) if (d != v[0]) return false;
        return true;
    }

    /** Median of the finite values, NaN when there is none. */
    static double median(float[] v) {
        float[] f = finite(v);
        if (f.length == 0) return Double.NaN;
        Arrays.sort(f);
        int m = f.length / 2;
        return f.length % 2 == 1 ? f[m] : 0.5 * (f[m - 1] + f[m]);
    }

    /** Mean of the finite values, NaN when there is none. */
    static double mean(float[] v) {
        double s = 0;
        int n = 0;
        for (float f : v) {
            if (Float.isFinite(f)) {
                s += f;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    static float[] finite(float[] v) {
        int n = Inputs.finiteCount(v);
        float[] f = new float[n];
        int k = 0;
        for (float x : v) if (Float.isFinite(x)) f[k++] = x;
        return f;
    }
}
