package org.ltz4d.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.Parameters;

/** The glass pattern: S(q) × scattering factors + background, direct beam, detector effects, defects. */
class GlassPatternTest {

    static SimulationSpec.Builder glass() {
        return SimulationSpec.builder().pattern(SimulationSpec.Pattern.GLASS).scan(3, 4).distortion(0, 0).descan(Descan.none());
    }

    static double sum(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s;
    }

    @Test
    void percusYevickHasTheCompressibilityLimitAndTendsToOne() {
        for (double eta : new double[] {0.2, 0.4, 0.5}) {
            // the closed form at x = 0.6 and 0.9, extrapolated as a + b·x² to x = 0, gives S(0) = (1−η)⁴/(1+2η)²
            double x1 = 0.9, x2 = 1.2;
            double s1 = PercusYevick.s(x1, eta), s2 = PercusYevick.s(x2, eta);
            double b = (s2 - s1) / (x2 * x2 - x1 * x1);
            double a = s1 - b * x1 * x1;
            double s0 = Math.pow(1 - eta, 4) / Math.pow(1 + 2 * eta, 2);
            assertEquals(s0, a, 0.03 * s0 + 2e-3, "S(0) at η = " + eta);
            assertEquals(1, PercusYevick.s(80, eta), 0.01, "S(∞) = 1 at η = " + eta);
        }
        // denser packing: higher, sharper first peak further out
        double xa = PercusYevick.firstPeakX(0.3), xb = PercusYevick.firstPeakX(0.5);
        assertTrue(PercusYevick.s(xb, 0.5) > PercusYevick.s(xa, 0.3) + 0.5);
        assertTrue(xb > xa && xb > 6.5 && xb < 8, "first peak of S at η = 0.5: x = " + xb);
    }

    @Test
    void theFirstPeakOfSIsAtTheRingRadiusAsymmetricWithOuterRings() {
        SimulationSpec s = glass().build();
        GlassModel m = s.glassModel();
        double q1 = 55 * s.qPerPx();
        assertEquals(q1, m.firstPeakQ(), 1e-12);
        // 300 kV, 0.16 mrad/px: 2π·1.6e-4/0.019687 Å = 0.05107 Å⁻¹ per px
        assertEquals(0.05107, s.qPerPx(), 1e-4);
        // the maximum of S at q1
        double best = 0, bv = 0;
        for (double q = 0.5 * q1; q < 1.5 * q1; q += 1e-4) {
            double v = m.structureFactor(q);
            if (v > bv) { bv = v; best = q; }
        }
        assertEquals(q1, best, 0.003 * q1);
        // asymmetric: the half-widths at half height (above 1) on the two sides differ by > 10 %
        double half = 1 + (bv - 1) / 2, lo = best, hi = best;
        while (m.structureFactor(lo) > half) lo -= 1e-4;
        while (m.structureFactor(hi) > half) hi += 1e-4;
        double left = best - lo, right = hi - best;
        assertTrue(Math.abs(left - right) > 0.1 * (left + right) / 2, "HWHM left " + left + ", right " + right);
        // outer rings: a second maximum of S at 1.7–2.0 q1, above 1.1
        double b2 = 0, v2 = 0;
        for (double q = 1.5 * q1; q < 2.2 * q1; q += 1e-4) {
            double v = m.structureFactor(q);
            if (v > v2) { v2 = v; b2 = q; }
        }
        assertTrue(b2 > 1.7 * q1 && b2 < 2.0 * q1 && v2 > 1.1, "second peak " + v2 + " at " + b2 / q1 + " q1");
        // and the image shows them: its azimuthal profile over ⟨f⟩², less the known smooth terms, is S − 1 + ⟨f²⟩/⟨f⟩²
        FrameTruth t = Simulator.truth(s, 0, 0);
        GlassPattern g = t.glass();
        double c = t.ringCenterX();
        for (double r : new double[] {0.8 * 55, 55, 1.4 * 55, b2 / s.qPerPx()}) {
            double q = r * s.qPerPx();
            double mu = g.intensity(c + r, t.ringCenterY());
            double el = (mu - g.background() * m.backgroundShape(q)) / g.elastic();
            assertEquals(m.structureFactor(q) - 1 + m.meanSquareF(q) / m.squareMeanF(q), el / m.squareMeanF(q), 1e-6, "at r = " + r);
        }
        // the intensity's first maximum (along +x) is near the ring radius, and the ring stands out
        double[] img = Simulator.expectedCounts(s, 0, 0);
        int row = (int) Math.round(t.ringCenterY());
        int peak = 30;
        for (int x = 30; x < 80; x++) if (img[row * 192 + (int) c + x] > img[row * 192 + (int) c + peak]) peak = x;
        assertTrue(Math.abs(peak - 55) <= 4, "intensity maximum along +x at " + peak + " px");
        assertTrue(img[row * 192 + (int) c + peak] > 1.3 * img[row * 192 + (int) c + 35], "first ring over its inside");
    }

