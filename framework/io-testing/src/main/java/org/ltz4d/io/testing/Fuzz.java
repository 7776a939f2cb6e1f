package org.ltz4d.io.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.param.Parameters;

/**
 * The contract a reader keeps on arbitrary bytes, checked by the fuzz targets and by the regression
 * tests of the inputs they found: {@link #check} opens a file and reads its first, middle and last
 * frames, and the only way it may fail is an {@link InvalidInputException} (or a subclass) whose
 * message starts with a path — not any other exception, not an {@link OutOfMemoryError}, and not
 * by running longer than {@link #TIMEOUT_SECONDS} seconds (a hang).
 */
public final class Fuzz {
    /** Time one input may take to open and read (a generous bound: a valid input takes milliseconds). */
    public static final long TIMEOUT_SECONDS = 20;
    /**
     * Largest frame the check reads, in pixels (2^25, a 128 MiB float buffer): the fuzzed files are
     * below a few MiB, so a reader that announces a larger frame has not compared the header with
     * the file size (compressed HDF5 aside, whose seeds do not come near it).
     */
    public static final long MAX_FRAME_PIXELS = 1L << 25;

    private static ExecutorService worker = newWorker();

    private Fuzz() {
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-input");
            t.setDaemon(true);
            return t;
        });
    }

    /** What became of one input. */
    public enum Outcome {
        /** Opened, and the first, middle and last frames were read. */
        READ,
        /** Refused with a typed error naming the file. */
        REFUSED
    }

    /** Writes {@code bytes} to {@code file} (replacing it), then {@link #check(DatasetReader, Path, Parameters)}s it. */
    public static Outcome check(DatasetReader reader, Path file, byte[] bytes, Parameters options) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return check(reader, file, options);
    }

    /**
     * Opens {@code file} with {@code reader} and reads the first, middle and last frames, on a worker
     * thread bounded by {@link #TIMEOUT_SECONDS}. Returns the outcome; throws an {@link AssertionError}
     * (with the reader's exception as the cause) for any other exception, an error, an unnamed file,
     * an implausibly large frame, or a timeout (with the worker's stack).
     */
    public static synchronized Outcome check(DatasetReader reader, Path file, Parameters options) {
        Future<Outcome> f = worker.submit(() -> openAndRead(reader, file, options));
        try {
            for (int extra = 0; ; extra++) {
                try {
                    return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    // the first inputs of a run load (and under Jazzer instrument) the reader's classes:
                    // time spent there is not the reader's, so wait on while the worker is loading classes
                    if (extra >= MAX_LOADING_WAITS || !loadingClasses(workerThread())) throw e;
                }
            }
        } catch (TimeoutException e) {
            Thread stuck = workerThread();
            f.cancel(true);
            worker.shutdownNow();
            worker = newWorker(); // the stuck thread is abandoned (a daemon)
            AssertionError a = new AssertionError(reader.name() + " did not finish " + file + " within " + TIMEOUT_SECONDS + " s");
            if (stuck != null) {
                Throwable where = new Throwable("stack of the stuck reader thread");
                where.setStackTrace(stuck.getStackTrace());
                a.initCause(where);
            }
            throw a;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof InvalidInputException ie) {
                if (ie.getMessage() == null || ie.file() == null || !ie.getMessage().startsWith(ie.file() + ": ")) {
                    throw new AssertionError(reader.name() + ": a typed error that does not name its file: " + ie.getMessage(), ie);
                }
                return Outcome.REFUSED;
            }
            if (c instanceof AssertionError ae) throw ae;
            throw new AssertionError(reader.name() + " threw " + c + " on " + file + " instead of an InvalidInputException", c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Extra {@link #TIMEOUT_SECONDS} periods granted while the worker is still loading classes. */
    private static final int MAX_LOADING_WAITS = 15;

    private static Thread workerThread() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("fuzz-input") && t.isAlive()).findFirst()
                .orElse(null);
    }

    private static boolean loadingClasses(Thread t) {
        if (t == null) return false;
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("com.code_intelligence.jazzer.instrumentor") || e.getMethodName().equals("defineClass1")
                    || e.getMethodName().equals("<clinit>")) {
                return true;
            }
        }
        return false;
    }

    private static Outcome openAndRead(DatasetReader reader, Path file, Parameters options) {
        try (Dataset ds = reader.open(file, options == null ? Parameters.empty() : options)) {
            long n = ds.frameCount();
            if (n < 1) throw new AssertionError(reader.name() + " opened " + file + " with " + n + " frames (expected a typed error)");
            long px = ds.sigShape().size();
            if (px < 1 || px > MAX_FRAME_PIXELS) {
                throw new AssertionError(reader.name() + " opened " + file + " (" + Files.size(file) + " bytes) with frames of " + px
                        + " pixels (" + ds.sigShape() + "): the header was not checked against the file size");
            }
            float[] frame = new float[(int) px];
            for (long k : new long[] {0, n / 2, n - 1}) {
                Arrays.fill(frame, Float.NaN);
                ds.readFrames(k, 1, frame, 0);
            }
            return Outcome.READ;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A stored fuzz finding (the test resource {@code resource}, next to {@code anchor}), written to
     * {@code dir} under its own name and {@link #check}ed: the regression test of a fixed crash.
     */
    public static Outcome checkResource(DatasetReader reader, Class<?> anchor, String resource, Path dir, Parameters options)
            throws IOException {
        try (var in = anchor.getResourceAsStream(resource)) {
            if (in == null) throw new AssertionError("no test resource " + resource + " beside " + anchor.getName());
            String name = resource.substring(resource.lastIndexOf('/') + 1);
            return check(reader, dir.resolve(name), in.readAllBytes(), options);
        }
    }

    /**
     * The regression test of a fixed crash in one call: the stored input {@code resource} keeps the
     * {@link #check contract} and is refused with a {@code type}, which is returned for the caller
     * to check its field. The input is written to {@code dir} under its own name.
     */
    public static <E extends InvalidInputException> E refuses(Class<E> type, DatasetReader reader, Class<?> anchor, String resource,
            Path dir) throws IOException {
        if (checkResource(reader, anchor, resource, dir, Parameters.empty()) != Outcome.REFUSED) {
            throw new AssertionError(resource + " was read, expected a " + type.getSimpleName());
        }
        try (Dataset ds = reader.open(dir.resolve(resource.substring(resource.lastIndexOf('/') + 1)), Parameters.empty())) {
            throw new AssertionError(resource + " opened as " + ds);
        } catch (InvalidInputException e) {
            if (!type.isInstance(e)) throw new AssertionError("expected a " + type.getSimpleName() + ", got " + e, e);
            return type.cast(e);
        }
    }

    /** Values a damaged size or offset field takes: zero, one, negative, and the edges of the int and long ranges. */
    private static final long[] EDGES = {0, 1, -1, 0x7FFF, 0xFFFF, 0x7FFFFFFFL, 0x80000000L, 0xFFFFFFFFL, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE};

    /**
     * A damaged copy of {@code seed} (the fuzzing done without Jazzer's agent, from a seeded
     * {@code rnd}): one to three of bit flips, random bytes, truncation, a zeroed or repeated range,
     * and 2-, 4- or 8-byte fields (either byte order, mostly in the first KiB, where headers are)
     * set to edge values such as 0, −1 or 2^31.
     */
    public static byte[] mutate(byte[] seed, Random rnd) {
        byte[] b = seed.clone();
        int ops = 1 + rnd.nextInt(3);
        for (int k = 0; k < ops && b.length > 0; k++) {
            int at = rnd.nextInt(4) == 0 ? rnd.nextInt(b.length) : rnd.nextInt(Math.min(b.length, 1024));
            switch (rnd.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> b[at] = (byte) rnd.nextInt(256);
                case 2 -> b = Arrays.copyOf(b, rnd.nextInt(b.length));
                case 3 -> Arrays.fill(b, at, Math.min(b.length, at + 1 + rnd.nextInt(64)), (byte) 0);
                case 4 -> {
                    int len = 1 + rnd.nextInt(Math.min(256, b.length - at));
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, at + len);
                    System.arraycopy(b, at, c, at + len, b.length - at);
                    b = c;
                }
                default -> {
                    int width = 2 << rnd.nextInt(3);
                    long v = EDGES[rnd.nextInt(EDGES.length)];
                    boolean little = rnd.nextBoolean();
                    int start = at & ~(width - 1);
                    for (int i = 0; i < width && start + i < b.length; i++) {
                        int shift = 8 * (little ? i : width - 1 - i);
                        b[start + i] = (byte) (v >>> shift);
                    }
                }
            }
        }
        return b;
    }
}
