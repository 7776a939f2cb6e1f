package org.ltz4d.amorphous;

import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.FitSetup;
import org.ltz4d.api.error.Ltz4dException;
import org.ltz4d.api.error.PluginException;

/**
 * How this bundle's set-ups ({@link FitSetup}, plain numbers by name) hold what is not a plain
 * number array: pixel flags as runs, text as code points. (The decoded set-up is kept with the
 * set-up object: {@link FitSetup#decoded}.)
 */
final class SetupValues {
    private SetupValues() {
    }

    /**
     * Pixel flags as runs of set pixels, {start₀, length₀, start₁, length₁, …} (pixel indices are
     * exact in a double): a few numbers for a few hot pixels or a beam stop's shadow, instead of one
     * per pixel.
     */
    static double[] runs(boolean[] flags) {
        double[] r = new double[16];
        int n = 0;
        for (int i = 0; i < flags.length; i++) {
            if (!flags[i]) continue;
            int start = i;
            while (i + 1 < flags.length && flags[i + 1]) i++;
            if (n + 2 > r.length) r = java.util.Arrays.copyOf(r, 2 * r.length);
            r[n++] = start;
            r[n++] = i - start + 1;
        }
        return java.util.Arrays.copyOf(r, n);
    }

    /** The {@code pixels} flags of the runs {@link #runs} wrote under {@code name} in {@code s}. */
    static boolean[] flags(FitSetup s, String name, int pixels) {
        double[] r = s.values(name);
        boolean[] f = new boolean[pixels];
        if (r.length % 2 != 0) throw bad(name, "pairs {start, length}", r.length + " values");
        for (int k = 0; k < r.length; k += 2) {
            long start = (long) r[k], len = (long) r[k + 1];
            if (start != r[k] || len != r[k + 1] || start < 0 || len < 1 || start + len > pixels) {
                throw bad(name, "runs of pixels within 0.." + (pixels - 1), "start " + r[k] + ", length " + r[k + 1]);
            }
            java.util.Arrays.fill(f, (int) start, (int) (start + len), true);
        }
        return f;
    }

    /** Text as its code points. */
    static int[] text(String s) {
        return s.codePoints().toArray();
    }

    /** The text {@link #text} wrote under {@code name} in {@code s}. */
    static String text(FitSetup s, String name) {
        double[] d = s.values(name);
        int[] cp = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            cp[i] = (int) d[i];
            if (cp[i] != d[i] || !Character.isValidCodePoint(cp[i])) throw bad(name, "Unicode code points", Double.toString(d[i]));
        }
        return new String(cp, 0, cp.length);
    }

    /** {@code n} values of {@code name} in {@code s}. */
    static double[] values(FitSetup s, String name, int n) {
        double[] v = s.values(name);
        if (v.length != n) throw bad(name, n + " values", v.length + " values");
        return v;
    }

    static Ltz4dException bad(String name, String expected, String found) {
        return new Ltz4dException("the fitter's set-up value '" + name + "' holds " + found + ", expected " + expected
                + "; was it computed by another version of the plugin?");
    }

    /** The set-up the engine computed for this run with {@code fitter}'s {@code setup}; a typed error without one. */
    static FitSetup of(FitContext context, String fitter) {
        FitSetup s = context.setup();
        if (s == null || s.isEmpty()) {
            throw new PluginException(fitter, "the run's context holds no set-up: the engine must call setup() and give its "
                    + "result to buffers/processor/attributes (FitContext.setup(), API 1.5)", null);
        }
        return s;
    }
}
