package org.ltz4d.amorphous;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.FitSetup;
import org.ltz4d.api.analysis.Fitter;
import org.ltz4d.api.error.Ltz4dException;
import org.ltz4d.api.error.PluginException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.io.testing.GuardedDataset;
import org.ltz4d.io.testing.Shipping;
import org.ltz4d.simulator.Descan;
import org.ltz4d.simulator.MagneticField;
import org.ltz4d.simulator.SimulationSpec;
import org.ltz4d.simulator.StrainField;

/**
 * Issue 14 item 1: the set-up (mean pattern, masks, beam, measured profile, seed, annulus, noise
 * scale, typical contrast, distortion calibration) is computed once by {@link Fitter#setup} — the
 * only place that reads frames or files — and shipped as a {@link FitSetup}; processors built from a
 * shipped copy, as on a cluster's executor, read only the frames they fit and give the same answers
 * bit for bit.
 */
class ShippedSetupTest {
    @TempDir
    Path dir;

    /** A glass scan with what real detectors do: saturating beam, hot and dead pixels, 3- and 6-fold distortion, descan. */
    static SimulationSpec realistic() {
        return SimulationSpec.builder().pattern(SimulationSpec.Pattern.GLASS).scan(6, 20).dose(1e6).distortion(0.01, 30)
                .harmonicDistortion(DistortionCorrectionTest.A3, DistortionCorrectionTest.PHI3, DistortionCorrectionTest.A6,
                        DistortionCorrectionTest.PHI6)
                .descan(Descan.typical(8)).beamFraction(0.7).saturation(2000).badPixels(30, 30)
                .strainField(StrainField.orientations(0.01, 5)).magneticField(MagneticField.domains(1.0, 3, 0.2)).seed(16).build();
    }

    /** Attributes with their arrays' contents. */
    private static String describe(Map<String, Map<String, Object>> attrs) {
        StringBuilder b = new StringBuilder();
        attrs.forEach((map, a) -> a.forEach((k, v) -> b.append(map).append(' ').append(k).append('=')
                .append(java.util.Arrays.deepToString(new Object[] {v})).append('\n')));
        return b.toString();
    }

    private static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    @Test
    void aShippedSetUpFitsEachBlockFromItsOwnFramesOnlyBitForBitAndReadsNoFile() throws Exception {
        SimulationSpec spec = realistic();
        Harness.MemoryDataset ds = Harness.MemoryDataset.of(spec, false);
        int rows = spec.detY(), cols = spec.detX(), total = (int) spec.frameCount(), block = 24;
        Path cal = Files.writeString(dir.resolve("cal.json"), DistortionCorrectionTest.calibration(spec));
        byte[] mask = new byte[rows * cols];
        for (int r = 0; r < 12; r++) for (int c = 0; c < 30; c++) mask[r * cols + c] = 1; // a corner
        Path npy = GlassRobustnessTest.npy(dir.resolve("mask.npy"), "|b1", rows, cols, mask);
        Parameters p = Parameters.of(Map.of(RingFitter.P_SEED_FRAMES, "40", RingFitter.P_DISTORTION, cal.toString(),
                RingFitter.P_MASK, npy.toString()));

        // the driver (or a local run): set-ups computed on the whole dataset; each block fitted by fresh processors
        Harness.Pass local = new Harness.Pass(ds, p, null, new BeamFitter(), new RingFitter());
        Map<String, float[]> expected = local.maps(total);
        for (int b = 0; b < total; b += block) local.worker(ds).fit(b, Math.min(total, b + block), expected);
        Map<String, Map<String, Object>> attrs = local.fitters[1].attributes(local.contexts.get(1));
        FitSetup[] shipped = local.setups();
        String calSha = sha256(cal);

        // the calibration files are gone once the set-up is made: nothing after it may read them
        Files.move(cal, dir.resolve("moved.json"));
        Files.delete(npy);
        assertThrows(Ltz4dException.class, () -> new RingFitter().setup(new Harness.Context(ds, p)), "setup() reads the files");

        // each executor: its own copy of the set-ups, its own fitters, a dataset that holds its block only
        Map<String, float[]> got = local.maps(total);
        for (int b = 0; b < total; b += block) {
            int end = Math.min(total, b + block);
            GuardedDataset only = new GuardedDataset(ds).serve(b, end);
            FitSetup[] setups = Shipping.ship(shipped);
            assertArrayEquals(local.setups(), setups, "the set-ups survive serialisation");
            Harness.Pass executor = new Harness.Pass(only, p, setups, new BeamFitter(), new RingFitter());
            executor.worker(only).fit(b, end, got);
            assertEquals(end - b, only.framesRead(), "block " + b + ": each of its frames read once, no set-up samples");
            if (b == 0) {
                assertEquals(describe(attrs), describe(executor.fitters[1].attributes(executor.contexts.get(1))),
                        "same attributes without the file");
            }
        }
        for (String name : expected.keySet()) assertArrayEquals(expected.get(name), got.get(name), name + ": bit for bit");
        int fitted = 0;
        for (float m : got.get("fit/mask")) fitted += m == 0 ? 1 : 0;
        assertTrue(fitted >= total - 2, "the ring is fitted (not a comparison of NaN maps): " + fitted + " of " + total);
        Map<String, Object> a = attrs.get("ring/q11");
        assertEquals(cal.toAbsolutePath().toString(), a.get("distortion_file"));
        assertEquals(calSha, a.get("distortion_file_sha256"));
        assertArrayEquals(new double[] {spec.patternCenterX(), spec.patternCenterY()}, (double[]) a.get("distortion_centre_px"));
    }

