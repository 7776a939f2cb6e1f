package org.ltz4d.io.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.param.Parameters;

/** Assertions of the broken-input tests every reader has: typed errors that name the file and the field, on one line. */
public final class Broken {
    private Broken() {
    }

    /** {@code e}'s message starts with the file, its field is {@code field}, and it is one line. */
    public static void assertNames(InvalidInputException e, Path file, String field) {
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    /** The replacement byte of damaged copy {@code k}, drawn from {@code rnd} or not. */
    @FunctionalInterface
    public interface Damage {
        int value(int k, Random rnd);
    }

    /**
     * Writes {@code tries} copies of {@code good} to {@code dir}, each with one byte among its first
     * {@code span} replaced (the position drawn from {@code new Random(seed)}, then the value from
     * {@code damage}), and opens and reads each completely: every copy must either read or fail with
     * an {@link InvalidInputException} whose message starts with the copy's path (no other
     * exception may escape). Returns how many failed, for the caller to check that damage is seen.
     */
    public static int damagedHeaders(DatasetReader reader, Path dir, String suffix, byte[] good, int span, long seed, int tries,
            Damage damage) throws IOException {
        Random rnd = new Random(seed);
        int failed = 0;
        for (int k = 0; k < tries; k++) {
            byte[] b = good.clone();
            b[rnd.nextInt(span)] = (byte) damage.value(k, rnd);
            Path f = Files.write(dir.resolve("d" + k + "." + suffix), b);
            try (Dataset ds = reader.open(f, Parameters.empty())) {
                float[] all = new float[(int) ds.frameCount() * ds.framePixels()];
                ds.readFrames(0, (int) ds.frameCount(), all, 0);
            } catch (InvalidInputException e) {
                assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
                failed++;
            }
            Files.delete(f);
        }
        return failed;
    }
}
