package org.ltz4d.crystalline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
