package org.ltz4d.ltem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.ImageRegistration;
import org.ltz4d.api.analysis.RegistrationOptions;
import org.ltz4d.api.analysis.SimilarityTransform;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.PluginException;
import org.ltz4d.registration.ImageRegistrationService;

/**
 * {@code --align similarity} through the {@link ImageRegistration} service (the registration
 * bundle's, wired here by hand as DS wires it): a defocus image of the sample seen through a known similarity
 * (1.5° rotation, 1 % scale, a sub-pixel shift and a mirror, as the images of a flipped sample),
 * drawn analytically ({@link RegistrationTest#sample(SimilarityTransform)}), not by the warp under
 * test, then registered: the transform within 0.05°, 0.1 % and 0.05 px; and the magnetic phase
 * from the TIE of a flipped series whose flipped images are so transformed correlates with the
 * truth once aligned by similarity, where the shift alignment cannot undo it.
 */
class SimilarityTest {
    static final Grid G = RegistrationTest.G;
    static final SimilarityTransform TRUTH = SimilarityTransform.of(1.5, 1.01, -0.61, 0.37, true);
    static final ImageRegistration REGISTRATION = new ImageRegistrationService();

    static double[] image(SimilarityTransform t, double z) {
        double[][] s = RegistrationTest.sample(t);
        return new ForwardModel(RegistrationTest.grid(t), Optics.ideal(Samples.KV)).simulate(s[0], s[1], new double[] {z})[0];
    }

    @Test
    void aKnownRotationScaleShiftAndMirrorAreRecovered() {
        double z = 20000;
        double[][] im = Samples.noisy(new double[][] {image(SimilarityTransform.IDENTITY, z), image(TRUTH, z)}, 0.005, 9);
        Shape shape = Shape.of(G.ny, G.nx);
        RegistrationOptions o = RegistrationOptions.DEFAULTS.withMirror(true);
        SimilarityTransform t = REGISTRATION.register(im[0], shape, im[1], shape, o);
        System.out.printf("similarity: rotation %.4f° (truth %.2f), scale %.5f (%.3f), shift (%.3f, %.3f) px (%.2f, %.2f), mirror %s, NCC %.4f%n",
                t.rotationDeg(), TRUTH.rotationDeg(), t.scale(), TRUTH.scale(), t.shiftYPx(), t.shiftXPx(), TRUTH.shiftYPx(), TRUTH.shiftXPx(),
                t.mirror(), t.ncc());
        assertTrue(t.mirror(), "the mirror is found");
        assertEquals(TRUTH.rotationDeg(), t.rotationDeg(), 0.05, "rotation, deg");
        assertEquals(TRUTH.scale(), t.scale(), 1e-3 * TRUTH.scale(), "scale");
        assertEquals(TRUTH.shiftYPx(), t.shiftYPx(), 0.05, "dy, px");
        assertEquals(TRUTH.shiftXPx(), t.shiftXPx(), 0.05, "dx, px");
        // an unmirrored, unrotated pair gives the identity
        SimilarityTransform id = REGISTRATION.register(im[0], shape, im[0], shape, o.withMaxRotationDeg(3));
        assertTrue(!id.mirror() && Math.abs(id.rotationDeg()) < 1e-3 && Math.abs(id.scale() - 1) < 1e-5
                && Math.hypot(id.shiftXPx(), id.shiftYPx()) < 1e-3, id.toString());
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
            SimilarityTransform t = k < 3 ? SimilarityTransform.IDENTITY : TRUTH;
            double[][] s = RegistrationTest.sample(t, k < 3 ? 1 : -1);
            im[k] = new ForwardModel(RegistrationTest.grid(t), Optics.ideal(Samples.KV)).simulate(s[0], s[1], new double[] {zs[k % 3]})[0];
        }
        im = Samples.noisy(im, 0.005, 5);
        double[] up = RegistrationTest.sample(SimilarityTransform.IDENTITY, 1)[0], down = RegistrationTest.sample(SimilarityTransform.IDENTITY, -1)[0];
        double[] magnetic = new double[up.length];
        for (int i = 0; i < up.length; i++) magnetic[i] = 0.5 * (up[i] - down[i]);
        Map<String, String> base = Map.of("defocus-nm", "20000", "pixel-nm", "4", "beam-kv", "300", "qc", "0.0005", "flip-images", "3,4,5");
        double[] c = new double[2];
        Correlation sim = null;
        String[] modes = {"shift", "similarity"};
        for (int m = 0; m < 2; m++) {
            Map<String, String> p = new HashMap<>(base);
            p.put("align", modes[m]);
            LtemTieRetrieval tie = new LtemTieRetrieval();
            tie.registration = REGISTRATION;
            Correlation r = tie.retrieve(RegistrationTest.maps(im), new TestContext(Calibration.none(), p, Shape.of(1, 1)));
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
            assertEquals(TRUTH.shiftYPx(), num(st, "align_dy_px_" + k), 0.05, "dy of image " + k);
            assertEquals(TRUTH.shiftXPx(), num(st, "align_dx_px_" + k), 0.05, "dx of image " + k);
        }
        assertTrue(c[1] > 0.99, "similarity-aligned correlation " + c[1]);
        assertTrue(c[1] > c[0] + 0.1, "similarity beats shift alignment: " + c[1] + " vs " + c[0]);
    }

    /** Without a registration service {@code --align similarity} fails naming it, in both retrievals; {@code --align shift} still works. */
    @Test
    void withoutTheRegistrationServiceSimilarityAlignmentFailsNamingIt() {
        double[][] im = RegistrationTest.misalignedSeries(0);
        Map<String, String> p = new HashMap<>(Map.of("defocus-nm", "20000", "pixel-nm", "4", "beam-kv", "300", "align", "similarity"));
        TestContext ctx = new TestContext(Calibration.none(), p, Shape.of(1, 1));
        PluginException e = assertThrows(PluginException.class, () -> new LtemTieRetrieval().retrieve(RegistrationTest.maps(im), ctx));
        assertEquals(LtemInput.REGISTRATION_SERVICE, e.plugin());
        assertTrue(e.getMessage().contains("org.ltz4d.registration") && e.getMessage().contains("ltem-tie"), e.getMessage());
        PluginException f = assertThrows(PluginException.class, () -> new LtemFitRetrieval().retrieve(RegistrationTest.maps(im), ctx));
        assertTrue(f.getMessage().contains("ltem-fit"), f.getMessage());
        p.put("align", "shift");
        Correlation r = new LtemTieRetrieval().retrieve(RegistrationTest.maps(im), new TestContext(Calibration.none(), p, Shape.of(1, 1)));
        assertEquals(1, ((Number) r.statistics().get("ltem-tie.align_reference")).intValue());
    }

    private static double num(Map<String, Object> st, String key) {
        return ((Number) st.get("ltem-tie." + key)).doubleValue();
    }
}
