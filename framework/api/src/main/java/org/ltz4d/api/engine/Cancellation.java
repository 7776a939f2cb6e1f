package org.ltz4d.api.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A flag the caller sets to stop a run; the engine checks it between blocks and hears of it at
 * once through a listener. Thread-safe.
 */
public final class Cancellation {
    private String reason;
    private List<Consumer<String>> listeners = new ArrayList<>();

    /** Cancels (the first reason wins) and tells every listener, on the calling thread. */
    public void cancel(String why) {
        List<Consumer<String>> toTell;
        String r;
        synchronized (this) {
            if (reason != null) return;
            reason = r = why == null ? "cancelled" : why;
            toTell = listeners;
            listeners = List.of();
        }
        RuntimeException failed = null;
        for (Consumer<String> l : toTell) {
            try {
                l.accept(r);
            } catch (RuntimeException e) {
                if (failed == null) failed = e;
                else failed.addSuppressed(e);
            }
        }
        if (failed != null) throw failed;
    }

    public synchronized boolean isCancelled() {
        return reason != null;
    }

    /** Why it was cancelled, or null. */
    public synchronized String reason() {
        return reason;
    }

    /**
     * Calls {@code listener} with the reason exactly once when this is cancelled — at once, on this
     * thread, if it already is. Remove it with {@link #removeListener} when no longer interested.
     *
     * @since 1.1
     */
    public void onCancel(Consumer<String> listener) {
        String r;
        synchronized (this) {
            r = reason;
            if (r == null) {
                listeners.add(listener);
                return;
            }
        }
        listener.accept(r);
    }

    /**
     * Forgets a listener given to {@link #onCancel}; without effect if it was never added or has been called.
     *
     * @since 1.1
     */
    public synchronized void removeListener(Consumer<String> listener) {
        if (reason == null) listeners.remove(listener);
    }
}
