package org.ltz4d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableDataset;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ltz4d thickness SI.h5} end to end: an HDF5 spectrum image (scan_y, scan_x, energy) with
 * its energy axis as attributes, noise-free spectra of a zero-loss Gaussian (area 1) and a single
 * plasmon Gaussian at 22 eV (area τ), so t/λ = ln(1 + τ) exactly; the command picks the
 * spectrum-image reader itself, and t = (t/λ)·λ lands in t.npy; the same file without its energy
 * attributes is refused (exit 1) in one line naming the file and the attribute.
 */
class ThicknessEndToEndIT {
    @TempDir
    Path dir;

    static final int ROWS = 3, COLS = 4, CH = 600;
    static final double DISPERSION = 0.25, START = -5;

    static double tau(int y, int x) {
        return 0.1 + 0.15 * x + 0.4 * y;
    }

    static float[][][] cube() {
        float[][][] c = new float[ROWS][COLS][CH];
        for (int y = 0; y < ROWS; y++) for (int x = 0; x < COLS; x++) for (int k = 0; k < CH; k++) {
            double e = START + k * DISPERSION;
            double zlp = Math.exp(-0.5 * e * e / (0.34 * 0.34)) / (0.34 * Math.sqrt(2 * Math.PI));
            double pl = tau(y, x) * Math.exp(-0.5 * (e - 22) * (e - 22) / 9) / (3 * Math.sqrt(2 * Math.PI));
            c[y][x][k] = (float) (1e5 * DISPERSION * (zlp + pl));
        }
        return c;
    }

    @Test
    void anHdf5SpectrumImageGivesItsThicknessMap() throws Exception {
        Path si = dir.resolve("si.h5");
        try (WritableHdfFile out = HdfFile.write(si)) {
            WritableDataset d = out.putDataset("si", cube());
            d.putAttribute("energy_scale", DISPERSION);
            d.putAttribute("energy_offset", START);
        }
        Path t = dir.resolve("t.npy");
        Cli.Result r = Cli.run(dir, Map.of("LTZ4D_HOME", dir.resolve("home").toString()), List.of(), "thickness", si.toString(),
                "--lambda-nm", "100", "--out", t.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains(ROWS + "×" + COLS + " map"), r.out());
        float[] v = Arrays2.npy(t, ROWS, COLS);
        for (int y = 0; y < ROWS; y++) for (int x = 0; x < COLS; x++) {
            assertEquals(100 * Math.log(1 + tau(y, x)), v[y * COLS + x], 0.05, "t (nm) at " + y + "," + x);
        }

        Path bare = dir.resolve("bare.h5");
        try (WritableHdfFile out = HdfFile.write(bare)) {
            out.putDataset("si", cube());
        }
        Cli.Result b = Cli.run(dir, Map.of("LTZ4D_HOME", dir.resolve("home").toString()), List.of(), "thickness", bare.toString(),
                "--lambda-nm", "100", "--out", dir.resolve("b.npy").toString());
        assertEquals(1, b.exit(), b.toString()); // a typed error: exit 1, one line
        assertTrue(b.err().contains(bare.toString()) && b.err().contains("/si@energy_scale"), b.err());
        assertEquals(1, b.err().strip().lines().count(), b.err());
    }
}
