package org.ltz4d.engine.internal;

import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;
import org.ltz4d.api.analysis.BufferSpec;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.analysis.FrameProcessor;

/**
 * The sum of every pixel value of a dataset ({@code ltz4d info --sum}), as a fitter the frame
 * runner streams like any other: same blocks, threads, progress and cancellation. One instance per
 * sum; the total is accumulated in double precision (a float buffer would lose counts).
 */
public final class PixelSum implements Fitter {
    private final DoubleAdder total = new DoubleAdder();

    @Override
    public String name() {
        return "pixel-sum";
    }

    @Override
    public List<BufferSpec> buffers(FitContext context) {
        return List.of();
    }

    @Override
    public FrameProcessor processor(FitContext context) {
        return (frame, out) -> {
            float[] d = frame.data();
            int end = frame.offset() + frame.height() * frame.width();
            double s = 0;
            for (int i = frame.offset(); i < end; i++) s += d[i];
            total.add(s);
        };
    }

    public double total() {
        return total.sum();
    }
}
