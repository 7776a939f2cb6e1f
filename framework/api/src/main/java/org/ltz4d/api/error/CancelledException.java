package org.ltz4d.api.error;

/** The run was cancelled by the user or because a plugin it used went away. */
public class CancelledException extends Ltz4dException {
    private static final long serialVersionUID = 1L;

    public CancelledException(String message) {
        super(message);
    }
}
