package org.example.vadf;

import java.util.List;
import org.ltz4d.api.analysis.BufferSpec;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.analysis.FrameProcessor;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.units.Unit;
import org.osgi.service.component.annotations.Component;

/**
 * A virtual annular detector: per frame, the counts inside a disk (bright field) and inside an
 * annulus (dark field) around the detector centre. Radii in pixels; the pixel lists are computed
 * once per run, so the per-frame work is two sums over precomputed indices.
 */
@Component(service = Fitter.class)
public class VirtualAnnularFitter implements Fitter {
    public static final String NAME = "vadf";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.number("bf-radius-px", "outer radius of the virtual bright-field disk", Unit.PIXEL, 8.0, 0, 1e4),
                ParameterSpec.number("adf-inner-px", "inner radius of the virtual annular dark-field detector", Unit.PIXEL, 20.0, 0, 1e4),
                ParameterSpec.number("adf-outer-px", "outer radius of the virtual annular dark-field detector", Unit.PIXEL, 60.0, 0, 1e4));
    }

    @Override
    public List<BufferSpec> buffers(FitContext ctx) {
        return List.of(BufferSpec.nav("virtual/bf", Unit.COUNTS, "counts in the virtual bright-field disk"),
                BufferSpec.nav("virtual/adf", Unit.COUNTS, "counts in the virtual annular dark-field detector"));
    }

    @Override
    public FrameProcessor processor(FitContext ctx) {
        int h = ctx.sigShape().dim(0);
        int w = ctx.sigShape().dim(1);
        double bf = ctx.parameters().number("bf-radius-px", 8);
        double in = ctx.parameters().number("adf-inner-px", 20);
        double out = ctx.parameters().number("adf-outer-px", 60);
        int[] bfIdx = indices(h, w, 0, bf);
        int[] adfIdx = indices(h, w, in, out);
        int bfSlot = ctx.slot("virtual/bf");
        int adfSlot = ctx.slot("virtual/adf");
        return (frame, o) -> {
            float[] d = frame.data();
            int off = frame.offset();
            double sb = 0;
            for (int i : bfIdx) sb += d[off + i];
            double sa = 0;
            for (int i : adfIdx) sa += d[off + i];
            o.set(bfSlot, (float) sb);
            o.set(adfSlot, (float) sa);
        };
    }

    /** Flat indices of the pixels whose centres lie at r0 ≤ r &lt; r1 from the detector centre. */
    static int[] indices(int h, int w, double r0, double r1) {
        double cy = (h - 1) / 2.0;
        double cx = (w - 1) / 2.0;
        int n = 0;
        int[] tmp = new int[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double r = Math.hypot(x - cx, y - cy);
                if (r >= r0 && r < r1) tmp[n++] = y * w + x;
            }
        }
        return java.util.Arrays.copyOf(tmp, n);
    }
}
