package org.ltz4d.web;

/** A request the workbench refuses, with the HTTP status to answer and one clear message. */
public final class WebException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public WebException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
