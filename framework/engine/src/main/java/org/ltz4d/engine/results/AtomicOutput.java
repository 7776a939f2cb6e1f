package org.ltz4d.engine.results;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.ltz4d.api.error.InvalidInputException;

/**
 * Writes a run's outputs into a hidden staging folder inside the output folder and moves them
 * into place only when everything is written ({@link #commit()}); {@link #close()} without commit
 * removes the staging folder, so a failed run leaves no half-written results and never touches
 * what was there before.
 *
 * <p>The replacement, as atomic as a file system allows for a set of files:
 * <ol>
 * <li>every output is written to {@code .ltz4d-staging-ID/} and flushed to disk;</li>
 * <li>the marker {@code .ltz4d-staging-ID/.complete} (the names, one a line; {@code /NAME} for an earlier
 *     file to remove) says the new set is whole;</li>
 * <li>earlier files the new set drops (those the caller {@linkplain #replaces replaces}, e.g. an earlier
 *     run's figures) are moved aside into {@code .ltz4d-previous-ID/};</li>
 * <li>the new files are moved in, each an atomic rename over the earlier file of its name, so a
 *     reader sees either the whole earlier file or the whole new one, never a missing or partial one;</li>
 * <li>{@code .ltz4d-previous-ID/} and the staging folder are deleted.</li>
 * </ol>
 * A crash (kill, power loss) before step 2 leaves the earlier files untouched and a staging folder
 * without marker, which the next output into the folder deletes. A crash after step 2 leaves a
 * whole new set (possibly some of it already moved in beside earlier figures) that the next output
 * into the folder moves in (rolls forward) before anything else, deleting the files moved aside. Staging folders are hidden (their names begin with a dot)
 * and each is locked ({@code .lock}, an OS file lock) by the process writing it, so recovery
 * never touches a live run's folder, and a crashed process's lock is gone with it.
 */
public final class AtomicOutput implements AutoCloseable {
    /** Name prefix of the hidden staging folders. */
    public static final String STAGING = ".ltz4d-staging-";
    /** Name prefix of the hidden folders earlier files are moved aside into while a new set moves in. */
    public static final String PREVIOUS = ".ltz4d-previous-";
    static final String LOCK = ".lock";
    static final String COMPLETE = ".complete";
    /** Marker line prefix of an earlier file moved aside although nothing new replaces it. */
    private static final String REPLACED = "/"; // never begins a plain file name
    /** A staging folder without a lock file younger than this may be one being created: left alone. */
    private static final long UNLOCKED_GRACE_MS = 60_000;

    /** Test hook: called with the name of each step of {@link #commit()} as it begins ("complete", "aside", "move-in", "clean"). */
    static volatile Consumer<String> stepHook = pauseAt(System.getProperty("ltz4d.debug.pause-at"));

