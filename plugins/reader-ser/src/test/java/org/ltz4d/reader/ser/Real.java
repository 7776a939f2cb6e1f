package org.ltz4d.reader.ser;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.data.Dataset;

/** Access to the shared real test files and their independently read EXPECTED_VALUES.json. */
final class Real {
    private static Object expected;

    private Real() {
    }

    static Path dir() {
        String shared = System.getProperty("ltz4d.shared", "/work/shared");
        return Path.of(shared, "data", "real");
    }

    static Path file(String rel) {
        Path p = dir().resolve(rel);
        assertTrue(Files.isRegularFile(p), "missing shared test file " + p);
        return p;
    }

    static synchronized Map<String, Object> expected(String rel) {
        if (expected == null) {
            try {
                expected = Json.parse(Files.readString(dir().resolve("EXPECTED_VALUES.json")));
            } catch (IOException e) {
                throw new AssertionError("cannot read EXPECTED_VALUES.json", e);
            }
        }
        Map<String, Object> m = Json.object(Json.object(expected).get(rel));
        assertTrue(!m.isEmpty(), "no expected values for " + rel);
        return m;
    }

    static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    static int[] ints(Object o) {
        List<?> l = (List<?>) o;
        int[] r = new int[l.size()];
        for (int i = 0; i < r.length; i++) r[i] = (int) num(l.get(i));
        return r;
    }

    /** Sum of every pixel, read in blocks of a few frames (double accumulation). */
    static double sum(Dataset d) {
        int px = d.framePixels();
        int block = (int) Math.max(1, Math.min(d.frameCount(), Math.max(1, (1 << 20) / px)));
        float[] buf = new float[block * px];
        double s = 0;
        for (long f = 0; f < d.frameCount(); f += block) {
            int n = (int) Math.min(block, d.frameCount() - f);
            d.readFrames(f, n, buf, 0);
            for (int i = 0; i < n * px; i++) s += buf[i];
        }
        return s;
    }

    static float[] frame(Dataset d, long index) {
        float[] f = new float[d.framePixels()];
        d.readFrames(index, 1, f, 0);
        return f;
    }
}
