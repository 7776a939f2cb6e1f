package org.ltz4d.amorphous;

import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.Parameters;

/**
 * What every ring processor of a run shares, computed once: the mean-pattern fit (the global
 * seed), the background decay ℓ, the annulus half-width, the ring-to-beam offset and the
 * saturation level.
 */
final class RingSetup {
    final int rows, cols;
    final double[] seed;          // 9 parameters of RingSolver
    final double decay;           // ℓ (ρ units)
    final double halfWidthPx;
    final double ringMinusBeamX, ringMinusBeamY;
    final double saturation;
    /**
     * Median reduced χ² of single frames fitted at set-up: 1 for Poisson counts, the detector's
     * gain (or excess-noise factor) otherwise. The χ² checks of the fit are relative to it.
     */
    double noiseScale = 1;
    final double radius, widthRel;
    final MeanPattern mean;
    /** Pixels never fitted: non-finite, hot or dead in the mean pattern. */
    final boolean[] bad;
    final int badCount;

    private RingSetup(int rows, int cols, double[] seed, double decay, double hw, double dx, double dy, double sat,
            MeanPattern mean, boolean[] bad) {
        this.rows = rows;
        this.cols = cols;
        this.seed = seed;
        this.decay = decay;
        this.halfWidthPx = hw;
        this.ringMinusBeamX = dx;
        this.ringMinusBeamY = dy;
        this.saturation = sat;
        this.mean = mean;
        double det = seed[2] * seed[4] - seed[3] * seed[3];
        this.radius = Math.pow(det, -0.25);
        this.widthRel = seed[5];
        this.bad = bad;
        int n = 0;
        for (boolean b : bad) if (b) n++;
        this.badCount = n;
    }


