package org.ltz4d.api.error;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file could not be used: names the file, the field (header key, dataset path, byte range...),
 * what was expected and what was found. Subclasses say which kind of problem it is.
 */
public class InvalidInputException extends Ltz4dException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final String field;
    private final String expected;
    private final String found;

    public InvalidInputException(Path file, String field, String expected, String found) {
        this(file, field, expected, found, null);
    }

    public InvalidInputException(Path file, String field, String expected, String found, Throwable cause) {
        super(format(file, field, expected, found), cause);
        this.file = file;
        this.field = Objects.requireNonNull(field, "field");
        this.expected = expected;
        this.found = found;
    }

    static String format(Path file, String field, String expected, String found) {
        StringBuilder sb = new StringBuilder();
        sb.append(file == null ? "<no file>" : file.toString()).append(": ").append(field);
        if (expected != null) sb.append(": expected ").append(expected);
        if (found != null) sb.append(expected != null ? ", found " : ": ").append(found);
        return sb.toString();
    }

    /** The file at fault, or null when the input did not come from a file. */
    public Path file() { return file; }

    /** The header key, dataset path or region of the file that is at fault. */
    public String field() { return field; }

    public String expected() { return expected; }

    public String found() { return found; }
}
