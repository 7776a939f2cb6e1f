package org.ltz4d.api.engine;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ltz4d.api.analysis.FitSetup;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.param.Parameters;

/**
 * One pass of fitters of an analysis, as handed to a {@link BlockFitter} (a cluster runner): the
 * input file and the run's parameters (reader options, calibration overrides, fitter options), the
 * fitters by name in pass order, the results of the earlier passes, the scan shape and the
 * block size (frames) the engine would stream them in, and (since 1.5) each fitter's set-up as the
 * driver computed it, by fitter name. Whoever fits a range of its frames asks an engine with the
 * same plugins for {@link Engine#fitBlock}, so the same reader and fitters run from the same set-up.
 *
 * @since 1.3
 */
public record FitPass(Path input, Parameters parameters, List<String> fitters, MapSet previous, Shape navShape, int blockFrames,
        Map<String, FitSetup> setups) {

    public FitPass {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(parameters, "parameters");
        fitters = List.copyOf(fitters);
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(navShape, "navShape");
        if (blockFrames < 1) throw new IllegalArgumentException("blockFrames must be ≥ 1, got " + blockFrames);
        setups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(setups, "setups")));
    }

    /** A pass without set-ups: every engine that fits a range computes the fitters' set-up itself. */
    public FitPass(Path input, Parameters parameters, List<String> fitters, MapSet previous, Shape navShape, int blockFrames) {
        this(input, parameters, fitters, previous, navShape, blockFrames, Map.of());
    }

    /** Number of frames, scan_y·scan_x. */
    public long frames() {
        return navShape.size();
    }
}
