package org.ltz4d.calibration;

import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.function.Supplier;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.Parameters;

/** What the calibrations share: the mean pattern of the dataset and the typed error of a pattern that cannot be measured. */
final class Calibrators {
    /** Frames averaged into the mean pattern unless {@code frames} says otherwise. */
    static final int DEFAULT_FRAMES = 4096;

    /** The mean pattern, its shape (rows, cols), the frames averaged and the file's beam energy. */
    record Mean(double[] pattern, int rows, int cols, long averaged, OptionalDouble fileBeamKv) {
    }

    private Calibrators() {
    }

    /** The {@code frames} option (an integer ≥ 1), checked before anything is read. */
    static int frames(Parameters p) {
        String raw = p.string("frames").orElse(Integer.toString(DEFAULT_FRAMES)).strip();
        int frames;
        try {
            frames = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new InvalidParameterException("frames", "an integer ≥ 1", raw);
        }
        if (frames < 1) throw new InvalidParameterException("frames", "an integer ≥ 1", Integer.toString(frames));
        return frames;
    }

    /** The mean of up to {@code frames} frames spread over the scan of the dataset {@code open} gives. */
    static Mean mean(Supplier<Dataset> open, int frames) {
        try (Dataset ds = open.get()) {
            int rows = ds.sigShape().rows();
            int cols = ds.sigShape().cols();
            long averaged = Math.min(frames, ds.frameCount());
            return new Mean(DetectorCalibration.meanPattern(ds, frames), rows, cols, averaged, ds.calibration().beamKv());
        }
    }

    /** A measurement failure of the data as a typed error naming the file. */
    static InvalidInputException notMeasurable(Path file, IllegalArgumentException e) {
        return new InvalidInputException(file, "mean pattern", "a ring that can be measured", e.getMessage());
    }
}