    @Test
    void theDirectBeamCarriesTheAskedFraction() {
        for (double b : new double[] {0.3, 0.5, 0.9}) {
            SimulationSpec s = glass().beamFraction(b).dose(1e6).build();
            FrameTruth t = Simulator.truth(s, 1, 2);
            double[] all = Simulator.expectedCounts(s, 1, 2);
            double[] beam = new double[all.length];
            t.glass().with(t.ringCenterX(), t.ringCenterY(), new double[3], 0, 0).render(192, 192, beam, 0);
            assertEquals(1e6, sum(all), 1e-6 * 1e6, "total at beam fraction " + b);
            assertEquals(b * 1e6, sum(beam), 1e-6 * 1e6, "beam at beam fraction " + b);
        }
        assertEquals(0.5, glass().build().beamFraction());
        assertEquals(0.25, SimulationSpec.builder().build().beamFraction());
    }

    @Test
    void strainAlongXMovesTheRingAlongXByMinusEpsilonAndLeavesFUnstrained() {
        double eps = 0.02;
        SimulationSpec plain = glass().build();
        SimulationSpec strained = glass().strainField(StrainField.uniform(eps, 0, 0)).build();
        GlassPattern g0 = Simulator.truth(plain, 0, 0).glass(), g1 = Simulator.truth(strained, 0, 0).glass();
        double cx = g0.cx(), cy = g0.cy();
        double rx0 = ridge(g0, cx, cy, 1, 0), rx1 = ridge(g1, cx, cy, 1, 0);
        double ry0 = ridge(g0, cx, cy, 0, 1), ry1 = ridge(g1, cx, cy, 0, 1);
        assertEquals(-eps / (1 + eps), rx1 / rx0 - 1, 0.1 * eps, "relative change of the ring radius along x");
        assertEquals(0, ry1 / ry0 - 1, 0.05 * eps, "along y unchanged");
        // f(q) and the background are not strained: without the S(q) term the two patterns are equal
        GlassModel m = plain.glassModel();
        double[] dInv = {1, 0, 0, 1};
        double[] a = new double[192 * 192], b = new double[192 * 192];
        new GlassPattern(m, cx, cy, dInv, new double[3], 1, 0, 1, 0, 4, 0.5).render(192, 192, a, 0);
        new GlassPattern(m, cx, cy, dInv, new double[] {eps, 0, 0}, 1, 0, 1, 0, 4, 0.5).render(192, 192, b, 0);
        assertArrayEquals(a, b, 0);
        // …while the full patterns differ
        g0.render(192, 192, a, 0);
        g1.render(192, 192, b, 0);
        assertTrue(!java.util.Arrays.equals(a, b));
    }

    /** Radius (px) of the intensity maximum near the ring along direction (ux, uy), by a fine search. */
    static double ridge(GlassPattern g, double cx, double cy, double ux, double uy) {
        double best = 0, bv = -1;
        for (double r = 40; r < 70; r += 0.002) {
            double v = g.intensity(cx + r * ux, cy + r * uy);
            if (v > bv) { bv = v; best = r; }
        }
        return best;
    }

