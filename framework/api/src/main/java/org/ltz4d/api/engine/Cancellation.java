package org.ltz4d.api.engine;

/** A flag the caller sets to stop a run; the engine checks it between blocks. Thread-safe. */
public final class Cancellation {
    private volatile String reason;

    public void cancel(String why) {
        if (reason == null) reason = why == null ? "cancelled" : why;
    }

    public boolean isCancelled() {
        return reason != null;
    }

    /** Why it was cancelled, or null. */
    public String reason() {
        return reason;
    }
}