    static RingSetup compute(Dataset ds, Parameters p) {
        int frames = p.integer(RingFitter.P_SEED_FRAMES, 256);
        MeanPattern mp = MeanPattern.of(ds, Math.max(1, frames));
        int rows = mp.rows, cols = mp.cols;
        double cx, cy;
        if (mp.hasBeam) {
            cx = mp.beamX;
            cy = mp.beamY;
        } else {
            cx = (cols - 1) / 2.0;
            cy = (rows - 1) / 2.0;
        }
        // azimuthal profile around the beam (1 px bins)
        int nb = (int) Math.ceil(Math.hypot(Math.max(cx, cols - cx), Math.max(cy, rows - cy))) + 2;
        double[] prof = new double[nb];
        int[] cnt = new int[nb];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int b = (int) Math.round(Math.hypot(c - cx, r - cy));
                prof[b] += mp.mean[r * cols + c];
                cnt[b]++;
            }
        }
        // only bins whose circle lies mostly on the detector
        int rmax = (int) Math.floor(Math.min(Math.min(cx, cols - 1 - cx), Math.min(cy, rows - 1 - cy)));
        for (int b = 0; b < nb; b++) prof[b] = cnt[b] > 0 ? prof[b] / cnt[b] : 0;
        double r0;
        double rStart = mp.hasBeam ? 2 * mp.beamRadius + 3 : 3;
        if (p.has(RingFitter.P_RADIUS)) {
            r0 = p.positive(RingFitter.P_RADIUS, 1);
        } else {
            r0 = mostProminentPeak(prof, (int) Math.ceil(rStart), rmax);
            if (Double.isNaN(r0)) {
                throw new InvalidParameterException(RingFitter.P_RADIUS, "a ring radius in px (no ring found in the mean of "
                        + mp.frames + " frames of " + ds.source() + " between " + (int) rStart + " and " + rmax + " px)", null);
            }
        }
        int ir = (int) Math.round(r0);
        // width from the profile: half-prominence on the outer flank
        double base = Math.min(at(prof, ir + (int) (0.4 * r0)), at(prof, ir - (int) (0.3 * r0)));
        double peak = at(prof, ir);
        double sigma = 0.08 * r0;
        for (int b = ir; b < Math.min(nb - 1, ir + (int) r0); b++) {
            if (prof[b] - base < 0.5 * (peak - base)) {
                sigma = Math.max(1, (b - ir) / 1.1774);
                break;
            }
        }
        double hw0 = p.has(RingFitter.P_HALF_WIDTH) ? p.positive(RingFitter.P_HALF_WIDTH, 1) : Math.min(3.5 * sigma, 0.6 * r0);
        double outer = at(prof, ir + (int) Math.ceil(hw0));
        double[] th = new double[SetupFit.NP];
        th[0] = cx;
        th[1] = cy;
        th[2] = 1 / (r0 * r0);
        th[3] = 0;
        th[4] = th[2];
        th[5] = sigma / r0;
        th[8] = 0.3 * Math.max(outer, 0);
        th[7] = Math.max(1e-3, Math.max(outer, 1e-3) - th[8]);
        th[6] = Math.max(1e-3, peak - th[7] - th[8]);
        th[9] = 0.5;
        boolean[] bad = mp.bad;
        boolean[] excluded = new boolean[bad.length];
        for (int i = 0; i < bad.length; i++) excluded[i] = bad[i] || mp.uncovered[i];
        double[] fit = SetupFit.fit(mp.mean, rows, cols, th, hw0, 3, true, excluded);
        double det = fit[2] * fit[4] - fit[3] * fit[3];
        double reff = Math.pow(det, -0.25);
        if (!(fit[2] > 0) || !(det > 0) || !(fit[6] > 0) || !(fit[5] > 0) || !(fit[9] > 0) || !(reff > 1)) {
            throw new InvalidParameterException(RingFitter.P_RADIUS, "a ring radius in px (the mean pattern of "
                    + ds.source() + " does not fit a ring near " + Math.round(r0) + " px)", null);
        }
        double sigmaPx = fit[5] * reff;
        double hw = p.has(RingFitter.P_HALF_WIDTH) ? p.positive(RingFitter.P_HALF_WIDTH, 1)
                : Math.max(2, Math.min(3.0 * sigmaPx, 0.6 * reff));
        double[] seed = java.util.Arrays.copyOf(fit, RingSolver.NP);
        double dx = mp.hasBeam ? fit[0] - mp.beamX : 0, dy = mp.hasBeam ? fit[1] - mp.beamY : 0;
        double sat = p.number(RingFitter.P_SATURATION, defaultSaturation(ds.dtype()));
        RingSetup setup = new RingSetup(rows, cols, seed, fit[9], hw, dx, dy, sat, mp, bad);
        setup.noiseScale = noiseScale(ds, setup, 8);
        return setup;
    }

    /** The median reduced χ² of up to {@code n} frames spread over the scan, fitted from the global seed. */
    static double noiseScale(Dataset ds, RingSetup s, int n) {
        int px = s.rows * s.cols;
        long total = ds.frameCount();
        int k = (int) Math.min(n, total);
        float[] f = new float[px];
        double[] chis = new double[k];
        int m = 0;
        RingSolver solver = new RingSolver(s.rows, s.cols, s.decay, s.halfWidthPx, s.saturation);
        if (s.badCount > 0) solver.setBadPixels(s.bad);
        double[] beam = new double[2];
        double br = s.mean.hasBeam ? 1.5 * s.mean.beamRadius + 2 : Double.NaN;
        for (int i = 0; i < k; i++) {
            long idx = k == 1 ? total / 2 : Math.round((i + 0.5) * total / k);
            ds.readFrames(Math.min(idx, total - 1), 1, f, 0);
            System.arraycopy(s.seed, 0, solver.th, 0, RingSolver.NP);
            if (s.mean.hasBeam && MeanPattern.locateBeam(f, 0, s.rows, s.cols, beam, br, false, s.bad)) {
                solver.th[RingSolver.CX] = beam[0] + s.ringMinusBeamX;
                solver.th[RingSolver.CY] = beam[1] + s.ringMinusBeamY;
            }
            if (solver.fit(f, 0, 20, true, false, 0, 0.01) == RingSolver.OK && solver.th[RingSolver.A] > 0) {
                double c = solver.chi2Reduced();
                if (c > 0 && Double.isFinite(c)) chis[m++] = c;
            }
        }
        if (m == 0) return 1;
        java.util.Arrays.sort(chis, 0, m);
        double med = m % 2 == 1 ? chis[m / 2] : 0.5 * (chis[m / 2 - 1] + chis[m / 2]);
        return med > 0 ? med : 1;
    }

    static double defaultSaturation(DType t) {
        return switch (t) {
            case UINT8 -> 255;
            case INT8 -> 127;
            case UINT16 -> 65535;
            case INT16 -> 32767;
            default -> Double.POSITIVE_INFINITY;
        };
    }

    private static double at(double[] a, int i) {
        return a[Math.max(0, Math.min(a.length - 1, i))];
    }

    /** The local maximum of the (3-bin smoothed) profile in [lo, hi] with the largest prominence; NaN if none. */
    static double mostProminentPeak(double[] prof, int lo, int hi) {
        int n = prof.length;
        double[] s = new double[n];
        for (int i = 0; i < n; i++) s[i] = (prof[Math.max(0, i - 1)] + prof[i] + prof[Math.min(n - 1, i + 1)]) / 3;
        lo = Math.max(1, lo);
        hi = Math.min(n - 2, hi);
        double best = 0, bestR = Double.NaN;
        for (int i = lo; i <= hi; i++) {
            if (!(s[i] > s[i - 1] && s[i] >= s[i + 1])) continue;
            double lmin = s[i], rmin = s[i];
            for (int k = i; k >= lo; k--) lmin = Math.min(lmin, s[k]);
            for (int k = i; k <= hi; k++) rmin = Math.min(rmin, s[k]);
            double prom = s[i] - Math.max(lmin, rmin);
            if (prom > best) {
                best = prom;
                // sub-bin peak by a parabola through the three bins
                double den = s[i - 1] - 2 * s[i] + s[i + 1];
                bestR = i + (den < 0 ? 0.5 * (s[i - 1] - s[i + 1]) / den : 0);
            }
        }
        return bestR;
    }
}
