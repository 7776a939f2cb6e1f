package org.ltz4d.api.error;

import java.nio.file.Path;

/** No reader accepts the file, or the file is of a known format in a variant that is not supported (for example MIB RAW frames). */
public class UnsupportedFormatException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    public UnsupportedFormatException(Path file, String field, String expected, String found) {
        super(file, field, expected, found);
    }

    public UnsupportedFormatException(Path file, String field, String expected, String found, Throwable cause) {
        super(file, field, expected, found, cause);
    }
}
