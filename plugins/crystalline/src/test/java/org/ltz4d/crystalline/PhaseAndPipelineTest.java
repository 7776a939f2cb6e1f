package org.ltz4d.crystalline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.Plan;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.MissingCalibrationException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;

class PhaseAndPipelineTest {
    static final String SI_CIF = """
            data_Si
            _cell_length_a 5.4309
            _cell_length_b 5.4309
            _cell_length_c 5.4309
            _cell_angle_alpha 90
            _cell_angle_beta 90
            _cell_angle_gamma 90
            _symmetry_space_group_name_H-M 'F d -3 m'
            loop_
            _symmetry_equiv_pos_as_xyz
            'x, y, z'
            'x, y+1/2, z+1/2'
            'x+1/2, y, z+1/2'
            'x+1/2, y+1/2, z'
            loop_
            _atom_site_label
            _atom_site_type_symbol
            _atom_site_fract_x
            _atom_site_fract_y
            _atom_site_fract_z
            _atom_site_occupancy
            Si1 Si 0 0 0 1.0
            Si2 Si 0.25 0.25 0.25 1.0
            """;

    @Test
    void cifExpansionAndExtinctions(@TempDir Path dir) throws IOException {
        Path cif = Files.writeString(dir.resolve("Si.cif"), SI_CIF);
        Structure.Scattering sf = Structure.Scattering.load();
        Structure si = Structure.readCif(cif, sf);
        assertEquals(8, si.atoms.size(), "diamond: 2 sites × 4 F-centring translations");
        assertEquals(0, si.intensity(0, 0, 2, sf), 1e-12, "002 is forbidden in diamond");
        assertEquals(0, si.intensity(1, 0, 0, sf), 1e-12, "mixed hkl forbidden by the F lattice");
        assertTrue(si.intensity(1, 1, 1, sf) > 1, "111 allowed");
        // f_e(Fe, g = 0.5 1/Å) from PROVENANCE.md's sanity table: 2.947259 Å
        assertEquals(2.947259, sf.fe(26, 0.25), 1e-6);
        assertEquals(1 / 3.1355, Math.sqrt(Structure.dot(si.g(1, 1, 1), si.g(1, 1, 1))), 1e-4, "|g111| = 1/d111");
    }

    @Test
    void phaseLabelsAndZoneAxes(@TempDir Path dir) throws IOException {
        Path cif = Files.writeString(dir.resolve("Si.cif"), SI_CIF);
        double pxInvA = 0.005; // Å⁻¹ per pixel
        // Si [110]: g(1-11) and g(-111) → two |g111| at 70.53°; bcc Fe [001]: g(110), g(-110) at 90°
        double g111 = 1 / 3.1355 / pxInvA, half = Math.toRadians(70.53 / 2);
        double g110 = Math.sqrt(2) / 2.8665 / pxInvA;
        float[][] g = {
            {(float) (g111 * Math.cos(half)), (float) (-g111 * Math.sin(half)), (float) (g111 * Math.cos(half)), (float) (g111 * Math.sin(half))},
            {(float) g110, 0, 0, (float) g110},
        };
        int[] which = {0, 1, 1, 0};
        float[][] comp = new float[4][4];
        for (int i = 0; i < 4; i++) for (int c = 0; c < 4; c++) comp[c][i] = g[which[i]][c];
        Shape s = Shape.of(2, 2);
        MapSet in = MapSet.of(DataMap.of(DiskFitter.G1X, s, comp[0], Unit.PIXEL, ""), DataMap.of(DiskFitter.G1Y, s, comp[1], Unit.PIXEL, ""),
                DataMap.of(DiskFitter.G2X, s, comp[2], Unit.PIXEL, ""), DataMap.of(DiskFitter.G2Y, s, comp[3], Unit.PIXEL, ""));
        Parameters p = Parameters.of(Map.of(PhaseDeriver.P_STRUCTURE, cif.toString(), PhaseDeriver.P_LATTICE, "2.8665,2.8665,2.8665,90,90,90",
                PhaseDeriver.P_SPACE_GROUP, "Im-3m", PhaseDeriver.P_ELEMENT, "Fe"));
        Calibration cal = Calibration.builder().beamKv(200).detectorPixelInverseAngstrom(pxInvA).build();
        MapSet out = new PhaseDeriver().derive(in, new Harness.ACtx(cal, p, s));
        for (int i = 0; i < 4; i++) {
            assertEquals(which[i], out.require("phase/label").get(i), "label at " + i);
            assertTrue(out.require("phase/score").get(i) > 0.95, "score " + out.require("phase/score").get(i));
            int[] z = {(int) Math.abs(out.require("orientation/zone_u").get(i)), (int) Math.abs(out.require("orientation/zone_v").get(i)),
                (int) Math.abs(out.require("orientation/zone_w").get(i))};
            Arrays.sort(z);
            assertEquals(which[i] == 0 ? List.of(0, 1, 1) : List.of(0, 0, 1), List.of(z[0], z[1], z[2]), "zone at " + i);
        }
        // without a pixel calibration the shapes alone give the zone families (Si [110]: equal lengths at 70.5°; a square
        // pattern: <001>), not the structure (Si <001> is square too); only Si candidates: the implied pixel size is the true one
        Parameters siOnly = Parameters.of(Map.of(PhaseDeriver.P_STRUCTURE, cif.toString()));
        MapSet shape = new PhaseDeriver().derive(in, new Harness.ACtx(Calibration.builder().beamKv(200).build(), siOnly, s));
        for (int i = 0; i < 4; i++) {
            int[] z = {(int) Math.abs(shape.require("orientation/zone_u").get(i)), (int) Math.abs(shape.require("orientation/zone_v").get(i)),
                (int) Math.abs(shape.require("orientation/zone_w").get(i))};
            Arrays.sort(z);
            assertEquals(which[i] == 0 ? List.of(0, 1, 1) : List.of(0, 0, 1), List.of(z[0], z[1], z[2]), "shape-only zone at " + i);
        }
        Shape one = Shape.of(1, 1);
        MapSet si110 = MapSet.of(DataMap.of(DiskFitter.G1X, one, new float[] {g[0][0]}, Unit.PIXEL, ""), DataMap.of(DiskFitter.G1Y, one, new float[] {g[0][1]}, Unit.PIXEL, ""),
                DataMap.of(DiskFitter.G2X, one, new float[] {g[0][2]}, Unit.PIXEL, ""), DataMap.of(DiskFitter.G2Y, one, new float[] {g[0][3]}, Unit.PIXEL, ""));
        MapSet implied = new PhaseDeriver().derive(si110, new Harness.ACtx(Calibration.builder().beamKv(200).build(), siOnly, one));
        assertEquals(pxInvA, (double) implied.require("phase/label").attributes().get("implied_inverse_angstrom_per_pixel"), 1e-3 * pxInvA);
        // without a beam energy the deriver says what is missing
        MissingCalibrationException e = assertThrows(MissingCalibrationException.class,
                () -> new PhaseDeriver().derive(in, new Harness.ACtx(Calibration.none(), p, s)));
        assertTrue(e.getMessage().contains("beam"), e.getMessage());
    }

