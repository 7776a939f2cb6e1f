package org.ltz4d.calibration;

import java.util.ArrayList;
import java.util.List;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.units.Electron;

/**
 * Detector calibration from a pattern with rings of known position (DESIGN.md §2: detector pixel
 * as s = θ/λ in Å⁻¹, q = 2π·s; or as θ in mrad): the mean pattern of a dataset, its direct-beam
 * centre, the first ring, and for a standard the further rings, each measured by
 * {@link RingHarmonics} (whose r₀ is the ring's mean radius with the detector's distortion averaged
 * out).
 */
public final class DetectorCalibration {
    /** Lattice parameter of gold (fcc), Å. */
    public static final double AU_A = 4.0782;
    /** The first four reflections of an fcc powder: h² + k² + l² of 111, 200, 220, 311. */
    static final int[] FCC_N = {3, 4, 8, 11};
    static final String[] FCC_HKL = {"111", "200", "220", "311"};
    /** Half widths of the search windows (fraction of the radius): 311 sits 4 % inside 222. */
    static final double[] FCC_WINDOW = {0.06, 0.06, 0.05, 0.02};

    /** One measured ring: its label, known s (Å⁻¹), and the harmonics measurement. */
    public record Ring(String label, double s, RingHarmonics.Result measured) {
    }

    /** The pixel size: s per pixel (Å⁻¹) and its standard error, and the rings it came from. */
    public record PixelSize(double sPerPx, double sigma, List<Ring> rings, double chi2Reduced) {
        /** mrad per pixel at the beam energy: θ = s·λ. */
        public double mradPerPx(double kv) {
            return sPerPx * Electron.wavelengthAngstrom(kv) * 1e3;
        }

        public double mradSigma(double kv) {
            return sigma * Electron.wavelengthAngstrom(kv) * 1e3;
        }
    }

    private DetectorCalibration() {
    }

    /** The mean of up to {@code maxFrames} frames spread evenly over the scan. */
    public static double[] meanPattern(Dataset ds, int maxFrames) {
        long total = ds.frameCount();
        int n = (int) Math.min(total, Math.max(1, maxFrames));
        int px = ds.framePixels();
        float[] f = new float[px];
        double[] sum = new double[px];
        for (int i = 0; i < n; i++) {
            long idx = n == total ? i : Math.min(total - 1, Math.round((i + 0.5) * total / n));
            ds.readFrames(idx, 1, f, 0);
            for (int p = 0; p < px; p++) sum[p] += f[p];
        }
        for (int p = 0; p < px; p++) sum[p] /= n;
        return sum;
    }

