package org.ltz4d.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.param.Parameters;

class SimulatorTest {

    private static SimulationSpec.Builder plain() {
        return SimulationSpec.builder().scan(3, 4).distortion(0, 0).descan(Descan.none());
    }

    /** sqrt of a symmetric positive 2×2 matrix {a11, a12, a22}. */
    static double[] sqrtm(double a11, double a12, double a22) {
        double s = Math.sqrt(a11 * a22 - a12 * a12);
        double t = Math.sqrt(a11 + a22 + 2 * s);
        return new double[] {(a11 + s) / t, a12 / t, (a22 + s) / t};
    }

    @Test
    void fieldAlongPlusXDeflectsAlongMinusY() {
        SimulationSpec s = plain().magneticField(MagneticField.uniform(2.0, 0)).build();
        FrameTruth t = Simulator.truth(s, 1, 1);
        double k = Simulator.deflectionPxPerTesla(s);
        // e·λ·t/h at 300 kV, 60 nm = 2.856e-5 rad/T → /0.16 mrad per px
        assertEquals(2.418e14 * 1.96875e-12 * 60e-9 * 1e3 / 0.16, k, 1e-3 * k);
        assertEquals(0, t.ringCenterX() - t.vacuumCenterX(), 1e-12);
        assertEquals(-2.0 * k, t.ringCenterY() - t.vacuumCenterY(), 1e-12);
        assertTrue(t.ringCenterY() < t.vacuumCenterY());
        // B along +y deflects along +x
        FrameTruth u = Simulator.truth(plain().magneticField(MagneticField.uniform(0, 1.0)).build(), 0, 0);
        assertEquals(k, u.ringCenterX() - u.vacuumCenterX(), 1e-12);
    }

    @Test
    void compressionAlongXEnlargesTheRingAlongX() {
        SimulationSpec s = plain().strainField(StrainField.uniform(-0.02, 0, 0)).build();
        FrameTruth t = Simulator.truth(s, 0, 0);
        double[] e = Simulator.ellipseOf(t.q11(), t.q12(), t.q22());
        assertEquals(55 / 0.98, e[0], 1e-9);
        assertEquals(55, e[1], 1e-9);
        assertTrue(e[2] < 1e-9 || e[2] > 180 - 1e-9, "a along x, angle " + e[2]);
        // and the counts agree: on the x axis at 55/0.98 px the ring peaks, on the y axis at 55 px
        PatternParams p = t.pattern();
        assertTrue(p.scattered(t.ringCenterX() + 55 / 0.98, t.ringCenterY()) > p.scattered(t.ringCenterX() + 55, t.ringCenterY()));
    }

