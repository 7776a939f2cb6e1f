package org.ltz4d.amorphous;

import org.ltz4d.api.analysis.FitSetup;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.MissingCalibrationException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.scattering.Composition;
import org.ltz4d.scattering.ScatteringFactors;

/**
 * What every ring processor of a run shares, computed once from the data: the radial profile P(ρ)
 * of the first ring and its surroundings, the global seed, the annulus, the ring-to-beam offset, the
 * excluded pixels and the noise scale. Computed by {@link RingFitter#setup} (the only place that
 * reads frames and files), shipped as a {@link FitSetup} ({@link #toSetup}) and decoded once per
 * run for the processors ({@link #from}).
 *
 * <p>Steps: (1) the mean pattern (aligned on the direct beam) and its azimuthal profile around the
 * beam give the seed radius (the most prominent peak); (2) three rounds of: profile of the mean in
 * ρ bins of 0.5 px at the current ellipse, Poisson fit of that profile's ellipse to the mean, Q
 * renormalised so that ρ = 1 on the profile's peak; (3) up to 64 sampled frames are each fitted
 * with that profile and binned at their own ellipse, amplitude and background, which removes the
 * blur of the whole-pixel alignment and of the strain spread from the profile (the elliptically
 * corrected profile); (4) the annulus from the final profile: each flank from the peak out to 3
 * σ-equivalents (σ from the flank's half width at half the height above the valley on that side),
 * stopped at the valleys (between the beam and the ring, and before the next ring) — the first
 * ring's information on both flanks, nothing of the next ring or the beam.
 */
final class RingSetup {
    final int rows, cols;
    final double[] seed = new double[ProfileSolver.NP];
    final RadialProfile profile;
    final double rhoIn, rhoOut;
    final boolean linearBackground;
    /**
     * −d ln⟨f⟩²/d ln q at the first ring: the log-slope of the envelope that multiplies S(q) and does
     * not deform with the sample (see {@link ProfileSolver#setReference}). 1.8 for the electron
     * scattering factors of Fe₈₅Si₀.₅B₉.₅P₄Cu₀.₈ at its first peak (2.8 Å⁻¹); similar for metallic
     * glasses in general (first peaks at 2.5–3 Å⁻¹); 0 for a pattern that scales as a whole.
     */
    final double envelopeSlope;
    static final double DEFAULT_ENVELOPE_SLOPE = 1.8;
    final double ringMinusBeamX, ringMinusBeamY;
    final double saturation;
    /** Median reduced χ² of single frames fitted at set-up: 1 for Poisson counts, the detector's gain otherwise. */
    double noiseScale = 1;
    /** Median {@link #contrast} of the frames fitted at set-up: the scan's typical ring contrast. */
    double typicalContrast = Double.NaN;
    /** Effective radius of the ridge (ρ = 1) in the mean pattern, px; σ-equivalent width of the first peak, px and ρ units. */
    final double radius, widthPx, widthRho;
    /** Height of the profile's peak above the mean of its two valleys (profile units: counts at A = 1). */
    final double peakHeight;
    final MeanPattern mean;
    /** Pixels never fitted: {@link MeanPattern#excluded}. */
    final boolean[] excluded;
    final int excludedCount;
    /** The detector's measured distortion ({@code distortion-file}), or null; whether its 2-fold stays in the patterns. */
    DistortionFile distortion;
    boolean keep2;
    /** Undistorted per-pixel coordinates {x, y} for every solver of the run, or null (the regular grid). */
    double[][] geometry;

    private RingSetup(MeanPattern mp, double[] th, RadialProfile prof, double[] annulus, boolean linear, double sat, double kappa) {
        this.envelopeSlope = kappa;
        this.rows = mp.rows;
        this.cols = mp.cols;
        System.arraycopy(th, 0, seed, 0, ProfileSolver.NP);
        this.profile = prof;
        this.rhoIn = annulus[0];
        this.rhoOut = annulus[1];
        this.linearBackground = linear;
        this.saturation = sat;
        this.mean = mp;
        double det = th[2] * th[4] - th[3] * th[3];
        this.radius = Math.pow(det, -0.25);
        this.widthRho = annulus[2];
        this.widthPx = annulus[2] * radius;
        this.peakHeight = annulus[3];
        this.ringMinusBeamX = mp.hasBeam ? th[0] - mp.beamX : 0;
        this.ringMinusBeamY = mp.hasBeam ? th[1] - mp.beamY : 0;
        this.excluded = mp.excluded;
        int n = 0;
        for (boolean b : excluded) if (b) n++;
        this.excludedCount = n;
    }

