package org.ltz4d.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import io.jhdf.api.WritableNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsFileTest {
    @TempDir
    Path tmp;

    @Test
    void readsRootAttributesAndEveryDatasetWithItsShapeTypeAttributesAndValues() {
        Path f = tmp.resolve("r.h5");
        try (WritableHdfFile h = HdfFile.write(f)) {
            h.putAttribute("provenance", "{\"a\": 1}");
            h.putAttribute("calibration_beam_kv", 300.0);
            WritableGroup fit = h.putGroup("fit");
            WritableNode b = fit.putDataset("mask", new int[][] {{0, 1, 0}, {1, 1, 0}});
            b.putAttribute("unit", "label");
            WritableNode c = h.putDataset("bx", new float[][] {{1.5f, -2f}, {3f, 4f}});
            c.putAttribute("unit", "T");
            c.putAttribute("description", "in-plane B, x");
        }
        List<String> paths = new ArrayList<>();
        List<int[]> dims = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        List<Map<String, Object>> attrs = new ArrayList<>();
        List<Boolean> integer = new ArrayList<>();
        Map<String, Object> root = ResultsFile.read(f, ResultsFile.STRICT, e -> {
            paths.add(e.path());
            dims.add(e.dims());
            values.add(e.values());
            attrs.add(e.attributes(ResultsFile.STRICT));
            integer.add(e.isInteger());
            assertTrue(e.isNumeric());
            assertFalse(e.isScalar());
        });
        assertEquals("{\"a\": 1}", root.get("provenance"));
        assertEquals(300.0, ((Number) root.get("calibration_beam_kv")).doubleValue());
        int bx = paths.indexOf("/bx");
        int mask = paths.indexOf("/fit/mask");
        assertTrue(bx >= 0 && mask >= 0, "both datasets visited: " + paths);
        assertArrayEquals(new int[] {2, 2}, dims.get(bx));
        assertArrayEquals(new float[] {1.5f, -2f, 3f, 4f}, (float[]) values.get(bx));
        assertEquals("T", attrs.get(bx).get("unit"));
        assertEquals("in-plane B, x", attrs.get(bx).get("description"));
        assertFalse(integer.get(bx));
        assertArrayEquals(new int[] {2, 3}, dims.get(mask));
        assertArrayEquals(new int[] {0, 1, 0, 1, 1, 0}, (int[]) values.get(mask));
        assertTrue(integer.get(mask));
        assertEquals(root, ResultsFile.rootAttributes(f, ResultsFile.STRICT));
    }

    @Test
    void libraryErrorsPassThroughForTheCallerToType() throws Exception {
        Path f = Files.writeString(tmp.resolve("not.h5"), "not an HDF5 file");
        assertThrows(RuntimeException.class, () -> ResultsFile.read(f, ResultsFile.STRICT, e -> { }));
    }
}
