package org.ltz4d.ltem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;

/**
 * {@code --align similarity}: a defocus image of the sample seen through a known similarity
 * (1.5° rotation, 1 % scale, a sub-pixel shift and a mirror, as the images of a flipped sample),
 * drawn analytically ({@link RegistrationTest#sample(Similarity.Transform)}), not by the warp under
 * test, then registered: the transform within 0.05°, 0.1 % and 0.05 px; and the magnetic phase
 * from the TIE of a flipped series whose flipped images are so transformed correlates with the
 * truth once aligned by similarity, where the shift alignment cannot undo it.
 */
class SimilarityTest {
    static final Grid G = RegistrationTest.G;
    static final Similarity.Transform TRUTH = new Similarity.Transform(1.5, 1.01, 0.37, -0.61, true, 0);

    static double[] image(Similarity.Transform t, double z) {
        double[][] s = RegistrationTest.sample(t);
        return new ForwardModel(RegistrationTest.grid(t), Optics.ideal(Samples.KV)).simulate(s[0], s[1], new double[] {z})[0];
    }

    @Test
    void aKnownRotationScaleShiftAndMirrorAreRecovered() {
        double z = 20000;
        double[][] im = Samples.noisy(new double[][] {image(Similarity.Transform.IDENTITY, z), image(TRUTH, z)}, 0.005, 9);
        Similarity.Transform t = new Similarity(G.ny, G.nx).register(im[0], im[1], Double.POSITIVE_INFINITY, 10);
        System.out.printf("similarity: rotation %.4f° (truth %.2f), scale %.5f (%.3f), shift (%.3f, %.3f) px (%.2f, %.2f), mirror %s, NCC %.4f%n",
                t.rotationDeg(), TRUTH.rotationDeg(), t.scale(), TRUTH.scale(), t.dy(), t.dx(), TRUTH.dy(), TRUTH.dx(), t.mirror(), t.ncc());
        assertTrue(t.mirror(), "the mirror is found");
        assertEquals(TRUTH.rotationDeg(), t.rotationDeg(), 0.05, "rotation, deg");
        assertEquals(TRUTH.scale(), t.scale(), 1e-3 * TRUTH.scale(), "scale");
        assertEquals(TRUTH.dy(), t.dy(), 0.05, "dy, px");
        assertEquals(TRUTH.dx(), t.dx(), 0.05, "dx, px");
        // an unmirrored, unrotated pair gives the identity
        Similarity.Transform id = new Similarity(G.ny, G.nx).register(im[0], im[0], Double.POSITIVE_INFINITY, 3);
        assertTrue(!id.mirror() && Math.abs(id.rotationDeg()) < 1e-3 && Math.abs(id.scale() - 1) < 1e-5 && Math.hypot(id.dx(), id.dy()) < 1e-3,
                id.toString());
    }

    /**
     * A flipped series: images 0–2 of the sample at −z, 0, +z, images 3–5 of the sample turned over
     * (magnetic phase reversed) seen through TRUTH (mirrored, rotated, magnified, shifted). The
     * magnetic phase (φ − φ_flipped)/2 needs the flipped images mapped back onto the others.
     */
    @Test
    void tieOfAFlippedSeriesIsFixedBySimilarityAlignment() {
        double[] zs = {-20000, 0, 20000};
        double[][] im = new double[6][];
        for (int k = 0; k < 6; k++) {
            Similarity.Transform t = k < 3 ? Similarity.Transform.IDENTITY : TRUTH;
            double[][] s = RegistrationTest.sample(t, k < 3 ? 1 : -1);
            im[k] = new ForwardModel(RegistrationTest.grid(t), Optics.ideal(Samples.KV)).simulate(s[0], s[1], new double[] {zs[k % 3]})[0];
        }
        im = Samples.noisy(im, 0.005, 5);
        double[] up = RegistrationTest.sample(Similarity.Transform.IDENTITY, 1)[0], down = RegistrationTest.sample(Similarity.Transform.IDENTITY, -1)[0];
        double[] magnetic = new double[up.length];
        for (int i = 0; i < up.length; i++) magnetic[i] = 0.5 * (up[i] - down[i]);
        Map<String, String> base = Map.of("defocus-nm", "20000", "pixel-nm", "4", "beam-kv", "300", "qc", "0.0005", "flip-images", "3,4,5");
        double[] c = new double[2];
        Correlation sim = null;
        String[] modes = {"shift", "similarity"};
        for (int m = 0; m < 2; m++) {
            Map<String, String> p = new HashMap<>(base);
            p.put("align", modes[m]);
            Correlation r = new LtemTieRetrieval().retrieve(RegistrationTest.maps(im), new TestContext(Calibration.none(), p, Shape.of(1, 1)));
            DataMap ph = r.maps().require("ltem/phase");
            double[] d = new double[ph.size()];
            for (int i = 0; i < d.length; i++) d[i] = ph.get(i);
            c[m] = Samples.correlation(d, magnetic);
            if (m == 1) sim = r;
        }
        Map<String, Object> st = sim.statistics();
        System.out.printf("TIE of a flipped series, magnetic phase: correlation %.4f (align shift), %.4f (align similarity)%n", c[0], c[1]);
        for (int k = 3; k < 6; k++) {
            System.out.printf("  flipped image %d: rotation %.4f°, scale %.5f, mirror %s, shift (%.3f, %.3f) px%n", k,
                    num(st, "align_rotation_deg_" + k), num(st, "align_scale_" + k), st.get("ltem-tie.align_mirror_" + k),
                    num(st, "align_dy_px_" + k), num(st, "align_dx_px_" + k));
            assertEquals(1, (int) num(st, "align_mirror_" + k));
            assertEquals(TRUTH.rotationDeg(), num(st, "align_rotation_deg_" + k), 0.05, "rotation of image " + k);
            assertEquals(TRUTH.scale(), num(st, "align_scale_" + k), 1e-3 * TRUTH.scale(), "scale of image " + k);
            assertEquals(TRUTH.dy(), num(st, "align_dy_px_" + k), 0.05, "dy of image " + k);
            assertEquals(TRUTH.dx(), num(st, "align_dx_px_" + k), 0.05, "dx of image " + k);
        }
        assertTrue(c[1] > 0.99, "similarity-aligned correlation " + c[1]);
        assertTrue(c[1] > c[0] + 0.1, "similarity beats shift alignment: " + c[1] + " vs " + c[0]);
    }

    private static double num(Map<String, Object> st, String key) {
        return ((Number) st.get("ltem-tie." + key)).doubleValue();
    }
}
