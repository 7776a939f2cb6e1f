package org.ltz4d.api.analysis;

import java.util.List;
import org.ltz4d.api.param.ParameterSpec;
import org.osgi.annotation.versioning.ConsumerType;

/** Maps → statistics, labels and figures (2D histograms, misorientation, clusters, colour wheels). */
@ConsumerType
public interface Correlator {

    String name();

    default List<ParameterSpec> parameters() {
        return List.of();
    }

    /**
     * Paths of the maps this correlator needs; when one is missing the engine skips it and says so
     * (a figure correlator may list nothing and render what it finds).
     */
    List<String> requires();

    Correlation correlate(MapSet maps, AnalysisContext context);
}
