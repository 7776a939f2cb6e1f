package org.ltz4d.reader.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.reader.raw.RawReader;

/**
 * Headerless raw files: the options come from the input too. Its first {@link #OPTION_BYTES} bytes
 * choose the element type, byte order, offset, per-frame header and footer and the shape (small, or
 * with the top bit set huge, so the size check against the file is exercised); the rest is the file.
 */
class RawFuzzTest extends ReaderFuzz {
    private static final RawReader READER = new RawReader();
    static final int OPTION_BYTES = 8;
    private static final String[] DTYPES = {"uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "int64", "float32", "float64"};

    static Stream<byte[]> seeds() {
        return Stream.of(seed(8, 0, 0, 0, 0, 0x05, 0x33, 2 * 2 * 4 * 4 * 4), seed(2, 1, 16, 4, 4, 0x00, 0x77, 16 + 8 * 8 * 2 + 8),
                seed(0, 0, 0, 0, 0, 0x0F, 0x11, 16 * 2 * 2));
    }

    private static byte[] seed(int dtype, int order, int offset, int header, int footer, int scan, int det, int bytes) {
        byte[] b = new byte[OPTION_BYTES + bytes];
        byte[] o = {(byte) dtype, (byte) order, (byte) offset, (byte) header, (byte) footer, (byte) scan, (byte) det, 0};
        System.arraycopy(o, 0, b, 0, OPTION_BYTES);
        for (int i = OPTION_BYTES; i < b.length; i++) b[i] = (byte) (i * 13);
        return b;
    }

    /** The reader's options encoded in {@code b}'s first bytes. */
    static Parameters options(byte[] b) {
        int sy = 1 + (b[5] & 3), sx = 1 + ((b[5] >> 2) & 3), dy = 1 + (b[6] & 15), dx = 1 + ((b[6] >> 4) & 15);
        String shape = (b[5] & 0x80) != 0 ? "65536," + sx + ",65536," + dx
                : (b[5] & 0x40) != 0 ? dy + "," + dx : sy + "," + sx + "," + dy + "," + dx;
        return Parameters.of(Map.of("raw-dtype", DTYPES[Math.floorMod(b[0], DTYPES.length)], "raw-byte-order", (b[1] & 1) == 0 ? "little" : "big",
                "raw-offset", Integer.toString(b[2] & 0xFF), "raw-frame-header", Integer.toString(b[3] & 0xFF),
                "raw-frame-footer", Integer.toString((b[7] & 0x80) != 0 ? Integer.MAX_VALUE : b[4] & 0xFF), "raw-shape", shape));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "10s")
    void fuzz(byte[] data) {
        input(data);
    }

    @Override
    void input(byte[] data) {
        if (data.length < OPTION_BYTES) return;
        check(READER, "fuzz.raw", Arrays.copyOfRange(data, OPTION_BYTES, data.length), options(data));
    }
}
