package org.ltz4d.reader.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.reader.mib.MibReader;

/** Merlin MIB (header per frame, no .hdr): seeds from the shared files of several counter depths. */
class MibFuzzTest extends ReaderFuzz {
    private static final MibReader READER = new MibReader();

    static Stream<byte[]> seeds() {
        return seeds("mib/rsciio/Single_1_Frame_CounterDepth_1_Rows_256RAW.mib", "mib/merlintools/CL_380mm_Si110.mib", "mib/rsciio/001_4x2_6bit.mib", "mib/rsciio/Single_1_Frame_CounterDepth_24_Rows_256.mib", "mib/rsciio/Quad_1_Frame_CounterDepth_12_Rows_256.mib");
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        input(data);
    }

    @Override
    void input(byte[] data) {
        check(READER, "fuzz.mib", data, Parameters.empty());
    }
}
