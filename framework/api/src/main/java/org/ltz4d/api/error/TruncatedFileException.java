package org.ltz4d.api.error;

import java.nio.file.Path;

/** The file ends before the data its header announces. */
public class TruncatedFileException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    public TruncatedFileException(Path file, String field, String expected, String found) {
        super(file, field, expected, found);
    }

    public TruncatedFileException(Path file, String field, String expected, String found, Throwable cause) {
        super(file, field, expected, found, cause);
    }
}
