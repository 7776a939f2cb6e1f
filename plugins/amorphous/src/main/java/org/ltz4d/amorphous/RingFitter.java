package org.ltz4d.amorphous;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.WeakHashMap;
import org.ltz4d.api.analysis.BufferSpec;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.FitOutput;
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
 * by Poisson maximum likelihood of the model of {@link RingSolver} over the ring's annulus (at the
 * Cramér–Rao bound), seeded from the mean pattern and from the previous frame's solution shifted by
 * the direct beam's move. A position whose fit fails (no ring, saturation, clipped annulus,
 * divergence, χ² too large) gets NaN in every {@code ring/*} output and {@code fit/mask} = 1.
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

    /** NAV outputs, in slot order. */
    public static final List<String> OUTPUTS = List.of("ring/center_x", "ring/center_y", "ring/a", "ring/b",
            "ring/angle_deg", "ring/q11", "ring/q12", "ring/q22", "ring/amplitude", "ring/width", "fit/chi2_reduced",
            "fit/mask");
    private static final int O_CX = 0, O_CY = 1, O_A = 2, O_B = 3, O_ANG = 4, O_Q11 = 5, O_Q12 = 6, O_Q22 = 7,
            O_AMP = 8, O_W = 9, O_CHI = 10, O_MASK = 11;

    private final Map<Dataset, Object[]> setups = new WeakHashMap<>();

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
                        + "(default: 3 × the ring's Gaussian σ)", Unit.PIXEL, null, 1, 1e5),
                ParameterSpec.integer(P_SEED_FRAMES, "frames sampled over the scan for the mean pattern (seed)", 256, 1, 100000),
                ParameterSpec.number(P_SATURATION, "counts at or above which a pixel is saturated "
                        + "(default: the largest value of the stored integer type)", Unit.COUNTS, null, 1, Double.MAX_VALUE),
                ParameterSpec.number(P_MAX_CHI2, "largest reduced χ² of an accepted fit, relative to the median of frames "
                        + "fitted at set-up (1 for Poisson counts; the gain for scaled data)", Unit.DIMENSIONLESS, 10.0, 1, 1e9),
                ParameterSpec.number(P_MIN_SNR, "smallest ring amplitude in standard errors of an accepted fit",
                        Unit.DIMENSIONLESS, 5.0, 0, 1e9),
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
                BufferSpec.nav("ring/amplitude", Unit.COUNTS, "ring amplitude above the background"),
                BufferSpec.nav("ring/width", Unit.PIXEL, "Gaussian σ of the ring profile at the mean radius"),
                BufferSpec.nav("fit/chi2_reduced", Unit.DIMENSIONLESS, "Pearson χ²/(N − 9) of the ring fit with Poisson variance"),
                BufferSpec.nav("fit/mask", Unit.LABEL, "1 = ring fit failed or flagged (outputs NaN), 0 = good"));
    }

    /** The shared set-up of a run (mean-pattern fit), computed once per dataset and parameters. */
    RingSetup setup(FitContext context) {
        Dataset ds = context.dataset();
        Parameters p = context.parameters();
        synchronized (setups) {
            Object[] s = setups.get(ds);
            if (s != null && s[0].equals(p)) return (RingSetup) s[1];
            RingSetup r = RingSetup.compute(ds, p);
            setups.put(ds, new Object[] {p, r});
            return r;
        }
    }

    @Override
    public FrameProcessor processor(FitContext context) {
        RingSetup s = setup(context);
        Parameters p = context.parameters();
        int[] slots = new int[OUTPUTS.size()];
        for (int i = 0; i < slots.length; i++) slots[i] = context.slot(OUTPUTS.get(i));
        return new RingProcessor(s, slots, context.upstreamSlot(BeamFitter.CENTER_X), context.upstreamSlot(BeamFitter.CENTER_Y),
                p.number(P_MAX_CHI2, 10), p.number(P_MIN_SNR, 5), p.integer(P_REFRESH, 32), p.integer(P_PASSES, 1),
                context.dataset());
    }

    /** Per-thread hot path: no allocation per frame. */
    static final class RingProcessor implements FrameProcessor {
        private final RingSetup setup;
        private final RingSolver solver;
        private final int[] slots;
        private final int upX, upY;
        private final double maxChi2, minSnr;
        private final int refresh;
        private final boolean onePass;
        private final Dataset dataset;
        private final double beamRadius;
        private final double[] prev = new double[RingSolver.NP];
        private final double[] beam = new double[2];
        private boolean lastGood, lastFailed;
        private long lastGoodIndex = Long.MIN_VALUE, prevIndex = Long.MIN_VALUE;
        private double lastGoodBx = Double.NaN, lastGoodBy = Double.NaN, prevBx = Double.NaN, prevBy = Double.NaN;
        private int sinceFull = Integer.MAX_VALUE;
        long failures, frames;
        final long[] failureCounts = new long[8];

        RingProcessor(RingSetup setup, int[] slots, OptionalInt upX, OptionalInt upY, double maxChi2, double minSnr,
                int refresh, int passes, Dataset dataset) {
            this.setup = setup;
            this.solver = new RingSolver(setup.rows, setup.cols, setup.decay, setup.halfWidthPx, setup.saturation);
            if (setup.badCount > 0) solver.setBadPixels(setup.bad);
            this.slots = slots;
            this.upX = upX.orElse(-1);
            this.upY = upY.orElse(-1);
            this.maxChi2 = maxChi2;
            this.minSnr = minSnr;
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
                System.arraycopy(prev, 0, th, 0, RingSolver.NP);
                if (Double.isFinite(bx) && Double.isFinite(lastGoodBx) && Double.isFinite(by) && Double.isFinite(lastGoodBy)) {
                    th[RingSolver.CX] += bx - lastGoodBx;
                    th[RingSolver.CY] += by - lastGoodBy;
                }
            } else {
                System.arraycopy(setup.seed, 0, th, 0, RingSolver.NP);
                if (Double.isFinite(bx) && Double.isFinite(by)) {
                    th[RingSolver.CX] = bx + setup.ringMinusBeamX;
                    th[RingSolver.CY] = by + setup.ringMinusBeamY;
                }
            }
            boolean forceFull = !lastGood || lastFailed || sinceFull >= refresh;
            int fullBefore = solver.fullPasses;
            int status = solver.fit(data, off, 10, forceFull, onePass && adjacent, 40, 0.5);
            sinceFull = solver.fullPasses != fullBefore ? 0 : sinceFull + 1;
            double chi = solver.chi2Reduced();
            if (status == RingSolver.OK) status = validate(chi);
            prevIndex = frame.index();
            prevBx = bx;
            prevBy = by;
            if (status != RingSolver.OK) {
                failures++;
                failureCounts[status]++;
                lastFailed = true;
                if (Double.isFinite(chi)) out.set(slots[O_CHI], (float) chi);
                out.set(slots[O_MASK], 1f);
                return; // every ring output stays NaN
            }
            System.arraycopy(th, 0, prev, 0, RingSolver.NP);
            lastGood = true;
            lastFailed = false;
            lastGoodIndex = frame.index();
            lastGoodBx = bx;
            lastGoodBy = by;
            double q11 = th[RingSolver.Q11], q12 = th[RingSolver.Q12], q22 = th[RingSolver.Q22];
            double tr = q11 + q22, dd = Math.hypot(q11 - q22, 2 * q12);
            double a = 1 / Math.sqrt(0.5 * (tr - dd)), b = 1 / Math.sqrt(0.5 * (tr + dd));
            double ang = Math.toDegrees(0.5 * Math.atan2(2 * q12, q11 - q22)) + 90;
            if (ang >= 180) ang -= 180;
            if (ang < 0) ang += 180;
            out.set(slots[O_CX], (float) th[RingSolver.CX]);
            out.set(slots[O_CY], (float) th[RingSolver.CY]);
            out.set(slots[O_A], (float) a);
            out.set(slots[O_B], (float) b);
            out.set(slots[O_ANG], (float) ang);
            out.set(slots[O_Q11], (float) q11);
            out.set(slots[O_Q12], (float) q12);
            out.set(slots[O_Q22], (float) q22);
            out.set(slots[O_AMP], (float) th[RingSolver.A]);
            out.set(slots[O_W], (float) (th[RingSolver.S] * Math.sqrt(a * b)));
            out.set(slots[O_CHI], (float) chi);
            out.set(slots[O_MASK], 0f);
        }

        static final int FAIL_NO_RING = 7;

        int passes() {
            return solver.passes;
        }

        int fullPasses() {
            return solver.fullPasses;
        }

        private int validate(double chi) {
            double[] th = solver.th;
            double varA = solver.finv[RingSolver.A * RingSolver.NP + RingSolver.A];
            if (!(th[RingSolver.A] > minSnr * Math.sqrt(varA))) return FAIL_NO_RING;
            double s = th[RingSolver.S];
            if (!(s > 0.25 * setup.widthRel && s < 4 * setup.widthRel)) return FAIL_NO_RING;
            double r = solver.radius();
            if (!(r > 0.5 * setup.radius && r < 2 * setup.radius)) return FAIL_NO_RING;
            // relative to the detector's noise scale (1 for Poisson counts): far above means the model
            // does not describe the frame; far below means a degenerate fit (e.g. an empty annulus
            // where the model collapsed to zero)
            double rel = chi / setup.noiseScale;
            if (!(rel <= maxChi2)) return RingSolver.FAIL_NOT_CONVERGED;
            if (!(rel >= 0.2)) return FAIL_NO_RING;
            return RingSolver.OK;
        }
    }
}
