package org.ltz4d.reader.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.reader.mrc.MrcReader;

/** MRC: seeds from the DE movie and sum files and the head of a Velox MRC. */
class MrcFuzzTest extends ReaderFuzz {
    private static final MrcReader READER = new MrcReader();

    static Stream<byte[]> seeds() {
        return seeds("mrc_de/20241021_00405_movie.mrc", "mrc_de/20241021_00405_final.mrc", "mrc_velox/HAADFscan.mrc");
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        input(data);
    }

    @Override
    void input(byte[] data) {
        check(READER, "fuzz.mrc", data, Parameters.empty());
    }
}
