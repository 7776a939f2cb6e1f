package org.ltz4d.api.error;

import java.nio.file.Path;

/** A dataset or map has a different shape than the analysis needs (2D where 4D is needed, a thickness map of the wrong size...). */
public class ShapeMismatchException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    public ShapeMismatchException(Path file, String field, String expected, String found) {
        super(file, field, expected, found);
    }

    public ShapeMismatchException(Path file, String field, String expected, String found, Throwable cause) {
        super(file, field, expected, found, cause);
    }
}
