package org.ltz4d.crystalline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.param.Parameters;

/**
 * Issue 12 item 6: two candidate structures, both given by their space-group symbol alone — SmCo5
 * (P6/mmm) and bcc Fe (Im-3m, a cubic phase) — told apart on simulated scans whose hexagonal disk
 * patterns look alike (SmCo5 [0001]: |g(100)| = 0.2314 1/Å; Fe [111]: |g(110)| = 0.4934 1/Å), run
 * end to end through {@code disks} at defaults and {@code phase} with a calibrated detector pixel.
 */
class PhaseScanTest {
    static final String SMCO5 = """
            data_SmCo5
            _cell_length_a 4.99
            _cell_length_b 4.99
            _cell_length_c 3.97
            _cell_angle_alpha 90
            _cell_angle_beta 90
            _cell_angle_gamma 120
            _symmetry_space_group_name_H-M 'P 6/m m m'
            loop_
            _atom_site_label
            _atom_site_type_symbol
            _atom_site_fract_x
            _atom_site_fract_y
            _atom_site_fract_z
            Sm1 Sm 0 0 0
            Co1 Co 0.3333333 0.6666667 0
            Co2 Co 0.5 0 0.5
            """;
    static final String FE = """
            data_Fe
            _cell_length_a 2.8665
            _cell_length_b 2.8665
            _cell_length_c 2.8665
            _cell_angle_alpha 90
            _cell_angle_beta 90
            _cell_angle_gamma 90
            _symmetry_space_group_name_H-M 'I m -3 m'
            loop_
            _atom_site_label
            _atom_site_fract_x
            _atom_site_fract_y
            _atom_site_fract_z
            Fe1 0 0 0
            """;

    @Test
    void smco5AndBccFeScansAreLabelled(@TempDir Path dir) throws IOException {
        Path a = Files.writeString(dir.resolve("SmCo5.cif"), SMCO5), b = Files.writeString(dir.resolve("Fe.cif"), FE);
        Structure.Scattering sf = Structure.Scattering.load();
        assertEquals(6, Structure.readCif(a, sf).atoms.size(), "SmCo5: 1 Sm + 2 + 3 Co");
        assertEquals(2, Structure.readCif(b, sf).atoms.size(), "bcc: 2 Fe");
        double g100 = 2 / (Math.sqrt(3) * 4.99), g110 = Math.sqrt(2) / 2.8665;
        double sPerPx = g100 / 24; // SmCo5's first ring at 24 px
        Calibration cal = Calibration.builder().beamKv(300).detectorPixelInverseAngstrom(sPerPx).build();
        Parameters p = Parameters.of(Map.of(PhaseDeriver.P_STRUCTURE, a + "," + b));
        for (int s = 0; s < 2; s++) {
            double len = s == 0 ? 24 : g110 / sPerPx;
            double[] u = LatticeStrainTest.polar(len, 10), v = LatticeStrainTest.polar(len, 70);
            CrystalSim sim = new CrystalSim(8, 8, 128, 5.0, 1.0, new double[] {u[0], u[1], v[0], v[1]}, true, 400, 3000, 2, 25, 2e-3, 0.4);
            MapSet fit = Harness.run(new DiskFitter(), sim.sample(40 + s), Parameters.empty());
            MapSet out = new PhaseDeriver().derive(fit, new Harness.ACtx(cal, p, fit.require("lattice/g1x").shape()));
            int n = sim.ny * sim.nx, right = 0, zone = 0;
            double minScore = 1;
            for (int i = 0; i < n; i++) {
                if (out.require("phase/label").get(i) == s) right++;
                int[] z = {(int) Math.abs(out.require("orientation/zone_u").get(i)), (int) Math.abs(out.require("orientation/zone_v").get(i)),
                    (int) Math.abs(out.require("orientation/zone_w").get(i))};
                if (s == 0 ? z[0] == 0 && z[1] == 0 && z[2] == 1 : z[0] == 1 && z[1] == 1 && z[2] == 1) zone++;
                minScore = Math.min(minScore, out.require("phase/score").get(i));
            }
            System.out.printf("%s scan: %d/%d labelled right, %d/%d in the expected zone, lowest score %.3f%n",
                    s == 0 ? "SmCo5 [0001]" : "Fe [111]", right, n, zone, n, minScore);
            assertEquals(n, right, "positions labelled " + (s == 0 ? "SmCo5" : "Fe"));
            assertEquals(n, zone, "positions in " + (s == 0 ? "[0001]" : "<111>"));
            assertTrue(minScore > 0.5, "score " + minScore);
        }
    }
}
