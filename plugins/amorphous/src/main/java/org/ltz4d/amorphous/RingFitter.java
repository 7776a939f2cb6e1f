package org.ltz4d.amorphous;

import java.util.List;
import java.util.OptionalInt;
import org.ltz4d.api.analysis.BufferSpec;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.FitOutput;
import org.ltz4d.api.analysis.FitSetup;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.analysis.Frame;
import org.ltz4d.api.analysis.FrameProcessor;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.osgi.service.component.annotations.Component;

/**
 * {@code ring}: the first amorphous ring of every pattern as an ellipse pᵀQp = 1 around its centre,
 * by Poisson maximum likelihood of the run's measured radial profile deformed by each pattern's
 * ellipse ({@link ProfileSolver}, {@link RingSetup}) over the first ring's annulus, seeded from the
 * mean pattern and from the previous frame's solution shifted by the direct beam's move. A position
 * fails only when its data hold no ring: amplitude below {@code ring-min-snr} standard errors, or a
 * misfit beyond the noise that exceeds {@code ring-max-misfit} of the signal the profile explains
 * (both independent of the dose); also on saturation in the annulus, a clipped annulus or divergence.
 * It gets NaN in every {@code ring/*} output and {@code fit/mask} = 1.
 */
@Component(service = Fitter.class)
public class RingFitter implements Fitter {
    public static final String NAME = "ring";
    static final String P_RADIUS = "ring-radius-px";
    static final String P_HALF_WIDTH = "ring-halfwidth-px";
    static final String P_SEED_FRAMES = "seed-frames";
    static final String P_SATURATION = "saturation-counts";
    static final String P_MAX_CHI2 = "ring-max-chi2";
    static final String P_MIN_SNR = "ring-min-snr";
    static final String P_REFRESH = "ring-refresh-frames";
    static final String P_PASSES = "ring-passes";
    static final String P_MAX_MISFIT = "ring-max-misfit";
    static final String P_BACKGROUND = "ring-background";
    static final String P_MASK = "mask";
    static final String P_ENVELOPE = "ring-envelope-slope";
    static final String P_MIN_CONTRAST = "ring-min-contrast";
    static final String P_COMPOSITION = "composition";
    static final String P_DISTORTION = "distortion-file";
    static final String P_DISTORTION_2FOLD = "distortion-2fold";

    /** Standard errors and correlations of the fitted centre and form, from the inverse Fisher information. */
    public static final String SIGMA_CX = "ring/sigma_center_x", SIGMA_CY = "ring/sigma_center_y", CORR_CXY = "ring/corr_center_xy",
            SIGMA_Q11 = "ring/sigma_q11", SIGMA_Q12 = "ring/sigma_q12", SIGMA_Q22 = "ring/sigma_q22",
            CORR_Q11_Q12 = "ring/corr_q11_q12", CORR_Q11_Q22 = "ring/corr_q11_q22", CORR_Q12_Q22 = "ring/corr_q12_q22";
    /** NAV outputs, in slot order. */
    public static final List<String> OUTPUTS = List.of("ring/center_x", "ring/center_y", "ring/a", "ring/b",
            "ring/angle_deg", "ring/q11", "ring/q12", "ring/q22", "ring/amplitude", "ring/width", "fit/chi2_reduced",
            "fit/mask", "fit/ring_snr", "fit/misfit", SIGMA_CX, SIGMA_CY, CORR_CXY, SIGMA_Q11, SIGMA_Q12, SIGMA_Q22,
            CORR_Q11_Q12, CORR_Q11_Q22, CORR_Q12_Q22);
    private static final int O_CX = 0, O_CY = 1, O_A = 2, O_B = 3, O_ANG = 4, O_Q11 = 5, O_Q12 = 6, O_Q22 = 7,
            O_AMP = 8, O_W = 9, O_CHI = 10, O_MASK = 11, O_SNR = 12, O_MISFIT = 13, O_SIGMA = 14;

