package org.ltz4d.reader.ser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.io.testing.Broken;
import org.ltz4d.io.testing.Fuzz;

/** Inputs the fuzz target (plugins/reader-fuzz, issue #15) found, kept under src/test/resources/fuzz. */
class SerFuzzFindingsTest {
    @TempDir
    Path dir;

    /**
     * 32 bytes: a version 0x0220 header (64-bit offsets, NumberDimensions at byte 30) cut at 32 bytes.
     * The reader checked only for 30 bytes and read NumberDimensions past the end:
     * IndexOutOfBoundsException from the mapped buffer instead of a typed error.
     */
    @Test
    void aWideHeaderEndingBeforeNumberDimensionsIsATruncatedHeader() throws Exception {
        TruncatedFileException e = Fuzz.refuses(TruncatedFileException.class, new SerReader(), getClass(),
                "/fuzz/wide-header-without-ndim.ser", dir);
        Path f = dir.resolve("wide-header-without-ndim.ser");
        assertEquals(32, Files.size(f));
        Broken.assertNames(e, f, "header");
    }
}
