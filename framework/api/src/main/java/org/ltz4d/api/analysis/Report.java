package org.ltz4d.api.analysis;

import java.nio.file.Path;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A report of an analysis folder ({@code ltz4d report DIR}): one document with its maps, figures,
 * parameters and statistics. A service, so front-ends see a report bundle installed at any time.
 */
@ConsumerType
public interface Report {
    String name();

    /**
     * Writes the report of {@code resultsDir} (a folder with {@code results.h5}) to {@code outFile}.
     *
     * @return the file written
     * @throws org.ltz4d.api.error.InvalidInputException naming the folder or file when it cannot be read or written
     */
    Path write(Path resultsDir, Path outFile);
}
