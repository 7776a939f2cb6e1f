package org.ltz4d.api.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Shape;

/** What {@code ltz4d info} shows of a file; {@code sum} is NaN unless asked for. */
public record DatasetInfo(Path file, String format, Shape navShape, Shape sigShape, DType dtype,
        Calibration calibration, Map<String, String> metadata, double sum) {
    public List<Integer> navList() {
        return java.util.Arrays.stream(navShape.toArray()).boxed().toList();
    }

    public List<Integer> sigList() {
        return java.util.Arrays.stream(sigShape.toArray()).boxed().toList();
    }
}
