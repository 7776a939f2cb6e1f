package org.ltz4d.reader.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.provider.MethodSource;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.reader.empad.EmpadReader;

/**
 * EMPAD: the fuzzed file is the XML (seeds: the shared ones); the raw files two of them name
 * (4×4 and 10 frames of 130×128 float32) are written beside it once, so a valid XML reads frames.
 */
class EmpadFuzzTest extends ReaderFuzz {
    private static final EmpadReader READER = new EmpadReader();
    private static final int RECORD = 130 * 128 * 4;

    @BeforeAll
    static void raws() throws IOException {
        Files.write(dir.resolve("scan_x4_y4.raw"), new byte[16 * RECORD]);
        Files.write(dir.resolve("series_x10.raw"), new byte[10 * RECORD]);
    }

    static Stream<byte[]> seeds() {
        return seeds("empad/map4x4.xml", "empad/stack_images.xml", "empad/EMPAD_v1.2.2_x32_y64_size0.8.xml");
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        input(data);
    }

    @Override
    void input(byte[] data) {
        check(READER, "fuzz.xml", data, Parameters.empty());
    }
}
