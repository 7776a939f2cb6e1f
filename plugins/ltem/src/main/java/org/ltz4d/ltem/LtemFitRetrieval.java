package org.ltz4d.ltem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.Figure;
import org.ltz4d.api.analysis.ImageRegistration;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.PhaseRetrieval;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code ltem-fit}: gradient-based reconstruction ({@link GradientFit}) of the phase (and optionally
 * amplitude, defocus per image, beam divergence) from the images in {@code ltem/image_*}, started
 * from the TIE phase. Writes {@code ltem/phase} (rad), {@code magnetic/Bt_x}, {@code magnetic/Bt_y}
 * (T·nm), {@code ltem/defocus_nm} (nm, per image, as refined), {@code ltem/loss} (per iteration),
 * {@code ltem/phase_tie} (the start), and {@code ltem/amplitude} when fitted.
 */
@Component(service = PhaseRetrieval.class)
public final class LtemFitRetrieval implements PhaseRetrieval {
    /** The registration {@code --align similarity} uses; optional: without it the other alignments still work. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile ImageRegistration registration;

    public static final String NAME = "ltem-fit";

    static final ParameterSpec ITERATIONS = ParameterSpec.integer("iterations", "optimiser iterations", 200, 1, 100000);
    static final ParameterSpec REFINE_DEFOCUS = ParameterSpec.flag("refine-defocus", "refine each image's defocus");
    static final ParameterSpec REFINE_DIVERGENCE = ParameterSpec.flag("refine-divergence", "refine the beam divergence");
    static final ParameterSpec FIT_AMPLITUDE = ParameterSpec.flag("fit-amplitude",
            "fit the amplitude too (default: A = 1, a pure phase object); needed when the film absorbs or has edges/holes");
    static final ParameterSpec DIVERGENCE = ParameterSpec.number("divergence-mrad", "beam divergence semi-angle α (spatial coherence)",
            Unit.MILLIRADIAN, 0.001, 0, 10);
    static final ParameterSpec SPREAD = ParameterSpec.number("defocus-spread-nm", "defocus spread Δ (temporal coherence, 1σ)",
            Unit.NANOMETRE, 0.0, 0, 1e6);
    static final ParameterSpec CS = ParameterSpec.number("cs-mm", "spherical aberration C_s", Unit.MILLIMETRE, 0.0, -1e4, 1e4);
    static final ParameterSpec ASTIG = ParameterSpec.number("astigmatism-nm",
            "2-fold astigmatism a₂: extra over-focus along astigmatism-deg (z + a₂ there, z − a₂ across)", Unit.NANOMETRE, 0.0, -1e9, 1e9);
    static final ParameterSpec ASTIG_ANGLE = ParameterSpec.number("astigmatism-deg", "direction of a₂, from +x towards +y",
            Unit.DEGREE, 0.0, -360, 360);
    static final ParameterSpec OPTIMIZER = ParameterSpec.choice("optimizer", "minimiser", "lbfgs", "lbfgs", "adam");
    static final ParameterSpec REGULARIZER = ParameterSpec.choice("regularizer",
            "phase regulariser: smooth (curvature²), gradient (slope²), tv (total variation), none", "smooth", "smooth", "gradient", "tv", "none");
    static final ParameterSpec REG_WEIGHT = ParameterSpec.number("reg-weight", "weight of the phase regulariser (images normalised to mean 1)",
            Unit.DIMENSIONLESS, 0.05, 0, 1e6);
    static final ParameterSpec PAD = new ParameterSpec("pad-px", ParameterSpec.Type.INTEGER,
            "margin (pixels) added around the images for the fit, mirror-filled and not fitted to data, so the periodic "
                    + "propagation does not wrap across the field of view; default 1/8 of the smaller image side",
            Unit.PIXEL, null, 0, 100000, List.of());
    static final ParameterSpec LEARNING_RATE = ParameterSpec.number("learning-rate", "Adam step size for the phase",
            Unit.RADIAN, 0.02, 1e-9, 10);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "gradient-based fit of phase (+ amplitude, defocus per image, beam divergence) to Lorentz TEM images ltem/image_*, from TIE";
    }

    @Override
    public List<ParameterSpec> parameters() {
        List<ParameterSpec> l = new ArrayList<>(LtemInput.specs());
        l.addAll(List.of(ITERATIONS, REFINE_DEFOCUS, REFINE_DIVERGENCE, FIT_AMPLITUDE, DIVERGENCE, SPREAD, CS, ASTIG, ASTIG_ANGLE, OPTIMIZER, REGULARIZER,
                REG_WEIGHT, LEARNING_RATE, PAD));
        return l;
    }


    static GradientFit.Options options(Parameters p) {
        int it = p.integer(ITERATIONS.name(), 200);
        if (it < 1) throw new InvalidParameterException(ITERATIONS.name(), "an integer ≥ 1", Integer.toString(it));
        Regularizer reg = switch (p.choice(REGULARIZER.name(), "smooth", "smooth", "gradient", "tv", "none")) {
            case "gradient" -> Regularizer.GRADIENT;
            case "tv" -> Regularizer.TV;
            case "none" -> Regularizer.NONE;
            default -> Regularizer.SMOOTH;
        };
        double w = p.number(REG_WEIGHT.name(), 0.05);
        if (!(w >= 0)) throw new InvalidParameterException(REG_WEIGHT.name(), "a number ≥ 0", p.string(REG_WEIGHT.name(), ""));
        GradientFit.Method m = "adam".equals(p.choice(OPTIMIZER.name(), "lbfgs", "lbfgs", "adam")) ? GradientFit.Method.ADAM
                : GradientFit.Method.LBFGS;
        return GradientFit.Options.defaults().withIterations(it).withMethod(m).withPhaseRegularizer(reg, w)
                .withRefineDefocus(p.flag(REFINE_DEFOCUS.name())).withRefineDivergence(p.flag(REFINE_DIVERGENCE.name()))
                .withFitAmplitude(p.flag(FIT_AMPLITUDE.name())).withLearningRate(p.positive(LEARNING_RATE.name(), 0.02));
    }

    @Override
    public Correlation retrieve(MapSet maps, AnalysisContext context) {
        LtemInput in = LtemInput.from(maps, context, NAME, registration);
        Parameters p = context.parameters();
        GradientFit.Options opt = options(p);
        double alpha = p.number(DIVERGENCE.name(), 0.001) * 1e-3;
        double spread = p.number(SPREAD.name(), 0);
        double cs = p.number(CS.name(), 0) * 1e6;
        if (!(alpha >= 0)) throw new InvalidParameterException(DIVERGENCE.name(), "a number ≥ 0 mrad", p.string(DIVERGENCE.name(), ""));
        if (!(spread >= 0)) throw new InvalidParameterException(SPREAD.name(), "a number ≥ 0 nm", p.string(SPREAD.name(), ""));
        Optics optics = new Optics(in.lambdaNm, cs, p.number(ASTIG.name(), 0), Math.toRadians(p.number(ASTIG_ANGLE.name(), 0)), alpha, spread);
        if (opt.refineDivergence() && alpha == 0) {
            throw new InvalidParameterException(DIVERGENCE.name(), "a starting divergence > 0 with --refine-divergence (the gradient vanishes at 0)", "0");
        }
        double[][] tie = in.tie();
        context.log(NAME + ": " + opt.method() + " fit of " + in.images.length + " images " + in.grid.ny + "×" + in.grid.nx
                + ", " + opt.iterations() + " iterations, started from TIE");
        int pad = p.integer(PAD.name(), Math.max(0, Math.min(in.grid.ny, in.grid.nx) / 8));
        if (pad < 0 || pad > Math.min(in.grid.ny, in.grid.nx)) {
            throw new InvalidParameterException(PAD.name(), "an integer in [0, " + Math.min(in.grid.ny, in.grid.nx) + "]", Integer.toString(pad));
        }
        Padding padding = new Padding(in.grid.ny, in.grid.nx, pad);
        Grid fitGrid = new Grid(padding.paddedRows(), padding.paddedCols(), in.grid.dyNm, in.grid.dxNm);
        GradientFit.Result r;
        double[] phase;
        double[] electro = null;
        double[] tieStart;
        double[] amplitude = null;
        if (in.flipped == null) {
            tieStart = tie[0];
            r = fit(fitGrid, optics, padding, in.images, tieStart, in.defocusNm, opt, context);
            phase = padding.crop(r.phase());
            if (r.amplitude() != null) amplitude = padding.crop(r.amplitude());
        } else {
            // fit each series from its own TIE phase (φ_e ± φ_m), then separate
            double[] startA = new double[tie[0].length], startB = new double[tie[0].length];
            for (int i = 0; i < startA.length; i++) {
                startA[i] = tie[1][i] + tie[0][i];
                startB[i] = tie[1][i] - tie[0][i];
            }
            tieStart = tie[0];
            GradientFit.Result a = fit(fitGrid, optics, padding, in.images, startA, in.defocusNm, opt, context);
            GradientFit.Result b = fit(fitGrid, optics, padding, in.flipped, startB, in.defocusNm, opt, null);
            double[] pa = padding.crop(a.phase()), pb = padding.crop(b.phase());
            phase = new double[pa.length];
            electro = new double[pa.length];
            for (int i = 0; i < phase.length; i++) {
                phase[i] = 0.5 * (pa[i] - pb[i]);
                electro[i] = 0.5 * (pa[i] + pb[i]);
            }
            r = a;
        }
        double mean = Tie.mean(phase);
        for (int i = 0; i < phase.length; i++) phase[i] -= mean;
        List<DataMap> out = new ArrayList<>();
        List<Figure> figs = new ArrayList<>();
        Map<String, Object> stats = new LinkedHashMap<>();
        in.reportAlignment(NAME, stats, context);
        String how = "a gradient-based fit to " + in.images.length + " Lorentz images" + (in.flipped != null ? " (magnetic part, flipped series)" : "");
        LtemOutput.phaseAndBt(NAME, "ltem/phase", phase, in.grid, how, out, figs, stats);
        Shape shape = Shape.of(in.grid.ny, in.grid.nx);
        out.add(DataMap.of("ltem/phase_tie", shape, LtemInput.toFloat(tieStart), Unit.RADIAN, "TIE phase the fit started from"));
        if (electro != null) {
            out.add(DataMap.of("ltem/phase_electrostatic", shape, LtemInput.toFloat(electro), Unit.RADIAN, "electrostatic phase (φ + φ_flipped)/2"));
        }
        if (amplitude != null && opt.fitAmplitude()) {
            out.add(DataMap.of("ltem/amplitude", shape, LtemInput.toFloat(amplitude), Unit.DIMENSIONLESS, "fitted amplitude A"));
        }
        out.add(DataMap.of("ltem/defocus_nm", Shape.of(r.defocusNm().length), LtemInput.toFloat(r.defocusNm()), Unit.NANOMETRE,
                "over-focus z of each image of the series (z > 0 over-focus; Kirkland's Δf = −z)" + (opt.refineDefocus() ? ", refined" : ", as given")));
        out.add(DataMap.of("ltem/loss", Shape.of(Math.max(1, r.loss().length)), LtemInput.toFloat(r.loss().length == 0 ? new double[] {Double.NaN} : r.loss()),
                Unit.DIMENSIONLESS, "objective per iteration: mean squared image misfit (images of mean 1) + regulariser"));
        figs.add(Render.curve(NAME + "_loss.png", "Objective of the gradient-based fit per iteration.", r.loss()));
        stats.put(NAME + ".optimizer", opt.method().name().toLowerCase());
        stats.put(NAME + ".pad_px", pad);
        stats.put(NAME + ".iterations", r.iterations());
        stats.put(NAME + ".initial_loss", r.loss().length > 0 ? r.loss()[0] : Double.NaN);
        stats.put(NAME + ".final_loss", r.loss().length > 0 ? r.loss()[r.loss().length - 1] : Double.NaN);
        stats.put(NAME + ".seconds", r.seconds());
        stats.put(NAME + ".iterations_per_second", r.iterations() / Math.max(r.seconds(), 1e-9));
        for (int k = 0; k < r.defocusNm().length; k++) stats.put(NAME + ".defocus_nm_" + k, r.defocusNm()[k]);
        stats.put(NAME + ".divergence_mrad", r.divergenceRad() * 1e3);
        return new Correlation(MapSet.of(out), figs, stats);
    }

    private static GradientFit.Result fit(Grid fitGrid, Optics optics, Padding padding, double[][] images, double[] start, double[] z,
            GradientFit.Options opt, AnalysisContext context) {
        ForwardModel model = new ForwardModel(fitGrid, optics);
        double[][] padded = new double[images.length][];
        for (int k = 0; k < images.length; k++) padded[k] = padding.embed(images[k]);
        if (padding.m > 0) model.setWeights(padding.mask());
        return new GradientFit(model, padded, z, opt).run(padding.embed(start), null,
                context == null ? null : it -> progress(context, it, opt));
    }

    private static void progress(AnalysisContext ctx, int it, GradientFit.Options opt) {
        int step = Math.max(1, opt.iterations() / 10);
        if (it % step == 0) ctx.log(NAME + ": iteration " + it + "/" + opt.iterations());
    }
}
