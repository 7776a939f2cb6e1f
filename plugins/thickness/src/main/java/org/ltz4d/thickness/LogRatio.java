package org.ltz4d.thickness;

/**
 * Relative thickness t/λ from one EELS spectrum by the log-ratio method (Egerton, EELS in the
 * Electron Microscope, 3rd ed., §5.1): t/λ = ln(I_t/I_0), I_t the counts of the whole spectrum,
 * I_0 those of the zero-loss peak. The zero-loss window is found from the peak: the ZLP maximum
 * (the largest channel), then the first minimum after it on the spectrum smoothed over 3 channels
 * (the valley between the ZLP and the plasmon); the window spans the same distance on both sides
 * of the maximum, [peak − w, peak + w] with w = valley − peak, as the ZLP is nearly symmetric.
 * With Poisson counts var(t/λ) = 1/I_0 − 1/I_t (I_0 a part of I_t). Allocation-free.
 */
final class LogRatio {

    /** Results of {@link #measure}: t/λ, its standard error, the window (channels, inclusive) and I_0, I_t. */
    double tOverLambda, sigma, i0, it;
    int peak, lo, hi;

    /**
     * Measures {@code s[off .. off+n)}; false (and NaN results) when the spectrum has no positive
     * total, no valley after the peak within the spectrum, or no counts outside the window.
     */
    boolean measure(float[] s, int off, int n) {
        return measure(s, off, n, 0, n - 1);
    }

    /**
     * As {@link #measure(float[], int, int)} with the zero-loss maximum searched only among channels
     * {@code peakLo..peakHi} (inclusive; e.g. those within a few eV of 0 eV when the energy axis is
     * known, so a strong edge or an artefact elsewhere cannot be taken for the ZLP).
     */
    boolean measure(float[] s, int off, int n, int peakLo, int peakHi) {
        tOverLambda = sigma = i0 = it = Double.NaN;
        peak = lo = hi = -1;
        if (n < 5) return false;
        int from = Math.max(0, peakLo), to = Math.min(n - 1, peakHi);
        if (from > to) return false;
        int p = from;
        double total = 0;
        for (int k = 0; k < n; k++) {
            float v = s[off + k];
            if (!Float.isFinite(v)) return false;
            total += v;
            if (k >= from && k <= to && v > s[off + p]) p = k;
        }
        if (!(total > 0)) return false;
        // first minimum after the peak of the 3-channel running mean
        int valley = -1;
        double prev = smooth(s, off, n, p);
        for (int k = p + 1; k < n - 1; k++) {
            double cur = smooth(s, off, n, k);
            double next = smooth(s, off, n, k + 1);
            if (cur <= prev && cur < next) {
                valley = k;
                break;
            }
            prev = cur;
        }
        if (valley < 0) return false;
        int w = valley - p;
        int a = Math.max(0, p - w), b = valley;
        double z = 0;
        for (int k = a; k <= b; k++) z += s[off + k];
        if (!(z > 0) || !(total > z)) return false;
        peak = p;
        lo = a;
        hi = b;
        i0 = z;
        it = total;
        tOverLambda = Math.log(total / z);
        sigma = Math.sqrt(Math.max(0, 1 / z - 1 / total));
        return true;
    }

    private static double smooth(float[] s, int off, int n, int k) {
        int a = Math.max(0, k - 1), b = Math.min(n - 1, k + 1);
        double sum = 0;
        for (int i = a; i <= b; i++) sum += s[off + i];
        return sum / (b - a + 1);
    }
}
