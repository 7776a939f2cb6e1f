package org.ltz4d.ltem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.SimilarityTransform;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.units.Unit;

/**
 * Alignment of a defocus series: each image is simulated from a sample (a magnetic vortex in a
 * 40 nm disk with mean inner potential and absorption, and a few 10 nm gold-like fiducial particles
 * on the film, as used for aligning real series) displaced by a known sub-pixel amount
 * (drawn analytically, not by the shift under test), then registered.
 */
class RegistrationTest {
    static final Grid G = new Grid(128, 128, Samples.PIXEL_NM);
    static final double[] Z = {-20000, 0, 20000};
    /** Known displacements (dy, dx) in pixels of the sample in each image; image 1 (in focus) is the reference. */
    static final double[][] D = {{1.37, -2.62}, {0, 0}, {-0.83, 3.41}};

    /** Phase and amplitude of the disk + vortex centred at the grid centre + (dy, dx) px. */
    static double[][] sample(double dy, double dx) {
        return sample(SimilarityTransform.of(0, 1, dx, dy, false));
    }

    /**
     * Phase and amplitude of the disk + vortex seen through a similarity transform T (the
     * convention of {@link SimilarityTransform}): image pixel q shows the sample point T⁻¹(q), drawn
     * analytically there, with the magnetisation turned (and mirrored) with it, so the image is the transformed image; a scale
     * s is a magnification, pixels of G's size / s ({@link #grid}), so fringes scale too.
     */
    static double[][] sample(SimilarityTransform tr) {
        return sample(tr, 1);
    }

    /** As {@link #sample(SimilarityTransform)} with the magnetic phase times {@code magneticSign} (−1: the sample turned over). */
    static double[][] sample(SimilarityTransform tr, double magneticSign) {
        int n = G.size();
        double[] mx = new double[n], my = new double[n], t = new double[n];
        double th0 = Math.toRadians(tr.rotationDeg()), co = Math.cos(th0), si = Math.sin(th0), f = tr.mirror() ? -1 : 1;
        double cy = (G.ny - 1) / 2.0, cx = (G.nx - 1) / 2.0;
        double[] particles = new double[n];
        double[][] at = {{-120, -60}, {-30, 150}, {90, 110}, {140, -140}, {40, -20}};
        for (int r = 0; r < G.ny; r++) {
            for (int c = 0; c < G.nx; c++) {
                // T⁻¹: undo the shift, the mirror, the rotation, the scale (pixels about the centre)
                double ux = f * (c - cx - tr.shiftXPx()), uy = r - cy - tr.shiftYPx();
                double x = (co * ux + si * uy) / tr.scale() * G.dxNm, y = (-si * ux + co * uy) / tr.scale() * G.dyNm;
                double rr = Math.hypot(x, y);
                double inside = 0.5 * (1 - Math.tanh((rr - 170) / 6.0));
                double mz = Math.exp(-(rr / 10) * (rr / 10));
                double inPlane = Math.sqrt(1 - mz * mz) * inside;
                double th = Math.atan2(y, x);
                double sx = -Math.sin(th) * inPlane, sy = Math.cos(th) * inPlane;
                // the direction in the image: R(θ)·m, and mirrored as the axial vector it is (the phase gradient, m turned by
                // 90°, is what mirrors as x → −x): (mx, my) → (mx, −my)
                mx[r * G.nx + c] = magneticSign * (co * sx - si * sy);
                my[r * G.nx + c] = magneticSign * f * (si * sx + co * sy);
                t[r * G.nx + c] = 40 * inside;
                for (double[] p : at) particles[r * G.nx + c] += 0.5 * (1 - Math.tanh((Math.hypot(y - p[0], x - p[1]) - 5) / 2.0));
            }
        }
        double[] ph = MagneticPhase.fromMagnetisation(grid(tr), mx, my, Samples.BT);
        double[] el = MagneticPhase.electrostatic(Samples.KV, 20, t);
        double[] amp = new double[n];
        for (int i = 0; i < n; i++) {
            ph[i] += el[i];
            amp[i] = Math.exp(-t[i] / 400.0 - 0.7 * particles[i]); // absorption: 10 % intensity loss at 40 nm, 75 % in a particle
        }
        return new double[][] {ph, amp};
    }

    /** The pixel grid of an image magnified by the transform's scale. */
    static Grid grid(SimilarityTransform tr) {
        return tr.scale() == 1 ? G : new Grid(G.ny, G.nx, G.dxNm / tr.scale());
    }

    static double[][] misalignedSeries(double noise) {
        ForwardModel fm = new ForwardModel(G, Optics.ideal(Samples.KV));
        double[][] im = new double[Z.length][];
        for (int k = 0; k < Z.length; k++) {
            double[][] s = sample(D[k][0], D[k][1]);
            im[k] = fm.simulate(s[0], s[1], new double[] {Z[k]})[0];
        }
        return noise > 0 ? Samples.noisy(im, noise, 5) : im;
    }

