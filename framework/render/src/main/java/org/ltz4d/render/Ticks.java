package org.ltz4d.render;

import java.util.Locale;

/** "Nice" tick positions (1, 2, 5 × 10^k steps) and their labels. */
public final class Ticks {

    private Ticks() {
    }

    /** The nice step (1, 2 or 5 × 10^k) closest above span / approxCount. */
    public static double step(double span, int approxCount) {
        if (!(span > 0) || Double.isInfinite(span)) return 1;
        double raw = span / Math.max(1, approxCount);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        return nice * mag;
    }

    /** Tick positions inside [min, max] at a nice step giving about {@code approxCount} ticks. */
    public static double[] positions(double min, double max, int approxCount) {
        double s = step(max - min, approxCount);
        double first = Math.ceil(min / s - 1e-9) * s;
        int n = (int) Math.floor((max - first) / s + 1e-9) + 1;
        if (n < 1) return new double[] {min, max};
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            double v = first + i * s;
            t[i] = Math.abs(v) < s * 1e-9 ? 0 : v;
        }
        return t;
    }

    /** A label for tick value v given the step: enough decimals, or scientific notation for extreme magnitudes. */
    public static String label(double v, double step) {
        if (v == 0) return "0";
        double a = Math.max(Math.abs(v), step);
        if (a >= 1e5 || a < 1e-3) {
            int digits = Math.max(0, (int) Math.ceil(-Math.log10(step / Math.pow(10, Math.floor(Math.log10(a)))) - 1e-9));
            return String.format(Locale.ROOT, "%." + Math.min(digits, 6) + "e", v);
        }
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + Math.min(decimals, 8) + "f", v);
    }
}
