package org.ltz4d.api.analysis;

import java.nio.file.Path;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.param.Parameters;
import org.osgi.annotation.versioning.ProviderType;

/** What derivers and correlators know about the run: calibration, parameters, scan shape. */
@ProviderType
public interface AnalysisContext {

    Calibration calibration();

    Parameters parameters();

    /** Scan shape (scan_y, scan_x) of the maps. */
    Shape navShape();

    /**
     * Runs fitter {@code fitter} over another dataset (for example a vacuum scan over the same
     * positions, for its direct-beam centres) and returns its NAV results as maps. The file is read
     * with the same readers and streamed like the main dataset.
     */
    MapSet analyzeReference(Path file, String fitter);

    /** Reports a line of progress or a note for the run's log. */
    void log(String message);
}
