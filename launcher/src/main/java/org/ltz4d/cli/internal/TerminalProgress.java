package org.ltz4d.cli.internal;

import java.io.PrintStream;
import org.ltz4d.api.engine.ProgressListener;

/**
 * Progress of long work on stderr: a redrawn bar with rate and time left when stderr is a
 * terminal, plain lines (every 10 %) otherwise, so logs stay readable.
 */
public final class TerminalProgress implements ProgressListener {
    private final PrintStream err;
    private final boolean tty;
    private final boolean quiet;
    private String stage = "";
    private long stageStart;
    private long lastDraw;
    private int lastDecile = -1;

    public TerminalProgress(PrintStream err, boolean tty, boolean quiet) {
        this.err = err;
        this.tty = tty;
        this.quiet = quiet;
    }

    @Override
    public synchronized void update(String stage, long done, long total) {
        if (quiet) return;
        long now = System.nanoTime();
        if (!stage.equals(this.stage)) {
            if (tty && !this.stage.isEmpty()) err.println();
            this.stage = stage;
            stageStart = now;
            lastDecile = -1;
            lastDraw = 0;
        }
        if (total <= 0) {
            if (tty) err.print("\r\033[K");
            err.println(stage);
            return;
        }
        double f = Math.min(1, (double) done / total);
        double secs = (now - stageStart) / 1e9;
        double rate = secs > 0 ? done / secs : 0;
        if (tty) {
            if (done < total && now - lastDraw < 100_000_000L) return;
            lastDraw = now;
            int width = 30;
            int fill = (int) Math.round(f * width);
            String eta = rate > 0 && done < total ? String.format(" %.0f s left", (total - done) / rate) : "";
            err.printf("\r\033[K%-14s [%s%s] %5.1f%% %d/%d %.0f/s%s", stage, "#".repeat(fill), " ".repeat(width - fill), 100 * f,
                    done, total, rate, eta);
            if (done >= total) err.println();
            err.flush();
        } else {
            int decile = (int) (f * 10);
            if (decile == lastDecile) return;
            lastDecile = decile;
            err.printf("%s: %d/%d (%.0f%%, %.0f/s)%n", stage, done, total, 100 * f, rate);
        }
    }
}