    @Test
    void pipelinePlans() {
        CrystallinePipeline cp = new CrystallinePipeline();
        Plan plain = cp.plan(Parameters.empty());
        assertEquals(List.of(List.of("disks", "virtual")), plain.passes());
        assertEquals(List.of("lattice-strain"), plain.derivers());
        assertEquals(List.of("figures"), plain.correlators());
        Plan full = cp.plan(Parameters.of(Map.of("beam-kv", "200", "pixel-mrad", "0.05", "descan", "plane", "structure", "a.cif")));
        assertEquals(List.of("lattice-strain", "magnetic-beam", "phase"), full.derivers());
        assertEquals(List.of("lattice-strain", "magnetic-beam"), cp.plan(Parameters.of(Map.of("vacuum", "v.npy"))).derivers(),
                "a reference enables B; the deriver itself names a missing calibration");
        assertEquals(List.of("lattice", "B", "phase"), cp.stages().stream().map(s -> s.name()).toList());
        assertEquals("--vacuum FILE or --descan plane|parabola", cp.stages().get(1).enabledBy());
        assertTrue(cp.plan(Parameters.of(Map.of("descan", "plane"))).derivers().contains("magnetic-beam"),
                "B is asked for by its reference; the deriver names a missing calibration");
        assertTrue(cp.plan(Parameters.of(Map.of("vacuum", "v.npy", "thickness-nm", "100"))).derivers().contains("magnetic-beam"));
        assertFalse(cp.plan(Parameters.of(Map.of("beam-kv", "200", "pixel-mrad", "0.05"))).derivers().contains("magnetic-beam"),
                "no B without a reference");
    }

    /**
     * One {@code --thickness-nm} in the crystalline pipeline: the phase deriver's sample thickness (the
     * kinematic excitation-error shape) and the B deriver's (tesla from B·t) are the same specimen
     * thickness, declared identically (name, type, unit, no default, range, help text), so the help
     * lists one parameter with one text and the parameter check accepts it with {@code --structure}
     * alone (phase uses it) as with {@code --vacuum} (B uses it).
     */
    @Test
    void oneThicknessParameterForPhaseAndB() {
        var phase = new PhaseDeriver().parameters().stream().filter(s -> s.name().equals("thickness-nm")).toList();
        var b = new org.ltz4d.derivers.MagneticBeamDeriver().parameters().stream().filter(s -> s.name().equals("thickness-nm")).toList();
        assertEquals(1, phase.size(), "phase declares --thickness-nm");
        assertEquals(b, phase, "the same parameter as the B deriver's (name, unit, default, range, help)");
        assertEquals(null, phase.get(0).defaultValue(), "one default: none (B·t without it; phase assumes "
                + PhaseDeriver.ASSUMED_THICKNESS_NM + " nm)");
        assertEquals(Unit.NANOMETRE, phase.get(0).unit());
    }

    @Test
    void strainSignConventions() {
        // compression along x (ε_xx = -1e-2): reciprocal vectors grow along x; rotation +2° turns g by +2°
        double[] ref = {20, 0, 0, 20};
        double th = Math.toRadians(2);
        float[] g1x = {(float) (20 / 0.99)}, g1y = {0}, g2x = {0}, g2y = {20};
        var r = LatticeStrainDeriver.compute(g1x, g1y, g2x, g2y, ref, "auto", 0, false);
        assertEquals(-0.01, r.exx[0], 1e-6);
        assertEquals(0, r.eyy[0], 1e-6);
        float[] a = {(float) (20 * Math.cos(th))}, b = {(float) (20 * Math.sin(th))}, c = {(float) (-20 * Math.sin(th))}, d = {(float) (20 * Math.cos(th))};
        var q = LatticeStrainDeriver.compute(a, b, c, d, ref, "auto", 0, false);
        assertEquals(2.0, q.rot[0], 1e-4);
        assertEquals(0, q.exx[0], 1e-6);
        assertEquals(90.0, q.period);
        // scan rotation of 90°: ε_xx of the detector becomes ε_yy of the scan
        var t = LatticeStrainDeriver.compute(g1x, g1y, g2x, g2y, ref, "auto", 90, false);
        assertEquals(-0.01, t.eyy[0], 1e-6);
        assertEquals(0, t.exx[0], 1e-6);
    }
}
