package org.ltz4d.amorphous;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.error.UnsupportedFormatException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.simulator.Descan;
import org.ltz4d.simulator.MagneticField;
import org.ltz4d.simulator.SimulationSpec;
import org.ltz4d.simulator.StrainField;

/**
 * Issue 16 item 1: a detector with 0.3 % 3-fold and 0.2 % 6-fold radial distortion (beside its 1 %
 * ellipse) about the optical axis. The ring centre moves with the descan and the deflection, so
 * about that moving centre the harmonics leak into the ellipse (a 3-fold seen from a centre offset
 * d holds 2- and 4-fold terms of relative size ≈ a₃·d/r): a strain bias that follows the centre.
 * Its size is the systematic part of the strain error — the least-squares fit of each component's
 * error against the true ring-centre offset from the optical axis (a uniform part is absorbed by the
 * reference form), as an RMS over the positions. With {@code distortion-file} (the distortion's
 * coefficients in the format of {@code ltz4d calibrate distortion}) it must stay below 0.2× the
 * Cramér–Rao bound of every strain component; without it, it must be larger (so the test can fail).
 * With the default ({@code distortion-2fold keep}) centre and density errors stay within 1.3× their
 * bounds; with the detector's ellipse given as the 2-fold and removed too, the strain is as good.
 */
class DistortionCorrectionTest {
    static final double A3 = 0.003, PHI3 = 10, A6 = 0.002, PHI6 = 5;

    static SimulationSpec spec() {
        return SimulationSpec.builder().pattern(SimulationSpec.Pattern.GLASS).scan(10, 25).dose(1e6).distortion(0.01, 30)
                .harmonicDistortion(A3, PHI3, A6, PHI6).descan(Descan.typical(8))
                .strainField(StrainField.orientations(0.01, 5)).magneticField(MagneticField.domains(1.0, 3, 0.2)).seed(16).build();
    }

    /** The calibration file of this detector: the simulator's harmonics as a_n = A·cos nφ_n, b_n = A·sin nφ_n; 2-fold none. */
    static String calibration(SimulationSpec s) {
        return calibration(s, 0, 0);
    }

    /**
     * As {@link #calibration(SimulationSpec)} with a 2-fold (a₂, b₂) — what {@code calibrate distortion}
     * measures of the detector's 1 % ellipse at 30°: δ·(cos 60°, sin 60°) to first order.
     */
    static String calibration(SimulationSpec s, double a2, double b2) {
        double a3 = A3 * Math.cos(Math.toRadians(3 * PHI3)), b3 = A3 * Math.sin(Math.toRadians(3 * PHI3));
        double a6 = A6 * Math.cos(Math.toRadians(6 * PHI6)), b6 = A6 * Math.sin(Math.toRadians(6 * PHI6));
        return "{\"format\": \"ltz4d-distortion\", \"version\": 1, \"centre_px\": [" + s.patternCenterX() + ", " + s.patternCenterY()
                + "], \"r0_px\": " + s.ringRadiusPx() + ", \"harmonics\": ["
                + "{\"n\": 2, \"a\": " + a2 + ", \"b\": " + b2 + "}, {\"n\": 3, \"a\": " + a3 + ", \"b\": " + b3 + "}, "
                + "{\"n\": 4, \"a\": 0, \"b\": 0}, {\"n\": 6, \"a\": " + a6 + ", \"b\": " + b6 + "}]}";
    }

    /** RMS over the positions of the least-squares fit e ≈ α + βx·dx + βy·dy minus its mean (the bias that follows the centre offset d). */
    static double systematic(double[] err, double[] dx, double[] dy) {
        double[] m = new double[9], v = new double[3];
        for (int i = 0; i < err.length; i++) {
            if (Double.isNaN(err[i])) continue;
            double[] f = {1, dx[i], dy[i]};
            for (int j = 0; j < 3; j++) {
                v[j] += f[j] * err[i];
                for (int k = 0; k < 3; k++) m[j * 3 + k] += f[j] * f[k];
            }
        }
        org.ejml.data.DMatrixRMaj x = new org.ejml.data.DMatrixRMaj(3, 1);
        if (!org.ejml.dense.row.CommonOps_DDRM.solve(new org.ejml.data.DMatrixRMaj(3, 3, true, m), new org.ejml.data.DMatrixRMaj(3, 1, true, v), x)) {
            throw new IllegalStateException("singular regression on the centre offset");
        }
        double[] beta = x.data;
        double s = 0, s2 = 0;
        int n = 0;
        for (int i = 0; i < err.length; i++) {
            if (Double.isNaN(err[i])) continue;
            double b = beta[1] * dx[i] + beta[2] * dy[i];
            s += b;
            s2 += b * b;
            n++;
        }
        return Math.sqrt(Math.max(0, s2 / n - (s / n) * (s / n)));
    }