    @Test
    void theSetUpIsWhereFramesAreSampledAndProcessorsReadNone() {
        SimulationSpec spec = SimulationSpec.builder().scan(4, 6).dose(1.5e5).seed(4).build();
        GuardedDataset ds = new GuardedDataset(Harness.MemoryDataset.of(spec, false));
        int n = 10, total = 24;
        Parameters p = Parameters.single(RingFitter.P_SEED_FRAMES, Integer.toString(n));
        BeamFitter beam = new BeamFitter();
        RingFitter ring = new RingFitter();
        Harness.Context cb = new Harness.Context(ds, p).withSetup(beam);
        // the mean pattern: seed-frames frames spread evenly over the scan, each read twice (masks, then the aligned mean)
        TreeSet<Long> sampled = new TreeSet<>();
        for (int k = 0; k < n; k++) sampled.add(Math.round(k * (total - 1) / (double) (n - 1)));
        assertEquals(2L * n, ds.framesRead());
        assertEquals(sampled, new TreeSet<>(ds.indices()));
        // the ring's set-up shares that mean pattern and fits up to 64 + 16 sampled frames
        Harness.Context cr = new Harness.Context(ds, p).withSetup(ring);
        assertEquals(2L * n + Math.min(64, n) + 16, ds.framesRead());
        long afterSetup = ds.framesRead();
        for (int i = 0; i < RingFitter.OUTPUTS.size(); i++) cr.slots.put(RingFitter.OUTPUTS.get(i), i);
        cb.slots.put(BeamFitter.CENTER_X, 0);
        cb.slots.put(BeamFitter.CENTER_Y, 1);
        beam.buffers(cb);
        ring.buffers(cr);
        for (int t = 0; t < 3; t++) {
            beam.processor(cb);
            ring.processor(cr);
        }
        ring.attributes(cr);
        assertEquals(afterSetup, ds.framesRead(), "buffers, processors and attributes read no frame");
        // decoded once per set-up object, shared by the processors
        RingSetup one = ring.ringSetup(cr);
        assertSame(one, ring.ringSetup(cr));
        Harness.Context none = new Harness.Context(ds, p); // the engine gave no set-up
        PluginException e = assertThrows(PluginException.class, () -> ring.processor(none));
        assertEquals(RingFitter.NAME, e.plugin());
        assertTrue(e.getMessage().contains("setup()"), e.getMessage());
    }

