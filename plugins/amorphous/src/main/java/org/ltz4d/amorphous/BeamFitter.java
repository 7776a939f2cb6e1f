package org.ltz4d.amorphous;

import java.util.List;
import org.ltz4d.api.analysis.BufferSpec;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.FitOutput;
import org.ltz4d.api.analysis.FitSetup;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.analysis.Frame;
import org.ltz4d.api.analysis.FrameProcessor;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.units.Unit;
import org.osgi.service.component.annotations.Component;

/**
 * {@code beam}: the direct-beam centre of every frame by masked centre of mass — a disk around
 * the previous frame's centre (or the mean pattern's beam), minus the mean level on a 2 px ring
 * just outside it, iterated twice. Also run on a vacuum scan as the descan reference.
 * Pixel i covers [i−½, i+½); x = column.
 */
@Component(service = Fitter.class)
public class BeamFitter implements Fitter {
    public static final String NAME = "beam";
    public static final String CENTER_X = "beam/center_x", CENTER_Y = "beam/center_y";
    static final String P_MASK = "beam-mask-px";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.number(P_MASK, "radius of the centre-of-mass disk around the direct beam "
                + "(default: 1.5 × the beam radius in the mean pattern + 2 px)", Unit.PIXEL, null, 0.5, 1e4));
    }

    @Override
    public List<BufferSpec> buffers(FitContext context) {
        return List.of(BufferSpec.nav(CENTER_X, Unit.PIXEL, "direct-beam centre x (column), masked centre of mass"),
                BufferSpec.nav(CENTER_Y, Unit.PIXEL, "direct-beam centre y (row), masked centre of mass"));
    }

    /**
     * The run's set-up: the direct beam (centre, radius) in the mean pattern of {@code seed-frames}
     * sampled frames and its bad pixels ({@link MeanPattern#putBeam}); the mean pattern is computed
     * once for this fitter and {@link RingFitter#setup} (see {@link MeanPattern#of}).
     */
    @Override
    public FitSetup setup(FitContext context) {
        FitSetup.Builder b = FitSetup.builder();
        RingFitter.meanPattern(context.dataset(), context.parameters()).putBeam(b);
        return b.build();
    }

    /** What the beam search needs of the set-up: whether the mean pattern shows a beam, its radius (px), the bad pixels. */
    record BeamSetup(boolean hasBeam, double beamRadius, boolean[] bad) {
        static BeamSetup from(FitSetup s) {
            int[] rc = MeanPattern.detector(s);
            double[] beam = SetupValues.values(s, "beam", 4);
            return new BeamSetup(beam[0] != 0, beam[3], SetupValues.flags(s, "bad", rc[0] * rc[1]));
        }
    }


    @Override
    public FrameProcessor processor(FitContext context) {
        BeamSetup su = SetupValues.of(context, NAME).decoded(BeamSetup.class, BeamSetup::from);
        double radius = context.parameters().has(P_MASK) ? context.parameters().positive(P_MASK, 1)
                : (su.hasBeam() ? 1.5 * su.beamRadius() + 2 : Double.NaN);
        return new BeamProcessor(su, radius, context.slot(CENTER_X), context.slot(CENTER_Y));
    }

    static final class BeamProcessor implements FrameProcessor {
        private final BeamSetup su;
        private final double radius;
        private final int sx, sy;
        private final double[] c = new double[2];
        private long prevIndex = Long.MIN_VALUE;
        private double prevX = Double.NaN, prevY = Double.NaN;

        BeamProcessor(BeamSetup su, double radius, int sx, int sy) {
            this.su = su;
            this.radius = radius;
            this.sx = sx;
            this.sy = sy;
        }

        @Override
        public void process(Frame frame, FitOutput out) {
            if (!su.hasBeam() || Double.isNaN(radius)) return; // no direct beam in this dataset: NaN
            boolean warm = frame.index() == prevIndex + 1 && Double.isFinite(prevX);
            c[0] = prevX;
            c[1] = prevY;
            boolean ok = MeanPattern.locateBeam(frame.data(), frame.offset(), frame.height(), frame.width(), c, radius, warm, su.bad());
            prevIndex = frame.index();
            if (ok) {
                out.set(sx, (float) c[0]);
                out.set(sy, (float) c[1]);
                prevX = c[0];
                prevY = c[1];
            } else {
                prevX = Double.NaN;
                prevY = Double.NaN;
            }
        }
    }
}
