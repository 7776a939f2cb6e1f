package org.ltz4d.api.analysis;

import java.util.List;
import org.ltz4d.api.param.ParameterSpec;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Measured data → an electron phase: Lorentz TEM phase retrieval from a defocus series (TIE, a
 * fitted forward model) or the integration of a 4D-STEM deflection map. Front-ends run one by name
 * through {@code Engine.retrievePhase}, which writes the input and the method's maps to
 * {@code results.h5} with the figures; unlike a {@link Correlator}, a phase retrieval that fails
 * fails the run.
 *
 * @since 1.2
 */
@ConsumerType
public interface PhaseRetrieval {

    /** The method's name, e.g. {@code ltem-tie}. */
    String name();

    /** One line on what it computes from what, for listings and error messages. */
    String description();

    default List<ParameterSpec> parameters() {
        return List.of();
    }

    /**
     * Retrieves the phase from {@code input} (for example images {@code ltem/image_0, 1, ...} or a
     * deflection map) with the run's calibration and parameters.
     *
     * @return the maps to write (with units), figures and named statistics
     * @throws org.ltz4d.api.error.InvalidInputException naming the map when the input is missing or unusable
     * @throws org.ltz4d.api.error.InvalidParameterException naming the parameter when one is wrong
     */
    Correlation retrieve(MapSet input, AnalysisContext context);
}
