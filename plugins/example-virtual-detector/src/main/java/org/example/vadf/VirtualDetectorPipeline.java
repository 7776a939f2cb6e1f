package org.example.vadf;

import java.util.List;
import org.ltz4d.api.analysis.Pipeline;
import org.ltz4d.api.analysis.Plan;
import org.ltz4d.api.param.Parameters;
import org.osgi.service.component.annotations.Component;

/** {@code ltz4d analyze FILE --pipeline virtual-detector --out DIR}. */
@Component(service = Pipeline.class)
public class VirtualDetectorPipeline implements Pipeline {
    @Override
    public String name() {
        return "virtual-detector";
    }

    @Override
    public String description() {
        return "Virtual bright-field and annular dark-field images (example plugin)";
    }

    @Override
    public Plan plan(Parameters parameters) {
        return new Plan(List.of(List.of(VirtualAnnularFitter.NAME)), List.of("vadf-contrast"), List.of());
    }
}
