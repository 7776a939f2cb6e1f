package org.ltz4d.api.error;

import java.nio.file.Path;

/** A calibration the analysis needs (beam energy, detector pixel size, scan step...) is neither in the file nor given by the user. */
public class MissingCalibrationException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    public MissingCalibrationException(Path file, String field, String expected, String found) {
        super(file, field, expected, found);
    }

    public MissingCalibrationException(Path file, String field, String expected, String found, Throwable cause) {
        super(file, field, expected, found, cause);
    }
}
