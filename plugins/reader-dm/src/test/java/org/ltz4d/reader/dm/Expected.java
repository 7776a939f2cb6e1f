package org.ltz4d.reader.dm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The shared real files and their independently read values (EXPECTED_VALUES.json). */
final class Expected {
    private static JsonNode all;

    private Expected() {
    }

    /** {@code ${ltz4d.shared}/data/real}, set by Surefire. */
    static Path real() {
        return Path.of(System.getProperty("ltz4d.shared", "/work/shared")).resolve("data").resolve("real");
    }

    static synchronized JsonNode all() {
        if (all == null) {
            try {
                all = new ObjectMapper().readTree(real().resolve("EXPECTED_VALUES.json").toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all;
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asDouble();
        return out;
    }
}
