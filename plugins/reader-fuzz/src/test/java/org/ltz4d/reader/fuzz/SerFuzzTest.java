package org.ltz4d.reader.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.reader.ser.SerReader;

/** TIA .ser: seeds from the shared series (the .emi companion is absent, which the reader allows). */
class SerFuzzTest extends ReaderFuzz {
    private static final SerReader READER = new SerReader();

    static Stream<byte[]> seeds() {
        return seeds("tia_ser/64x64_diffraction_acquire_1.ser", "tia_ser/16x16-line_profile_horizontal_5x128x128_EDS_1.ser");
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        input(data);
    }

    @Override
    void input(byte[] data) {
        check(READER, "fuzz_1.ser", data, Parameters.empty());
    }
}
