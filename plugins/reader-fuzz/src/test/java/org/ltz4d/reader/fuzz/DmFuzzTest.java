package org.ltz4d.reader.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.reader.dm.DmReader;

/** Digital Micrograph DM3/DM4 (the version comes from the header, not the suffix): seeds from the shared stacks and images. */
class DmFuzzTest extends ReaderFuzz {
    private static final DmReader READER = new DmReader();

    static Stream<byte[]> seeds() {
        return seeds("dm/rsciio/3D_test-10_uint16.dm4", "dm/rsciio/3D_test-2_float32.dm4", "dm/rsciio/3D_test-7_int32.dm3", "dm/rsciio/test_stackbuilder_imagestack.dm3", "dm/rsciio/test_diffraction_pattern.dm3");
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        input(data);
    }

    @Override
    void input(byte[] data) {
        check(READER, "fuzz.dm4", data, Parameters.empty());
    }
}
