package org.ltz4d.simulator;

import java.nio.file.Path;
import java.util.Map;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;

/**
 * A simulated scan as a {@link Dataset} whose frames are drawn on demand (deterministically, from
 * the spec's seed and the frame index: the same counts as the files {@link Simulator#write} writes).
 * Stateless and thread-safe; nothing is held in memory.
 */
final class SimulatedDataset implements Dataset {
    private final SimulationSpec spec;
    private final boolean vacuum;

    SimulatedDataset(SimulationSpec spec, boolean vacuum) {
        this.spec = spec;
        this.vacuum = vacuum;
    }

    @Override public Path source() { return Path.of("simulated", vacuum ? Simulator.VACUUM_FILE : Simulator.DATA_FILE); }
    @Override public String format() { return "simulated"; }
    @Override public Shape navShape() { return Shape.of(spec.scanY(), spec.scanX()); }
    @Override public Shape sigShape() { return Shape.of(spec.detY(), spec.detX()); }
    @Override public DType dtype() { return spec.dtype(); }
    @Override public Calibration calibration() { return spec.calibration(); }
    @Override public Map<String, String> metadata() { return Map.of("simulation_seed", Long.toString(spec.seed())); }

    @Override
    public void readFrames(long first, int count, float[] dest, int destOffset) {
        if (first < 0 || count < 0 || first + count > frameCount()) {
            throw new IndexOutOfBoundsException("frames " + first + ".." + (first + count) + " of " + frameCount());
        }
        int px = framePixels();
        Simulator.Scratch row = new Simulator.Scratch(spec);
        for (int i = 0; i < count; i++) {
            long f = first + i;
            int y = (int) (f / spec.scanX()), x = (int) (f % spec.scanX());
            Simulator.sampleInto(spec, y, x, vacuum, dest, destOffset + i * px, row);
        }
    }

    @Override
    public void close() {
    }
}
