package org.ltz4d.amorphous;

import java.util.ArrayList;
import java.util.List;
import org.ltz4d.api.analysis.Pipeline;
import org.ltz4d.api.analysis.Plan;
import org.ltz4d.api.analysis.Stage;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.osgi.service.component.annotations.Component;

/**
 * {@code amorphous}: beam, ring and virtual-detector fitters in one pass, then strain and density, B
 * ({@code magnetic}, and {@code magnetic-beam-check} from the direct beam beside it) when a reference is given ({@code --vacuum} or {@code --descan}; without one
 * the run skips B with one warning), then the figures; {@code --pdf} adds S(q) to the pass and the
 * PDF deriver.
 */
@Component(service = Pipeline.class)
public class AmorphousPipeline implements Pipeline {
    public static final String NAME = "amorphous";
    public static final String P_PDF = "pdf";

    /** The virtual-detector fitter (bundle org.ltz4d.virtual), run in the same pass on the frames in memory. */
    static final String VIRTUAL = "virtual";
    /** B from the direct-beam centre beside the ring-centre B (/magnetic_beam/*), the cross-check. */
    static final String B_CHECK = "magnetic-beam-check";

    static final Stage RING = Stage.always("ring fit", "direct beam and first-ring ellipse per pattern, with their standard "
            + "errors, and virtual bright-field, annular dark-field and first-ring images",
            List.of(BeamFitter.NAME, RingFitter.NAME, VIRTUAL));
    static final Stage B = Stage.needs("B", "in-plane magnetic induction from the ring-centre shift against a reference "
            + "(T with a thickness, else B·t in T·nm), and the direct-beam B beside it as a cross-check", List.of("magnetic", B_CHECK), "--vacuum FILE or --descan plane|parabola",
            p -> p.has("vacuum") || p.has("descan"));
    static final Stage STRAIN = Stage.always("strain and density", "strain tensor and relative density from the ring ellipse "
            + "against the reference area, and the figures", List.of("strain", "density", "figures"));
    static final Stage PDF = Stage.optIn("S(q)/PDF", "structure factor S(q) and pair distribution function G(r) per position",
            List.of("sq", "pdf", "pdf-figures"), "--pdf", p -> p.flag(P_PDF));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "amorphous-ring analysis: direct beam and first-ring ellipse per pattern, then B (T) with --vacuum or --descan, "
                + "strain, relative density and figures; --pdf adds S(q) and G(r)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.flag(P_PDF, "also compute S(q) and the pair distribution function G(r) per position"));
    }

    @Override
    public List<Stage> stages() {
        return List.of(RING, B, STRAIN, PDF);
    }

    @Override
    public Plan plan(Parameters parameters) {
        boolean pdf = PDF.isEnabled(parameters);
        List<String> pass = new ArrayList<>(List.of(BeamFitter.NAME, RingFitter.NAME, VIRTUAL));
        List<String> derivers = new ArrayList<>();
        if (B.isEnabled(parameters)) derivers.addAll(List.of("magnetic", B_CHECK));
        derivers.addAll(List.of("strain", "density"));
        List<String> correlators = new ArrayList<>(List.of("figures"));
        if (pdf) {
            pass.add("sq");
            derivers.add("pdf");
            correlators.add("pdf-figures");
        }
        return new Plan(List.of(pass), derivers, correlators);
    }
}
