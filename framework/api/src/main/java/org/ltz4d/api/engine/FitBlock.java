package org.ltz4d.api.engine;

import java.io.Serializable;
import java.util.List;

/**
 * What fitting a range of consecutive frames of a {@link FitPass} gave: the per-position values of
 * frames {@code first .. first+count-1}, frame-major ({@code nav[(i - first) * width + slot]},
 * {@code width} values per frame over every fitter's NAV buffers in pass order), and the partial
 * SIG/SINGLE accumulators, one array per such buffer, fitter by fitter in declaration order; the
 * engine merges them with each fitter's own merge. The arrays belong to this value once made:
 * nobody writes to them afterwards.
 *
 * @since 1.3
 */
public record FitBlock(long first, int count, int width, float[] nav, List<double[]> partials) implements Serializable {
    private static final long serialVersionUID = 1L;

    public FitBlock {
        if (first < 0 || count < 0 || width < 0) {
            throw new IllegalArgumentException("first, count and width must be ≥ 0 (got " + first + ", " + count + ", " + width + ")");
        }
        if (nav.length != (long) count * width) {
            throw new IllegalArgumentException("nav holds " + nav.length + " values, expected count × width = " + count + " × " + width);
        }
        partials = List.copyOf(partials);
    }
}
