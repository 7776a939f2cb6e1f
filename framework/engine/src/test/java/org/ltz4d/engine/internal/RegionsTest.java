package org.ltz4d.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;

class RegionsTest {
    @TempDir
    Path dir;

    private static MapSet maps() {
        float[] v = new float[12];
        float[] cl = new float[12];
        for (int i = 0; i < 12; i++) {
            v[i] = i;
            cl[i] = i % 4 < 2 ? 0 : 1;
        }
        return MapSet.of(List.of(DataMap.of("a/b", Shape.of(3, 4), v, Unit.TESLA, "b"),
                DataMap.labels("correlation/cluster", Shape.of(3, 4), cl, Unit.LABEL, "clusters"),
                DataMap.of("sq/q", Shape.of(5), new float[5], Unit.INVERSE_ANGSTROM, "q")));
    }

    private static int kept(DataMap m) {
        int k = 0;
        for (int i = 0; i < m.size(); i++) if (!Float.isNaN(m.get(i))) k++;
        return k;
    }

    /** A 3×4 .npy written here: bool, C order. */
    private Path npy(byte[] values, int rows, int cols) throws Exception {
        String h = "{'descr': '|b1', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int pad = 64 - (10 + h.length() + 1) % 64;
        h = h + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + h.length() + values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 1).put((byte) 0).putShort((short) h.length());
        b.put(h.getBytes(StandardCharsets.ISO_8859_1)).put(values);
        return Files.write(dir.resolve("m.npy"), b.array());
    }

    @Test
    void roiMaskAndClusterKeepOnlyTheRegion() throws Exception {
        MapSet r = Regions.restrict(maps(), Parameters.of(Map.of("roi", "1:3,0:2")));
        DataMap b = r.require("a/b");
        assertEquals(4, kept(b));
        assertEquals(4f, b.get(1, 0), 0);
        assertTrue(Float.isNaN(b.get(0, 0)));
        assertEquals(5, kept(r.require("sq/q")), "maps of other shapes untouched");
        assertEquals(6, kept(Regions.restrict(maps(), Parameters.of(Map.of("mask", "cluster:1"))).require("a/b")));
        assertEquals(3, kept(Regions.restrict(maps(), Parameters.of(Map.of("mask", "cluster:1", "roi", "0:3,2:3"))).require("a/b")));
        Path m = npy(new byte[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1}, 3, 4);
        DataMap n = Regions.restrict(maps(), Parameters.of(Map.of("mask", m.toString()))).require("a/b");
        assertEquals(4, kept(n));
        assertEquals(5f, n.get(1, 1), 0);
        assertEquals(12, kept(Regions.restrict(maps(), Parameters.empty()).require("a/b")));
        assertTrue(Regions.restrict(maps(), Parameters.empty()).get(Regions.MASK_MAP).isEmpty(), "no region, no region map");
    }

    /** The region itself travels with the restricted maps (1 inside, 0 outside, its spec), for region-stats to write out. */
    @Test
    void theRegionIsAMapOfItsOwn() {
        DataMap g = Regions.restrict(maps(), Parameters.of(Map.of("roi", "1:3,0:2", "mask", "cluster:1"))).require(Regions.MASK_MAP);
        assertTrue(g.integer());
        int inside = 0;
        for (int i = 0; i < g.size(); i++) inside += (int) g.get(i);
        assertEquals(kept(Regions.restrict(maps(), Parameters.of(Map.of("roi", "1:3,0:2", "mask", "cluster:1"))).require("a/b")), inside);
        assertEquals("roi 1:3,0:2 and mask cluster:1", g.attributes().get("region"));
    }

    @Test
    void badRegionsAreTypedErrors() throws Exception {
        assertThrows(InvalidParameterException.class, () -> Regions.restrict(maps(), Parameters.of(Map.of("roi", "0:9,0:2"))));
        assertThrows(InvalidParameterException.class, () -> Regions.restrict(maps(), Parameters.of(Map.of("mask", "nonsense"))));
        Path m = npy(new byte[6], 2, 3);
        assertEquals(m, assertThrows(ShapeMismatchException.class,
                () -> Regions.restrict(maps(), Parameters.of(Map.of("mask", m.toString())))).file());
    }
}
