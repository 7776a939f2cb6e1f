package org.ltz4d.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.ImageRegistration;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.SimilarityTransform;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.engine.Engine;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.engine.RunSummary;
import org.ltz4d.api.error.PluginException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * Image registration is a service of bundle {@code org.ltz4d.registration} that the Lorentz TEM
 * bundle finds by DS reference: {@code ltem-tie --align similarity} registers the flipped series
 * through it (a known rotation, scale, shift and mirror recovered), fails with a typed error naming
 * the missing service while the bundle is stopped ({@code --align shift} still works), and works
 * again once it is started.
 */
class RegistrationServiceIT {
    static final String BUNDLE = "org.ltz4d.registration";
    static final int N = 96;
    /** The flipped images are the sample seen through this (mirrored, rotated, magnified, shifted). */
    static final SimilarityTransform TRUTH = SimilarityTransform.of(2.0, 1.02, 0.43, -0.71, true);

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10000)
    Engine engine;

    @TempDir
    Path dir;

    private List<ServiceReference<ImageRegistration>> services() throws Exception {
        return new ArrayList<>(context.getServiceReferences(ImageRegistration.class, null));
    }

    private void await(boolean present) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (present != services().isEmpty()) return;
            Thread.sleep(10);
        }
        fail("the image registration service should be " + (present ? "registered" : "gone") + ": " + services());
    }

    @Test
    void ltemSimilarityAlignmentFollowsTheRegistrationBundle() throws Exception {
        Bundle b = null;
        for (Bundle x : context.getBundles()) if (BUNDLE.equals(x.getSymbolicName())) b = x;
        assertNotNull(b, "bundle " + BUNDLE + " installed");
        await(true);
        assertEquals(BUNDLE, services().get(0).getBundle().getSymbolicName(), "the service comes from the registration bundle");

        MapSet maps = flippedSeries();
        checkRecovered(run(maps, "similarity", "similarity-1"));

        b.stop();
        try {
            await(false);
            PluginException e = assertThrows(PluginException.class, () -> run(maps, "similarity", "similarity-stopped"));
            System.out.println("registration bundle stopped: " + e.getMessage());
            assertEquals("image registration", e.plugin(), e.getMessage());
            assertTrue(e.getMessage().contains(BUNDLE) && e.getMessage().contains("ltem-tie"), e.getMessage());
            RunSummary shift = run(maps, "shift", "shift-stopped");
            assertTrue(Double.isFinite(num(shift.statistics(), "align_dx_px_4")), "--align shift still runs and aligns");
            assertTrue(shift.statistics().keySet().stream().noneMatch(k -> k.contains("align_rotation_deg")), "a shift alignment");
        } finally {
            b.start();
        }
        await(true);
        checkRecovered(run(maps, "similarity", "similarity-2"));
    }

    private RunSummary run(MapSet maps, String align, String out) {
        Map<String, String> p = new HashMap<>(Map.of("defocus-nm", "20000", "pixel-nm", "4", "beam-kv", "300", "flip-images", "3,4,5",
                "align", align));
        return engine.retrievePhase(maps, "ltem-tie", Parameters.of(p), dir.resolve(out), ProgressListener.NONE);
    }

    private static void checkRecovered(RunSummary s) {
        Map<String, Object> st = s.statistics();
        for (int k = 3; k < 6; k++) {
            double rot = num(st, "align_rotation_deg_" + k), scale = num(st, "align_scale_" + k);
            double dx = num(st, "align_dx_px_" + k), dy = num(st, "align_dy_px_" + k);
            System.out.printf("flipped image %d through the service: rotation %.4f° (%.1f), scale %.5f (%.2f), shift (%.3f, %.3f) px (%.2f, %.2f)%n",
                    k, rot, TRUTH.rotationDeg(), scale, TRUTH.scale(), dx, dy, TRUTH.shiftXPx(), TRUTH.shiftYPx());
            assertEquals(1, (int) num(st, "align_mirror_" + k), "mirror of image " + k);
            assertEquals(TRUTH.rotationDeg(), rot, 0.05, "rotation of image " + k + ", deg");
            assertEquals(TRUTH.scale(), scale, 1e-3 * TRUTH.scale(), "scale of image " + k);
            assertEquals(TRUTH.shiftXPx(), dx, 0.05, "dx of image " + k + ", px");
            assertEquals(TRUTH.shiftYPx(), dy, 0.05, "dy of image " + k + ", px");
        }
    }

    /** The retrieval's statistic {@code ltem-tie.KEY} (the run summary may prefix it once more with the method). */
    private static double num(Map<String, Object> st, String key) {
        for (Map.Entry<String, Object> e : st.entrySet()) if (e.getKey().endsWith("ltem-tie." + key)) return ((Number) e.getValue()).doubleValue();
        return fail(key + " in " + st.keySet());
    }

    /**
     * Six N×N images of a film with Gaussian particles (mean intensity about 1): three of the sample
     * (the through-focus series; the same image, so the TIE phase is flat), three of it turned over and
     * seen through {@link #TRUTH}, drawn analytically at T⁻¹ of each pixel.
     */
    static MapSet flippedSeries() {
        Random r = new Random(11);
        int blobs = 70;
        double[] bx = new double[blobs], by = new double[blobs], bs = new double[blobs], ba = new double[blobs];
        for (int i = 0; i < blobs; i++) {
            bx[i] = -10 + r.nextDouble() * (N + 20);
            by[i] = -10 + r.nextDouble() * (N + 20);
            bs[i] = 2.5 + 3 * r.nextDouble();
            ba[i] = 0.3 + 0.5 * r.nextDouble();
        }
        double c = (N - 1) / 2.0, th = Math.toRadians(TRUTH.rotationDeg()), s = TRUTH.scale();
        List<DataMap> out = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            float[] v = new float[N * N];
            for (int y = 0; y < N; y++) {
                for (int x = 0; x < N; x++) {
                    double px = x, py = y;
                    if (k >= 3) { // T⁻¹(m) = c + R(−θ)·F·(m − c − d)/s
                        double ux = -(x - c - TRUTH.shiftXPx()), uy = y - c - TRUTH.shiftYPx();
                        px = c + (Math.cos(th) * ux + Math.sin(th) * uy) / s;
                        py = c + (-Math.sin(th) * ux + Math.cos(th) * uy) / s;
                    }
                    double val = 1;
                    for (int i = 0; i < blobs; i++) {
                        double dx = px - bx[i], dy = py - by[i];
                        val += ba[i] * Math.exp(-(dx * dx + dy * dy) / (2 * bs[i] * bs[i]));
                    }
                    v[y * N + x] = (float) (1000 * val);
                }
            }
            out.add(DataMap.of("ltem/image_" + k, Shape.of(N, N), v, Unit.COUNTS, "simulated Lorentz TEM image " + k));
        }
        return MapSet.of(out);
    }
}