    /**
     * With the system property {@code ltz4d.debug.pause-at=STEP}, the commit stops at that step,
     * saying so on the standard error, so an end-to-end test can kill the process exactly there.
     */
    private static Consumer<String> pauseAt(String step) {
        if (step == null || step.isBlank()) return s -> { };
        return s -> {
            if (!s.equals(step)) return;
            System.err.println("ltz4d: debug: paused at commit step " + s);
            System.err.flush();
            try {
                Thread.sleep(600_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private final Path outDir;
    private final Path staging;
    private final FileChannel lockChannel;
    private final Set<String> names = new LinkedHashSet<>();
    private final Set<String> replaced = new LinkedHashSet<>();
    private boolean markerWritten;
    private boolean committed;

    public AtomicOutput(Path outDir) {
        this.outDir = outDir.toAbsolutePath().normalize();
        Path s = null;
        FileChannel ch = null;
        try {
            Files.createDirectories(this.outDir);
            recover(this.outDir);
            s = Files.createTempDirectory(this.outDir, STAGING);
            ch = FileChannel.open(s.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (ch.tryLock() == null) throw new IOException("cannot lock " + s.resolve(LOCK));
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            if (s != null) deleteTree(s);
            if (e instanceof InvalidInputException ie) throw ie;
            throw new InvalidInputException(outDir, "output folder", "a writable folder", e.getMessage(), e);
        }
        this.staging = s;
        this.lockChannel = ch;
    }

    /** Where to write file {@code name} before commit. */
    public Path stage(String name) {
        plain(name);
        names.add(name);
        return staging.resolve(name);
    }

    /** Also moves the earlier file {@code name} out of the output folder on commit, although nothing new replaces it. */
    public void replaces(String name) {
        plain(name);
        replaced.add(name);
    }

    private static void plain(String name) {
        if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("output name must be a plain file name: " + name);
        }
    }

    /** The final path of {@code name}. */
    public Path target(String name) {
        return outDir.resolve(name);
    }

    /** The staging folder (hidden, inside the output folder). */
    public Path stagingFolder() {
        return staging;
    }

    /**
     * Moves every staged file into the output folder as the class comment describes; returns the
     * final paths. A failure is an {@link InvalidInputException} naming the output folder; once the
     * new set was marked whole, it is left for the next output into the folder to move in.
     */
    public List<Path> commit() {
        List<String> present = new ArrayList<>();
        for (String n : names) if (Files.exists(staging.resolve(n))) present.add(n);
        try {
            stepHook.accept("complete");
            for (String n : present) force(staging.resolve(n));
            Path marker = staging.resolve(COMPLETE);
            List<String> lines = new ArrayList<>(present);
            for (String r : replaced) lines.add(REPLACED + r);
            Files.write(marker, String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
            force(marker);
            forceFolder(staging);
            markerWritten = true;
            rollForward(outDir, staging, present, replaced);
            committed = true;
        } catch (IOException e) {
            throw new InvalidInputException(outDir, "output folder", "room and permission to write the results",
                    e.getMessage() + (markerWritten ? " (the complete new results wait in " + staging.getFileName()
                            + "; the next run into this folder moves them in)" : ""), e);
        }
        List<Path> out = new ArrayList<>();
        for (String n : present) out.add(outDir.resolve(n));
        return out;
    }

    /** Steps 3–5 for a staging folder whose set is whole: idempotent, so a crash in it is repaired by running it again. */
    private static void rollForward(Path outDir, Path staging, List<String> present, Set<String> alsoReplaced) throws IOException {
        String id = staging.getFileName().toString().substring(STAGING.length());
        Path aside = outDir.resolve(PREVIOUS + id);
        stepHook.accept("aside");
        Files.createDirectories(aside);
        // an earlier file of a staged name is replaced by the rename itself (atomic: never missing, never half written)
        for (String n : alsoReplaced) {
            Path dst = outDir.resolve(n);
            if (!present.contains(n) && Files.exists(dst)) move(dst, aside.resolve(n));
        }
        forceFolder(outDir);
        stepHook.accept("move-in");
        for (String n : present) {
            Path src = staging.resolve(n);
            if (Files.exists(src)) move(src, outDir.resolve(n));
        }
        forceFolder(outDir);
        stepHook.accept("clean");
        deleteTree(aside);
    }

    private static void move(Path src, Path dst) throws IOException {
        try {
            Files.move(src, dst, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(src, dst, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Flushes a folder's entries where the platform allows it (Linux does; elsewhere it is a no-op). */
    private static void forceFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            // folders cannot be opened for flushing on this platform: the renames are still ordered by the file system
        }
    }

    /**
     * Repairs what crashed runs left in {@code outDir}: a staging folder whose set is whole is
     * moved in (roll forward), one without the marker is deleted, and a folder of earlier files
     * left without its staging folder is deleted (its replacement had completed). Folders of live
     * runs (locked) are left alone. Returns the names of the staging folders rolled forward.
     */
    public static List<String> recover(Path outDir) throws IOException {
        List<String> rolled = new ArrayList<>();
        if (!Files.isDirectory(outDir)) return rolled;
        List<Path> stagings = new ArrayList<>();
        List<Path> asides = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(outDir, ".ltz4d-*")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith(STAGING) && Files.isDirectory(p)) stagings.add(p);
                else if (n.startsWith(PREVIOUS) && Files.isDirectory(p)) asides.add(p);
            }
        }
        stagings.sort(Comparator.comparing(AtomicOutput::modified)); // the older whole set first, the newer wins
        for (Path s : stagings) {
            Path lock = s.resolve(LOCK);
            if (!Files.exists(lock)) {
                if (System.currentTimeMillis() - modified(s).toMillis() < UNLOCKED_GRACE_MS) continue;
                deleteTree(s);
                continue;
            }
            try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
                FileLock l;
                try {
                    l = ch.tryLock();
                } catch (OverlappingFileLockException live) {
                    continue; // this process is writing it
                }
                if (l == null) continue; // another process is writing it
                Path marker = s.resolve(COMPLETE);
                if (Files.exists(marker)) {
                    List<String> lines = Files.readAllLines(marker, StandardCharsets.UTF_8).stream().filter(x -> !x.isBlank()).toList();
                    List<String> present = lines.stream().filter(x -> !x.startsWith(REPLACED)).toList();
                    Set<String> old = new LinkedHashSet<>();
                    for (String x : lines) if (x.startsWith(REPLACED)) old.add(x.substring(REPLACED.length()));
                    rollForward(outDir, s, present, old);
                    rolled.add(s.getFileName().toString());
                }
                l.release();
            } catch (NoSuchFileException gone) {
                continue; // its owner finished meanwhile
            }
            deleteTree(s);
        }
        for (Path a : asides) {
            String id = a.getFileName().toString().substring(PREVIOUS.length());
            if (!Files.exists(outDir.resolve(STAGING + id))) deleteTree(a);
        }
        return rolled;
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /**
     * Removes the staging folder and releases its lock; without {@link #commit()} the output folder
     * keeps what it held before. A whole set whose move-in failed stays for the next run to move in.
     */
    @Override
    public void close() {
        if (!markerWritten || committed) deleteTree(staging);
        closeQuietly(lockChannel);
    }

    /** What a killed process leaves: its lock is gone, its folders stay (for tests of {@link #recover}). */
    void abandon() {
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            if (ch != null) ch.close();
        } catch (IOException e) {
            // nothing held that another process needs
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            // already gone: nothing to clean
        }
    }
}
