package org.ltz4d.reader.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.reader.blo.BloReader;

/** BLO (NanoMegas): seeds from the two shared .blo files. */
class BloFuzzTest extends ReaderFuzz {
    private static final BloReader READER = new BloReader();

    static Stream<byte[]> seeds() {
        return seeds("blo/test2.blo", "blo/test1.blo");
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        input(data);
    }

    @Override
    void input(byte[] data) {
        check(READER, "fuzz.blo", data, Parameters.empty());
    }
}
