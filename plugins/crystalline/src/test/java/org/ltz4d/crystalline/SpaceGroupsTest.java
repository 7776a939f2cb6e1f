package org.ltz4d.crystalline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ltz4d.api.error.InvalidInputException;

/** Space-group operators from Hermann–Mauguin symbols (via Hall symbols), and CIFs that give only the symbol. */
class SpaceGroupsTest {

    @ParameterizedTest(name = "{0}: {1} operations")
    @CsvSource({"F d -3 m, 192", "Fd-3m:1, 192", "Fm-3m, 192", "Im-3m, 96", "Pm-3m, 48", "P6/mmm, 24", "P 63/m m c, 24",
        "P6_3/mmc, 24", "I4/mmm, 32", "P4/mmm, 16", "Pnma, 8", "R-3m, 36", "Ia-3d, 96", "F-43m, 96", "P4_2/mnm, 16", "P-1, 2"})
    void orderOfTheGroup(String symbol, int order) {
        var ops = SpaceGroups.operations(symbol).orElseThrow();
        assertEquals(order, ops.size(), symbol);
        assertEquals(order, new java.util.HashSet<>(ops).size(), "distinct operations of " + symbol);
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(SpaceGroupsTest.class.getResource(name).toURI());
    }

    @Test
    void siliconFromTheSymbolAloneIsDiamond() throws Exception {
        Structure.Scattering sf = Structure.Scattering.load();
        Structure si = Structure.readCif(resource("Si-Fd-3m.cif"), sf);
        assertEquals(8, si.atoms.size(), "diamond: 8 atoms per cubic cell");
        assertEquals(0, si.intensity(0, 0, 2, sf), 1e-9, "002 forbidden (diamond glide)");
        assertEquals(0, si.intensity(2, 2, 2, sf), 1e-9, "222 kinematically forbidden");
        assertEquals(0, si.intensity(1, 0, 0, sf), 1e-9, "mixed hkl forbidden (F lattice)");
        assertTrue(si.intensity(1, 1, 1, sf) > 1 && si.intensity(2, 2, 0, sf) > 1, "111 and 220 allowed");
    }

    @Test
    void bothOriginChoicesGiveTheSameDiamond(@TempDir Path dir) throws Exception {
        Structure.Scattering sf = Structure.Scattering.load();
        String cif = Files.readString(resource("Si-Fd-3m.cif")).replace("'F d -3 m'", "'F d -3 m :1'").replace("0.125 0.125 0.125", "0 0 0");
        Structure o1 = Structure.readCif(Files.writeString(dir.resolve("o1.cif"), cif), sf);
        Structure o2 = Structure.readCif(resource("Si-Fd-3m.cif"), sf);
        assertEquals(8, o1.atoms.size());
        for (int[] hkl : new int[][] {{1, 1, 1}, {2, 2, 0}, {3, 1, 1}, {4, 0, 0}, {3, 3, 1}}) {
            assertEquals(o2.intensity(hkl[0], hkl[1], hkl[2], sf), o1.intensity(hkl[0], hkl[1], hkl[2], sf), 1e-6, java.util.Arrays.toString(hkl));
        }
    }

    @Test
    void hcpCobaltFromP63mmc(@TempDir Path dir) throws IOException {
        String cif = """
                data_Co
                _cell_length_a 2.507
                _cell_length_b 2.507
                _cell_length_c 4.069
                _cell_angle_alpha 90
                _cell_angle_beta 90
                _cell_angle_gamma 120
                _space_group_name_H-M_alt 'P 63/m m c'
                loop_
                _atom_site_label
                _atom_site_fract_x
                _atom_site_fract_y
                _atom_site_fract_z
                Co1 0.3333333 0.6666667 0.25
                """;
        Structure.Scattering sf = Structure.Scattering.load();
        Structure co = Structure.readCif(Files.writeString(dir.resolve("Co.cif"), cif), sf);
        assertEquals(2, co.atoms.size(), "hcp: 2 atoms per cell");
        assertEquals(0, co.intensity(0, 0, 1, sf), 1e-9, "001 forbidden (6_3 screw)");
        assertTrue(co.intensity(0, 0, 2, sf) > 1 && co.intensity(1, 0, 0, sf) > 1);
    }

    @Test
    void unknownSymbolWithoutOperatorsIsATypedErrorNamingFileAndField(@TempDir Path dir) throws Exception {
        String cif = Files.readString(resource("Si-Fd-3m.cif")).replace("'F d -3 m'", "'P 42/n c m'");
        Path f = Files.writeString(dir.resolve("odd.cif"), cif);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Structure.readCif(f, Structure.Scattering.load()));
        assertTrue(e.getMessage().contains("odd.cif") && e.getMessage().contains("_symmetry_space_group_name_h-m")
                && e.getMessage().contains("P 42/n c m"), e.getMessage());
    }

    /**
     * {@code --lattice} with {@code --space-group}: the full group's systematic absences, not only its
     * centring letter. Si (Fd-3m): 200 is absent (d glide, h00: h = 4n), 400, 220, 111 are not; with
     * the letter F alone 200 is predicted. The [001] zone's shortest reflection is then 220, not 200.
     */
    @Test
    void spaceGroupOfALatticeRemovesItsSystematicAbsences() {
        double[] cell = {5.431, 5.431, 5.431, 90, 90, 90};
        Structure fd3m = Structure.fromCell("Si", cell, "F d -3 m", 14, "space-group");
        Structure f = Structure.fromCell("Si", cell, "F", 14, "space-group");
        assertTrue(!fd3m.allowed(2, 0, 0) && !fd3m.allowed(0, 2, 0) && !fd3m.allowed(0, 0, 2), "200 absent in Fd-3m");
        assertTrue(!fd3m.allowed(0, 4, 2), "042 absent (0kl: k+l = 4n)");
        assertTrue(!fd3m.allowed(1, 0, 0) && !fd3m.allowed(1, 1, 0), "F centring");
        assertTrue(fd3m.allowed(4, 0, 0) && fd3m.allowed(2, 2, 0) && fd3m.allowed(1, 1, 1) && fd3m.allowed(0, 4, 4), "allowed reflections");
        assertTrue(f.allowed(2, 0, 0), "the centring letter alone predicts 200");
        Structure.Scattering sf = Structure.Scattering.load();
        double lambda = 0.02508; // Å at 200 kV
        PhaseDeriver.Zone zg = PhaseDeriver.zone(fd3m, 0, 0, 0, 1, sf, lambda, 500, 1.2);
        PhaseDeriver.Zone zf = PhaseDeriver.zone(f, 0, 0, 0, 1, sf, lambda, 500, 1.2);
        assertEquals(Math.sqrt(8) / 5.431, zg.l1(), 1e-6, "[001] of Fd-3m: shortest reflection 220");
        assertEquals(2 / 5.431, zf.l1(), 1e-6, "[001] of F alone: shortest reflection 200");
        Structure hcp = Structure.fromCell("Co", new double[] {2.507, 2.507, 4.07, 90, 90, 120}, "P6_3/mmc", 27, "space-group");
        assertTrue(!hcp.allowed(0, 0, 1) && hcp.allowed(0, 0, 2) && hcp.allowed(1, 0, 0), "P6_3/mmc: 00l with l odd absent (6_3 screw)");
        var e = assertThrows(org.ltz4d.api.error.InvalidParameterException.class, () -> Structure.fromCell("x", cell, "P 99 q", 26, "space-group"));
        assertTrue(e.getMessage().contains("space-group") && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("fd-3m"), e.getMessage());
    }
}
