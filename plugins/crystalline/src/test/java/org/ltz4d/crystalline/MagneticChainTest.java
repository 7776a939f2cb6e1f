package org.ltz4d.crystalline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Electron;
import org.ltz4d.api.units.Unit;
import org.ltz4d.derivers.MagneticBeamDeriver;

/**
 * B from the lattice-centre shift, end to end: {@code disks} → {@code beam/center_x|y} → the shared
 * {@code magnetic-beam} deriver with a vacuum reference (the simulated descan alone). The simulated
 * deflection is θ = (0, 0.4·sin(3u)) px, so by DESIGN.md §3 B = h/(eλt)·(−θ_y, θ_x): B_x = −h·θ_y/(eλt), B_y = 0.
 */
class MagneticChainTest {
    @Test
    void lattice_centre_shift_gives_known_B(@TempDir Path dir) throws IOException {
        CrystalSim sim = LatticeStrainTest.hexagonal();
        Harness.MemoryDataset ds = sim.sample(21);
        MapSet fit = Harness.run(new DiskFitter(), ds, Parameters.of(Map.of(DiskFitter.P_RADIUS, "5")));
        int n = sim.ny * sim.nx;
        float[] vx = new float[n], vy = new float[n];
        double[] thy = new double[n];
        for (int y = 0; y < sim.ny; y++) for (int x = 0; x < sim.nx; x++) {
            int i = y * sim.nx + x;
            double u = x / (double) (sim.nx - 1), v = y / (double) (sim.ny - 1);
            vx[i] = (float) (sim.size / 2.0 + 0.37 + 1.5 * u - 0.8 * v);
            vy[i] = (float) (sim.size / 2.0 - 0.21 + 0.7 * v);
            thy[i] = sim.oy[i] - vy[i]; // = 0.4·sin(3u) px
        }
        Shape s = Shape.of(sim.ny, sim.nx);
        Path vac = Files.writeString(dir.resolve("vacuum.npy"), "stand-in: the test context returns the vacuum centres");
        double mrad = 0.05, kv = 200, tNm = 50;
        Calibration cal = Calibration.builder().beamKv(kv).detectorPixelMrad(mrad).build();
        Parameters p = Parameters.of(Map.of("vacuum", vac.toString(), "thickness-nm", Double.toString(tNm)));
        Harness.ACtx ctx = new Harness.ACtx(cal, p, s);
        ctx.reference = MapSet.of(DataMap.of("beam/center_x", s, vx, Unit.PIXEL, ""), DataMap.of("beam/center_y", s, vy, Unit.PIXEL, ""));
        MapSet b = new MagneticBeamDeriver().derive(fit, ctx);
        double k = Electron.H / (Electron.E * Electron.wavelengthMetres(kv) * tNm * 1e-9);
        double ex = 0, ey = 0, peak = 0;
        for (int i = 0; i < n; i++) {
            double bxTrue = -k * thy[i] * mrad * 1e-3;
            peak = Math.max(peak, Math.abs(bxTrue));
            ex += sq(b.require("magnetic/Bx").get(i) - bxTrue);
            ey += sq(b.require("magnetic/By").get(i));
        }
        double rx = Math.sqrt(ex / n), ry = Math.sqrt(ey / n);
        // the bound: the lattice origin's Cramér–Rao standard deviation (from every disk's own bound, combined as the
        // weighted lattice fit combines them), through B = h/(eλt)·θ
        double so = 0;
        for (int i = 0; i < n; i++) so += originVariance(sim, i);
        double bound = k * mrad * 1e-3 * Math.sqrt(so / n);
        System.out.printf("B from the lattice centre: peak |Bx| %.3f T, RMS error Bx %.4f T, By %.4f T, Cramér–Rao bound %.4f T (origin %.4f px)%n",
                peak, rx, ry, bound, Math.sqrt(so / n));
        assertTrue(rx <= 1.5 * bound && ry <= 1.5 * bound, "B RMS error " + rx + ", " + ry + " T > 1.5 × bound " + bound);
        assertTrue(rx >= 0.7 * bound && ry >= 0.7 * bound, "B RMS error " + rx + ", " + ry + " T < 0.7 × bound " + bound + ": bound or test wrong");
    }

