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
 * Iakoubovskii) is systematic and recorded as an attribute. With an energy axis ({@link EnergyAxis}:
 * the file's, as DM and HDF5/EMD spectrum images give it, or {@code --energy-dispersion-ev}) the
 * zero-loss maximum is searched within {@code --zlp-search-ev} of 0 eV and its energy is mapped.
 */
@Component(service = Fitter.class)
public class EelsThicknessFitter implements Fitter {
    public static final String NAME = "eels-thickness";
    static final String P_COLLECTION = "collection-mrad";
    static final String P_CONVERGENCE = "convergence-mrad";
    static final String P_COMPOSITION = "composition";
    static final String P_DENSITY = "density-g-cm3";
    static final String P_LAMBDA = "lambda-nm";
    static final String P_ZLP_SEARCH = "zlp-search-ev";
    public static final String T_OVER_LAMBDA = "thickness/t_over_lambda", SIGMA_T_OVER_LAMBDA = "thickness/sigma_t_over_lambda",
            T_NM = "thickness/t_nm", SIGMA_T_NM = "thickness/sigma_t_nm", WINDOW = "thickness/zlp_window_channels";
    /** Energy of the zero-loss maximum (eV; NaN without an energy axis): the spectrometer's drift over the scan. */
    public static final String ZLP_EV = "thickness/zlp_energy_ev";

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
                ParameterSpec.number(P_LAMBDA, "the inelastic mean free path itself (instead of a model)", Unit.NANOMETRE, null, 1, 1e5),
                ParameterSpec.number(EnergyAxis.P_DISPERSION, "energy per channel, for spectra whose file gives none (e.g. .npy); "
                        + "default: the file's energy axis", EnergyAxis.EV, null, 1e-6, 1e4),
                ParameterSpec.number(EnergyAxis.P_OFFSET, "energy of channel 0 with --energy-dispersion-ev (negative: the zero-loss peak "
                        + "is recorded)", EnergyAxis.EV, 0.0, -1e5, 1e5),
                ParameterSpec.number(P_ZLP_SEARCH, "with an energy axis: the zero-loss maximum is searched within ± this of 0 eV",
                        EnergyAxis.EV, 10.0, 0.01, 1e4));
    }

    @Override
    public List<BufferSpec> buffers(FitContext context) {
        return List.of(BufferSpec.nav(T_OVER_LAMBDA, Unit.DIMENSIONLESS, "relative thickness t/λ = ln(I_t/I_0) (log-ratio)"),
                BufferSpec.nav(SIGMA_T_OVER_LAMBDA, Unit.DIMENSIONLESS, "standard error of t/λ from the counts: √(1/I_0 − 1/I_t)"),
                BufferSpec.nav(T_NM, Unit.NANOMETRE, "thickness t = (t/λ)·λ"),
                BufferSpec.nav(SIGMA_T_NM, Unit.NANOMETRE, "standard error of t from the counts (λ's model error not included)"),
                BufferSpec.nav(WINDOW, Unit.DIMENSIONLESS, "channels in the zero-loss window"),
                BufferSpec.nav(ZLP_EV, EnergyAxis.EV, "energy of the zero-loss maximum on the file's energy axis (NaN without one)"));
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

    /** The spectra's energy axis (file or parameters), null when there is none; spectra must be 1 × channels. */
    static EnergyAxis axis(FitContext context) {
        org.ltz4d.api.data.Shape sig = context.sigShape();
        if (sig.rows() != 1) {
            throw new ShapeMismatchException(context.dataset().source(), "detector shape",
                    "one spectrum per position (1 × channels): a DM or HDF5 spectrum image is read so by its reader (DM: "
                    + "--spectrum-image; HDF5/EMD: --format eels-hdf5, which 'ltz4d thickness' picks itself)", sig.rows() + " × " + sig.cols());
        }
        return EnergyAxis.of(context.dataset(), context.parameters(), sig.cols());
    }

    @Override
    public FrameProcessor processor(FitContext context) {
        double lam = lambda(context).nm();
        int[] slots = {context.slot(T_OVER_LAMBDA), context.slot(SIGMA_T_OVER_LAMBDA), context.slot(T_NM), context.slot(SIGMA_T_NM),
            context.slot(WINDOW), context.slot(ZLP_EV)};
        EnergyAxis axis = axis(context);
        double search = context.parameters().number(P_ZLP_SEARCH, 10);
        // the channels searched for the zero-loss maximum: within ±search of 0 eV, or all without an axis
        int peakLo = axis == null ? 0 : (int) Math.max(0, Math.ceil(axis.channel(-search)));
        int peakHi = axis == null ? Integer.MAX_VALUE : (int) Math.floor(axis.channel(search));
        return new FrameProcessor() {
            private final LogRatio lr = new LogRatio();

            @Override
            public void process(Frame frame, FitOutput out) {
                if (!lr.measure(frame.data(), frame.offset(), frame.width(), peakLo, peakHi)) return;
                out.set(slots[0], (float) lr.tOverLambda);
                out.set(slots[1], (float) lr.sigma);
                out.set(slots[2], (float) (lr.tOverLambda * lam));
                out.set(slots[3], (float) (lr.sigma * lam));
                out.set(slots[4], lr.hi - lr.lo + 1);
                out.set(slots[5], axis == null ? Float.NaN : (float) axis.ev(lr.peak));
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
        EnergyAxis axis = axis(context);
        a.put("energy_axis", axis == null ? "none (channels only)" : axis.describe());
        if (axis != null) {
            a.put("energy_dispersion_ev", axis.scaleEv());
            a.put("energy_offset_ev", axis.offsetEv());
            a.put("zlp_search_ev", context.parameters().number(P_ZLP_SEARCH, 10));
        }
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (String s : List.of(T_OVER_LAMBDA, SIGMA_T_OVER_LAMBDA, T_NM, SIGMA_T_NM, WINDOW, ZLP_EV)) out.put(s, a);
        return out;
    }
}
