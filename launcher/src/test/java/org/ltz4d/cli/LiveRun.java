package org.ltz4d.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An ltz4d process running while the test watches it: its standard error line by line (progress,
 * debug pauses), its peak memory from /proc, and SIGKILL ({@link Process#destroyForcibly} on Linux).
 */
final class LiveRun implements AutoCloseable {
    final Process process;
    final List<String> err = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;
    private volatile long peakRssAnonKb;

    private final Path stdout;

    private LiveRun(Process p, Path stdout) {
        this.process = p;
        this.stdout = stdout;
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) err.add(line);
            } catch (IOException e) {
                // the process is gone
            }
        }, "ltz4d-stderr");
        reader.setDaemon(true);
        reader.start();
    }

    static LiveRun start(Path workDir, Map<String, String> env, List<String> jvm, List<String> args) throws IOException {
        List<String> cmd = Cli.command(jvm, args);
        Path out = Files.createTempFile(workDir, "live", ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectOutput(out.toFile());
        pb.environment().putAll(env);
        return new LiveRun(pb.start(), out);
    }

    long pid() {
        return process.pid();
    }

    /** Waits until a line of standard error matches (true), or the process ends or the time is up (false). */
    boolean awaitErr(Predicate<String> line, long seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int seen = 0;
        while (System.nanoTime() < end) {
            synchronized (err) {
                for (; seen < err.size(); seen++) if (line.test(err.get(seen))) return true;
            }
            if (!process.isAlive() && !reader.isAlive()) return false;
            sample();
            Thread.sleep(5);
        }
        return false;
    }

    /** SIGKILL, and waits for the process to be gone; returns its exit code (137 when killed). */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) throw new AssertionError("process " + pid() + " survived SIGKILL");
        return process.exitValue();
    }

    /** Waits for the end (sampling memory meanwhile) and returns the exit code. */
    int await(long seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (process.isAlive()) {
            if (System.nanoTime() > end) {
                process.destroyForcibly();
                throw new AssertionError("ltz4d did not finish in " + seconds + " s\n" + String.join("\n", err));
            }
            sample();
            Thread.sleep(20);
        }
        reader.join(10_000);
        return process.exitValue();
    }

    /** Peak resident set of the process in KiB (VmHWM: heap, code, and the mapped input pages it touched). */
    long peakRssKb = 0;

    private void sample() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
                if (l.startsWith("VmHWM:")) peakRssKb = Math.max(peakRssKb, kb(l));
                if (l.startsWith("RssAnon:")) peakRssAnonKb = Math.max(peakRssAnonKb, kb(l));
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not Linux
        }
    }

    /** Peak anonymous resident memory in KiB (heap and native buffers, without the file pages a mapped input brings in). */
    long peakRssAnonKb() {
        return peakRssAnonKb;
    }

    private static long kb(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
    }

    /** Standard output so far. */
    String out() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    String errText() {
        synchronized (err) {
            return String.join("\n", err);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) process.destroyForcibly();
        try {
            Files.deleteIfExists(stdout);
        } catch (IOException e) {
            // in the test's temporary folder anyway
        }
    }
}
