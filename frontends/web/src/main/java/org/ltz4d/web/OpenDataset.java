package org.ltz4d.web;

import java.util.LinkedHashMap;
import java.util.Map;
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
    private VirtualImages.Result virtual;

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

    /** The virtual images for this geometry, computed in one pass when the geometry changed. */
    synchronized VirtualImages.Result virtual(VirtualImages.Geometry g) {
        if (virtual == null || !virtual.geometry().equals(g)) virtual = VirtualImages.compute(dataset, g, null);
        return virtual;
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
        dataset.close();
    }
}
