package org.ltz4d.api.analysis;

import java.util.List;
import org.ltz4d.api.param.ParameterSpec;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns per-position fit outputs into physical maps with units (B in tesla from ring-centre
 * shifts, strain from ellipse forms...). Runs after all fitters, on whole maps.
 */
@ConsumerType
public interface QuantityDeriver {

    String name();

    default List<ParameterSpec> parameters() {
        return List.of();
    }

    /** Paths of the maps this deriver needs (fitter outputs or other derivers' maps). */
    List<String> requires();

    /**
     * Cheap checks of this deriver's parameters and of the calibration it will need, made before any
     * frame is read, so that a missing calibration or a bad option fails at once instead of after the
     * whole scan has been fitted. Throws the same typed errors {@link #derive} would. Default: none.
     */
    default void check(AnalysisContext context) {
    }

    /** The new maps (only those; the engine adds them to the run's results). */
    MapSet derive(MapSet inputs, AnalysisContext context);
}
