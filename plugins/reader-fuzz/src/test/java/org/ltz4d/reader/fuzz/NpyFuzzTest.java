package org.ltz4d.reader.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.reader.npy.NpyReader;

/** NumPy .npy: seeds are small 4D files written here (the shared data hold no .npy), of several dtypes and byte orders. */
class NpyFuzzTest extends ReaderFuzz {
    private static final NpyReader READER = new NpyReader();

    static Stream<byte[]> seeds() {
        return Stream.of(npy("<u2", "(2, 3, 4, 5)", 2), npy("|u1", "(1, 2, 3, 3)", 1), npy(">f4", "(2, 2, 2, 2)", 4),
                npy("<f8", "(3, 1, 2, 2)", 8), npy("<i4", "(2, 2, 4, 4)", 4));
    }

    /** A version 1.0 .npy file with a C-order array of {@code shape} filled with a ramp. */
    static byte[] npy(String descr, String shape, int bytes) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int pad = 64 - (10 + dict.length() + 1) % 64;
        String header = dict + " ".repeat(pad % 64) + "\n";
        long n = 1;
        for (String d : shape.replaceAll("[() ]", "").split(",")) n *= Long.parseLong(d);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), (byte) (header.length() >> 8)});
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        for (long i = 0; i < n * bytes; i++) out.write((int) (i * 7));
        return out.toByteArray();
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        input(data);
    }

    @Override
    void input(byte[] data) {
        check(READER, "fuzz.npy", data, Parameters.empty());
    }
}
