package org.ltz4d.engine.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.Figure;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.units.Unit;
import org.ltz4d.results.ResultsFile;

/**
 * Replacing a result in a folder that holds an earlier one, with the process "killed" at every
 * step of the commit: the folder is always either the whole earlier set or, after recovery by the
 * next output, the whole new set; no staging folder survives the next output.
 */
class AtomicOutputTest {
    /** Stands for SIGKILL: the step throws and nothing of the writer's clean-up runs. */
    static final class Killed extends Error {
        private static final long serialVersionUID = 1L;
    }

    @TempDir
    Path dir;

    @AfterEach
    void noHook() {
        AtomicOutput.stepHook = s -> { };
    }

    private Map<String, String> files() throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) m.put(p.getFileName().toString(), Files.isDirectory(p) ? "<dir>" : Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        return m;
    }

    private void earlier() throws IOException {
        Files.writeString(dir.resolve("results.h5"), "old results");
        Files.writeString(dir.resolve("a.png"), "old figure a");
        Files.writeString(dir.resolve("notes.txt"), "the user's own file");
    }

    /** Stages the new set (results, figure b; old figure a to go) and commits, killed at {@code step}. */
    private AtomicOutput killedAt(String step) throws IOException {
        AtomicOutput.stepHook = s -> {
            if (s.equals(step)) throw new Killed();
        };
        AtomicOutput out = new AtomicOutput(dir);
        Files.writeString(out.stage("results.h5"), "new results");
        Files.writeString(out.stage("b.png"), "new figure b");
        out.replaces("a.png");
        assertThrows(Killed.class, out::commit);
        out.abandon();
        AtomicOutput.stepHook = s -> { };
        return out;
    }

    private static final Map<String, String> OLD = Map.of("results.h5", "old results", "a.png", "old figure a",
            "notes.txt", "the user's own file");
    private static final Map<String, String> NEW = Map.of("results.h5", "new results", "b.png", "new figure b",
            "notes.txt", "the user's own file");

    @Test
    void killedBeforeTheSetIsWholeTheEarlierFilesStayAndTheNextOutputDeletesTheStaging() throws Exception {
        earlier();
        AtomicOutput out = killedAt("complete");
        Map<String, String> after = files();
        assertEquals("<dir>", after.remove(out.stagingFolder().getFileName().toString()), "a hidden staging folder is left");
        assertTrue(out.stagingFolder().getFileName().toString().startsWith("."), "hidden");
        assertEquals(OLD, after, "the earlier set untouched");
        assertEquals(List.of(), AtomicOutput.recover(dir), "nothing to roll forward");
        assertEquals(OLD, files(), "staging deleted, the earlier set untouched");
    }

    @ParameterizedTest
    @ValueSource(strings = {"aside", "move-in", "clean"})
    void killedOnceTheSetIsWholeTheNextOutputMovesItIn(String step) throws Exception {
        earlier();
        AtomicOutput out = killedAt(step);
        Map<String, String> left = files();
        assertTrue(left.containsKey(out.stagingFolder().getFileName().toString()), left.toString());
        if (!step.equals("clean")) assertEquals("old results", left.get("results.h5"), "the earlier results are still in place");
        if (!step.equals("aside")) {
            String id = out.stagingFolder().getFileName().toString().substring(AtomicOutput.STAGING.length());
            assertTrue(left.containsKey(AtomicOutput.PREVIOUS + id), "the earlier figure was moved aside: " + left);
        }
        // the next output into the folder repairs it first, then writes its own set
        try (AtomicOutput next = new AtomicOutput(dir)) {
            assertEquals(NEW, files().entrySet().stream().filter(e -> !e.getKey().startsWith("."))
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "rolled forward");
            Files.writeString(next.stage("results.h5"), "third");
            next.commit();
        }
        assertEquals(Map.of("results.h5", "third", "b.png", "new figure b", "notes.txt", "the user's own file"), files());
    }

    @Test
    void killedHalfWayThroughTheMovesTheRestMovesIn() throws Exception {
        earlier();
        AtomicOutput out = killedAt("move-in");
        Files.move(out.stagingFolder().resolve("results.h5"), dir.resolve("results.h5"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING); // the first rename had happened
        assertEquals(1, AtomicOutput.recover(dir).size());
        assertEquals(NEW, files());
    }

    @Test
    void aLiveRunsStagingFolderIsLeftAloneAndAnUnlockedOneOnlyWhenOld() throws Exception {
        earlier();
        try (AtomicOutput live = new AtomicOutput(dir)) {
            Files.writeString(live.stage("results.h5"), "being written");
            assertEquals(List.of(), AtomicOutput.recover(dir));
            assertTrue(Files.exists(live.stagingFolder().resolve("results.h5")), "a live run's staging is not touched");
            Path young = Files.createDirectory(dir.resolve(AtomicOutput.STAGING + "young"));
            Path old = Files.createDirectory(dir.resolve(AtomicOutput.STAGING + "old"));
            Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1)));
            AtomicOutput.recover(dir);
            assertTrue(Files.exists(young), "may be a run that has not locked it yet");
            assertFalse(Files.exists(old), "without a lock for an hour: a crash's");
            live.commit();
        }
        assertEquals("being written", Files.readString(dir.resolve("results.h5")));
    }

    @Test
    void aCommittedReplacementRemovesTheEarlierRunsFiguresAndLeavesNoHiddenFolder() throws Exception {
        ResultsWriter w = new ResultsWriter("test");
        MapSet maps = MapSet.of(DataMap.of("m/a", Shape.of(2, 3), new float[] {1, 2, 3, 4, 5, 6}, Unit.TESLA, "a"));
        w.write(dir, ResultsWriter.RESULTS_FILE, maps, List.of(new Figure("one.png", "first", "image/png", new byte[] {1})),
                new Provenance("test"), Calibration.none());
        assertTrue(Files.exists(dir.resolve("one.png")));
        w.write(dir, ResultsWriter.RESULTS_FILE, maps, List.of(new Figure("two.png", "second", "image/png", new byte[] {2})),
                new Provenance("test"), Calibration.none());
        assertEquals(List.of("figures.json", "results.h5", "two.png"), List.copyOf(files().keySet()));
        assertTrue(Files.readString(dir.resolve("figures.json")).contains("second"));
    }

    /** A disk that fills up while the results are written: one typed error naming the folder, and the earlier result intact. */
    @Test
    void aFullDiskEndsWithOneErrorAndLosesNothing() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("tiny"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt.toString()) == 0, "needs root to mount a tmpfs");
        try {
            Path out = mnt.resolve("out");
            ResultsWriter w = new ResultsWriter("test");
            MapSet small = MapSet.of(DataMap.of("m/a", Shape.of(2, 3), new float[] {1, 2, 3, 4, 5, 6}, Unit.TESLA, "a"));
            w.write(out, ResultsWriter.RESULTS_FILE, small, List.of(), new Provenance("test"), Calibration.none());
            byte[] before = Files.readAllBytes(out.resolve("results.h5"));
            // 512×512 float32 = 1 MiB: cannot fit
            MapSet big = MapSet.of(DataMap.of("m/a", Shape.of(512, 512), new float[512 * 512], Unit.TESLA, "a"));
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> w.write(out, ResultsWriter.RESULTS_FILE, big,
                    List.of(), new Provenance("test"), Calibration.none()));
            assertTrue(e.getMessage().startsWith(out.toString()), e.getMessage());
            assertTrue(e.getMessage().toLowerCase().contains("space"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertArrayEquals(before, Files.readAllBytes(out.resolve("results.h5")), "the earlier result is intact");
            try (Stream<Path> s = Files.list(out)) {
                assertEquals(List.of("results.h5"), s.map(p -> p.getFileName().toString()).toList(), "no staging left");
            }
            ResultsFile.read(out.resolve("results.h5"), ResultsFile.STRICT, en -> assertEquals(6, en.size()));
        } finally {
            if (run("umount", mnt.toString()) != 0) run("umount", "-l", mnt.toString()); // lazily if a file is still open

        }
    }

    private static int run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
