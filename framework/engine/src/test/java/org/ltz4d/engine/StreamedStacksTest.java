package org.ltz4d.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.ScratchBuffers;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.ltz4d.engine.results.Hdf5Results;

/**
 * Per-position stacks that grow with the scan (issue 15, bounded memory): beyond the heap share
 * they live in a mapped scratch file, give the same values as on the heap, and are streamed into
 * the HDF5 file (jHDF is handed a placeholder, not a copy).
 */
class StreamedStacksTest {
    private static final String PROP = "ltz4d.scratch.heap-values";

    @TempDir
    Path dir;

    @AfterEach
    void reset() {
        System.clearProperty(PROP);
        System.clearProperty("ltz4d.scratch");
    }

    private MapSet fit(String shape) {
        LocalEngine engine = TestPlugins.engineWithTestPlugins();
        try (Dataset ds = engine.open(TestPlugins.memFile(dir, shape), Parameters.empty())) {
            return engine.fit(ds, List.of("sum"), Parameters.of(Map.of("threads", "3", "block-frames", "5")), ProgressListener.NONE,
                    new Cancellation());
        }
    }

    @Test
    void aStackBeyondTheHeapShareIsMappedAndHoldsTheSameValues() {
        MapSet onHeap = fit("23x31");
        System.setProperty(PROP, "10");
        System.setProperty("ltz4d.scratch", dir.resolve("scratch").toString());
        MapSet mapped = fit("23x31");
        DataMap h = onHeap.require("virtual/first2");
        DataMap m = mapped.require("virtual/first2");
        assertFalse(h.values().isDirect(), "small stack on the heap");
        assertTrue(m.values().isDirect(), "stack beyond the heap share is mapped, not on the heap");
        assertEquals(Shape.of(23, 31, 2), m.shape());
        // pixel p of frame i is i + p (test reader)
        for (int i = 0; i < 23 * 31; i++) {
            assertEquals(i, m.get(2 * i));
            assertEquals(i + 1, m.get(2 * i + 1));
        }
        assertArrayEquals(h.toArray(), m.toArray());
        assertArrayEquals(onHeap.require("virtual/total").toArray(), mapped.require("virtual/total").toArray(), "scalar maps unchanged");
        // the scratch file is gone as soon as it is mapped: a killed run leaves nothing
        assertEquals(0, dir.resolve("scratch").toFile().list().length);
    }

    @Test
    void aLargeStackIsStreamedIntoTheResultsFileWithItsShapeAndValues() throws Exception {
        System.setProperty(PROP, "0");
        int ny = 40;
        int nx = 50;
        int k = 2100; // 4.2 Mi values: above the streaming threshold
        FloatBuffer b = ScratchBuffers.allocate("test stack", (long) ny * nx * k);
        assertTrue(b.isDirect());
        for (int i = 0; i < ny * nx * k; i++) b.put(i, i % 997 == 0 ? Float.NaN : (float) (i * 1e-3 - 7));
        DataMap stack = DataMap.of("pdf/G", Shape.of(ny, nx, k), b, Unit.DIMENSIONLESS, "a streamed stack").withAttribute("note", "kept");
        float[] small = {1, 2, 3, 4, 5, 6};
        DataMap map = DataMap.of("pdf/r_first_peak", Shape.of(2, 3), small, Unit.ANGSTROM, "a small map");
        Path file = dir.resolve("r.h5");
        Hdf5Results.write(file, MapSet.of(List.of(map, stack)), Map.of("program", "test"));
        try (HdfFile h5 = new HdfFile(file)) {
            io.jhdf.api.Dataset d = h5.getDatasetByPath("/pdf/G");
            assertArrayEquals(new int[] {ny, nx, k}, d.getDimensions());
            assertEquals(float.class, d.getJavaType());
            assertEquals("kept", d.getAttribute("note").getData());
            assertEquals(Unit.DIMENSIONLESS.symbol(), d.getAttribute("unit").getData());
            float[][][] v = (float[][][]) d.getData();
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    for (int j = 0; j < k; j++) {
                        int i = (y * nx + x) * k + j;
                        float want = b.get(i);
                        if (Float.isNaN(want)) assertTrue(Float.isNaN(v[y][x][j]), "NaN at " + i);
                        else assertEquals(want, v[y][x][j], 0f, "value " + i);
                    }
                }
            }
            float[][] s = (float[][]) h5.getDatasetByPath("/pdf/r_first_peak").getData();
            assertArrayEquals(new float[] {4, 5, 6}, s[1]);
        }
    }
}
