package org.ltz4d.virtual;

import java.util.List;
import org.ltz4d.api.analysis.Pipeline;
import org.ltz4d.api.analysis.Plan;
import org.ltz4d.api.analysis.Stage;
import org.ltz4d.api.param.Parameters;
import org.osgi.service.component.annotations.Component;

/**
 * {@code virtual}: a quick look at any dataset — virtual bright-field, annular dark-field and
 * first-ring images in one pass over the frames, and their figure. Needs no calibration.
 */
@Component(service = Pipeline.class)
public class VirtualPipeline implements Pipeline {
    public static final String NAME = "virtual";

    static final Stage IMAGES = Stage.always("virtual images", "virtual bright-field, annular dark-field and first-ring images",
            List.of(VirtualFitter.NAME, "figures"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "quick look: virtual bright-field, annular dark-field and first-ring images (detectors placed from the mean pattern)";
    }

    @Override
    public List<Stage> stages() {
        return List.of(IMAGES);
    }

    @Override
    public Plan plan(Parameters parameters) {
        return new Plan(List.of(List.of(VirtualFitter.NAME)), List.of(), List.of("figures"));
    }
}