    ProfileSolver solver() {
        ProfileSolver s = new ProfileSolver(rows, cols, profile, rhoIn, rhoOut, linearBackground, saturation);
        s.setReference(seed[2], seed[3], seed[4], envelopeSlope);
        if (excludedCount > 0) s.setExcluded(excluded);
        s.setGeometry(geometry);
        return s;
    }

    /**
     * This set-up as plain numbers, for {@link RingFitter#setup}: the mean pattern's
     * ({@link MeanPattern#put}), {@code seed} (θ of {@link ProfileSolver}: cx, cy (px), q11, q12,
     * q22 (px⁻²), A, B0, B1), {@code annulus} {ρ_in, ρ_out, σ-equivalent width (ρ), peak height
     * (counts at A = 1)}, {@code linear_background}, {@code saturation_counts}, {@code envelope_slope}
     * (κ), {@code noise_scale}, {@code typical_contrast}, {@code distortion_2fold_kept}, the profile's
     * tables ({@link RadialProfile#put}) and, with a distortion file, its calibration
     * ({@link DistortionFile#put}). {@link #from} gives back this set-up, bit for bit in every value
     * a fit reads.
     */
    FitSetup toSetup() {
        FitSetup.Builder b = FitSetup.builder();
        mean.put(b);
        b.put("seed", seed).put("annulus", rhoIn, rhoOut, widthRho, peakHeight).put("linear_background", linearBackground)
                .put("saturation_counts", saturation).put("envelope_slope", envelopeSlope).put("noise_scale", noiseScale)
                .put("typical_contrast", typicalContrast).put("distortion_2fold_kept", keep2);
        profile.put(b);
        if (distortion != null) distortion.put(b);
        return b.build();
    }

    /**
     * The set-up {@link #toSetup} wrote; reads no frame and no file. The per-pixel undistorted
     * coordinates are rebuilt from the calibration's coefficients (deterministic, the same numbers).
     */
    static RingSetup from(FitSetup s) {
        RingSetup r = new RingSetup(MeanPattern.from(s), SetupValues.values(s, "seed", ProfileSolver.NP), RadialProfile.from(s),
                SetupValues.values(s, "annulus", 4), s.flag("linear_background"), s.value("saturation_counts"), s.value("envelope_slope"));
        r.noiseScale = s.value("noise_scale");
        r.typicalContrast = s.value("typical_contrast");
        r.keep2 = s.flag("distortion_2fold_kept");
        r.distortion = DistortionFile.from(s);
        r.geometry = r.distortion == null ? null : r.distortion.undistort(r.rows, r.cols, r.keep2);
        return r;
    }

    /**
     * κ from the user's composition: −d ln⟨f⟩²/d ln q of its electron scattering factors at the
     * ring's q (radius {@code radiusPx} × the calibration's Å⁻¹ per pixel); NaN without a
     * composition or a pixel calibration.
     */
    static double envelopeFromComposition(Parameters p, Calibration cal, double radiusPx) {
        if (!p.has(RingFitter.P_COMPOSITION) || cal == null) return Double.NaN;
        double sPerPx;
        try {
            sPerPx = cal.requireInverseAngstromPerPixel("the ring fit's envelope slope from --composition");
        } catch (MissingCalibrationException e) {
            return Double.NaN;
        }
        ScatteringFactors sf = ScatteringFactors.of(ScatteringFactors.Kind.parse(p.string("scattering", "lobato")));
        Composition comp = Composition.parse(RingFitter.P_COMPOSITION, p.string(RingFitter.P_COMPOSITION, ""), sf.symbols());
        double q1 = 2 * Math.PI * sPerPx * radiusPx, h = 1e-3;
        double[] a = new double[2], b = new double[2];
        comp.averages(sf, q1 * (1 + h), a);
        comp.averages(sf, q1 * (1 - h), b);
        return -2 * (Math.log(a[0]) - Math.log(b[0])) / (Math.log(1 + h) - Math.log(1 - h));
    }