    /** The decoded set-up of each run, shared by its processors. */

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.number(P_RADIUS, "seed radius of the first amorphous ring (default: the most prominent "
                        + "peak of the mean pattern's azimuthal profile)", Unit.PIXEL, null, 1, 1e5),
                ParameterSpec.number(P_HALF_WIDTH, "half-width of the fitted annulus around the ring ridge "
                        + "(default: each flank of the measured profile out to 3 σ-equivalents, not beyond its valley)",
                        Unit.PIXEL, null, 1, 1e5),
                ParameterSpec.integer(P_SEED_FRAMES, "frames sampled over the scan for the mean pattern (seed)", 256, 1, 100000),
                ParameterSpec.number(P_SATURATION, "counts at or above which a pixel is saturated "
                        + "(default: the largest value of the stored integer type)", Unit.COUNTS, null, 1, Double.MAX_VALUE),
                ParameterSpec.number(P_MAX_CHI2, "optional cap on the reduced χ² of an accepted fit, relative to the median "
                        + "of frames fitted at set-up (default: none; it rises with dose, so positions fail by "
                        + P_MIN_SNR + " and " + P_MAX_MISFIT + ")", Unit.DIMENSIONLESS, null, 1, 1e9),
                ParameterSpec.number(P_MIN_SNR, "smallest ring amplitude in standard errors of an accepted fit",
                        Unit.DIMENSIONLESS, 5.0, 0, 1e9),
                ParameterSpec.number(P_MAX_MISFIT, "largest misfit of an accepted fit beyond 5 noise σ, as a fraction of the "
                        + "signal the ring profile explains (the χ² drop its amplitude brings)", Unit.DIMENSIONLESS, 0.25, 0, 1e9),
                ParameterSpec.number(P_MIN_CONTRAST, "smallest ring contrast of an accepted fit (the ring's share of the "
                        + "intensity at its ridge), relative to the scan's typical contrast: a far thicker region fails",
                        Unit.DIMENSIONLESS, 0.5, 0, 1),
                ParameterSpec.choice(P_BACKGROUND, "background added to the deformed profile: 'constant' (B0) or 'linear' "
                        + "(B0 + B1·(ρ₀ − 1) on the reference form: a background that does not deform with the sample, "
                        + "beyond the envelope)", "constant", "constant", "linear"),
                ParameterSpec.number(P_ENVELOPE, "log-slope −d ln⟨f⟩²/d ln q of the scattering factors' envelope at the "
                        + "first ring, which multiplies S(q) but does not deform with strain (default: from --composition and "
                        + "the pixel calibration, else 1.8 as for Fe-based glasses at 2.8 Å⁻¹; 0 when the whole pattern scales "
                        + "with the ring)", Unit.DIMENSIONLESS, null, 0, 10),
                ParameterSpec.text(P_COMPOSITION, "composition in at.%, e.g. Fe85.2Si0.5B9.5P4Cu0.8 (normalised); gives the "
                        + "ring fit's envelope slope (and S(q) with --pdf)", null),
                ParameterSpec.file(P_MASK, "detector mask, a .npy array of the detector's shape: nonzero pixels are left out "
                        + "of the ring fits (direct beam, beam stop, hot, dead and saturated pixels are found without it)"),
                ParameterSpec.file(P_DISTORTION, "the detector's radial distortion, a JSON file from 'ltz4d calibrate distortion' "
                        + "(r(φ) = r0·(1 + Σ a_n cos nφ + b_n sin nφ), n = 2, 3, 4, 6): every pixel is mapped to ρ/(1 + Σ …) about its "
                        + "centre before the ring fits (default: none, the regular pixel grid)"),
                ParameterSpec.choice(P_DISTORTION_2FOLD, "the 2-fold term of --" + P_DISTORTION + ": 'keep' it in the patterns, "
                        + "where the strain's reference form absorbs the detector's ellipticity (DESIGN.md §4; ring centres and B "
                        + "unchanged), or 'remove' it with the 3-, 4- and 6-fold (for a supplied absolute reference form; the "
                        + "centres then move by ≈ the 2-fold × their offset from the calibration's centre)", "keep", "keep", "remove"),
                ParameterSpec.integer(P_REFRESH, "frames between recomputations of the Fisher information matrix", 32, 1, 1 << 20),
                ParameterSpec.integer(P_PASSES, "minimum passes over the annulus per frame: 1 accepts the one-step "
                        + "estimate from a good neighbour seed, 2 always verifies convergence", 1, 1, 2));
    }

    @Override
    public List<BufferSpec> buffers(FitContext context) {
        return List.of(
                BufferSpec.nav("ring/center_x", Unit.PIXEL, "ring centre x (column)"),
                BufferSpec.nav("ring/center_y", Unit.PIXEL, "ring centre y (row)"),
                BufferSpec.nav("ring/a", Unit.PIXEL, "ring semi-major axis"),
                BufferSpec.nav("ring/b", Unit.PIXEL, "ring semi-minor axis"),
                BufferSpec.nav("ring/angle_deg", Unit.DEGREE, "axis of the semi-major axis, from +x towards +y, [0, 180)"),
                BufferSpec.nav("ring/q11", Unit.of("px^-2", "inverse squared detector pixels"), "ring form Q11 (pᵀQp = 1 on the ridge)"),
                BufferSpec.nav("ring/q12", Unit.of("px^-2", "inverse squared detector pixels"), "ring form Q12"),
                BufferSpec.nav("ring/q22", Unit.of("px^-2", "inverse squared detector pixels"), "ring form Q22"),
                BufferSpec.nav("ring/amplitude", Unit.COUNTS, "height of the ring's peak above its valleys (profile × amplitude)"),
                BufferSpec.nav("ring/width", Unit.PIXEL, "σ-equivalent of the first peak (half width at half height / 1.1774, "
                        + "mean of both flanks) at the fitted radius"),
                BufferSpec.nav("fit/chi2_reduced", Unit.DIMENSIONLESS, "Pearson χ²/(N − p) of the ring fit with Poisson variance"),
                BufferSpec.nav("fit/mask", Unit.LABEL, "1 = ring fit failed or flagged (outputs NaN), 0 = good"),
                BufferSpec.nav("fit/ring_snr", Unit.DIMENSIONLESS, "profile amplitude in standard errors (noise scale included)"),
                BufferSpec.nav("fit/misfit", Unit.DIMENSIONLESS, "χ² beyond the noise expectation over the χ² the profile "
                        + "explains (amplitude SNR²); positions fail above " + P_MAX_MISFIT),
                BufferSpec.nav(SIGMA_CX, Unit.PIXEL, "standard error of ring/center_x: √ of the inverse Fisher information's "
                        + "diagonal, times the detector's noise scale"),
                BufferSpec.nav(SIGMA_CY, Unit.PIXEL, "standard error of ring/center_y (inverse Fisher information)"),
                BufferSpec.nav(CORR_CXY, Unit.DIMENSIONLESS, "correlation coefficient of ring/center_x and ring/center_y"),
                BufferSpec.nav(SIGMA_Q11, Unit.of("px^-2", "inverse squared detector pixels"), "standard error of ring/q11"),
                BufferSpec.nav(SIGMA_Q12, Unit.of("px^-2", "inverse squared detector pixels"), "standard error of ring/q12"),
                BufferSpec.nav(SIGMA_Q22, Unit.of("px^-2", "inverse squared detector pixels"), "standard error of ring/q22"),
                BufferSpec.nav(CORR_Q11_Q12, Unit.DIMENSIONLESS, "correlation coefficient of ring/q11 and ring/q12"),
                BufferSpec.nav(CORR_Q11_Q22, Unit.DIMENSIONLESS, "correlation coefficient of ring/q11 and ring/q22"),
                BufferSpec.nav(CORR_Q12_Q22, Unit.DIMENSIONLESS, "correlation coefficient of ring/q12 and ring/q22"));
    }

    /**
     * The run's set-up: the mean pattern of {@code seed-frames} sampled frames (shared with
     * {@link BeamFitter#setup}), the measured profile, seed, annulus, masks, noise scale and typical
     * contrast from up to 64 + 16 sampled frames fitted, and the {@code mask} and
     * {@code distortion-file} as read — all that reads frames or files ({@link RingSetup#toSetup}).
     */
    @Override
    public FitSetup setup(FitContext context) {
        Dataset ds = context.dataset();
        Parameters p = context.parameters();
        return RingSetup.compute(ds, p, meanPattern(ds, p), context.calibration()).toSetup();
    }

    /**
     * The run's set-up decoded ({@link RingSetup#from}), once per {@link FitContext#setup()} object and
     * shared by the run's processors: reads no frame and no file.
     */
    RingSetup ringSetup(FitContext context) {
        return SetupValues.of(context, NAME).decoded(RingSetup.class, RingSetup::from);
    }

    /** The run's mean pattern (shared with {@link BeamFitter}); set-up only. */
    static MeanPattern meanPattern(Dataset ds, Parameters p) {
        int frames = Math.max(1, p.integer(P_SEED_FRAMES, 256));
        double sat = p.number(P_SATURATION, RingSetup.defaultSaturation(ds.dtype()));
        return MeanPattern.of(ds, new MeanPattern.Key(frames, sat, p.existingFile(P_MASK).orElse(null)));
    }

    /** The distortion calibration (file, SHA-256, coefficients) on every ring output, when one was applied. */
    @Override
    public java.util.Map<String, java.util.Map<String, Object>> attributes(FitContext context) {
        if (!context.parameters().has(P_DISTORTION)) return java.util.Map.of();
        RingSetup s = ringSetup(context);
        if (s.distortion == null) return java.util.Map.of();
        java.util.Map<String, Object> a = s.distortion.attributes(s.keep2);
        java.util.Map<String, java.util.Map<String, Object>> m = new java.util.LinkedHashMap<>();
        for (String name : OUTPUTS) m.put(name, a);
        return m;
    }

    @Override
    public FrameProcessor processor(FitContext context) {
        RingSetup s = ringSetup(context);
        Parameters p = context.parameters();
        int[] slots = new int[OUTPUTS.size()];
        for (int i = 0; i < slots.length; i++) slots[i] = context.slot(OUTPUTS.get(i));
        return new RingProcessor(s, slots, context.upstreamSlot(BeamFitter.CENTER_X), context.upstreamSlot(BeamFitter.CENTER_Y),
                p.number(P_MAX_CHI2, Double.POSITIVE_INFINITY), p.number(P_MIN_SNR, 5), p.number(P_MAX_MISFIT, 0.25),
                p.number(P_MIN_CONTRAST, 0.5),
                p.integer(P_REFRESH, 32), p.integer(P_PASSES, 1), context.dataset());
    }

    /** Per-thread hot path: no allocation per frame. */
    static final class RingProcessor implements FrameProcessor {
        static final int FAIL_NO_RING = 7, FAIL_MISFIT = 8, FAIL_CHI2 = 9, FAIL_CONTRAST = 10;

        private final RingSetup setup;
        private final ProfileSolver solver;
        private final int[] slots;
        private final int upX, upY;
        private final double maxChi2, minSnr, maxMisfit, minContrast;
        private final int refresh;
        private final boolean onePass;
        private final Dataset dataset;
        private final double beamRadius;
        private final double[] prev = new double[ProfileSolver.NP];
        private final double[] beam = new double[2];
        private boolean lastGood, lastFailed;
        private long lastGoodIndex = Long.MIN_VALUE, prevIndex = Long.MIN_VALUE;
        private double lastGoodBx = Double.NaN, lastGoodBy = Double.NaN, prevBx = Double.NaN, prevBy = Double.NaN;
        private int sinceFull = Integer.MAX_VALUE;
        /** Amplitude SNR and misfit of the last fit (see {@link #validate}). */
        double snr, misfit, chi;
        long failures, frames;
        final long[] failureCounts = new long[11];

        RingProcessor(RingSetup setup, int[] slots, OptionalInt upX, OptionalInt upY, double maxChi2, double minSnr,
                double maxMisfit, double minContrast, int refresh, int passes, Dataset dataset) {
            this.minContrast = minContrast;
            this.setup = setup;
            this.solver = setup.solver();
            this.slots = slots;
            this.upX = upX.orElse(-1);
            this.upY = upY.orElse(-1);
            this.maxChi2 = maxChi2;
            this.minSnr = minSnr;
            this.maxMisfit = maxMisfit;
            this.refresh = refresh;
            this.onePass = passes <= 1;
            this.dataset = dataset;
            this.beamRadius = setup.mean.hasBeam ? 1.5 * setup.mean.beamRadius + 2 : Double.NaN;
        }

        @Override
        public void process(Frame frame, FitOutput out) {
            if (frame.height() != setup.rows || frame.width() != setup.cols) {
                throw new ShapeMismatchException(dataset.source(), "frame " + frame.index(),
                        setup.rows + "×" + setup.cols + " detector pixels", frame.height() + "×" + frame.width());
            }
            frames++;
            float[] data = frame.data();
            int off = frame.offset();
            double bx = Double.NaN, by = Double.NaN;
            // the neighbour's solution when there is one; else this worker's last good solution (a new
            // block of frames), its centre moved with the direct beam; else the mean-pattern seed
            boolean adjacent = lastGood && frame.index() == lastGoodIndex + 1;
            if (upX >= 0 && upY >= 0) {
                bx = frame.upstream(upX);
                by = frame.upstream(upY);
            } else if (setup.mean.hasBeam) {
                boolean bwarm = Double.isFinite(prevBx) && Double.isFinite(prevBy) && frame.index() == prevIndex + 1;
                beam[0] = prevBx;
                beam[1] = prevBy;
                if (MeanPattern.locateBeam(data, off, setup.rows, setup.cols, beam, beamRadius, bwarm, setup.mean.bad)) {
                    bx = beam[0];
                    by = beam[1];
                }
            }
            double[] th = solver.th;
            if (lastGood) {
                System.arraycopy(prev, 0, th, 0, ProfileSolver.NP);
                if (Double.isFinite(bx) && Double.isFinite(lastGoodBx) && Double.isFinite(by) && Double.isFinite(lastGoodBy)) {
                    th[ProfileSolver.CX] += bx - lastGoodBx;
                    th[ProfileSolver.CY] += by - lastGoodBy;
                }
            } else {
                System.arraycopy(setup.seed, 0, th, 0, ProfileSolver.NP);
                if (Double.isFinite(bx) && Double.isFinite(by)) {
                    th[ProfileSolver.CX] = bx + setup.ringMinusBeamX;
                    th[ProfileSolver.CY] = by + setup.ringMinusBeamY;
                }
            }
            boolean forceFull = !lastGood || lastFailed || sinceFull >= refresh;
            int fullBefore = solver.fullPasses;
            int status = solver.fit(data, off, 10, forceFull, onePass && adjacent, 40, 0.5);
            sinceFull = solver.fullPasses != fullBefore ? 0 : sinceFull + 1;
            status = validate(status);
            prevIndex = frame.index();
            prevBx = bx;
            prevBy = by;
            if (Double.isFinite(chi)) out.set(slots[O_CHI], (float) chi);
            if (Double.isFinite(snr)) out.set(slots[O_SNR], (float) snr);
            if (Double.isFinite(misfit)) out.set(slots[O_MISFIT], (float) misfit);
            if (status != ProfileSolver.OK) {
                failures++;
                failureCounts[status]++;
                lastFailed = true;
                lastGood = false; // the next frame starts from the set-up's seed: a failed fit seeds nothing
                out.set(slots[O_MASK], 1f);
                return; // every ring output stays NaN
            }
            System.arraycopy(th, 0, prev, 0, ProfileSolver.NP);
            lastGood = true;
            lastFailed = false;
            lastGoodIndex = frame.index();
            lastGoodBx = bx;
            lastGoodBy = by;
            double q11 = th[ProfileSolver.Q11], q12 = th[ProfileSolver.Q12], q22 = th[ProfileSolver.Q22];
            double tr = q11 + q22, dd = Math.hypot(q11 - q22, 2 * q12);
            double a = 1 / Math.sqrt(0.5 * (tr - dd)), b = 1 / Math.sqrt(0.5 * (tr + dd));
            double ang = Math.toDegrees(0.5 * Math.atan2(2 * q12, q11 - q22)) + 90;
            if (ang >= 180) ang -= 180;
            if (ang < 0) ang += 180;
            out.set(slots[O_CX], (float) th[ProfileSolver.CX]);
            out.set(slots[O_CY], (float) th[ProfileSolver.CY]);
            out.set(slots[O_A], (float) a);
            out.set(slots[O_B], (float) b);
            out.set(slots[O_ANG], (float) ang);
            out.set(slots[O_Q11], (float) q11);
            out.set(slots[O_Q12], (float) q12);
            out.set(slots[O_Q22], (float) q22);
            out.set(slots[O_AMP], (float) (th[ProfileSolver.A] * setup.peakHeight));
            out.set(slots[O_W], (float) (setup.widthPx * Math.sqrt(a * b) / setup.radius));
            out.set(slots[O_MASK], 0f);
            writeUncertainty(out);
        }

        /**
         * Standard errors and correlations of (cx, cy) and (q11, q12, q22) from the inverse Fisher
         * information (the Cramér–Rao covariance of the ML estimate, Poisson counts scaled by the
         * detector's noise scale s): Cov = s·F⁻¹.
         */
        private void writeUncertainty(FitOutput out) {
            if (!solver.haveFinv) return;
            double[] f = solver.finv;
            double s = setup.noiseScale;
            int n = ProfileSolver.NP;
            double vx = f[ProfileSolver.CX * n + ProfileSolver.CX], vy = f[ProfileSolver.CY * n + ProfileSolver.CY];
            double v11 = f[ProfileSolver.Q11 * n + ProfileSolver.Q11], v12 = f[ProfileSolver.Q12 * n + ProfileSolver.Q12];
            double v22 = f[ProfileSolver.Q22 * n + ProfileSolver.Q22];
            out.set(slots[O_SIGMA], (float) Math.sqrt(s * vx));
            out.set(slots[O_SIGMA + 1], (float) Math.sqrt(s * vy));
            out.set(slots[O_SIGMA + 2], (float) (f[ProfileSolver.CX * n + ProfileSolver.CY] / Math.sqrt(vx * vy)));
            out.set(slots[O_SIGMA + 3], (float) Math.sqrt(s * v11));
            out.set(slots[O_SIGMA + 4], (float) Math.sqrt(s * v12));
            out.set(slots[O_SIGMA + 5], (float) Math.sqrt(s * v22));
            out.set(slots[O_SIGMA + 6], (float) (f[ProfileSolver.Q11 * n + ProfileSolver.Q12] / Math.sqrt(v11 * v12)));
            out.set(slots[O_SIGMA + 7], (float) (f[ProfileSolver.Q11 * n + ProfileSolver.Q22] / Math.sqrt(v11 * v22)));
            out.set(slots[O_SIGMA + 8], (float) (f[ProfileSolver.Q12 * n + ProfileSolver.Q22] / Math.sqrt(v12 * v22)));
        }

        int passes() {
            return solver.passes;
        }

        int fullPasses() {
            return solver.fullPasses;
        }

        /**
         * Whether the fit holds a ring, judged against the frame's own noise and the model's misfit
         * floor, the same at every dose: the profile's amplitude must exceed {@code minSnr} standard
         * errors (SNR² is also the χ² that the profile explains), and the χ² beyond its noise
         * expectation (N − p)·s (s the detector's noise scale) must stay within 5 of its standard
         * deviations plus {@code maxMisfit}·SNR² — a misfit that is a fixed fraction of the ring's
         * signal is the same fraction at any dose, while a χ² threshold is always exceeded at high dose.
         */
        private int validate(int status) {
            double s = setup.noiseScale;
            int dof = solver.nPix - solver.np;
            // the χ² of the last pass is at its starting point; the step lowered it by its Mahalanobis²
            chi = dof > 0 ? Math.max(0, solver.chi2 - Math.max(0, solver.lastMahalanobis)) / dof : Double.NaN;
            double amp = solver.th[ProfileSolver.A];
            snr = solver.haveFinv ? amp / (solver.standardError(ProfileSolver.A) * Math.sqrt(s)) : Double.NaN;
            misfit = snr > 0 ? (chi * dof / s - dof) / (snr * snr) : Double.NaN;
            if (status != ProfileSolver.OK) return status;
            if (!(snr >= minSnr)) return FAIL_NO_RING;
            double r = solver.radius();
            if (!(r > 0.5 * setup.radius && r < 2 * setup.radius)) return FAIL_NO_RING;
            if (chi * dof / s - dof > 5 * Math.sqrt(2.0 * dof) + maxMisfit * snr * snr) return FAIL_MISFIT;
            if (setup.contrast(solver.th) < minContrast * setup.typicalContrast) return FAIL_CONTRAST;
            if (chi / s > maxChi2) return FAIL_CHI2;
            return ProfileSolver.OK;
        }
    }
}