    /**
     * {@code --scan-rotation-deg auto} on the crystalline chain: the lattice origin is deflected by
     * θ = ∇φ (a curl-free field, px, in the scan frame) seen on a detector rotated by 12°, so the
     * detector shift is R(−12°)·θ. {@code magnetic-beam} (run first, as the pipeline plans it with
     * auto) must find 12° (mod 180°, which the curl cannot tell apart) within 3σ of its own
     * uncertainty, give B within 1.5× the lattice-origin Cramér–Rao bound of the truth, and
     * {@code lattice-strain} must then use that frame.
     */
    @Test
    void auto_scan_rotation_on_a_rotated_crystalline_scan(@TempDir Path dir) throws IOException {
        CrystalSim sim = LatticeStrainTest.hexagonal();
        int n = sim.ny * sim.nx;
        double alpha = 12, ca = Math.cos(Math.toRadians(alpha)), sa = Math.sin(Math.toRadians(alpha));
        float[] vx = new float[n], vy = new float[n];
        double[] gx = new double[n], gy = new double[n];
        for (int y = 0; y < sim.ny; y++) for (int x = 0; x < sim.nx; x++) {
            int i = y * sim.nx + x;
            double u = x / (double) (sim.nx - 1), v = y / (double) (sim.ny - 1);
            vx[i] = (float) (sim.size / 2.0 + 0.37 + 1.5 * u - 0.8 * v);
            vy[i] = (float) (sim.size / 2.0 - 0.21 + 0.7 * v);
            // φ = 2.2·sin(2.1·x/13·π)·cos(1.3·y/13·π + 0.4) px·(scan px): θ = ∇φ per scan step
            double kx = 2.1 * Math.PI / (sim.nx - 1), ky = 1.3 * Math.PI / (sim.ny - 1), a = 2.2;
            gx[i] = a * kx * Math.cos(kx * x) * Math.cos(ky * y + 0.4);
            gy[i] = -a * ky * Math.sin(kx * x) * Math.sin(ky * y + 0.4);
            sim.ox[i] = vx[i] + ca * gx[i] + sa * gy[i]; // R(−α)·θ
            sim.oy[i] = vy[i] - sa * gx[i] + ca * gy[i];
        }
        Harness.MemoryDataset ds = sim.sample(33);
        Parameters p = Parameters.of(Map.of(DiskFitter.P_RADIUS, "5", "vacuum", Files.writeString(dir.resolve("vacuum.npy"), "stand-in").toString(),
                "thickness-nm", "50", "scan-rotation-deg", "auto"));
        MapSet fit = Harness.run(new DiskFitter(), ds, p);
        Shape s = Shape.of(sim.ny, sim.nx);
        double mrad = 0.05, kv = 200, tNm = 50;
        Harness.ACtx ctx = new Harness.ACtx(Calibration.builder().beamKv(kv).detectorPixelMrad(mrad).build(), p, s);
        ctx.reference = MapSet.of(DataMap.of("beam/center_x", s, vx, Unit.PIXEL, ""), DataMap.of("beam/center_y", s, vy, Unit.PIXEL, ""));
        assertEquals(List.of("magnetic-beam", "lattice-strain"), new CrystallinePipeline().plan(p).derivers(), "B solves the frame first");
        MapSet b = new MagneticBeamDeriver().derive(fit, ctx);
        MapSet strain = new LatticeStrainDeriver().derive(fit.plus(b), ctx);
        Map<String, Object> at = b.require("magnetic/Bx").attributes();
        double found = ((Number) at.get("scan_rotation_deg")).doubleValue();
        double sigma = ((Number) at.get("scan_rotation_sigma_deg")).doubleValue();
        double off = ((found - alpha) % 180 + 180) % 180;
        off = Math.min(off, 180 - off);
        double sign = Math.cos(Math.toRadians(found - alpha)) >= 0 ? 1 : -1; // ±180° flips the sign of B
        double k = Electron.H / (Electron.E * Electron.wavelengthMetres(kv) * tNm * 1e-9) * mrad * 1e-3;
        double e = 0;
        for (int i = 0; i < n; i++) {
            e += sq(b.require("magnetic/Bx").get(i) - sign * -k * gy[i]) + sq(b.require("magnetic/By").get(i) - sign * k * gx[i]);
        }
        double rms = Math.sqrt(e / (2 * n)), so = 0;
        for (int i = 0; i < n; i++) so += originVariance(sim, i);
        double bound = k * Math.sqrt(so / n);
        System.out.printf("crystalline auto scan rotation: true %.1f°, found %.3f° ± %.3f° (|off| mod 180° %.3f°), transpose %s; "
                + "B RMS error %.4f T vs Cramér–Rao %.4f T%n", alpha, found, sigma, off, at.get("transpose"), rms, bound);
        assertEquals(Boolean.FALSE, at.get("transpose"));
        assertTrue(sigma > 0 && sigma < 2, "σ " + sigma + "°");
        assertTrue(off <= Math.max(3 * sigma, 0.05), "found " + found + "° ± " + sigma + "° vs " + alpha + "°");
        assertTrue(rms <= 1.5 * bound, "B RMS error " + rms + " T > 1.5 × bound " + bound);
        Map<String, Object> st = strain.require("strain/exx").attributes();
        assertEquals(found, ((Number) st.get("scan_rotation_deg")).doubleValue(), 1e-12, "lattice-strain in the solved frame");
        assertTrue(String.valueOf(st.get("scan_frame_from")).startsWith("auto"), String.valueOf(st.get("scan_frame_from")));
    }