    /** Centroid (x, y) of the pixels above half the maximum, and the radius of a disk of that area: {x, y, radius}. */
    public static double[] beam(double[] pattern, int rows, int cols) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : pattern) if (v > max) max = v;
        double sx = 0, sy = 0, sw = 0;
        int n = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double v = pattern[r * cols + c];
                if (!(v >= 0.5 * max)) continue;
                sx += v * c;
                sy += v * r;
                sw += v;
                n++;
            }
        }
        return new double[] {sx / sw, sy / sw, Math.sqrt(n / Math.PI)};
    }

    /**
     * Radius (px) of the strongest ring outside the beam: the largest maximum of r·(P(r) − min P)
     * of the azimuthal profile P (1 px bins) from 2 beam radii + 3 px to the detector edge.
     */
    public static double firstRing(double[] pattern, int rows, int cols, double[] beam) {
        double cx = beam[0], cy = beam[1];
        int edge = (int) Math.floor(Math.min(Math.min(cx, cols - 1 - cx), Math.min(cy, rows - 1 - cy)));
        double[] sum = new double[edge + 2];
        int[] cnt = new int[edge + 2];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int b = (int) Math.round(Math.hypot(c - cx, r - cy));
                if (b > edge + 1 || !Double.isFinite(pattern[r * cols + c])) continue;
                sum[b] += pattern[r * cols + c];
                cnt[b]++;
            }
        }
        int lo = (int) Math.ceil(2 * beam[2] + 3);
        double min = Double.POSITIVE_INFINITY;
        for (int b = lo; b <= edge; b++) if (cnt[b] > 0) min = Math.min(min, sum[b] / cnt[b]);
        int best = -1;
        double bestV = 0;
        for (int b = lo + 1; b < edge; b++) {
            if (cnt[b - 1] == 0 || cnt[b] == 0 || cnt[b + 1] == 0) continue;
            double p = sum[b] / cnt[b], pl = sum[b - 1] / cnt[b - 1], pr = sum[b + 1] / cnt[b + 1];
            if (p < pl || p < pr) continue;
            double v = b * (p - min);
            if (v > bestV) {
                bestV = v;
                best = b;
            }
        }
        if (best < 0) throw new IllegalArgumentException("no ring between " + lo + " and " + edge + " px from the beam at ("
                + String.format("%.1f, %.1f", cx, cy) + ")");
        return best;
    }

    /** Pixel size from one ring of known q (Å⁻¹, q = 2π·s), e.g. a glass's first peak. */
    public static PixelSize fromRingQ(double[] pattern, int rows, int cols, double q) {
        double[] b = beam(pattern, rows, cols);
        double r = firstRing(pattern, rows, cols, b);
        RingHarmonics.Result m = RingHarmonics.measure(pattern, rows, cols, b[0], b[1], r, 0.3, 72);
        double s = q / (2 * Math.PI);
        return fit(List.of(new Ring("q = " + q + " 1/Å", s, m)));
    }

    /** Pixel size from the 111, 200, 220 and 311 rings of polycrystalline gold (a = 4.0782 Å); the rings that cannot be measured are left out (at least one needed). */
    public static PixelSize fromGold(double[] pattern, int rows, int cols) {
        double[] b = beam(pattern, rows, cols);
        double r111 = firstRing(pattern, rows, cols, b);
        RingHarmonics.Result first = RingHarmonics.measure(pattern, rows, cols, b[0], b[1], r111, FCC_WINDOW[0], 72);
        List<Ring> rings = new ArrayList<>();
        rings.add(new Ring(FCC_HKL[0], Math.sqrt(FCC_N[0]) / AU_A, first));
        for (int i = 1; i < FCC_N.length; i++) {
            double guess = first.r0() * Math.sqrt(FCC_N[i] / (double) FCC_N[0]);
            try {
                rings.add(new Ring(FCC_HKL[i], Math.sqrt(FCC_N[i]) / AU_A,
                        RingHarmonics.measure(pattern, rows, cols, first.cx(), first.cy(), guess, FCC_WINDOW[i], 72)));
            } catch (IllegalArgumentException e) {
                // outside the detector or too weak: the other rings still calibrate
            }
        }
        return fit(rings);
    }

    /** Weighted least squares through the origin, r_i = u·s_i (weights 1/σ_r²), pixel = 1/u; σ scaled by sqrt(χ²/(N−1)) when above 1. */
    static PixelSize fit(List<Ring> rings) {
        double swss = 0, swrs = 0;
        for (Ring g : rings) {
            double w = 1 / (g.measured().r0Sigma() * g.measured().r0Sigma());
            swss += w * g.s() * g.s();
            swrs += w * g.measured().r0() * g.s();
        }
        double u = swrs / swss;
        double chi = 0;
        for (Ring g : rings) {
            double d = g.measured().r0() - u * g.s();
            chi += d * d / (g.measured().r0Sigma() * g.measured().r0Sigma());
        }
        double red = rings.size() > 1 ? chi / (rings.size() - 1) : Double.NaN;
        double su = Math.sqrt(1 / swss) * (rings.size() > 1 ? Math.sqrt(Math.max(1, red)) : 1);
        return new PixelSize(1 / u, su / (u * u), List.copyOf(rings), red);
    }
}
