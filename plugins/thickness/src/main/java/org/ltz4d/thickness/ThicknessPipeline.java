package org.ltz4d.thickness;

import java.util.List;
import org.ltz4d.api.analysis.Pipeline;
import org.ltz4d.api.analysis.Plan;
import org.ltz4d.api.analysis.Stage;
import org.ltz4d.api.param.Parameters;
import org.osgi.service.component.annotations.Component;

/** {@code thickness}: t/λ and t per position of an EELS spectrum image (one spectrum per frame). */
@Component(service = Pipeline.class)
public class ThicknessPipeline implements Pipeline {
    public static final String NAME = "thickness";

    static final Stage LOG_RATIO = Stage.always("log-ratio thickness", "t/λ = ln(I_t/I_0) and t = (t/λ)·λ per spectrum",
            List.of(EelsThicknessFitter.NAME));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "EELS thickness: t/λ by the log-ratio method and t in nm (λ by Malis 1988 or Iakoubovskii 2008) per spectrum";
    }

    @Override
    public List<Stage> stages() {
        return List.of(LOG_RATIO);
    }

    @Override
    public Plan plan(Parameters parameters) {
        return new Plan(List.of(List.of(EelsThicknessFitter.NAME)), List.of(), List.of());
    }
}
