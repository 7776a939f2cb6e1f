package org.ltz4d.engine.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.ltz4d.api.engine.Cancellation;

/**
 * The runs in flight. Each run gets its own cancellation token, cancelled when the caller's token
 * is (through a listener: no thread watches it), when the run itself decides to stop (a plugin it
 * uses went away) or when the engine stops ({@link #cancelAll}).
 */
public final class RunTracker {
    private final Set<Run> running = ConcurrentHashMap.newKeySet();
    private volatile String stopped;

    /** A run in flight; {@link #close()} when it ends, however it ends. */
    public final class Run implements AutoCloseable {
        private final Cancellation token = new Cancellation();
        private final Cancellation caller;
        private final Consumer<String> forward = token::cancel;

        private Run(Cancellation caller) {
            this.caller = caller;
        }

        /** The run's own token: what the frame runner and the plugins' context see. */
        public Cancellation token() {
            return token;
        }

        @Override
        public void close() {
            if (caller != null) caller.removeListener(forward);
            synchronized (RunTracker.this) {
                running.remove(this);
                RunTracker.this.notifyAll();
            }
        }
    }

    /** Starts tracking a run that {@code caller} (may be null) can cancel. */
    public Run start(Cancellation caller) {
        Run run = new Run(caller);
        running.add(run);
        if (caller != null) caller.onCancel(run.forward);
        String why = stopped;
        if (why != null) run.token.cancel(why);
        return run;
    }

    /** Cancels every run in flight and every run started from now on. */
    public void cancelAll(String why) {
        stopped = why;
        for (Run r : running) r.token.cancel(why);
    }

    /** Waits until no run is in flight; false when {@code millis} passed first. */
    public synchronized boolean awaitIdle(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!running.isEmpty()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) return false;
            wait(left);
        }
        return true;
    }

    public int inFlight() {
        return running.size();
    }
}