    /** auto without a deflection reference: lattice-strain names what is missing instead of silently using the calibration's frame. */
    @Test
    void auto_without_reference_is_named() {
        Shape s = Shape.of(2, 2);
        MapSet in = MapSet.of(DataMap.of(DiskFitter.G1X, s, new float[] {10, 10, 10, 10}, Unit.PIXEL, ""),
                DataMap.of(DiskFitter.G1Y, s, new float[4], Unit.PIXEL, ""), DataMap.of(DiskFitter.G2X, s, new float[4], Unit.PIXEL, ""),
                DataMap.of(DiskFitter.G2Y, s, new float[] {10, 10, 10, 10}, Unit.PIXEL, ""));
        Harness.ACtx ctx = new Harness.ACtx(Calibration.builder().build(), Parameters.of(Map.of("scan-rotation-deg", "auto")), s);
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.ltz4d.api.error.InvalidParameterException.class,
                () -> new LatticeStrainDeriver().derive(in, ctx));
        assertTrue(e.getMessage().contains("--vacuum"), e.getMessage());
    }

    /** B asked for without a pixel calibration: the shared deriver names the missing option. */
    @Test
    void missingPixelCalibrationIsNamed(@TempDir Path dir) {
        Shape s = Shape.of(2, 2);
        MapSet in = MapSet.of(DataMap.of("beam/center_x", s, new float[4], Unit.PIXEL, ""), DataMap.of("beam/center_y", s, new float[4], Unit.PIXEL, ""));
        Harness.ACtx ctx = new Harness.ACtx(Calibration.builder().beamKv(200).build(), Parameters.of(Map.of("descan", "plane")), s);
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.ltz4d.api.error.MissingCalibrationException.class, () -> new MagneticBeamDeriver().derive(in, ctx));
        assertTrue(e.getMessage().contains("--pixel-mrad"), e.getMessage());
    }

    /**
     * Cramér–Rao variance (px², per coordinate) of the lattice origin at position i: each disk's
     * bound from the Poisson Fisher information of λ = b + A·D(|x − c|) over its window (c, A, b
     * unknown), combined by weighted least squares over (1, h, k) like the lattice fit.
     */
    static double originVariance(CrystalSim sim, int i) {
        double[] g = sim.basis(i);
        double g0 = Math.hypot(g[0], g[1]);
        int hm = (int) Math.ceil(sim.size / Math.min(Math.hypot(g[0], g[1]), Math.hypot(g[2], g[3]))) + 1;
        int reach = sim.disk.window();
        double[] nm = new double[9];
        for (int h = -hm; h <= hm; h++) for (int kk = -hm; kk <= hm; kk++) {
            double cx = sim.ox[i] + h * g[0] + kk * g[2], cy = sim.oy[i] + h * g[1] + kk * g[3];
            if (cx < 0 || cy < 0 || cx > sim.size - 1 || cy > sim.size - 1) continue;
            double a = sim.amplitude(h, kk, Math.hypot(h * g[0] + kk * g[2], h * g[1] + kk * g[3]), g0);
            double[] fi = new double[16];
            for (int r = Math.max(0, (int) (cy - reach)); r < Math.min(sim.size, (int) (cy + reach) + 1); r++) {
                for (int c = Math.max(0, (int) (cx - reach)); c < Math.min(sim.size, (int) (cx + reach) + 1); c++) {
                    double dx = c - cx, dy = r - cy, rho = Math.hypot(dx, dy);
                    double d = sim.disk.exact(rho), lam = sim.background + a * d;
                    double gg = rho > 0 ? -a * sim.disk.exactSlope(rho) / rho : 0;
                    double[] j = {gg * dx, gg * dy, d, 1};
                    for (int p = 0; p < 4; p++) for (int q = 0; q < 4; q++) fi[p * 4 + q] += j[p] * j[q] / lam;
                }
            }
            double[] l = new double[16], e = new double[4];
            if (!Small.cholesky(fi, 4, l)) continue;
            double var = 0.5 * (Small.inverseDiag(l, 4, 0, e) + Small.inverseDiag(l, 4, 1, e));
            double w = 1 / var;
            double[] row = {1, h, kk};
            for (int p = 0; p < 3; p++) for (int q = 0; q < 3; q++) nm[p * 3 + q] += w * row[p] * row[q];
        }
        double[] l = new double[9], e = new double[3];
        if (!Small.cholesky(nm, 3, l)) return Double.NaN;
        return Small.inverseDiag(l, 3, 0, e);
    }

    static double sq(double v) {
        return v * v;
    }
}
