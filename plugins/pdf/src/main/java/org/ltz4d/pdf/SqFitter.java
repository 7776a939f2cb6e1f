package org.ltz4d.pdf;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.ltz4d.api.analysis.BufferSpec;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.FitOutput;
import org.ltz4d.api.analysis.FitSetup;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.analysis.Frame;
import org.ltz4d.api.analysis.FrameProcessor;
import org.ltz4d.api.error.Ltz4dException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.units.Unit;
import org.osgi.service.component.annotations.Component;

/**
 * Fitter {@code sq}: per pattern, the elliptically corrected azimuthal average I(q) along the
 * pattern's own ring ellipse (from the {@code ring} fitter, which must run earlier in the same
 * pass), its normalisation to S(q), the Lorch-windowed PDF G(r), first peaks and the
 * coordination number. Everything per position is done here, on the engine's worker threads;
 * the {@code pdf} deriver adds the axes and the mean profiles.
 *
 * <p>Positions whose ring fit failed (NaN ring values, or {@code fit/mask} = 1 when the ring fitter
 * writes it) get NaN everywhere: no fallback circle.
 */
@Component(service = Fitter.class)
public final class SqFitter implements Fitter {
    public static final String NAME = "sq";
    static final String[] RING = {"ring/center_x", "ring/center_y", "ring/q11", "ring/q12", "ring/q22"};
    /** Set-up names: the detector's rows and columns; the flat indices of the pixels the user's mask leaves out. */
    static final String S_DETECTOR = "detector_px", S_MASKED = "masked_pixels";

