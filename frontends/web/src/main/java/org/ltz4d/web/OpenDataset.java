package org.ltz4d.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.engine.DatasetInfo;
import org.ltz4d.api.engine.Engine;
import org.ltz4d.api.param.Parameters;

/** A dataset opened through the engine for the page: frames are read one at a time through its reader; only the virtual images are kept. */
final class OpenDataset implements AutoCloseable {
    final int id;
    private final Dataset dataset;
    private final DatasetInfo info;
    private final Parameters options;
    private final Engine engine;
    private VirtualImages pass;
    /** One frame's buffer per thread, reused (a click reads one frame, no per-request set-up). */
    private final ThreadLocal<float[]> frameBuffer;

    OpenDataset(int id, Engine engine, Dataset dataset, DatasetInfo info, Parameters options) {
        this.id = id;
        this.engine = engine;
        this.dataset = dataset;
        this.info = info;
        this.options = options;
        this.frameBuffer = ThreadLocal.withInitial(() -> new float[dataset.framePixels()]);
    }

    int rows() {
        return info.navShape().dim(0);
    }

    int cols() {
        return info.navShape().dim(1);
    }

    int detRows() {
        return info.sigShape().dim(0);
    }

    int detCols() {
        return info.sigShape().dim(1);
    }

    private static final java.util.concurrent.ExecutorService PASSES = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ltz4d-web-virtual");
        t.setDaemon(true);
        return t;
    });

    /**
     * The engine's pass of the virtual fitter with these parameters: the running or finished one, or
     * a new one (the previous one is stopped).
     */
    synchronized VirtualImages virtual(Map<String, String> parameters) {
        if (pass != null && pass.parameters.equals(new java.util.TreeMap<>(parameters)) && pass.error == null) return pass;
        if (pass != null) pass.stop();
        VirtualImages p = new VirtualImages(dataset, parameters);
        pass = p;
        PASSES.submit(() -> p.run(engine, dataset, options));
        return p;
    }

    /** One frame, read through the reader (float32, row-major). */
    float[] frame(int y, int x) {
        float[] f = frameBuffer.get();
        dataset.readFrames((long) y * cols() + x, 1, f, 0);
        return f;
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("path", info.file().toString());
        m.put("format", info.format());
        m.put("scan", info.navList());
        m.put("detector", info.sigList());
        m.put("dtype", info.dtype().toString());
        m.put("calibration", ApiServlet.calibration(info.calibration()));
        m.put("metadata", info.metadata());
        m.put("options", options.asMap());
        return m;
    }

    @Override
    public void close() {
        VirtualImages p;
        synchronized (this) {
            p = pass;
        }
        if (p != null) {
            p.stop();
            try {
                p.await();
            } catch (WebException e) {
                // stopped: nothing to keep
            }
        }
        dataset.close();
    }
}
