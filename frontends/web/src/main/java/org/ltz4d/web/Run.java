package org.ltz4d.web;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ltz4d.api.engine.AnalysisRequest;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.Engine;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.error.CancelledException;

/** One pipeline run started from the page: its progress (frames/s, remaining time), its end, its cancellation. */
final class Run implements ProgressListener {
    final int id;
    final AnalysisRequest request;
    final String commandLine;
    private final Cancellation cancellation = new Cancellation();
    private final long started = System.nanoTime();
    private volatile String stage = "starting";
    private volatile long done;
    private volatile long total;
    private volatile long stageStarted = System.nanoTime();
    private volatile String status = "running";
    private volatile String message = "";

    Run(int id, AnalysisRequest request, String commandLine) {
        this.id = id;
        this.request = request;
        this.commandLine = commandLine;
    }

    void execute(Engine engine) {
        try {
            var summary = engine.analyze(request, this, cancellation);
            message = "wrote " + summary.results() + " (" + summary.frames() + " frames, " + summary.failedPositions()
                    + " failed, " + String.format(java.util.Locale.ROOT, "%.1f s", summary.seconds()) + ")";
            status = "done";
        } catch (CancelledException e) {
            status = "cancelled";
            message = e.getMessage();
        } catch (RuntimeException e) {
            status = "failed";
            message = e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }

    @Override
    public void update(String stage, long done, long total) {
        if (!stage.equals(this.stage)) stageStarted = System.nanoTime();
        this.stage = stage;
        this.done = done;
        this.total = total;
    }

    void cancel() {
        cancellation.cancel("cancelled from the web workbench");
    }

    boolean finished() {
        return !status.equals("running");
    }

    Path results() {
        return request.outDir().resolve("results.h5");
    }

    /** The state as the page shows it: stage, done/total, percent, units/s, remaining seconds, status. */
    Map<String, Object> state() {
        Map<String, Object> m = new LinkedHashMap<>();
        double secs = (System.nanoTime() - stageStarted) / 1e9;
        long d = done, t = total;
        double rate = secs > 0 ? d / secs : 0;
        m.put("id", id);
        m.put("pipeline", request.pipeline());
        m.put("status", status);
        m.put("stage", stage);
        m.put("done", d);
        m.put("total", t);
        m.put("percent", status.equals("done") ? 100.0 : t > 0 ? 100.0 * d / t : 0.0);
        m.put("per_second", rate);
        m.put("remaining_s", rate > 0 && t > d ? (t - d) / rate : 0.0);
        m.put("elapsed_s", (System.nanoTime() - started) / 1e9);
        m.put("message", message);
        m.put("out", request.outDir().toString());
        m.put("results", results().toString());
        m.put("command", commandLine);
        return m;
    }
}
