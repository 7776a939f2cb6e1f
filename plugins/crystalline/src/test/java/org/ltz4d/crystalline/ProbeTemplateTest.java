package org.ltz4d.crystalline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.param.Parameters;

/** {@code --probe FILE.npy}: a measured vacuum probe as the template gives the same lattice as the synthetic disk. */
class ProbeTemplateTest {

    static Path writeNpy(Path file, float[] data, int rows, int cols) throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        for (float v : data) b.putFloat(v);
        return Files.write(file, b.array());
    }

    @Test
    void measuredProbeMatchesSynthetic(@TempDir Path dir) throws IOException {
        int size = 64;
        DiskModel m = new DiskModel(5.0, 1.0);
        float[] probe = new float[size * size];
        for (int r = 0; r < size; r++) for (int c = 0; c < size; c++) probe[r * size + c] = (float) (1000 * m.exact(Math.hypot(c - 30.3, r - 33.6)) + 1);
        Path npy = writeNpy(dir.resolve("vacuum.npy"), probe, size, size);
        Template t = Template.fromProbe(128, 128, probe, size, size);
        assertEquals(5.0, t.model.radius, 0.2, "radius from the probe's area at half maximum");
        assertEquals(1.0, t.model.edge, 0.3, "rim width from the 10–90 % band");

        CrystalSim sim = new CrystalSim(3, 3, 128, 5.0, 1.0, new double[] {24, 0, 12, 20.78}, true, 400, 3000, 2, 0, 1e-3, 0.1);
        Harness.MemoryDataset ds = sim.sample(3);
        MapSet a = Harness.run(new DiskFitter(), ds, Parameters.of(Map.of(DiskFitter.P_PROBE, npy.toString())));
        MapSet b = Harness.run(new DiskFitter(), ds, Parameters.of(Map.of(DiskFitter.P_RADIUS, "5")));
        for (int i = 0; i < 9; i++) {
            assertEquals(0f, a.require("fit/mask").get(i));
            for (String k : new String[] {"lattice/g1x", "lattice/g1y", "lattice/g2x", "lattice/g2y"}) {
                // the probe-derived radius/rim differ slightly from the truth: allow 0.02 px
                assertEquals(b.require(k).get(i), a.require(k).get(i), 0.02, k + " at " + i);
            }
        }
        Path bad = Files.writeString(dir.resolve("probe.npy"), "not numpy");
        assertThrows(InvalidInputException.class, () -> Harness.run(new DiskFitter(), ds, Parameters.of(Map.of(DiskFitter.P_PROBE, bad.toString()))));
    }
}
