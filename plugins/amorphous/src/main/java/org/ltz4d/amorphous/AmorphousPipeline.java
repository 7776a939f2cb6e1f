package org.ltz4d.amorphous;

import java.util.ArrayList;
import java.util.List;
import org.ltz4d.api.analysis.Pipeline;
import org.ltz4d.api.analysis.Plan;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.osgi.service.component.annotations.Component;

/**
 * {@code amorphous}: beam and ring fitters in one pass, then B ({@code magnetic}), strain and
 * density, then the figures; {@code --pdf} adds S(q) to the pass and the PDF deriver.
 */
@Component(service = Pipeline.class)
public class AmorphousPipeline implements Pipeline {
    public static final String NAME = "amorphous";
    public static final String P_PDF = "pdf";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "amorphous-ring analysis: direct beam and first-ring ellipse per pattern, then B (T), strain, "
                + "relative density and figures; --pdf adds S(q) and G(r)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.flag(P_PDF, "also compute S(q) and the pair distribution function G(r) per position"));
    }

    @Override
    public Plan plan(Parameters parameters) {
        boolean pdf = parameters.flag(P_PDF);
        List<String> pass = new ArrayList<>(List.of(BeamFitter.NAME, RingFitter.NAME));
        List<String> derivers = new ArrayList<>(List.of("magnetic", "strain", "density"));
        List<String> correlators = new ArrayList<>(List.of("figures"));
        if (pdf) {
            pass.add("sq");
            derivers.add("pdf");
            correlators.add("pdf-figures");
        }
        return new Plan(List.of(pass), derivers, correlators);
    }
}
