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
        // lattice-centre precision ~0.003 px → 1.5e-4 mrad → ~0.005 T at t = 50 nm
        System.out.printf("B from the lattice centre: peak |Bx| %.3f T, RMS error Bx %.4f T, By %.4f T%n", peak, rx, ry);
        assertTrue(rx < 0.02 && ry < 0.02, "B RMS error " + rx + ", " + ry + " T");
    }

    static double sq(double v) {
        return v * v;
    }
}