    @Test
    void theMeasuredDistortionRemovedLeavesNoStrainBiasAboveAFifthOfTheBound(@TempDir Path dir) throws IOException {
        SimulationSpec spec = spec();
        Harness.MemoryDataset ds = Harness.MemoryDataset.of(spec, false);
        Path cal = dir.resolve("cal.json");
        Files.writeString(cal, calibration(spec));
        GlassScan plain = GlassScan.run(spec, ds, Parameters.of(Map.of(RingFitter.P_SEED_FRAMES, "64")), 10, 33, 82);
        GlassScan corrected = GlassScan.run(spec, ds, Parameters.of(Map.of(RingFitter.P_SEED_FRAMES, "64",
                RingFitter.P_DISTORTION, cal.toString())), 10, 33, 82);
        // the full calibration, the detector's ellipse as its 2-fold removed too ('distortion-2fold remove')
        Path cal2 = dir.resolve("cal2.json");
        Files.writeString(cal2, calibration(spec, 0.01 * Math.cos(Math.toRadians(60)), 0.01 * Math.sin(Math.toRadians(60))));
        GlassScan corrected2 = GlassScan.run(spec, ds, Parameters.of(Map.of(RingFitter.P_SEED_FRAMES, "64",
                RingFitter.P_DISTORTION, cal2.toString(), RingFitter.P_DISTORTION_2FOLD, "remove")), 10, 33, 82);
        int n = (int) spec.frameCount(), nx = spec.scanX();
        double[] dx = new double[n], dy = new double[n];
        for (int i = 0; i < n; i++) {
            var t = org.ltz4d.simulator.Simulator.truth(spec, i / nx, i % nx);
            dx[i] = t.ringCenterX() - spec.patternCenterX();
            dy[i] = t.ringCenterY() - spec.patternCenterY();
        }
        StringBuilder log = new StringBuilder();
        for (int k = 2; k <= 4; k++) {
            double bp = systematic(plain.errors[k], dx, dy) / plain.bound[k];
            double bc = systematic(corrected.errors[k], dx, dy) / corrected.bound[k];
            double bc2 = systematic(corrected2.errors[k], dx, dy) / corrected2.bound[k];
            log.append(String.format("%s: systematic/bound without %.3f, with %.3f, with the 2-fold too %.3f; ", GlassScan.NAMES[k], bp, bc, bc2));
        }
        System.out.println("distortion: " + log + "\n  without: " + plain + "\n  with: " + corrected + "\n  with the 2-fold: " + corrected2);
        assertEquals(0, corrected.failedOnSample, corrected.toString());
        assertEquals(0, corrected2.failedOnSample, corrected2.toString());
        double worstPlain = 0;
        for (int k = 2; k <= 4; k++) {
            double bc = systematic(corrected.errors[k], dx, dy) / corrected.bound[k];
            worstPlain = Math.max(worstPlain, systematic(plain.errors[k], dx, dy) / plain.bound[k]);
            assertTrue(bc <= 0.2, GlassScan.NAMES[k] + " with the distortion file: " + log);
            assertTrue(systematic(corrected2.errors[k], dx, dy) / corrected2.bound[k] <= 0.2, GlassScan.NAMES[k] + " with the 2-fold: " + log);
            assertTrue(corrected2.ratio[k] <= 1.3, GlassScan.NAMES[k] + " with the 2-fold: " + corrected2);
        }
        assertTrue(worstPlain > 0.3, "without the distortion file the bias must show: " + log);
        // centre (B) and density stay at their bounds
        for (int k : new int[] {0, 1, 5}) assertTrue(corrected.ratio[k] <= 1.3, GlassScan.NAMES[k] + ": " + corrected);
        // the simulator applies its ellipse about each pattern's own centre, a real detector about the optical axis: with
        // the 2-fold removed about the axis the centres move by ≈ 1 % of their offset from it, so only density is checked
        assertTrue(corrected2.ratio[5] <= 1.3, "density with the 2-fold: " + corrected2);
    }

    @Test
    void theFileIsRecordedAndBadFilesAreTypedErrorsNamingTheField(@TempDir Path dir) throws Exception {
        SimulationSpec spec = spec();
        Path cal = dir.resolve("cal.json");
        String json = calibration(spec);
        Files.writeString(cal, json);
        DistortionFile d = DistortionFile.read(cal);
        assertEquals(A3, Math.hypot(d.a[1], d.b[1]), 1e-12);
        assertEquals(HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(json.getBytes(StandardCharsets.UTF_8))), d.sha256);
        Map<String, Object> at = d.attributes(false);
        assertEquals(cal.toAbsolutePath().toString(), at.get("distortion_file"));
        assertArrayEquals(d.a, (double[]) at.get("distortion_a"));
        // the mapping inverts the simulator's: a point at ρ(1 + δ(φ)) goes back to ρ
        double[][] u = d.undistort(spec.detY(), spec.detX(), false);
        int r = 20, c = 150, p = r * spec.detX() + c;
        double x = c - spec.patternCenterX(), y = r - spec.patternCenterY();
        assertEquals(Math.hypot(x, y) / (1 + d.delta(x, y, true)), Math.hypot(u[0][p] - d.cx, u[1][p] - d.cy), 1e-9);

        InvalidInputException e = assertThrows(TruncatedFileException.class, () -> read(dir, json.substring(0, json.length() / 2)));
        assertTrue(e.getMessage().contains("bad.json"), e.getMessage());
        e = assertThrows(UnsupportedFormatException.class, () -> read(dir, json.replace("ltz4d-distortion", "ltz4d-detector-pixel")));
        assertEquals("format", e.field());
        e = assertThrows(CorruptFileException.class, () -> read(dir, json.replace("\"r0_px\"", "\"r_px\"")));
        assertEquals("r0_px", e.field());
        e = assertThrows(CorruptFileException.class, () -> read(dir, json.replace("\"n\": 4", "\"n\": 5")));
        assertEquals("harmonics[2].n", e.field());
        e = assertThrows(TruncatedFileException.class, () -> read(dir, json.replaceAll(", \\{\"n\": 6[^}]*}", "")));
        assertEquals("harmonics", e.field());
        e = assertThrows(CorruptFileException.class, () -> read(dir, json.replace("\"centre_px\": [", "\"centre_px\": [1, ")));
        assertEquals("centre_px", e.field());
    }

    private static DistortionFile read(Path dir, String text) throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, text);
        return DistortionFile.read(f);
    }
}