    @Test
    void aDecodedSetUpIsTheSetUpAndAForeignOneIsNamed() throws Exception {
        SimulationSpec spec = SimulationSpec.builder().scan(3, 4).dose(1.5e5).beamStop(true, Double.NaN).badPixels(10, 10).seed(9).build();
        Harness.MemoryDataset ds = Harness.MemoryDataset.of(spec, false);
        Parameters p = Parameters.single(RingFitter.P_SEED_FRAMES, "12");
        FitSetup s = new RingFitter().setup(new Harness.Context(ds, p));
        RingSetup r = RingSetup.from(s);
        assertEquals(s, r.toSetup(), "decoding and encoding again gives the same numbers");
        FitSetup back = Shipping.ship(s);
        assertEquals(s, back);
        RingFitter f = new RingFitter();
        Harness.Context c1 = new Harness.Context(ds, p), c2 = new Harness.Context(ds, p);
        c1.setup = s;
        c2.setup = back;
        assertNotSame(f.ringSetup(c1), f.ringSetup(c2), "decoded by identity: an equal copy is another run's");
        assertTrue(r.mean.stopCount > 0 && r.mean.badCount >= 10, "masks found: stop " + r.mean.stopCount + ", bad " + r.mean.badCount);
        boolean[] excluded = r.excluded;
        int n = 0;
        for (boolean x : excluded) n += x ? 1 : 0;
        assertEquals(n, r.excludedCount);
        // a set-up of another plugin version: what is missing or malformed is named
        FitSetup.Builder partial = FitSetup.builder();
        for (String name : s.names()) if (!name.equals("noise_scale")) partial.put(name, s.values(name));
        Ltz4dException missing = assertThrows(Ltz4dException.class, () -> RingSetup.from(partial.build()));
        assertTrue(missing.getMessage().contains("'noise_scale'"), missing.getMessage());
        FitSetup.Builder wrong = FitSetup.builder();
        for (String name : s.names()) {
            if (name.equals("mean_pattern")) wrong.put(name, new float[7]);
            else wrong.put(name, s.values(name));
        }
        Ltz4dException shape = assertThrows(Ltz4dException.class, () -> RingSetup.from(wrong.build()));
        assertTrue(shape.getMessage().contains("'mean_pattern'") && shape.getMessage().contains("7 values"), shape.getMessage());
    }

    /**
     * What the set-up weighs for a 256² and a 512² detector ({@link FitSetup#bytes()}): the mean
     * pattern as floats (4 B per pixel), the rest small — masks as runs, the profile's tables. Prints
     * the decoding time (not asserted), with a distortion file (its per-pixel coordinates rebuilt).
     */
    @Test
    void theSetUpWeighsAboutFourBytesPerDetectorPixel() throws IOException {
        Map<Integer, long[]> sizes = new LinkedHashMap<>();
        for (int det : new int[] {256, 512}) {
            double scale = det / 192.0;
            SimulationSpec spec = SimulationSpec.builder().scan(3, 4).detector(det, det).ring(55 * scale, 5 * scale)
                    .beam(4 * scale, 0.5).backgroundDecayPx(30 * scale).dose(1.5e5 * scale * scale).badPixels(30, 30).seed(3).build();
            Harness.MemoryDataset ds = Harness.MemoryDataset.of(spec, false);
            Path cal = Files.writeString(dir.resolve("cal" + det + ".json"), DistortionCorrectionTest.calibration(spec));
            Parameters p = Parameters.of(Map.of(RingFitter.P_SEED_FRAMES, "12", RingFitter.P_DISTORTION, cal.toString()));
            long t0 = System.nanoTime();
            FitSetup s = new RingFitter().setup(new Harness.Context(ds, p));
            FitSetup b = new BeamFitter().setup(new Harness.Context(ds, p));
            long t1 = System.nanoTime();
            long best = Long.MAX_VALUE, bestSolver = Long.MAX_VALUE;
            for (int k = 0; k < 20; k++) {
                long d0 = System.nanoTime();
                RingSetup r = RingSetup.from(s);
                long d1 = System.nanoTime();
                r.solver();
                best = Math.min(best, d1 - d0);
                bestSolver = Math.min(bestSolver, System.nanoTime() - d1);
            }
            long px = (long) det * det;
            System.out.printf("set-up %d²: ring %d bytes (%.3f B/px: mean pattern %d, profile %d), beam %d bytes; computed in %.0f ms, "
                    + "decoded in %.2f ms (+ a processor's solver %.2f ms)%n", det, s.bytes(), s.bytes() / (double) px, 4 * px,
                    8L * (s.values("profile_p").length + s.values("profile_d").length), b.bytes(), (t1 - t0) / 1e6, best / 1e6,
                    bestSolver / 1e6);
            // the mean pattern (floats) and the profile's tables (P and dP/dρ every 1/16 px, about 1/4 px⁻¹ of radius × 2 × 8 B)
            assertTrue(s.bytes() <= 4 * px + 160_000, det + "²: " + s.bytes() + " bytes");
            assertTrue(b.bytes() <= 4096, det + "²: beam " + b.bytes() + " bytes");
            sizes.put(det, new long[] {s.bytes(), b.bytes()});
        }
        assertTrue(sizes.get(512)[0] > 3 * sizes.get(256)[0], "the mean pattern dominates");
    }
}