    @Test
    void strainFromTheFormAgainstTheReferenceIsExact() {
        SimulationSpec s = SimulationSpec.builder().scan(6, 10).distortion(0.01, 30).descan(Descan.typical(4))
                .strainField(StrainField.orientations(0.02, 5)).build();
        double[] qr = s.referenceForm();
        double[] dref = sqrtm(qr[0], qr[1], qr[2]); // Q_ref^(1/2); D_ref is its inverse
        double det = dref[0] * dref[2] - dref[1] * dref[1];
        double d11 = dref[2] / det, d12 = -dref[1] / det, d22 = dref[0] / det;
        double[] dm = s.distortionMatrix();
        assertEquals(55 * dm[0], d11, 1e-9);
        assertEquals(55 * dm[1], d12, 1e-9);
        int strained = 0;
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 10; x++) {
                FrameTruth t = Simulator.truth(s, y, x);
                // D·Q·D
                double a11 = d11 * (t.q11() * d11 + t.q12() * d12) + d12 * (t.q12() * d11 + t.q22() * d12);
                double a12 = d11 * (t.q11() * d12 + t.q12() * d22) + d12 * (t.q12() * d12 + t.q22() * d22);
                double a22 = d12 * (t.q11() * d12 + t.q12() * d22) + d22 * (t.q12() * d12 + t.q22() * d22);
                double[] r = sqrtm(a11, a12, a22);
                assertEquals(t.exx(), r[0] - 1, 1e-12);
                assertEquals(t.exy(), r[1], 1e-12);
                assertEquals(t.eyy(), r[2] - 1, 1e-12);
                assertEquals(t.appliedExx(), t.exx(), 1e-15);
                if (Math.abs(t.exy()) > 1e-3) strained++;
            }
        }
        assertTrue(strained > 5);
    }

    @Test
    void densityScalesTheRingAreaAsRhoToTwoThirds() {
        SimulationSpec s = plain().densityField(DensityField.uniform(1.1)).build();
        FrameTruth t = Simulator.truth(s, 0, 0);
        double[] e = Simulator.ellipseOf(t.q11(), t.q12(), t.q22());
        assertEquals(55 * Math.cbrt(1.1), e[0], 1e-9);
        double areaRatio = e[0] * e[1] / (55 * 55);
        assertEquals(0.1, Math.pow(areaRatio, 1.5) - 1, 1e-12);
        assertEquals(0.1, t.densityRelative(), 1e-12);
        assertEquals(-1 + 1 / Math.cbrt(1.1), t.exx(), 1e-12); // an isotropic density change reads as volumetric strain
    }

    @Test
    void descanMovesRingAndBeamIdenticallyAndTheVacuumToo() {
        SimulationSpec s = SimulationSpec.builder().scan(5, 7).descan(Descan.typical(6))
                .magneticField(MagneticField.vortex(1.5, 0.1)).build();
        double k = Simulator.deflectionPxPerTesla(s);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                FrameTruth t = Simulator.truth(s, y, x);
                double[] d = new double[2];
                s.descan().at(y, x, 5, 7, d);
                assertEquals(s.patternCenterX() + d[0], t.vacuumCenterX(), 1e-12);
                assertEquals(s.patternCenterY() + d[1], t.vacuumCenterY(), 1e-12);
                assertEquals(t.vacuumCenterX() + k * t.by(), t.ringCenterX(), 1e-12);
                assertEquals(t.vacuumCenterY() - k * t.bx(), t.ringCenterY(), 1e-12);
                assertEquals(t.ringCenterX(), t.beamCenterX(), 0);
            }
        }
        // the vacuum frame holds the direct beam only, centred on the vacuum centre
        float[] f = new float[192 * 192];
        Simulator.vacuumFrame(s, 4, 6, f);
        FrameTruth t = Simulator.truth(s, 4, 6);
        double sum = 0, sx = 0, sy = 0;
        for (int r = 0; r < 192; r++) for (int c = 0; c < 192; c++) {
            sum += f[r * 192 + c]; sx += c * f[r * 192 + c]; sy += r * f[r * 192 + c];
        }
        assertEquals(s.dose(), sum, 1e-3 * s.dose());
        assertEquals(t.vacuumCenterX(), sx / sum, 1e-3);
        assertEquals(t.vacuumCenterY(), sy / sum, 1e-3);
        assertEquals(0, f[10 * 192 + 10], 1e-12);
    }

    @Test
    void doseIsTheExpectedTotalAndTheSplitIsAsAsked() {
        SimulationSpec s = plain().dose(2e6).build();
        float[] f = new float[192 * 192];
        Simulator.frame(s, 0, 0, f);
        double sum = 0;
        for (float v : f) sum += v;
        assertEquals(2e6, sum, 2e6 * 1e-5);
        assertEquals(0.25 * 2e6, s.beamPeakCounts() * (sum(beamOnly(s))), 2e6 * 1e-5);
    }

    private static PatternParams beamOnly(SimulationSpec s) {
        double c = s.patternCenterX();
        return new PatternParams(c, c, 1, 0, 1, 1, 0, 0, 0, 1, c, s.patternCenterY(), s.beamRadiusPx(), s.beamEdgePx(), 1);
    }

    private static double sum(PatternParams p) {
        float[] f = new float[192 * 192];
        p.render(192, 192, f, 0);
        double s = 0;
        for (float v : f) s += v;
        return s;
    }

    @Test
    void poissonSamplerHasPoissonMeanAndVariance() {
        SplittableRandom r = new SplittableRandom(5);
        for (double mu : new double[] {0.3, 3, 9.5, 10.5, 40, 3000}) {
            int n = 200_000;
            double s = 0, s2 = 0;
            for (int i = 0; i < n; i++) {
                long k = Poisson.sample(r, mu);
                s += k;
                s2 += (double) k * k;
            }
            double mean = s / n, var = s2 / n - mean * mean;
            assertEquals(mu, mean, 5 * Math.sqrt(mu / n), "mean at " + mu);
            assertEquals(mu, var, 6 * mu * Math.sqrt(2.0 / n) + 6 * Math.sqrt(mu / n), "variance at " + mu);
        }
        assertEquals(Math.log(3628800.0 * 11 * 12 * 13 * 14 * 15 * 16 * 17), Poisson.logFactorial(17), 1e-9);
    }

    @Test
    void noisyFramesAreReproducibleAndUnbiased() {
        SimulationSpec s = plain().dose(2e5).build();
        float[] a = new float[192 * 192], b = new float[192 * 192], mu = new float[192 * 192];
        Simulator.sample(s, 2, 3, a, 0);
        Simulator.sample(s, 2, 3, b, 0);
        assertArrayEquals(a, b);
        Simulator.sample(s, 2, 2, b, 0);
        assertTrue(!java.util.Arrays.equals(a, b));
        Simulator.frame(s, 2, 3, mu);
        double chi2 = 0, sa = 0, sm = 0;
        for (int i = 0; i < a.length; i++) {
            if (mu[i] > 20) chi2 += (a[i] - mu[i]) * (a[i] - mu[i]) / mu[i];
            sa += a[i];
            sm += mu[i];
        }
        assertEquals(sm, sa, 5 * Math.sqrt(sm));
        long n = 0;
        for (float v : mu) if (v > 20) n++;
        assertEquals(1.0, chi2 / n, 5 * Math.sqrt(2.0 / n));
        // the dataset view gives the same counts
        Dataset d = Simulator.dataset(s);
        float[] c = new float[2 * 192 * 192];
        d.readFrames(2 * 4 + 2, 2, c, 0);
        assertArrayEquals(b, java.util.Arrays.copyOfRange(c, 0, 192 * 192));
        assertArrayEquals(a, java.util.Arrays.copyOfRange(c, 192 * 192, 2 * 192 * 192));
    }

    @Test
    void writesNpyFilesTruthAndJson(@TempDir Path dir) throws Exception {
        SimulationSpec s = SimulationSpec.builder().scan(3, 5).detector(32, 40).ring(10, 1.5).beam(2, 0.5)
                .backgroundDecayPx(8).magneticField(MagneticField.uniform(1, 0)).strainField(StrainField.rotating(0.01))
                .seed(42).build();
        Simulator.write(s, dir);
        byte[] data = Files.readAllBytes(dir.resolve("data.npy"));
        assertEquals((byte) 0x93, data[0]);
        assertEquals("NUMPY", new String(data, 1, 5, StandardCharsets.US_ASCII));
        int hlen = (data[8] & 0xff) | (data[9] & 0xff) << 8;
        assertEquals(0, (10 + hlen) % 64);
        String h = new String(data, 10, hlen, StandardCharsets.US_ASCII);
        assertTrue(h.contains("'descr': '<u2'") && h.contains("'shape': (3, 5, 32, 40)") && h.endsWith("\n"), h);
        assertEquals(10 + hlen + 2L * 15 * 32 * 40, data.length);
        ByteBuffer bb = ByteBuffer.wrap(data, 10 + hlen, data.length - 10 - hlen).order(ByteOrder.LITTLE_ENDIAN);
        float[] expect = new float[32 * 40];
        for (int f = 0; f < 15; f++) {
            Simulator.sample(s, f / 5, f % 5, expect, 0);
            for (int p = 0; p < expect.length; p++) assertEquals(expect[p], bb.getShort() & 0xffff, "frame " + f);
        }
        byte[] vac = Files.readAllBytes(dir.resolve("vacuum.npy"));
        assertEquals(data.length, vac.length);
        ByteBuffer vb = ByteBuffer.wrap(vac, 10 + hlen + 2 * 32 * 40 * 7, 2 * 32 * 40).order(ByteOrder.LITTLE_ENDIAN);
        Simulator.sampleVacuum(s, 1, 2, expect, 0);
        for (int p = 0; p < expect.length; p++) assertEquals(expect[p], vb.getShort() & 0xffff);
        for (String n : Simulator.TRUTH_MAPS) assertTrue(Files.isRegularFile(dir.resolve("truth_" + n + ".npy")), n);
        byte[] by = Files.readAllBytes(dir.resolve("truth_ring_center_y_px.npy"));
        int th = (by[8] & 0xff) | (by[9] & 0xff) << 8;
        assertTrue(new String(by, 10, th, StandardCharsets.US_ASCII).contains("'<f4'"));
        float y7 = ByteBuffer.wrap(by, 10 + th + 4 * 7, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
        assertEquals((float) Simulator.truth(s, 1, 2).ringCenterY(), y7, 0);
        String json = Files.readString(dir.resolve("simulation.json"));
        for (String k : new String[] {"\"beam_kv\": 300.0", "\"pixel_mrad\": 0.16", "\"scan_step_nm\"", "\"thickness_nm\": 60.0",
                "\"dose_electrons_per_pattern\"", "\"magnetic_field\"", "\"strain_field\"", "\"descan\""}) {
            assertTrue(json.contains(k), k + " in " + json);
        }
        try (var l = Files.list(dir)) {
            assertTrue(l.noneMatch(p -> p.toString().endsWith(".part")));
        }
    }

    @Test
    void vacuumCanBeLeftOut(@TempDir Path dir) throws Exception {
        SimulationSpec s = SimulationSpec.fromParameters(Parameters.of(java.util.Map.of("scan", "2,3", "detector", "32,32",
                "ring-radius-px", "10", "ring-width-px", "1.5", "no-vacuum", "true")));
        Simulator.write(s, dir);
        assertTrue(Files.isRegularFile(dir.resolve("data.npy")));
        assertTrue(!Files.exists(dir.resolve("vacuum.npy")) && !Files.exists(dir.resolve("vacuum.npy.part")));
        assertTrue(Files.readString(dir.resolve("simulation.json")).contains("\"vacuum_written\": false"));
    }

    @Test
    void specFromCliParameters() {
        SimulationSpec s = SimulationSpec.fromParameters(Parameters.of(java.util.Map.of("scan", "8,9", "dose", "2e6",
                "field", "uniform", "field-tesla", "1.5", "field-angle-deg", "90", "dtype", "float32")));
        assertEquals(8, s.scanY());
        assertEquals(9, s.scanX());
        assertEquals(2e6, s.dose());
        assertEquals(SimulationSpec.Output.FLOAT32, s.output());
        FrameTruth t = Simulator.truth(s, 0, 0);
        assertEquals(1.5, t.by(), 1e-12);
        assertEquals(0, t.bx(), 1e-12);
        org.junit.jupiter.api.Assertions.assertThrows(org.ltz4d.api.error.InvalidParameterException.class,
                () -> SimulationSpec.fromParameters(Parameters.single("field", "dipole")));
    }
}
