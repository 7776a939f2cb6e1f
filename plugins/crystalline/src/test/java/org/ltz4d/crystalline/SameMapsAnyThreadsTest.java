package org.ltz4d.crystalline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.data.Shape;
import org.ltz4d.engine.LocalEngine;

/**
 * Issue 15 item 5 / issue 14 for the crystalline fit: through the local engine (frames in groups fixed by the dataset,
 * fresh processors per group), the lattice, strain and rotation maps of a realistic two-grain scan are bit for bit the
 * same for 1, 2 and 4 worker threads and two block sizes. Tracking from the pattern one row above ({@code --row-memory})
 * would make them depend on which worker got there first; it is off by default.
 */
class SameMapsAnyThreadsTest {
    @TempDir
    Path dir;

    /** Serves the simulated scan for files ending in {@code .sim}. */
    record SimReader(Harness.MemoryDataset ds) implements DatasetReader {
        @Override public String name() { return "sim"; }
        @Override public List<String> suffixes() { return List.of("sim"); }
        @Override public double probe(Path file, ByteBuffer head) { return file.toString().endsWith(".sim") ? 0.9 : 0; }
        @Override public Dataset open(Path file, Parameters options) { return ds; }
    }

    private static Map<String, float[]> maps(LocalEngine engine, Path file, Map<String, String> options) {
        Dataset ds = engine.open(file, Parameters.empty());
        MapSet fit = engine.fit(ds, List.of(DiskFitter.NAME), Parameters.of(options), ProgressListener.NONE, new Cancellation());
        MapSet strain = new LatticeStrainDeriver().derive(fit,
                new Harness.ACtx(Calibration.none(), Parameters.empty(), Shape.of(ds.navShape().rows(), ds.navShape().cols())));
        Map<String, float[]> out = new LinkedHashMap<>();
        for (MapSet m : List.of(fit, strain)) for (DataMap map : m.maps()) out.put(map.path(), map.toArray());
        return out;
    }

    @Test
    void latticeStrainAndRotationAreIdenticalForAnyThreadsAndBlockSize() throws Exception {
        // realistic CBED (1 % disks with inner contrast, band, halo, Poisson) of 128² px, 12×12 positions: the reference
        // grain and one turned by 17°, so tracking fails at the boundary and at group starts, and the search runs
        double[] a = LatticeStrainTest.polar(24, 10), b = LatticeStrainTest.polar(24, 70);
        CrystalSim sim = CrystalSim.realistic(12, 128, 5.0, new double[] {a[0], a[1], b[0], b[1]}, true, 4000, 0.01,
                new double[] {0, 17}, 3e-3, 0.4);
        Harness.MemoryDataset ds = sim.sample(5);
        Path file = Files.createFile(dir.resolve("two-grain.sim"));
        LocalEngine engine = new LocalEngine();
        engine.register(new SimReader(ds), "test.reader", "1.0.0");
        engine.register(new DiskFitter(), "org.ltz4d.crystalline", "1.0.0");
        Map<String, float[]> ref = maps(engine, file, Map.of("threads", "1"));
        for (String k : List.of(DiskFitter.G1X, DiskFitter.G2Y, DiskFitter.OX, "strain/exx", "strain/eyy", "strain/exy")) {
            assertTrue(ref.containsKey(k), k + " in " + ref.keySet());
        }
        // the fit works on both grains (so the maps compared are real): no failed position, and the two grains' turns
        float[] mask = ref.get(DiskFitter.MASK), rot = ref.get("lattice/rotation_deg");
        int failed = 0;
        for (float v : mask) failed += v != 0 ? 1 : 0;
        assertEquals(0, failed, "failed positions");
        int n = sim.nx;
        assertEquals(17, Math.abs(rot[n * n - 1] - rot[n + 1]), 1.5, "turn (deg) of the second grain against the first");
        for (String threads : List.of("1", "2", "4")) {
            for (String block : List.of("", "3")) {
                Map<String, String> o = new LinkedHashMap<>(Map.of("threads", threads));
                if (!block.isEmpty()) o.put("block-frames", block);
                Map<String, float[]> r = maps(engine, file, o);
                assertEquals(ref.keySet(), r.keySet());
                for (String k : ref.keySet()) assertArrayEquals(ref.get(k), r.get(k), k + " with " + o);
            }
        }
    }
}
