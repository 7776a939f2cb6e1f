package org.ltz4d.web;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.Engine;
import org.ltz4d.api.engine.PartialMapsListener;
import org.ltz4d.api.error.CancelledException;
import org.ltz4d.api.param.Parameters;

/**
 * One pass of the engine's {@code virtual} fitter over an open dataset (the page computes nothing
 * itself): bright field, annular dark field, first-ring band, centre of mass, the drawn polygon and
 * the sum pattern. The maps start NaN (grey) and fill in block by block as the engine reports its
 * partial maps ({@link PartialMapsListener}), so the page can draw the image growing; at the end
 * they are the engine's final maps, the detectors' geometry is read from their attributes and the
 * mean pattern is the sum pattern ÷ frames.
 */
final class VirtualImages implements PartialMapsListener {
    static final String FITTER = "virtual";
    /** The page's names of the maps and the engine's. */
    static final Map<String, String> KINDS = Map.of("bf", "virtual/bf", "adf", "virtual/adf", "ring", "virtual/ring",
            "com-x", "virtual/com_x", "com-y", "virtual/com_y", "mask", "virtual/mask");

    /** The virtual fitter's parameters of this pass (sorted: the pass's key). */
    final Map<String, String> parameters;
    final int rows, cols, detRows, detCols;
    final long total;
    final AtomicLong done = new AtomicLong();
    final long started = System.nanoTime();
    private final Map<String, float[]> maps = new LinkedHashMap<>();
    private final Cancellation cancellation = new Cancellation();
    private final CountDownLatch finished = new CountDownLatch(1);
    volatile double seconds = Double.NaN;
    volatile double firstBlockSeconds = Double.NaN;
    volatile String error;
    private volatile Map<String, Object> geometry;
    private volatile float[] mean;

    VirtualImages(Dataset ds, Map<String, String> parameters) {
        this.parameters = new TreeMap<>(parameters);
        this.rows = ds.navShape().dim(0);
        this.cols = ds.navShape().dim(1);
        this.detRows = ds.sigShape().dim(0);
        this.detCols = ds.sigShape().dim(1);
        this.total = ds.frameCount();
        for (String name : KINDS.values()) {
            float[] m = new float[rows * cols];
            Arrays.fill(m, Float.NaN);
            maps.put(name, m);
        }
    }

    /** Runs the pass on this thread through the engine; errors are kept for the page. */
    void run(Engine engine, Dataset ds, Parameters options) {
        try {
            Map<String, String> p = new TreeMap<>(options.asMap()); // calibration overrides the dataset was opened with
            p.putAll(parameters);
            p.put("virtual-sum-pattern", "true");
            MapSet result = engine.fit(ds, List.of(FITTER), Parameters.of(p), this, cancellation);
            for (Map.Entry<String, float[]> e : maps.entrySet()) {
                result.get(e.getKey()).ifPresent(m -> System.arraycopy(m.toArray(), 0, e.getValue(), 0, e.getValue().length));
            }
            float[] sum = result.require("virtual/sum_pattern").toArray();
            for (int i = 0; i < sum.length; i++) sum[i] /= total;
            mean = sum;
            geometry = geometry(result);
            seconds = (System.nanoTime() - started) / 1e9;
        } catch (CancelledException e) {
            error = "the virtual images were stopped (" + e.getMessage() + ")";
        } catch (RuntimeException e) {
            error = "virtual images of " + ds.source() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage());
        } finally {
            finished.countDown();
        }
    }

    /** The detectors the engine used, from the maps' attributes (px; null where a detector was not placed). */
    private static Map<String, Object> geometry(MapSet m) {
        Map<String, Object> bf = m.require("virtual/bf").attributes(), adf = m.require("virtual/adf").attributes(),
                ring = m.require("virtual/ring").attributes();
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("cx", finite(bf.get("centre_x_px")));
        g.put("cy", finite(bf.get("centre_y_px")));
        g.put("bfRadius", finite(bf.get("outer_radius_px")));
        g.put("adfInner", finite(adf.get("inner_radius_px")));
        g.put("adfOuter", finite(adf.get("outer_radius_px")));
        g.put("ringInner", finite(ring.get("inner_radius_px")));
        g.put("ringOuter", finite(ring.get("outer_radius_px")));
        g.put("mrad_per_px", m.get("virtual/com_x").map(DataMap::attributes).map(a -> finite(a.get("mrad_per_px"))).orElse(null));
        return g;
    }

    private static Double finite(Object o) {
        return o instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : null;
    }

    @Override
    public void update(String stage, long d, long t) {
        done.set(d);
    }

    @Override
    public void fitted(String stage, long first, int count, Map<String, float[]> values) {
        if (Double.isNaN(firstBlockSeconds)) firstBlockSeconds = (System.nanoTime() - started) / 1e9;
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            float[] target = maps.get(e.getKey());
            if (target != null) System.arraycopy(e.getValue(), 0, target, (int) first, count);
        }
    }

    /**
     * A copy of a map by the page's name: bf, adf, ring, com-x, com-y, mask (NaN where not yet
     * computed) — a snapshot, as the engine's workers keep filling the map while the pass runs.
     */
    float[] map(String kind) {
        String name = KINDS.get(kind);
        if (name == null) throw new WebException(400, "parameter 'kind': expected bf, adf, ring, com-x, com-y, com or mask, got '" + kind + "'");
        return maps.get(name).clone();
    }

    boolean finished() {
        return finished.getCount() == 0;
    }

    void stop() {
        cancellation.cancel("another virtual image was asked for");
    }

    /** Waits for the end of the pass (the mean pattern and the geometry need every frame). */
    VirtualImages await() {
        try {
            finished.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (error != null) throw new WebException(422, error);
        return this;
    }

    /** The detectors the engine placed (null until the pass ends). */
    Map<String, Object> geometry() {
        return geometry;
    }

    /** The mean pattern (null until the pass ends). */
    float[] mean() {
        return mean;
    }
}
