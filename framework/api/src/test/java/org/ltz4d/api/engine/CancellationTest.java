package org.ltz4d.api.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class CancellationTest {
    @Test
    void theFirstReasonWinsAndListenersHearItOnce() {
        Cancellation c = new Cancellation();
        List<String> heard = new CopyOnWriteArrayList<>();
        c.onCancel(heard::add);
        assertFalse(c.isCancelled());
        assertNull(c.reason());
        c.cancel("Ctrl-C");
        c.cancel("second");
        assertTrue(c.isCancelled());
        assertEquals("Ctrl-C", c.reason());
        assertEquals(List.of("Ctrl-C"), heard);
        c.onCancel(heard::add);
        assertEquals(List.of("Ctrl-C", "Ctrl-C"), heard, "a listener added after cancel is told at once");
        Cancellation n = new Cancellation();
        n.cancel(null);
        assertEquals("cancelled", n.reason());
    }

    @Test
    void aRemovedListenerIsNotCalledAndAThrowingOneDoesNotStopTheOthers() {
        Cancellation c = new Cancellation();
        List<String> heard = new CopyOnWriteArrayList<>();
        Consumer<String> removed = r -> heard.add("removed " + r);
        c.onCancel(removed);
        c.onCancel(r -> {
            throw new IllegalStateException("listener bug");
        });
        c.onCancel(r -> heard.add("kept " + r));
        c.removeListener(removed);
        try {
            c.cancel("stop");
        } catch (IllegalStateException expected) {
            assertEquals("listener bug", expected.getMessage());
        }
        assertEquals(List.of("kept stop"), heard);
        assertTrue(c.isCancelled());
    }

    @Test
    void everyListenerAddedConcurrentlyWithCancelHearsExactlyOnce() throws Exception {
        for (int round = 0; round < 200; round++) {
            Cancellation c = new Cancellation();
            int n = 8;
            CountDownLatch go = new CountDownLatch(1);
            List<String> heard = new CopyOnWriteArrayList<>();
            List<Thread> ts = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    c.onCancel(heard::add);
                });
                t.start();
                ts.add(t);
            }
            go.countDown();
            c.cancel("r");
            for (Thread t : ts) t.join(TimeUnit.SECONDS.toMillis(10));
            assertEquals(n, heard.size(), "round " + round);
        }
    }
}
