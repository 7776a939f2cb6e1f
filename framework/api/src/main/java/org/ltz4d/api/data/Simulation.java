package org.ltz4d.api.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A source of simulated datasets with known fields ({@code ltz4d simulate}, {@code ltz4d demo}):
 * a service, so every front-end (CLI, shell, GUI) uses whichever simulator bundle is active,
 * never its classes.
 */
@ConsumerType
public interface Simulation {
    /** Role of the simulated dataset in the map {@link #write} returns. */
    String DATA = "data";
    /** Role of the matching reference (vacuum) scan, when one is written. */
    String REFERENCE = "reference";
    /** Prefix of the roles of ground-truth maps, e.g. {@code truth/Bx_T}. */
    String TRUTH = "truth/";

    String name();

    String description();

    /** The options {@link #write} accepts, with units and defaults (what is not given takes its default). */
    List<ParameterSpec> parameters();

    /**
     * Writes a dataset, its reference scan and the ground truth into {@code outDir}; progress in
     * scan positions.
     *
     * @return the files written, by role ({@link #DATA}, {@link #REFERENCE}, {@link #TRUTH}NAME, ...)
     * @throws org.ltz4d.api.error.InvalidParameterException naming the option that does not fit
     */
    Map<String, Path> write(Parameters parameters, Path outDir, ProgressListener progress);
}
