package org.ltz4d.api.error;

import java.nio.file.Path;

/** The file's bytes contradict its own format (bad magic, inconsistent header, unreadable chunk). */
public class CorruptFileException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    public CorruptFileException(Path file, String field, String expected, String found) {
        super(file, field, expected, found);
    }

    public CorruptFileException(Path file, String field, String expected, String found, Throwable cause) {
        super(file, field, expected, found, cause);
    }
}
