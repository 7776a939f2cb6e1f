package org.ltz4d.api.engine;

import java.nio.file.Path;
import java.util.Objects;
import org.ltz4d.api.param.Parameters;

/**
 * One analysis: a dataset, a pipeline by name, the user's parameters (calibration overrides such
 * as {@code beam-kv}, reader options and the plugins' own parameters) and the output folder, where
 * {@code results.h5} and the figures are written (to temporary names, then moved into place).
 */
public record AnalysisRequest(Path input, String pipeline, Parameters parameters, Path outDir) {
    public AnalysisRequest {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(pipeline, "pipeline");
        parameters = parameters == null ? Parameters.empty() : parameters;
        Objects.requireNonNull(outDir, "outDir");
    }
}
