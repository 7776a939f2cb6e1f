package org.ltz4d.reader.hdf5;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * A damaged bitshuffle chunk header must be refused before its sizes are allocated (found by the
 * fuzz review of issue #15: a header announcing 2 GiB made the reader allocate 2 GiB, an
 * OutOfMemoryError under a small heap, instead of a typed error).
 */
class BitshuffleBoundsTest {
    private static byte[] header(long total, int blockBytes) {
        return ByteBuffer.allocate(64).putLong(total).putInt(blockBytes).array();
    }

    @Test
    void aChunkLargerThanTheDatasetsChunkIsRefusedBeforeAllocation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Bitshuffle.decode(header(0x7FFF_FFF0L, 0), 64, 2, true, 4096));
        assertTrue(e.getMessage().contains("2147483632"), e.getMessage());
    }

    @Test
    void aBlockLargerThanTheChunkIsRefusedBeforeAllocation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Bitshuffle.decode(header(4096, 0x7FFF_FFF0), 64, 2, true, 4096));
        assertTrue(e.getMessage().contains("block"), e.getMessage());
    }
}
