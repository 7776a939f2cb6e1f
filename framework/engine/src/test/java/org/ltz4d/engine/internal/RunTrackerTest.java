package org.ltz4d.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.engine.internal.RunTracker.Run;

class RunTrackerTest {
    @Test
    void theCallersCancellationReachesTheRunOnlyWhileItRuns() {
        RunTracker t = new RunTracker();
        Cancellation caller = new Cancellation();
        Run first = t.start(caller);
        first.close();
        Run second = t.start(caller);
        caller.cancel("Ctrl-C");
        assertFalse(first.token().isCancelled(), "a closed run no longer listens");
        assertEquals("Ctrl-C", second.token().reason());
        second.close();
        assertEquals(0, t.inFlight());
    }

    @Test
    void aRunsOwnCancellationDoesNotCancelTheCaller() {
        RunTracker t = new RunTracker();
        Cancellation caller = new Cancellation();
        try (Run r = t.start(caller)) {
            r.token().cancel("fitter went away");
        }
        assertFalse(caller.isCancelled());
    }

    @Test
    void cancelAllStopsRunsInFlightAndThoseStartedLater() {
        RunTracker t = new RunTracker();
        Run a = t.start(null);
        Run b = t.start(new Cancellation());
        t.cancelAll("engine stopping");
        assertEquals("engine stopping", a.token().reason());
        assertEquals("engine stopping", b.token().reason());
        try (Run late = t.start(null)) {
            assertTrue(late.token().isCancelled(), "no new run starts on a stopped engine");
        }
    }

    @Test
    void awaitIdleWaitsForTheLastRunToClose() throws Exception {
        RunTracker t = new RunTracker();
        Run r = t.start(null);
        assertFalse(t.awaitIdle(20), "a run is in flight");
        CompletableFuture<Boolean> idle = CompletableFuture.supplyAsync(() -> {
            try {
                return t.awaitIdle(10_000);
            } catch (InterruptedException e) {
                return false;
            }
        });
        Thread.sleep(50);
        assertFalse(idle.isDone());
        r.close();
        assertTrue(idle.get(5, TimeUnit.SECONDS));
    }
}
