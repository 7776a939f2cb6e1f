package org.ltz4d.api.analysis;

import java.util.Optional;
import java.util.OptionalInt;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.param.Parameters;
import org.osgi.annotation.versioning.ProviderType;

/** What a fitter may know about the run it takes part in. */
@ProviderType
public interface FitContext {

    /**
     * The dataset, read-only. Frames are read by {@link Fitter#setup} (e.g. for a seed); on a
     * cluster's executor the set-up comes from the driver and {@code buffers}/{@code processor}
     * should not read frames.
     */
    Dataset dataset();

    /** The dataset's calibration with the user's overrides applied. */
    Calibration calibration();

    Parameters parameters();

    /**
     * This fitter's set-up for the run: what {@link Fitter#setup} returned, computed once by this
     * engine or shipped from the driver that started the run. The same object for every call within
     * one run (a fitter may cache what it builds from it by identity).
     *
     * @since 1.5
     */
    default FitSetup setup() {
        return FitSetup.NONE;
    }

    default Shape navShape() {
        return dataset().navShape();
    }

    default Shape sigShape() {
        return dataset().sigShape();
    }

    /** The first slot of this fitter's NAV buffer {@code name} (see {@link FitOutput#set}). */
    int slot(String name);

    /** The slot of a NAV buffer of an earlier fitter in the same pass, if one declares it. */
    OptionalInt upstreamSlot(String name);

    /**
     * A result of an earlier pass: a NAV buffer as a map of the scan's shape, a SIG buffer as a map
     * of the detector's shape, a SINGLE buffer as a 1D map.
     */
    Optional<DataMap> previous(String name);
}
