package org.ltz4d.reader.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.reader.tvips.TvipsReader;

/** TVIPS: seeds from the shared single and split series (each first file alone). */
class TvipsFuzzTest extends ReaderFuzz {
    private static final TvipsReader READER = new TvipsReader();

    static Stream<byte[]> seeds() {
        return seeds("tvips/test_tvips_2345_000.tvips", "tvips/test_tvips_2345_split_000.tvips");
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        input(data);
    }

    @Override
    void input(byte[] data) {
        check(READER, "fuzz_000.tvips", data, Parameters.empty());
    }
}
