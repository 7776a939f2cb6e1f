package org.ltz4d.thickness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.analysis.BufferSpec;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.FitOutput;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.analysis.Frame;
import org.ltz4d.api.analysis.FrameProcessor;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.ltz4d.scattering.Composition;
import org.osgi.service.component.annotations.Component;

/**
 * {@code eels-thickness}: the sample thickness per position of an EELS spectrum image (each frame
 * one spectrum, 1 × channels) by the log-ratio method ({@link LogRatio}): t/λ and, with the
 * inelastic mean free path λ ({@link MeanFreePath}: Malis et al. 1988 from {@code --composition},
 * or Iakoubovskii et al. 2008 when {@code --density-g-cm3} is given, or {@code --lambda-nm}), t in
 * nm. Standard errors from the counting statistics only; λ's model error (±20 % Malis, ±10 %
 * Iakoubovskii) is systematic and recorded as an attribute.
 */
@Component(service = Fitter.class)
public class EelsThicknessFitter implements Fitter {
    public static final String NAME = "eels-thickness";
    static final String P_COLLECTION = "collection-mrad";
    static final String P_CONVERGENCE = "convergence-mrad";
    static final String P_COMPOSITION = "composition";
    static final String P_DENSITY = "density-g-cm3";
    static final String P_LAMBDA = "lambda-nm";
    public static final String T_OVER_LAMBDA = "thickness/t_over_lambda", SIGMA_T_OVER_LAMBDA = "thickness/sigma_t_over_lambda",
            T_NM = "thickness/t_nm", SIGMA_T_NM = "thickness/sigma_t_nm", WINDOW = "thickness/zlp_window_channels";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.number(P_COLLECTION, "spectrometer collection semi-angle β", Unit.MILLIRADIAN, null, 0.1, 1000),
                ParameterSpec.number(P_CONVERGENCE, "probe convergence semi-angle α (Iakoubovskii et al. 2008 only)", Unit.MILLIRADIAN,
                        0.0, 0, 1000),
                ParameterSpec.text(P_COMPOSITION, "composition in at.%, e.g. Fe85.2Si0.5B9.5P4Cu0.8: λ by Malis et al. 1988 "
                        + "(Z_eff of the composition)", null),
                ParameterSpec.number(P_DENSITY, "mass density: λ by Iakoubovskii et al. 2008 instead of Malis", Unit.of("g/cm^3", "grams per cubic centimetre"),
                        null, 0.05, 30),
                ParameterSpec.number(P_LAMBDA, "the inelastic mean free path itself (instead of a model)", Unit.NANOMETRE, null, 1, 1e5));
    }

    @Override
    public List<BufferSpec> buffers(FitContext context) {
        return List.of(BufferSpec.nav(T_OVER_LAMBDA, Unit.DIMENSIONLESS, "relative thickness t/λ = ln(I_t/I_0) (log-ratio)"),
                BufferSpec.nav(SIGMA_T_OVER_LAMBDA, Unit.DIMENSIONLESS, "standard error of t/λ from the counts: √(1/I_0 − 1/I_t)"),
                BufferSpec.nav(T_NM, Unit.NANOMETRE, "thickness t = (t/λ)·λ"),
                BufferSpec.nav(SIGMA_T_NM, Unit.NANOMETRE, "standard error of t from the counts (λ's model error not included)"),
                BufferSpec.nav(WINDOW, Unit.DIMENSIONLESS, "channels in the zero-loss window"));
    }

    /** λ in nm and a description of how it was obtained. */
    record Lambda(double nm, String model, double relativeError) {
    }

    static Lambda lambda(FitContext context) {
        Parameters p = context.parameters();
        if (p.has(P_LAMBDA)) return new Lambda(p.positive(P_LAMBDA, 1), "given (--lambda-nm)", 0);
        double kv = context.calibration().requireBeamKv("the inelastic mean free path (--beam-kv)");
        if (!p.has(P_COLLECTION)) {
            throw new InvalidParameterException(P_COLLECTION, "the spectrometer's collection semi-angle β in mrad (or --lambda-nm)", null);
        }
        double beta = p.positive(P_COLLECTION, 1);
        if (p.has(P_DENSITY)) {
            double rho = p.positive(P_DENSITY, 1);
            double alpha = p.number(P_CONVERGENCE, 0);
            double nm = MeanFreePath.iakoubovskii(kv, alpha, beta, rho);
            return new Lambda(nm, String.format(java.util.Locale.ROOT, "Iakoubovskii et al. 2008 (Microsc. Res. Tech. 71, 626): "
                    + "E0 = %g keV, α = %g mrad, β = %g mrad, ρ = %g g/cm³", kv, alpha, beta, rho), 0.10);
        }
        String comp = p.string(P_COMPOSITION).orElseThrow(() -> new InvalidParameterException(P_COMPOSITION,
                "the sample's composition for λ (Malis et al. 1988), or --density-g-cm3 (Iakoubovskii et al. 2008), or --lambda-nm", null));
        double z = MeanFreePath.zEff(Composition.parse(P_COMPOSITION, comp, MeanFreePath.symbols()), P_COMPOSITION);
        double nm = MeanFreePath.malis(kv, beta, z);
        if (!(nm > 0) || !Double.isFinite(nm)) {
            throw new InvalidParameterException(P_COLLECTION, "a collection angle with 2β·E0 > E_m (Malis et al. 1988)", Double.toString(beta));
        }
        return new Lambda(nm, String.format(java.util.Locale.ROOT, "Malis et al. 1988 (J. Electron Microsc. Tech. 8, 193): "
                + "E0 = %g keV, β = %g mrad, Z_eff = %.3f of %s", kv, beta, z, comp), 0.20);
    }

    @Override
    public FrameProcessor processor(FitContext context) {
        double lam = lambda(context).nm();
        int[] slots = {context.slot(T_OVER_LAMBDA), context.slot(SIGMA_T_OVER_LAMBDA), context.slot(T_NM), context.slot(SIGMA_T_NM),
            context.slot(WINDOW)};
        java.nio.file.Path source = context.dataset().source();
        return new FrameProcessor() {
            private final LogRatio lr = new LogRatio();

            @Override
            public void process(Frame frame, FitOutput out) {
                if (frame.height() != 1) {
                    throw new ShapeMismatchException(source, "frame " + frame.index(),
                            "one spectrum per position (1 × channels); a DM spectrum image stored energy-slowest is read with --spectrum-image",
                            frame.height() + " × " + frame.width());
                }
                if (!lr.measure(frame.data(), frame.offset(), frame.width())) return;
                out.set(slots[0], (float) lr.tOverLambda);
                out.set(slots[1], (float) lr.sigma);
                out.set(slots[2], (float) (lr.tOverLambda * lam));
                out.set(slots[3], (float) (lr.sigma * lam));
                out.set(slots[4], lr.hi - lr.lo + 1);
            }
        };
    }

    @Override
    public Map<String, Map<String, Object>> attributes(FitContext context) {
        Lambda l = lambda(context);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("method", "log-ratio t/λ = ln(I_t/I_0); zero-loss window [peak − w, peak + w], w from the peak to the first minimum "
                + "after it (3-channel running mean)");
        a.put("lambda_nm", l.nm());
        a.put("lambda_model", l.model());
        a.put("lambda_relative_error", l.relativeError());
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (String s : List.of(T_OVER_LAMBDA, SIGMA_T_OVER_LAMBDA, T_NM, SIGMA_T_NM, WINDOW)) out.put(s, a);
        return out;
    }
}
