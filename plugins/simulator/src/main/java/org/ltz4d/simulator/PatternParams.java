package org.ltz4d.simulator;

/**
 * The expected-count model of one simulated pattern (the simulator draws Poisson counts from it,
 * and the ring fitter's Cramér–Rao tests differentiate it). For the centre (x, y) of detector pixel
 * (row y, column x) — pixel i covers [i−½, i+½), and the model is sampled at pixel centres:
 *
 * <pre>
 *   ρ(p)  = sqrt((p − c)ᵀ·Q·(p − c)),  c = (cx, cy),  Q = [[q11, q12], [q12, q22]]  (ρ = 1 on the ridge)
 *   μ(p)  = pedestal
 *         + background · exp(−(ρ − 1) / decay)                 smooth decaying diffuse background
 *         + amplitude  · exp(−(ρ − 1)² / (2·width²))           the first amorphous ring
 *         + beamPeak   / (1 + exp((|p − b| − beamRadius) / beamEdge))   direct beam, a soft disk at b
 * </pre>
 *
 * {@code width} and {@code decay} are relative to the ring's radius (ρ units), so the whole
 * scattered pattern scales with the ring form. The beam term is evaluated within
 * beamRadius + 40·beamEdge of b and taken as 0 beyond (where it is below 10⁻¹⁷ of its peak).
 * A vacuum pattern has amplitude = background = pedestal = 0.
 */
public record PatternParams(double cx, double cy, double q11, double q12, double q22, double width, double amplitude,
        double pedestal, double background, double decay, double beamX, double beamY, double beamRadius,
        double beamEdge, double beamPeak) {

    /** Expected counts at the pixel centred on (x, y). */
    public double intensity(double x, double y) {
        double mu = scattered(x, y);
        if (beamPeak != 0) {
            double r = Math.hypot(x - beamX, y - beamY);
            if (r < beamRadius + 40 * beamEdge) mu += beamPeak / (1 + Math.exp((r - beamRadius) / beamEdge));
        }
        return mu;
    }

    /** The ring and background part of {@link #intensity} (no direct beam). */
    public double scattered(double x, double y) {
        if (amplitude == 0 && background == 0) return pedestal;
        double dx = x - cx, dy = y - cy;
        double rho = Math.sqrt(q11 * dx * dx + 2 * q12 * dx * dy + q22 * dy * dy);
        double d = rho - 1;
        return pedestal + background * Math.exp(-d / decay) + amplitude * Math.exp(-d * d / (2 * width * width));
    }

    /** Renders the expected counts of a rows × cols detector into {@code dest} from {@code offset}. */
    public void render(int rows, int cols, float[] dest, int offset) {
        double[] row = new double[cols];
        render(rows, cols, (r, vals) -> {
            int o = offset + r * cols;
            for (int c = 0; c < cols; c++) dest[o + c] = (float) vals[c];
        }, row);
    }

    interface RowSink {
        void row(int r, double[] values);
    }

    /** Renders row by row into a reused buffer (the hot path of the simulator). */
    void render(int rows, int cols, RowSink sink, double[] buf) {
        boolean ring = amplitude != 0 || background != 0;
        double inv2w2 = 1 / (2 * width * width);
        double invDecay = 1 / decay;
        double reach = beamRadius + 40 * beamEdge;
        for (int r = 0; r < rows; r++) {
            double dy = r - cy;
            if (ring) {
                for (int c = 0; c < cols; c++) {
                    double dx = c - cx;
                    double rho = Math.sqrt(q11 * dx * dx + 2 * q12 * dx * dy + q22 * dy * dy);
                    double d = rho - 1;
                    buf[c] = pedestal + background * Math.exp(-d * invDecay) + amplitude * Math.exp(-d * d * inv2w2);
                }
            } else {
                java.util.Arrays.fill(buf, 0, cols, pedestal);
            }
            double by = r - beamY;
            if (beamPeak != 0 && Math.abs(by) < reach) {
                int c0 = Math.max(0, (int) Math.floor(beamX - reach));
                int c1 = Math.min(cols - 1, (int) Math.ceil(beamX + reach));
                for (int c = c0; c <= c1; c++) {
                    double rr = Math.hypot(c - beamX, by);
                    if (rr < reach) buf[c] += beamPeak / (1 + Math.exp((rr - beamRadius) / beamEdge));
                }
            }
            sink.row(r, buf);
        }
    }

    /** Semi-axes and angle of the ring ellipse: {a, b, angleDeg} with a ≥ b, angle of a in [0, 180). */
    public double[] ellipse() {
        return Simulator.ellipseOf(q11, q12, q22);
    }
}