    /** The last set-up, keyed by the context it was built for (buffers() and processor() share it). */
    private volatile Object[] cache;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PdfSetup.parameterSpecs();
    }

    /**
     * What an S(q) run reads from a file: the user's pixel mask ({@code --mask}, a .npy given on the
     * machine that starts the run, which need not exist where frames are fitted), as the detector's
     * shape and the flat indices of the masked pixels. The q grid, scattering factors and PDF kernel
     * follow from the parameters and the calibration and are built from this where frames are fitted.
     */
    @Override
    public FitSetup setup(FitContext ctx) {
        int detY = ctx.sigShape().dim(0), detX = ctx.sigShape().dim(1);
        boolean[] mask = PdfSetup.readMask(ctx.parameters(), detY, detX);
        int n = 0;
        int[] masked = new int[mask == null ? 0 : mask.length];
        for (int i = 0; i < masked.length; i++) if (mask[i]) masked[n++] = i;
        return FitSetup.builder().put(S_DETECTOR, detY, detX).put(S_MASKED, java.util.Arrays.copyOf(masked, n)).build();
    }

    /** The run's q grid, mask and kernels from its set-up and parameters, built once per context; reads no file. */
    PdfSetup pdfSetup(FitContext ctx) {
        Object[] c = cache;
        if (c != null && c[0] == ctx) return (PdfSetup) c[1];
        synchronized (this) {
            c = cache;
            if (c != null && c[0] == ctx) return (PdfSetup) c[1];
            FitSetup fs = ctx.setup();
            if (!fs.has(S_MASKED)) fs = setup(ctx); // a context that carries no set-up of this fitter (a test harness)
            int detY = ctx.sigShape().dim(0), detX = ctx.sigShape().dim(1);
            PdfSetup s = PdfSetup.create(ctx.parameters(), ctx.calibration(), detY, detX, mask(fs, detY, detX, ctx));
            cache = new Object[] {ctx, s};
            return s;
        }
    }

    /** The set-up's masked pixels as flags (null: none), checked against the detector. */
    private static boolean[] mask(FitSetup fs, int detY, int detX, FitContext ctx) {
        double[] det = fs.values(S_DETECTOR);
        java.nio.file.Path source = ctx.dataset() == null ? null : ctx.dataset().source();
        if (det.length != 2 || det[0] != detY || det[1] != detX) {
            throw new ShapeMismatchException(source, "sq fitter set-up " + S_DETECTOR, detY + "×" + detX + " detector pixels",
                    java.util.Arrays.toString(det));
        }
        double[] masked = fs.values(S_MASKED);
        if (masked.length == 0) return null;
        boolean[] mask = new boolean[detY * detX];
        for (double i : masked) {
            if (!(i >= 0 && i < mask.length)) {
                throw new ShapeMismatchException(source, "sq fitter set-up " + S_MASKED, "pixel indices in [0, " + mask.length + ")",
                        Double.toString(i));
            }
            mask[(int) i] = true;
        }
        return mask;
    }

    @Override
    public List<BufferSpec> buffers(FitContext ctx) {
        PdfSetup s = pdfSetup(ctx);
        List<BufferSpec> b = new ArrayList<>();
        b.add(BufferSpec.navStack("sq/I", s.nq, Unit.COUNTS, "elliptically corrected azimuthal average I(q), mean counts per pixel, on /sq/q"));
        b.add(BufferSpec.navStack("sq/S", s.nq, Unit.DIMENSIONLESS, "structure factor S(q) = 1 + (I - N<f^2> - background)/(N<f>^2), on /sq/q"));
        b.add(BufferSpec.navStack("pdf/G", s.nr, PdfSetup.PER_SQUARE_ANGSTROM, "reduced pair distribution G(r) = (2/pi) int F(q) sin(qr) L(q) dq (Lorch), on /pdf/r"));
        b.add(BufferSpec.nav("sq/q_first_peak", Unit.INVERSE_ANGSTROM, "position of the maximum of S(q) in [q-min, q-max] (Gaussian through the top 3 samples)"));
        b.add(BufferSpec.nav("sq/S_first_peak", Unit.DIMENSIONLESS, "height of that maximum of S(q)"));
        b.add(BufferSpec.nav("pdf/r_first_peak", Unit.ANGSTROM, "position of the maximum of G(r) (parabola through the top 3 samples)"));
        b.add(BufferSpec.nav("pdf/G_first_peak", PdfSetup.PER_SQUARE_ANGSTROM, "height of that maximum of G(r)"));
        b.add(BufferSpec.nav("pdf/coordination", PdfSetup.ATOMS, "first-shell coordination number: RDF 4 pi r^2 rho0 g(r) integrated between its minima around the first peak (NaN without --number-density)"));
        b.add(BufferSpec.nav("sq/N", PdfSetup.COUNTS_PER_SQUARE_ANGSTROM, "fitted normalisation N of N<f^2> (counts per pixel per Å² of cross-section)"));
        return b;
    }

    @Override
    public FrameProcessor processor(FitContext ctx) {
        PdfSetup s = pdfSetup(ctx);
        int[] ring = new int[RING.length];
        for (int i = 0; i < RING.length; i++) {
            OptionalInt slot = ctx.upstreamSlot(RING[i]);
            if (slot.isEmpty()) {
                throw new Ltz4dException("fitter sq needs the per-pattern ring ellipse " + RING[i]
                        + " from fitter 'ring' earlier in the same pass (pipeline amorphous with --pdf)");
            }
            ring[i] = slot.getAsInt();
        }
        int[] slots = {
            ctx.slot("sq/I"), ctx.slot("sq/S"), ctx.slot("pdf/G"), -1,
            ctx.slot("sq/q_first_peak"), ctx.slot("sq/S_first_peak"), ctx.slot("pdf/r_first_peak"),
            ctx.slot("pdf/G_first_peak"), ctx.slot("pdf/coordination"), ctx.slot("sq/N")};
        int flag = ctx.upstreamSlot("fit/mask").orElse(-1);
        return new Processor(new PdfWorker(s), ring, flag, slots);
    }

    /** One worker thread's processor. */
    static final class Processor implements FrameProcessor {
        private final PdfWorker w;
        private final int[] ring;
        private final int flag;
        private final int[] slots;

        Processor(PdfWorker w, int[] ring, int flag, int[] slots) {
            this.w = w;
            this.ring = ring;
            this.flag = flag;
            this.slots = slots;
        }

        @Override
        public void process(Frame frame, FitOutput out) {
            // fit/mask = 1: the ring fit failed or was flagged; leave every value NaN
            if (flag >= 0 && frame.upstream(flag) >= 0.5f) return;
            w.analyse(frame.data(), frame.offset(), frame.upstream(ring[0]), frame.upstream(ring[1]),
                    frame.upstream(ring[2]), frame.upstream(ring[3]), frame.upstream(ring[4]));
            write(w, slots, out);
        }
    }

    static void write(PdfWorker w, int[] slots, FitOutput out) {
        PdfSetup s = w.setup();
        int base = slots[0];
        double[] v = w.intensity;
        for (int k = 0; k < s.nq; k++) out.set(base + k, (float) v[k]);
        if (w.sqValid) {
            base = slots[1];
            v = w.sq;
            for (int k = 0; k < s.nq; k++) out.set(base + k, (float) v[k]);
            out.set(slots[4], (float) w.qPeak);
            out.set(slots[5], (float) w.sPeak);
            out.set(slots[9], (float) w.scaleN);
        }
        if (w.gValid) {
            base = slots[2];
            v = w.g;
            for (int j = 0; j < s.nr; j++) out.set(base + j, (float) v[j]);
            out.set(slots[6], (float) w.rPeak);
            out.set(slots[7], (float) w.gPeak);
            out.set(slots[8], (float) w.coordination);
        }
    }
}