    @Test
    void defectsAreWhereTheTruthSaysAndLookTheirPart() {
        SimulationSpec s = glass().scan(20, 24).hole(true).thickCorner(4).dose(1e6).build();
        Map<String, float[]> truth = Simulator.truthMaps(s);
        float[] sample = truth.get("sample");
        int vac = 0, thick = 0;
        int[] holeAt = null, thickAt = null, goodAt = null;
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 24; x++) {
                int k = (int) sample[y * 24 + x];
                assertEquals(s.sampleClass(y, x), k);
                if (k == 0) { vac++; holeAt = new int[] {y, x}; }
                if (k == 2) { thick++; thickAt = new int[] {y, x}; }
                if (k == 1 && x < 4) goodAt = new int[] {y, x};
            }
        }
        assertTrue(vac > 10 && vac < 30 && thick > 20 && thick < 80, vac + " vacuum, " + thick + " thick positions");
        assertEquals(0, truth.get("Bx_T")[holeAt[0] * 24 + holeAt[1]], 0);
        double[] good = profileStats(s, goodAt), hole = profileStats(s, holeAt), thk = profileStats(s, thickAt);
        // beam share of the total
        assertEquals(0.5, good[0], 1e-6);
        assertEquals(SimulationSpec.HOLE_BEAM_FRACTION, hole[0], 1e-6);
        assertEquals(Math.pow(0.5, 4), thk[0], 1e-6);
        assertEquals(1e6, sum(Simulator.expectedCounts(s, thickAt[0], thickAt[1])), 1, "the thick corner's total is the dose");
        assertEquals(1e6, sum(Simulator.expectedCounts(s, holeAt[0], holeAt[1])), 1, "the hole's total is the dose");
        // ring contrast: intensity at the ridge over the mean of ±12 px: clear in the sample, flat in the hole and the thick corner
        assertTrue(good[1] > 1.25, "ring contrast in the sample " + good[1]);
        assertTrue(hole[1] < 1.05 && thk[1] < 1.05, "no ring in the hole (" + hole[1] + ") nor in the thick corner (" + thk[1] + ")");
        assertThrows(IllegalArgumentException.class, () -> SimulationSpec.builder().hole(true).build(), "defects need glass");
    }

    /** {beam share of the total counts, ridge contrast along +x}. */
    static double[] profileStats(SimulationSpec s, int[] at) {
        FrameTruth t = Simulator.truth(s, at[0], at[1]);
        double[] all = Simulator.expectedCounts(s, at[0], at[1]);
        double[] beam = new double[all.length];
        t.glass().with(t.ringCenterX(), t.ringCenterY(), new double[3], 0, 0).render(192, 192, beam, 0);
        GlassPattern g = t.glass();
        double ridge = 0, r0 = 0;
        for (double r = 40; r < 70; r += 0.05) {
            double v = g.intensity(t.ringCenterX() + r, t.ringCenterY());
            if (v > ridge) { ridge = v; r0 = r; }
        }
        double side = 0.5 * (g.intensity(t.ringCenterX() + r0 - 12, t.ringCenterY()) + g.intensity(t.ringCenterX() + r0 + 12, t.ringCenterY()));
        return new double[] {sum(beam) / sum(all), ridge / side};
    }

    @Test
    void detectorEffectsAreFixedPerDatasetAndDoWhatTheySay() {
        SimulationSpec s = glass().dose(2e6).badPixels(30, 40).gainSigma(0.05).psfPx(1.0).saturation(3000).beamStop(true, Double.NaN)
                .seed(7).build();
        DetectorEffects d = s.detectorEffects();
        assertEquals(30, d.hotPixels().length);
        assertEquals(40, d.deadPixels().length);
        assertArrayEquals(d.hotPixels(), glass().dose(2e6).badPixels(30, 40).seed(7).build().detectorEffects().hotPixels(), "fixed per seed");
        float[] counts = new float[192 * 192];
        Simulator.sample(s, 1, 1, counts, 0);
        for (int i : d.deadPixels()) assertEquals(0, counts[i], 0);
        int hotHigh = 0;
        for (int i : d.hotPixels()) if (counts[i] >= 150) hotHigh++;
        assertEquals(30, hotHigh, "hot pixels read at least ~200 counts");
        float max = 0;
        for (float v : counts) max = Math.max(max, v);
        assertTrue(max <= 3000, "saturation clips at 3000: " + max);
        // the beam stop covers the direct beam: almost nothing within the beam radius
        FrameTruth t = Simulator.truth(s, 1, 1);
        double[] mu = Simulator.expectedCounts(s, 1, 1);
        int bc = (int) Math.round(t.ringCenterY()) * 192 + (int) Math.round(t.ringCenterX());
        SimulationSpec open = glass().dose(2e6).seed(7).build();
        double[] mu0 = Simulator.expectedCounts(open, 1, 1);
        assertTrue(mu[bc] < 1e-3 * mu0[bc], "beam stop: " + mu[bc] + " vs " + mu0[bc]);
        assertEquals(2 * 4 + 0 + 2, s.beamStopRadiusPx(), 1e-12); // no descan here
        // the arm reaches the edge at 60°: a pixel on it far out is dark, one beside it is not
        double cx = s.patternCenterX(), cy = s.patternCenterY();
        int on = (int) Math.round(cy + 80 * Math.sin(Math.toRadians(60))) * 192 + (int) Math.round(cx + 80 * Math.cos(Math.toRadians(60)));
        assertTrue(mu[on] < 0.01 * mu0[on], "arm shadow (blurred by the 1 px PSF): " + mu[on] + " vs " + mu0[on]);
        // point spread keeps the total (away from the edges) and smooths: gain and PSF only
        SimulationSpec psf = glass().dose(2e6).psfPx(1.5).build();
        double[] a = Simulator.expectedCounts(psf, 1, 1);
        assertEquals(sum(mu0), sum(a), 5e-3 * sum(mu0), "PSF keeps the total but for what spreads off the edges");
        assertTrue(a[bc + 7] > 2 * mu0[bc + 7], "PSF spreads the beam beyond its edge: " + a[bc + 7] + " vs " + mu0[bc + 7]);
        SimulationSpec gain = glass().dose(2e6).gainSigma(0.05).build();
        float[] gm = gain.detectorEffects().gain();
        double gs = 0, gs2 = 0;
        for (float v : gm) { gs += v; gs2 += v * v; }
        double gmean = gs / gm.length;
        assertEquals(1, gmean, 0.002);
        assertEquals(0.05, Math.sqrt(gs2 / gm.length - gmean * gmean), 0.002);
    }

    /** The Poisson counts are drawn from exactly the expected image (detector effects included), for glass and for ring. */
    @Test
    void countsAreUnbiasedDrawsFromTheExpectedImage() {
        SimulationSpec[] specs = {
            glass().dose(2e6).psfPx(0.8).gainSigma(0.03).beamStop(true, Double.NaN).badPixels(10, 10).build(),
            SimulationSpec.builder().scan(3, 4).dose(2e6).psfPx(0.8).gainSigma(0.03).badPixels(10, 10).build()};
        for (SimulationSpec s : specs) {
            double[] mu = Simulator.expectedCounts(s, 2, 3);
            float[] a = new float[mu.length], b = new float[mu.length];
            Simulator.sample(s, 2, 3, a, 0);
            Simulator.sample(s, 2, 3, b, 0);
            assertArrayEquals(a, b, "reproducible");
            boolean[] bad = s.detectorEffects().badPixels();
            double chi2 = 0, sa = 0, sm = 0;
            long n = 0;
            for (int i = 0; i < mu.length; i++) {
                if (bad[i]) continue;
                sa += a[i];
                sm += mu[i];
                if (mu[i] > 20) {
                    chi2 += (a[i] - mu[i]) * (a[i] - mu[i]) / mu[i];
                    n++;
                }
            }
            for (int i : s.detectorEffects().deadPixels()) assertEquals(0, a[i], 0);
            assertEquals(sm, sa, 5 * Math.sqrt(sm), s.pattern() + ": total");
            assertEquals(1.0, chi2 / n, 5 * Math.sqrt(2.0 / n), s.pattern() + ": reduced chi2 of counts against the expected image");
        }
    }

    @Test
    void cliOptionsMakeAGlassSpecAndBadOnesAreTyped(@TempDir Path dir) throws Exception {
        SimulationSpec s = SimulationSpec.fromParameters(Parameters.of(Map.of("pattern", "glass", "scan", "3,4", "detector", "64,64",
                "ring-radius-px", "20", "beam-fraction", "0.7", "hot-pixels", "5", "dead-pixels", "3", "psf-px", "0.7",
                "beam-stop", "true")).with("hole", "true").with("thick-corner", "3"));
        assertEquals(SimulationSpec.Pattern.GLASS, s.pattern());
        assertEquals(0.7, s.beamFraction());
        assertEquals(SimulationSpec.DEFAULT_COMPOSITION, s.composition());
        Simulator.write(s, dir);
        assertTrue(Files.isRegularFile(dir.resolve("truth_sample.npy")));
        String json = Files.readString(dir.resolve("simulation.json"));
        for (String k : new String[] {"\"pattern\": \"glass\"", "\"composition\": \"Fe85.2Si0.5B9.5P4Cu0.8\"", "\"sphere_diameter_angstrom\"",
                "\"hot_pixels\": 5", "\"beam_stop\": true", "\"thick_corner_factor\": 3.0"}) {
            assertTrue(json.contains(k), k + " in " + json);
        }
        // data.npy holds the same counts as sample() (uint16), the vacuum scan the beam alone
        byte[] data = Files.readAllBytes(dir.resolve("data.npy"));
        int hlen = (data[8] & 0xff) | (data[9] & 0xff) << 8;
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(data, 10 + hlen + 2 * 64 * 64 * 6, 2 * 64 * 64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        float[] expect = new float[64 * 64];
        Simulator.sample(s, 1, 2, expect, 0);
        for (int p = 0; p < expect.length; p++) assertEquals(expect[p], bb.getShort() & 0xffff, "pixel " + p);
        FrameTruth t = Simulator.truth(s, 1, 2);
        float[] vac = new float[64 * 64];
        Simulator.vacuumFrame(SimulationSpec.builder().pattern(SimulationSpec.Pattern.GLASS).detector(64, 64).ring(20, 1).scan(3, 4).build(), 1, 2, vac);
        double vs = 0, vx = 0, vy = 0;
        for (int p = 0; p < vac.length; p++) { vs += vac[p]; vx += (p % 64) * vac[p]; vy += (p / 64) * vac[p]; }
        assertEquals(1.5e5, vs, 1e-3 * 1.5e5, "the vacuum pattern holds the whole dose");
        assertEquals(t.vacuumCenterX(), vx / vs, 1e-3);
        assertEquals(t.vacuumCenterY(), vy / vs, 1e-3);
        assertEquals("composition", assertThrows(InvalidParameterException.class, () -> SimulationSpec.fromParameters(
                Parameters.of(Map.of("pattern", "glass", "composition", "Fe80Xx20")))).parameter());
        assertEquals("hole", assertThrows(InvalidParameterException.class, () -> SimulationSpec.fromParameters(
                Parameters.of(Map.of("hole", "true")))).parameter());
        assertEquals("packing-fraction", assertThrows(InvalidParameterException.class, () -> SimulationSpec.fromParameters(
                Parameters.of(Map.of("pattern", "glass", "packing-fraction", "0.7")))).parameter());
        // the ring default stays the ring model: identical counts from the CLI defaults and the builder
        SimulationSpec cli = SimulationSpec.fromParameters(Parameters.of(Map.of("scan", "2,2", "field", "none", "strain", "none", "density", "uniform",
                "density-amplitude", "0")));
        SimulationSpec built = SimulationSpec.builder().scan(2, 2).build();
        float[] fa = new float[192 * 192], fb = new float[192 * 192];
        Simulator.sample(cli, 1, 0, fa, 0);
        Simulator.sample(built, 1, 0, fb, 0);
        assertArrayEquals(fb, fa);
    }

    @Test
    void debyeModelPutsItsFirstPeakAtTheRingRadius() {
        SimulationSpec s = glass().sq(GlassModel.Sq.DEBYE).build();
        GlassModel m = s.glassModel();
        double q1 = m.firstPeakQ(), best = 0, bv = 0;
        for (double q = 0.7 * q1; q < 1.3 * q1; q += 1e-3) {
            double v = m.structureFactor(q);
            if (v > bv) { bv = v; best = q; }
        }
        assertEquals(q1, best, 0.01 * q1);
        assertTrue(bv > 2, "S1 of the relaxed packing " + bv);
        assertTrue(m.dilation() > 0.5 && m.dilation() < 2, "dilation " + m.dilation());
    }

    @Test
    void threeAndSixFoldDetectorDistortionMoveTheRingRadially() {
        SimulationSpec plain = glass().magneticField(MagneticField.none()).build();
        SimulationSpec dist = glass().magneticField(MagneticField.none()).harmonicDistortion(0.003, 20, 0.002, 5).build();
        GlassPattern a = Simulator.truth(plain, 0, 0).glass(), b = Simulator.truth(dist, 0, 0).glass();
        double ax = dist.patternCenterX(), ay = dist.patternCenterY();
        // along any azimuth φ the distorted pattern at radius ρ·h(φ) is the plain one at ρ, h = 1 + a3 cos 3(φ−20°) + a6 cos 6(φ−5°)
        for (double phiDeg : new double[] {20, 50, 5, 35, 123}) {
            double phi = Math.toRadians(phiDeg);
            double h = 1 + 0.003 * Math.cos(3 * (phi - Math.toRadians(20))) + 0.002 * Math.cos(6 * (phi - Math.toRadians(5)));
            for (double rho : new double[] {30, 55, 70}) {
                double plainV = a.intensity(ax + rho * Math.cos(phi), ay + rho * Math.sin(phi));
                double distV = b.intensity(ax + rho * h * Math.cos(phi), ay + rho * h * Math.sin(phi));
                // (1e-4: the dose normalisation over the distorted detector changes the amplitudes by ~1e-5)
                assertEquals(plainV, distV, 1e-4 * plainV, "φ = " + phiDeg + "°, ρ = " + rho + " px");
            }
        }
        // and the ring really moves: at the 3-fold maximum (20°, 6-fold at a node) the ridge is 0.6 % further out than at
        // the 3-fold minimum (80°, 6-fold at a node too)
        double r1 = ridge(b, ax, ay, Math.toRadians(20)), r2 = ridge(b, ax, ay, Math.toRadians(80)), r0 = ridge(a, ax, ay, 0);
        assertEquals(1.003 * r0, r1, 2e-3, "ridge at 20°, px");
        assertEquals(0.997 * r0, r2, 2e-3, "ridge at 80°, px");
        assertEquals(0.003, dist.describe().get("distortion_3fold"));
        assertThrows(IllegalArgumentException.class, () -> glass().harmonicDistortion(0.06, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> SimulationSpec.builder().harmonicDistortion(0.003, 0, 0, 0).build(), "glass only");
    }

    /** Radius (px) of the intensity maximum along azimuth φ between 40 and 70 px, to 0.001 px. */
    private static double ridge(GlassPattern g, double ax, double ay, double phi) {
        double best = 0, bv = -1;
        for (double r = 40; r < 70; r += 0.001) {
            double v = g.intensity(ax + r * Math.cos(phi), ay + r * Math.sin(phi));
            if (v > bv) {
                bv = v;
                best = r;
            }
        }
        return best;
    }
}