    static RingSetup compute(Dataset ds, Parameters p, MeanPattern mp, Calibration cal) {
        int rows = mp.rows, cols = mp.cols;
        double cx = mp.hasBeam ? mp.beamX : (cols - 1) / 2.0, cy = mp.hasBeam ? mp.beamY : (rows - 1) / 2.0;
        boolean[] skip = new boolean[rows * cols];
        for (int i = 0; i < skip.length; i++) skip[i] = mp.excluded[i] || mp.uncovered[i];
        // (1) seed radius: the most prominent peak of the azimuthal profile around the beam (1 px bins)
        int nb = (int) Math.ceil(Math.hypot(Math.max(cx, cols - cx), Math.max(cy, rows - cy))) + 2;
        double[] prof = new double[nb];
        int[] cnt = new int[nb];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (skip[r * cols + c]) continue;
                int b = (int) Math.round(Math.hypot(c - cx, r - cy));
                prof[b] += mp.mean[r * cols + c];
                cnt[b]++;
            }
        }
        for (int b = 0; b < nb; b++) prof[b] = cnt[b] > 0 ? prof[b] / cnt[b] : 0;
        int edge = (int) Math.floor(Math.min(Math.min(cx, cols - 1 - cx), Math.min(cy, rows - 1 - cy)));
        double rStart = mp.hasBeam ? 2 * mp.beamRadius + 3 : 3;
        double r0;
        if (p.has(RingFitter.P_RADIUS)) {
            r0 = p.positive(RingFitter.P_RADIUS, 1);
        } else {
            r0 = mostProminentPeak(prof, (int) Math.ceil(rStart), edge);
            if (Double.isNaN(r0)) {
                throw new InvalidParameterException(RingFitter.P_RADIUS, "a ring radius in px (no ring found in the mean of "
                        + mp.frames + " frames of " + ds.source() + " between " + (int) rStart + " and " + edge + " px)", null);
            }
        }
        DistortionFile dist = p.existingFile(RingFitter.P_DISTORTION).map(DistortionFile::read).orElse(null);
        boolean keep2 = "keep".equals(p.choice(RingFitter.P_DISTORTION_2FOLD, "keep", "keep", "remove"));
        double[][] geo = dist == null ? null : dist.undistort(rows, cols, keep2);
        boolean linear = "linear".equals(p.choice(RingFitter.P_BACKGROUND, "constant", "constant", "linear"));
        double sat = p.number(RingFitter.P_SATURATION, Double.isNaN(mp.clipLevel) ? defaultSaturation(ds.dtype())
                : Math.min(mp.clipLevel, defaultSaturation(ds.dtype())));
        double hw = p.has(RingFitter.P_HALF_WIDTH) ? p.positive(RingFitter.P_HALF_WIDTH, 1) : Double.NaN;
        double rMinPx = Math.max(rStart, 2), rMaxPx = Math.max(1.2 * r0, Math.min(1.8 * r0, edge + 0.5 * r0));
        double[] th = {cx, cy, 1 / (r0 * r0), 0, 1 / (r0 * r0), 1, 0, 0};
        float[] meanF = new float[rows * cols];
        for (int i = 0; i < meanF.length; i++) meanF[i] = (float) mp.mean[i];
        // (2) profile of the mean and its ellipse, alternately, until the centre settles
        RadialProfile pr = null;
        double[] ann = null;
        for (int round = 0; round < 8; round++) {
            double reff = Math.pow(th[2] * th[4] - th[3] * th[3], -0.25);
            RadialProfile.Bins bins = new RadialProfile.Bins(rMinPx / reff, rMaxPx / reff + 0.3, 0.5 / reff);
            bins.add(meanF, rows, cols, skip, th[0], th[1], th[2], th[3], th[4]);
            pr = normalised(bins.profile(4), th, rMinPx / reff, ds, r0);
            reff = Math.pow(th[2] * th[4] - th[3] * th[3], -0.25);
            ann = annulus(pr, rMinPx / reff, rMaxPx / reff, hw, reff);
            ProfileSolver s = new ProfileSolver(rows, cols, pr, ann[0], ann[1], linear, Double.POSITIVE_INFINITY);
            s.setExcluded(skip);
            s.setGeometry(geo);
            s.setReference(th[2], th[3], th[4], 0);
            s.maxShiftPx = 0.5 * r0;
            System.arraycopy(fullSeed(th), 0, s.th, 0, ProfileSolver.NP);
            int st = s.fit(meanF, 0, 40, true, false, 0, 1e-8);
            if (st != ProfileSolver.OK && st != ProfileSolver.FAIL_NOT_CONVERGED) {
                throw new InvalidParameterException(RingFitter.P_RADIUS, "a ring radius in px (the mean pattern of "
                        + ds.source() + " does not fit a ring near " + Math.round(r0) + " px: " + ProfileSolver.describe(st) + ")", null);
            }
            double moved = Math.hypot(s.th[0] - th[0], s.th[1] - th[1]);
            System.arraycopy(s.th, 0, th, 0, 5);
            if (round >= 2 && moved < 0.02) break;
        }
        // the envelope's slope: given, or from the composition at the ring's q, or the default
        double kappa = p.has(RingFitter.P_ENVELOPE) ? p.number(RingFitter.P_ENVELOPE, DEFAULT_ENVELOPE_SLOPE)
                : envelopeFromComposition(p, cal, Math.pow(th[2] * th[4] - th[3] * th[3], -0.25));
        if (!(kappa >= 0)) kappa = DEFAULT_ENVELOPE_SLOPE;
        // (3) the elliptically corrected profile: sampled frames binned at their own fitted ellipse
        RingSetup first = new RingSetup(mp, fullSeed(th), pr, ann, linear, sat, kappa);
        first.geometry = geo;
        double reff0 = first.radius;
        RadialProfile.Bins fb = new RadialProfile.Bins(rMinPx / reff0, rMaxPx / reff0 + 0.3, 0.5 / reff0);
        double[] ref = {th[2], th[3], th[4], kappa};
        int fitted = fitSamples(ds, first, Math.min(64, mp.frames), (f, s) -> fb.add(f, 0, rows, cols, skip, s.th, ref), null);
        if (fitted >= 4) {
            RadialProfile fp = normalised(fb.profile(4), th, rMinPx / reff0, ds, r0);
            double reff = Math.pow(th[2] * th[4] - th[3] * th[3], -0.25);
            ann = annulus(fp, rMinPx / reff, rMaxPx / reff, hw, reff);
            pr = fp;
        }
        // the global seed: the mean pattern fitted with the final profile
        ProfileSolver s = new ProfileSolver(rows, cols, pr, ann[0], ann[1], linear, Double.POSITIVE_INFINITY);
        s.setExcluded(skip);
        s.setGeometry(geo);
        s.setReference(th[2], th[3], th[4], 0);
        System.arraycopy(fullSeed(th), 0, s.th, 0, ProfileSolver.NP);
        s.fit(meanF, 0, 40, true, false, 0, 1e-8);
        RingSetup setup = new RingSetup(mp, s.th, pr, ann, linear, sat, kappa);
        setup.geometry = geo;
        setup.distortion = dist;
        setup.keep2 = keep2;
        double[] chis = new double[16], contrasts = new double[16];
        int[] k = {0};
        int m = fitSamples(ds, setup, 16, (f, sol) -> contrasts[k[0]++] = setup.contrast(sol.th), chis);
        if (m > 0) {
            double med = median(chis, m);
            if (med > 0) setup.noiseScale = med;
            double c = median(contrasts, m);
            if (c > 0) setup.typicalContrast = c;
        }
        return setup;
    }

    /**
     * The ring's share of the intensity at its ridge, A·peakHeight / μ(ρ = 1): lower where the
     * sample is thicker (multiple and inelastic scattering fill in the background).
     */
    double contrast(double[] th) {
        return th[ProfileSolver.A] * peakHeight / (th[ProfileSolver.A] * profile.value(1) + th[ProfileSolver.B0]);
    }

    private static double median(double[] v, int n) {
        double[] c = java.util.Arrays.copyOf(v, n);
        java.util.Arrays.sort(c);
        return n % 2 == 1 ? c[n / 2] : 0.5 * (c[n / 2 - 1] + c[n / 2]);
    }

    private static double[] fullSeed(double[] th) {
        return new double[] {th[0], th[1], th[2], th[3], th[4], 1, 0, 0};
    }

    /**
     * The profile of {@code bins} with its argument renormalised so that ρ = 1 on its peak near 1;
     * Q in {@code th} is scaled to match (Q/ρ_peak²).
     */
    private static RadialProfile normalised(RadialProfile pr, double[] th, double rhoMin, Dataset ds, double r0) {
        if (pr == null) {
            throw new InvalidParameterException(RingFitter.P_RADIUS, "a ring radius in px (too few pixels around "
                    + Math.round(r0) + " px in the mean pattern of " + ds.source() + ")", null);
        }
        double pk = pr.peak(Math.max(rhoMin, 0.8), 1.25);
        if (!(pk > 0)) return pr;
        for (int k = 2; k <= 4; k++) th[k] /= pk * pk;
        return pr.rescaled(pk);
    }

    /** Callback for each successfully fitted sample frame. */
    interface SampleSink {
        void accept(float[] frame, ProfileSolver solved);
    }

    /**
     * Fits up to {@code n} frames spread over the scan cold from the setup's seed (placed on each
     * frame's beam); calls {@code sink} for each fit that succeeded and stores its reduced χ² in
     * {@code chis} (if given). Returns the number of successful fits.
     */
    static int fitSamples(Dataset ds, RingSetup s, int n, SampleSink sink, double[] chis) {
        long total = ds.frameCount();
        int k = (int) Math.min(n, total);
        float[] f = new float[s.rows * s.cols];
        ProfileSolver solver = s.solver();
        double[] beam = new double[2];
        double br = s.mean.hasBeam ? 1.5 * s.mean.beamRadius + 2 : Double.NaN;
        int m = 0;
        for (int i = 0; i < k; i++) {
            long idx = k == 1 ? total / 2 : Math.round((i + 0.5) * total / k);
            ds.readFrames(Math.min(idx, total - 1), 1, f, 0);
            System.arraycopy(s.seed, 0, solver.th, 0, ProfileSolver.NP);
            if (s.mean.hasBeam && MeanPattern.locateBeam(f, 0, s.rows, s.cols, beam, br, false, s.mean.bad)) {
                solver.th[ProfileSolver.CX] = beam[0] + s.ringMinusBeamX;
                solver.th[ProfileSolver.CY] = beam[1] + s.ringMinusBeamY;
            }
            int st = solver.fit(f, 0, 20, true, false, 0, 0.01);
            if (st != ProfileSolver.OK || !(solver.th[ProfileSolver.A] > 5 * solver.standardError(ProfileSolver.A))) continue;
            double c = solver.chi2Reduced();
            if (!(c > 0) || !Double.isFinite(c)) continue;
            if (chis != null) chis[m] = c;
            m++;
            if (sink != null) sink.accept(f, solver);
        }
        return m;
    }

    /**
     * The annulus {ρ_in, ρ_out, σ, peak height} of a profile with its peak at ρ = 1: per flank, 3
     * σ-equivalents (the half width at half the height above that side's valley / 1.1774), not
     * beyond the valley; or ±{@code halfWidthPx} when given. σ (ρ units) is the mean of the flanks'.
     */
    static double[] annulus(RadialProfile pr, double rhoMin, double rhoMax, double halfWidthPx, double reff) {
        double vIn = pr.valley(1, rhoMin), vOut = pr.valley(1, rhoMax);
        double top = pr.value(1), baseIn = pr.value(vIn), baseOut = pr.value(vOut);
        double sIn = halfLevel(pr, 1, vIn, 0.5 * (top + baseIn)), sOut = halfLevel(pr, 1, vOut, 0.5 * (top + baseOut));
        double rin, rout;
        if (Double.isNaN(halfWidthPx)) {
            rin = Math.max(vIn, 1 - 3 * sIn);
            rout = Math.min(vOut, 1 + 3 * sOut);
        } else {
            rin = Math.max(rhoMin, 1 - halfWidthPx / reff);
            rout = Math.min(rhoMax, 1 + halfWidthPx / reff);
        }
        return new double[] {rin, rout, 0.5 * (sIn + sOut), top - 0.5 * (baseIn + baseOut)};
    }

    /** σ-equivalent (ρ units) of the flank from {@code from} towards {@code to}: where P falls to {@code level}. */
    private static double halfLevel(RadialProfile pr, double from, double to, double level) {
        double step = Math.copySign(pr.h, to - from);
        for (double r = from; (to - r) * step > 0; r += step) {
            if (pr.value(r) <= level) return Math.abs(r - from) / 1.1774;
        }
        return Math.abs(to - from) / (3 * 1.1774);
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
                double den = s[i - 1] - 2 * s[i] + s[i + 1];
                bestR = i + (den < 0 ? 0.5 * (s[i - 1] - s[i + 1]) / den : 0);
            }
        }
        return bestR;
    }
}
