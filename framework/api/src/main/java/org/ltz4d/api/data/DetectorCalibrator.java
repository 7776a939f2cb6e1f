package org.ltz4d.api.data;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A detector calibration measured from data ({@code ltz4d calibrate NAME FILE}: {@code q} the
 * pixel size from rings of known position, {@code distortion} the detector's radial distortion): a
 * service, so the CLI, the web page and the Spark runner call whichever calibration bundle is
 * active, never its classes. Front-ends open the dataset through the engine and hand it over.
 */
@ConsumerType
public interface DetectorCalibrator {
    /** The calibration's name ({@code q}, {@code distortion}). */
    String name();

    /**
     * Measures the calibration. The parameters are checked first; then {@code open} is called
     * once and the dataset it gives is read (the mean pattern of up to {@code frames} frames) and
     * closed.
     *
     * @param source the dataset's file, for the result's {@code source} and for error messages
     * @param open opens the dataset (through the engine)
     * @param parameters the options, as text by name (e.g. {@code frames}, {@code ring-q}, {@code standard}, {@code beam-kv})
     * @return the calibration, ready to be written as JSON, and the lines a front-end shows
     * @throws org.ltz4d.api.error.InvalidParameterException naming the option that does not fit
     * @throws org.ltz4d.api.error.InvalidInputException naming the file when its pattern cannot be measured
     */
    Result calibrate(Path source, Supplier<Dataset> open, org.ltz4d.api.param.Parameters parameters);

    /**
     * A measured calibration: its values in order (numbers with their units named in the keys or a
     * {@code units} entry; nested maps and lists; JSON-ready), and the human-readable lines.
     */
    record Result(Map<String, Object> values, List<String> lines) {
        public Result {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
            lines = List.copyOf(lines);
        }
    }
}
