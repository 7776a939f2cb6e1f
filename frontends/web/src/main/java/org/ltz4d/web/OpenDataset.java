package org.ltz4d.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.engine.DatasetInfo;
import org.ltz4d.api.param.Parameters;

/** A dataset opened through the engine for the page: frames are read one at a time through its reader; only the virtual images are kept. */
final class OpenDataset implements AutoCloseable {
    final int id;
    private final Dataset dataset;
    private final DatasetInfo info;
    private final Parameters options;
    private final VirtualImages.Geometry guessed;
    private Pass pass;

    OpenDataset(int id, Dataset dataset, DatasetInfo info, Parameters options) {
        this.id = id;
        this.dataset = dataset;
        this.info = info;
        this.options = options;
        this.guessed = VirtualImages.guess(dataset);
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

    VirtualImages.Geometry geometry() {
        return guessed;
    }

    /** A pass of the virtual detectors, running or finished; its maps fill in as it goes. */
    static final class Pass {
        final VirtualImages.Result result;
        final AtomicLong done = new AtomicLong();
        final long total;
        final long started = System.nanoTime();
        volatile boolean stopped;
        volatile double seconds = Double.NaN;
        volatile String error;
        private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);

        Pass(VirtualImages.Result result, long total) {
            this.result = result;
            this.total = total;
        }

        boolean finished() {
            return finished.getCount() == 0;
        }

        /** Waits for the end of the pass (the mean pattern needs every frame). */
        Pass await() {
            try {
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (error != null) throw new WebException(422, error);
            return this;
        }
    }

    private static final java.util.concurrent.ExecutorService PASSES = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ltz4d-web-virtual");
        t.setDaemon(true);
        return t;
    });

    /** The pass for this geometry: the running or finished one, or a new one (the previous one is stopped). */
    synchronized Pass virtual(VirtualImages.Geometry g) {
        if (pass != null && pass.result.geometry().equals(g) && pass.error == null) return pass;
        if (pass != null) pass.stopped = true;
        Pass p = new Pass(VirtualImages.allocate(dataset, g), dataset.frameCount());
        pass = p;
        PASSES.submit(() -> {
            try {
                VirtualImages.fill(dataset, p.result, p.done, () -> p.stopped);
                p.seconds = (System.nanoTime() - p.started) / 1e9;
            } catch (RuntimeException e) {
                p.error = "virtual images of " + info.file() + ": " + e.getMessage();
            } finally {
                p.finished.countDown();
            }
        });
        return p;
    }

    /** One frame, read through the reader (float32, row-major). */
    float[] frame(int y, int x) {
        float[] f = new float[dataset.framePixels()];
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
        m.put("geometry", guessed);
        return m;
    }

    @Override
    public void close() {
        Pass p;
        synchronized (this) {
            p = pass;
        }
        if (p != null) {
            p.stopped = true;
            p.await();
        }
        dataset.close();
    }
}
