package org.ltz4d.render;

import java.util.Arrays;

/**
 * A closed value range [min, max] with min &lt; max, for colour maps and colour bars. Factory
 * methods ignore NaN and infinite values and widen degenerate ranges.
 */
public record Range(double min, double max) {

    public Range {
        if (!Double.isFinite(min) || !Double.isFinite(max) || !(max > min)) {
            throw new IllegalArgumentException("a range needs finite min < max, got [" + min + ", " + max + "]");
        }
    }

    /** [0, 1] position of {@code v} in this range (not clamped); NaN stays NaN. */
    public double normalise(double v) {
        return (v - min) / (max - min);
    }

    /** Finite minimum and maximum of {@code values}; [0, 1] when there is no finite value. */
    public static Range of(float[] values) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            if (Float.isFinite(v)) {
                if (v < lo) lo = v;
                if (v > hi) hi = v;
            }
        }
        return widen(lo, hi);
    }

    /** [-m, m] with m the largest finite |value| (for diverging maps centred on zero). */
    public static Range symmetric(float[] values) {
        double m = 0;
        for (float v : values) if (Float.isFinite(v)) m = Math.max(m, Math.abs(v));
        return m > 0 ? new Range(-m, m) : new Range(-1, 1);
    }

    /**
     * The range between percentiles {@code lo} and {@code hi} (in percent, e.g. 1 and 99) of the
     * finite values: robust against a few outliers.
     */
    public static Range percentile(float[] values, double lo, double hi) {
        float[] f = finiteSorted(values);
        if (f.length == 0) return new Range(0, 1);
        return widen(at(f, lo), at(f, hi));
    }

    /** [-m, m] with m the {@code p}-th percentile (e.g. 99) of the finite |values|. */
    public static Range symmetricPercentile(float[] values, double p) {
        float[] f = finiteSorted(values);
        if (f.length == 0) return new Range(-1, 1);
        for (int i = 0; i < f.length; i++) f[i] = Math.abs(f[i]);
        Arrays.sort(f);
        double m = at(f, p);
        return m > 0 ? new Range(-m, m) : symmetric(values);
    }

    /** The {@code percent}-th percentile (linear interpolation) of the finite values; NaN when there is none. */
    public static double percentileValue(float[] values, double percent) {
        float[] f = finiteSorted(values);
        return f.length == 0 ? Double.NaN : at(f, percent);
    }

    private static float[] finiteSorted(float[] values) {
        int n = 0;
        for (float v : values) if (Float.isFinite(v)) n++;
        float[] f = new float[n];
        int k = 0;
        for (float v : values) if (Float.isFinite(v)) f[k++] = v;
        Arrays.sort(f);
        return f;
    }

    private static double at(float[] sorted, double percent) {
        double x = Math.max(0, Math.min(100, percent)) / 100.0 * (sorted.length - 1);
        int i = (int) Math.floor(x);
        int j = Math.min(i + 1, sorted.length - 1);
        return sorted[i] + (sorted[j] - sorted[i]) * (x - i);
    }

    private static Range widen(double lo, double hi) {
        if (!(lo <= hi)) return new Range(0, 1);
        if (hi > lo) return new Range(lo, hi);
        double d = lo == 0 ? 1 : Math.abs(lo) * 1e-3;
        return new Range(lo - d, hi + d);
    }
}
