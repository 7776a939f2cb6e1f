package org.ltz4d.api.engine;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a finished run reports: the results file, frames analysed, positions whose fit failed
 * (flagged in {@code /fit/mask}), wall time, figures written, the plugins' statistics and warnings
 * (e.g. a correlator that was skipped).
 */
public record RunSummary(Path results, long frames, long failedPositions, double seconds, List<Path> figures,
        Map<String, Object> statistics, List<String> warnings) {
    public RunSummary {
        figures = List.copyOf(figures);
        statistics = Collections.unmodifiableMap(new LinkedHashMap<>(statistics));
        warnings = List.copyOf(warnings);
    }

    /** Frames per second over the whole run. */
    public double framesPerSecond() {
        return seconds > 0 ? frames / seconds : Double.NaN;
    }
}
