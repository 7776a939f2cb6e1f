package org.ltz4d.api.error;

/**
 * Root of every error ltz4d reports on purpose. Unchecked, so it crosses service boundaries and
 * lambdas; front-ends print {@link #getMessage()} as one line (a stack trace only with --debug).
 */
public class Ltz4dException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Ltz4dException(String message) {
        super(message);
    }

    public Ltz4dException(String message, Throwable cause) {
        super(message, cause);
    }
}
