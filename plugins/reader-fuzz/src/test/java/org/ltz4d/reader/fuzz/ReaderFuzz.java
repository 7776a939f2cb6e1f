package org.ltz4d.reader.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.io.testing.Expected;
import org.ltz4d.io.testing.Fuzz;

/**
 * What every reader's fuzz target shares: a folder for the input file (and any companion files), the
 * check of {@link Fuzz#check} on each input, the seeds taken from the shared real files at test time,
 * and a line of statistics per target in {@code target/fuzz-stats.txt}.
 */
abstract class ReaderFuzz {
    /** Seeds longer than this are cut to their first {@link #HEAD} bytes (the header part) to keep executions fast. */
    static final int WHOLE = 400 * 1024;
    static final int HEAD = 16 * 1024;

    @TempDir
    static Path dir;

    private static String target = "?";
    private static long inputs;
    private static long read;
    private static long start;

    /** The counters are static in this shared base: each target starts its own. */
    @BeforeAll
    static void resetCounters() {
        inputs = 0;
        read = 0;
        start = System.nanoTime();
    }

    /** Checks one input (the body of the fuzz target). */
    abstract void input(byte[] data);

    /**
     * Fuzzing without Jazzer's agent, so that every {@code mvn verify} mutates the seeds even in
     * regression mode: {@code -Dfuzz.mutations} (default 300) damaged copies from a seeded random
     * generator ({@link Fuzz#mutate}). An input that breaks the contract is saved under
     * {@code target/fuzz-findings} before the test fails.
     */
    @Test
    void mutations() throws ReflectiveOperationException, IOException {
        @SuppressWarnings("unchecked")
        List<byte[]> seeds = ((Stream<byte[]>) getClass().getDeclaredMethod("seeds").invoke(null)).toList();
        int n = Integer.getInteger("fuzz.mutations", 300);
        Random rnd = new Random(15);
        for (int k = 0; k < n; k++) {
            byte[] m = Fuzz.mutate(seeds.get(k % seeds.size()), rnd);
            try {
                input(m);
            } catch (AssertionError e) {
                Path findings = Files.createDirectories(Paths.get(System.getProperty("fuzz.findings", "target/fuzz-findings")));
                Files.write(findings.resolve(getClass().getSimpleName() + "-mutation-" + k), m);
                throw e;
            }
        }
    }

    /** Writes {@code data} to {@code name} in the target's folder and checks the reader's contract on it. */
    static void check(DatasetReader reader, String name, byte[] data, Parameters options) {
        Fuzz.Outcome o = Fuzz.check(reader, dir.resolve(name), data, options);
        target = reader.name();
        inputs++;
        if (o == Fuzz.Outcome.READ) read++;
    }

    /** The real file {@code rel} (under {@code data/real}): whole when small, else its first {@link #HEAD} bytes. */
    static byte[] real(String rel) {
        try {
            Path f = Expected.real().resolve(rel);
            if (Files.size(f) <= WHOLE) return Files.readAllBytes(f);
            try (var in = Files.newInputStream(f)) {
                return in.readNBytes(HEAD);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Seeds: each of the real files, and each cut to its first half (a truncated file). */
    static Stream<byte[]> seeds(String... rel) {
        List<byte[]> out = new ArrayList<>();
        for (String r : rel) {
            byte[] b = real(r);
            out.add(b);
            out.add(java.util.Arrays.copyOf(b, b.length / 2));
        }
        return out.stream();
    }

    /** Copies the real file {@code rel} into the target's folder as {@code name} (a companion file). */
    static void companion(String rel, String name) throws IOException {
        Files.copy(Expected.real().resolve(rel), dir.resolve(name));
    }

    @AfterAll
    static void stats() throws IOException {
        String line = String.format(Locale.ROOT, "%s inputs=%d read=%d refused=%d seconds=%.1f%n", target, inputs, read, inputs - read,
                (System.nanoTime() - start) / 1e9);
        System.out.print("fuzz stats: " + line);
        String file = System.getProperty("fuzz.stats");
        if (file != null) {
            Files.writeString(Paths.get(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }
}
