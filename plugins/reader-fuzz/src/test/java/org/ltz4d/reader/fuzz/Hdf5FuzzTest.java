package org.ltz4d.reader.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.provider.MethodSource;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.reader.hdf5.Hdf5Reader;

/**
 * HDF5 and its layouts: seeds are py4DSTEM / Berkeley EMD, Velox EMD, a DECTRIS Arina master with
 * its bitshuffle/LZ4 data file, the data file alone and a bitshuffle regression file. The input is
 * written as {@code fuzz_master.h5}; the Arina data file it links to is copied beside it once.
 */
class Hdf5FuzzTest extends ReaderFuzz {
    private static final Hdf5Reader READER = new Hdf5Reader();

    @BeforeAll
    static void companions() throws IOException {
        companion("arina/test_00_data_000001.h5", "test_00_data_000001.h5");
    }

    static Stream<byte[]> seeds() {
        return seeds("emd_berkeley/py4DSTEM_size2x3x4x5.h5", "emd_berkeley/Si100_4D.emd", "emd_velox/rsciio/fei_example_tem_stack.emd",
                "arina/test_00_master.h5", "arina/test_00.h5", "arina/test_00_data_000001.h5", "hdf5_filters/bitshuffle_regression_0.4.0.h5");
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        input(data);
    }

    @Override
    void input(byte[] data) {
        check(READER, "fuzz_master.h5", data, Parameters.empty());
    }
}
