package org.ltz4d.reader.blo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.io.testing.Broken;
import org.ltz4d.io.testing.Fuzz;

/** Inputs the fuzz target (plugins/reader-fuzz, issue #15) found, kept under src/test/resources/fuzz. */
class BloFuzzFindingsTest {
    @TempDir
    Path dir;

    /**
     * 381 bytes whose header has NX = NY = DP_SZ = 65535: Data_offset_2 + NX·NY·(6 + DP_SZ²) passes
     * 2^63 and wrapped negative, so the size check passed and Math.toIntExact threw an
     * ArithmeticException instead of a typed error.
     */
    @Test
    void sizesWhoseProductPassesTheLongRangeAreATruncatedFile() throws Exception {
        TruncatedFileException e = Fuzz.refuses(TruncatedFileException.class, new BloReader(), getClass(), "/fuzz/size-product-wraps.blo", dir);
        Broken.assertNames(e, dir.resolve("size-product-wraps.blo"), "frame 0");
        assertTrue(e.getMessage().contains("more than 2^63"), e.getMessage());
    }
}
