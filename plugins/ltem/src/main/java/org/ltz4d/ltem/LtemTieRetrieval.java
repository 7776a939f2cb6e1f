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
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.units.Unit;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code ltem-tie}: transport-of-intensity phase from a defocus series in {@code ltem/image_*}
 * (see {@link LtemInput}), or single-image TIE from one defocused image; with a flipped-sample
 * series the magnetic and electrostatic phases are separated. Writes {@code ltem/phase} (rad),
 * {@code magnetic/Bt_x}, {@code magnetic/Bt_y} (T·nm), with a flipped series also
 * {@code ltem/phase_electrostatic}.
 */
@Component(service = PhaseRetrieval.class)
public final class LtemTieRetrieval implements PhaseRetrieval {
    /** The registration {@code --align similarity} uses; optional: without it the other alignments still work. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile ImageRegistration registration;

    public static final String NAME = "ltem-tie";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "transport-of-intensity phase (TIE, single-image TIE, flipped-sample separation) of Lorentz TEM images ltem/image_*";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return LtemInput.specs();
    }

    @Override
    public Correlation retrieve(MapSet maps, AnalysisContext context) {
        long t0 = System.nanoTime();
        LtemInput in = LtemInput.from(maps, context, NAME, registration);
        boolean sitie = in.images.length == 1;
        context.log(NAME + ": " + (sitie ? "single-image TIE" : "TIE") + " of " + in.images.length + " images"
                + (in.flipped != null ? " + " + in.flipped.length + " flipped" : "") + ", " + in.grid.ny + "×" + in.grid.nx
                + " px of " + in.grid.dxNm + " nm, λ = " + String.format("%.4f", in.lambdaNm * 1e3) + " pm");
        double[][] ph = in.tie();
        List<DataMap> out = new ArrayList<>();
        List<Figure> figs = new ArrayList<>();
        Map<String, Object> stats = new LinkedHashMap<>();
        in.reportAlignment(NAME, stats, context);
        String how = (sitie ? "single-image TIE" : "TIE") + (in.flipped != null ? " (magnetic part of a flipped-sample series)" : "");
        LtemOutput.phaseAndBt(NAME, "ltem/phase", ph[0], in.grid, how, out, figs, stats);
        if (ph[1] != null) {
            out.add(DataMap.of("ltem/phase_electrostatic", Shape.of(in.grid.ny, in.grid.nx), LtemInput.toFloat(ph[1]), Unit.RADIAN,
                    "electrostatic phase (φ + φ_flipped)/2 from TIE of a flipped-sample series"));
        }
        stats.put(NAME + ".images", in.images.length + (in.flipped == null ? 0 : in.flipped.length));
        for (int k = 0; k < in.defocusNm.length; k++) stats.put(NAME + ".defocus_nm_" + k, in.defocusNm[k]);
        stats.put(NAME + ".qc_per_nm", in.qc);
        stats.put(NAME + ".seconds", (System.nanoTime() - t0) * 1e-9);
        return new Correlation(MapSet.of(out), figs, stats);
    }
}
