package org.ltz4d.amorphous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.simulator.Descan;
import org.ltz4d.simulator.MagneticField;
import org.ltz4d.simulator.SimulationSpec;
import org.ltz4d.simulator.Simulator;
import org.ltz4d.simulator.StrainField;

/** Glass patterns with sample defects and detector effects: what fails, what is masked, what it costs. */
class GlassRobustnessTest {

    private static SimulationSpec.Builder base(double dose) {
        return SimulationSpec.builder().pattern(SimulationSpec.Pattern.GLASS).scan(10, 25).dose(dose).distortion(0.01, 30)
                .descan(Descan.typical(4)).strainField(StrainField.orientations(0.01, 5))
                .magneticField(MagneticField.domains(1.0, 3, 0.2)).seed(21);
    }

    @Test
    void aHoleAndAThickCornerFailExactlyAtTheirPositions() {
        for (double dose : new double[] {1e5, 1e7}) {
            SimulationSpec spec = SimulationSpec.builder().pattern(SimulationSpec.Pattern.GLASS).scan(12, 16).dose(dose)
                    .distortion(0.01, 30).descan(Descan.typical(4)).hole(true).thickCorner(4).seed(5).build();
            Harness.MemoryDataset ds = Harness.MemoryDataset.of(spec, false);
            Map<String, float[]> m = Harness.run(ds, Parameters.single(RingFitter.P_SEED_FRAMES, "64"), 2, 20, new BeamFitter(), new RingFitter());
            int holes = 0, thick = 0;
            StringBuilder wrong = new StringBuilder();
            for (int i = 0; i < spec.frameCount(); i++) {
                int cls = Simulator.truth(spec, i / 16, i % 16).sample();
                holes += cls == 0 ? 1 : 0;
                thick += cls == 2 ? 1 : 0;
                boolean failed = m.get("fit/mask")[i] != 0;
                if (failed != (cls != 1)) {
                    wrong.append(String.format(" %d (class %d, snr %.1f, misfit %.3g)", i, cls, m.get("fit/ring_snr")[i], m.get("fit/misfit")[i]));
                }
            }
            assertTrue(holes > 0 && thick > 0, "the scan has both defects");
            assertEquals("", wrong.toString(), "dose " + dose + ": positions flagged wrongly");
        }
    }

    @Test
    void aSaturatedBeamAndHotAndDeadPixelsChangeNothingBeyondTheBound() {
        // the beam holds 70 % of the electrons and saturates at 2,000 counts; 30 hot and 30 dead pixels
        // (the bound leaves them out too)
        SimulationSpec spec = base(1e6).beamFraction(0.7).saturation(2000).badPixels(30, 30).build();
        RingSetup su = checkWithinBound(spec);
        assertTrue(su.mean.saturatedCount > 10, "the saturated beam is found: " + su.mean.saturatedCount);
        boolean[] truthBad = spec.detectorEffects().badPixels();
        StringBuilder missed = new StringBuilder();
        for (int i = 0; i < truthBad.length; i++) {
            if (truthBad[i] && !su.excluded[i] && inAnnulus(su, i, spec.detX())) missed.append(' ').append(i);
        }
        assertEquals("", missed.toString(), "every hot and dead pixel on the ring's annulus is found");
    }

    @Test
    void aBeamStopChangesNothingBeyondTheBound() {
        // a stop over the direct beam with an arm to the detector's edge (fixed on the detector; the bound
        // includes its shadow): no direct beam to seed from, and a sector of the ring is dark
        SimulationSpec spec = base(1e6).beamStop(true, Double.NaN).build();
        RingSetup su = checkWithinBound(spec);
        float[] t = spec.detectorEffects().transmission();
        int shadowMissed = 0;
        for (int i = 0; i < t.length; i++) if (t[i] < 0.5 && !su.excluded[i] && inAnnulus(su, i, spec.detX())) shadowMissed++;
        assertEquals(0, shadowMissed, "the beam stop's shadow on the ring's annulus is found");
    }

    private static RingSetup checkWithinBound(SimulationSpec spec) {
        Harness.MemoryDataset ds = Harness.MemoryDataset.of(spec, false);
        Parameters p = Parameters.single(RingFitter.P_SEED_FRAMES, "64");
        RingSetup su = Harness.ringSetup(ds, p);
        GlassScan g = GlassScan.run(spec, ds, p, 10, 33, 82);
        System.out.println("detector effects: " + g + " masks: bad " + su.mean.badCount + ", saturated "
                + su.mean.saturatedCount + ", stop " + su.mean.stopCount);
        assertEquals(0, g.failedOnSample, g.toString());
        for (int k = 0; k < 6; k++) {
            assertTrue(g.ratio[k] <= 1.3, GlassScan.NAMES[k] + ": " + g);
            assertTrue(g.ratio[k] >= 0.8, GlassScan.NAMES[k] + ": " + g);
        }
        return su;
    }

    private static boolean inAnnulus(RingSetup su, int i, int cols) {
        double dx = i % cols - su.seed[0], dy = i / cols - su.seed[1];
        double rho = Math.sqrt(su.seed[2] * dx * dx + 2 * su.seed[3] * dx * dy + su.seed[4] * dy * dy);
        return rho >= su.rhoIn - 0.05 && rho <= su.rhoOut + 0.05;
    }

    @Test
    void aMaskFileExcludesItsPixelsAndAWrongShapeNamesTheFile(@TempDir Path dir) throws IOException {
        SimulationSpec spec = base(1e6).scan(3, 4).build();
        Harness.MemoryDataset ds = Harness.MemoryDataset.of(spec, false);
        int rows = spec.detY(), cols = spec.detX();
        byte[] mask = new byte[rows * cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < 40; c++) mask[r * cols + c] = 1; // the left 40 columns
        Path good = npy(dir.resolve("mask.npy"), "|b1", rows, cols, mask);
        Parameters p = Parameters.of(Map.of(RingFitter.P_SEED_FRAMES, "12", RingFitter.P_MASK, good.toString()));
        RingSetup su = Harness.ringSetup(ds, p);
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) if (c < 40) assertTrue(su.excluded[r * cols + c], "masked " + r + "," + c);
        assertEquals(rows * 40, su.mean.userCount);
        Map<String, float[]> m = Harness.run(ds, p, 1, new BeamFitter(), new RingFitter());
        for (int i = 0; i < 12; i++) {
            assertEquals(0f, m.get("fit/mask")[i]);
            assertEquals(Simulator.truth(spec, i / 4, i % 4).ringCenterX(), m.get("ring/center_x")[i], 0.1);
        }
        Path wrong = npy(dir.resolve("wrong.npy"), "|b1", rows, cols - 1, new byte[rows * (cols - 1)]);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> Harness.ringSetup(ds,
                Parameters.of(Map.of(RingFitter.P_SEED_FRAMES, "12", RingFitter.P_MASK, wrong.toString()))));
        assertTrue(e.getMessage().contains("wrong.npy") && e.getMessage().contains("(" + rows + ", " + cols + ")"), e.getMessage());
    }

    /** A minimal .npy (version 1) of {@code descr} and shape rows × cols with the given bytes. */
    static Path npy(Path file, String descr, int rows, int cols, byte[] data) throws IOException {
        String h = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int pad = 64 - (10 + h.length() + 1) % 64;
        h = h + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + h.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0).putShort((short) h.length());
        b.put(h.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        Files.write(file, b.array());
        return file;
    }
}