    @Test
    void knownShiftsAreRecoveredToATenthOfAPixel() {
        double[][] im = misalignedSeries(0.01);
        Registration.Shift[] shifts = LtemInput.align(im, 1, G.ny, G.nx, 100, Z, new boolean[3], G.dxNm, Samples.KV);
        for (int k = 0; k < Z.length; k++) {
            Registration.Shift s = shifts[k];
            System.out.printf("image %d (z = %.0f nm): shift (%.3f, %.3f) px, truth (%.2f, %.2f), peak %.3f%n", k, Z[k], s.dy(), s.dx(),
                    D[k][0], D[k][1], s.peak());
            assertEquals(D[k][0], s.dy(), 0.1, "dy of image " + k + ", px");
            assertEquals(D[k][1], s.dx(), 0.1, "dx of image " + k + ", px");
        }
    }

    @Test
    void shiftOfAnImageIsMeasuredExactlyAndUndone() {
        double[][] s = sample(0, 0);
        Registration reg = new Registration(G.ny, G.nx, 50);
        double[] moved = reg.shift(s[0], -4.3, 7.78);
        Registration.Shift m = reg.measure(s[0], moved);
        assertEquals(-4.3, m.dy(), 0.02);
        assertEquals(7.78, m.dx(), 0.02);
        double[] back = reg.shift(moved, -m.dy(), -m.dx());
        assertTrue(Samples.rmsError(back, s[0]) < 1e-2 * Samples.rmsError(moved, s[0]), "undone shift");
    }

    @Test
    void tieOfAMisalignedSeriesIsFixedByAlignment() {
        double[][] im = misalignedSeries(0.005);
        double[][] ref = sample(0, 0);
        MapSet maps = maps(im);
        Map<String, String> base = Map.of("defocus-nm", "20000", "pixel-nm", "4", "beam-kv", "300", "qc", "0.0005");
        Correlation raw = new LtemTieRetrieval().retrieve(maps, new TestContext(Calibration.none(), base, Shape.of(1, 1)));
        Map<String, String> withAlign = new java.util.HashMap<>(base);
        withAlign.put("align", "shift");
        TestContext ctx = new TestContext(Calibration.none(), withAlign, Shape.of(1, 1));
        Correlation aligned = new LtemTieRetrieval().retrieve(maps, ctx);
        double[] total = new double[G.size()];
        for (int i = 0; i < total.length; i++) total[i] = ref[0][i];
        double cRaw = Samples.correlation(toDouble(raw.maps().require("ltem/phase")), total);
        double cAl = Samples.correlation(toDouble(aligned.maps().require("ltem/phase")), total);
        double eRaw = Samples.rmsError(toDouble(raw.maps().require("ltem/phase")), total);
        double eAl = Samples.rmsError(toDouble(aligned.maps().require("ltem/phase")), total);
        System.out.printf("TIE of a misaligned series: correlation %.4f (rms %.3f rad) unaligned, %.4f (rms %.3f rad) aligned%n",
                cRaw, eRaw, cAl, eAl);
        assertTrue(cAl > 0.99, "aligned correlation " + cAl);
        assertTrue(eAl < 0.5 * eRaw, "alignment halves the phase error at least: " + eAl + " vs " + eRaw);
        assertEquals(D[0][1], ((Number) aligned.statistics().get("ltem-tie.align_dx_px_0")).doubleValue(), 0.1);
        assertEquals(D[2][0], ((Number) aligned.statistics().get("ltem-tie.align_dy_px_2")).doubleValue(), 0.1);
        assertTrue(ctx.log.stream().anyMatch(l -> l.contains("aligned to image 1")), ctx.log.toString());
    }

    @Test
    void badAlignmentReferenceIsRejected() {
        double[][] im = misalignedSeries(0);
        Map<String, String> p = Map.of("defocus-nm", "20000", "pixel-nm", "4", "beam-kv", "300", "align", "shift", "align-reference", "7");
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> new LtemTieRetrieval().retrieve(maps(im), new TestContext(Calibration.none(), p, Shape.of(1, 1))));
        assertTrue(e.getMessage().contains("align-reference"), e.getMessage());
    }

    static MapSet maps(double[][] images) {
        List<DataMap> l = new ArrayList<>();
        for (int k = 0; k < images.length; k++) {
            float[] f = new float[images[k].length];
            for (int i = 0; i < f.length; i++) f[i] = 1000f * (float) images[k][i];
            l.add(DataMap.of("ltem/image_" + k, Shape.of(G.ny, G.nx), f, Unit.COUNTS, "image"));
        }
        return MapSet.of(l);
    }

    private static double[] toDouble(DataMap m) {
        double[] d = new double[m.size()];
        for (int i = 0; i < d.length; i++) d[i] = m.get(i);
        return d;
    }
}
