package org.ltz4d.api.analysis;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link Correlator} or a {@link PhaseRetrieval} returns: new maps (histograms, labels,
 * phases...), figures, and named statistics (numbers or text) for the summary and the report.
 */
public record Correlation(MapSet maps, List<Figure> figures, Map<String, Object> statistics) {
    public Correlation {
        maps = maps == null ? MapSet.empty() : maps;
        figures = figures == null ? List.of() : List.copyOf(figures);
        statistics = statistics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(statistics));
    }
}
