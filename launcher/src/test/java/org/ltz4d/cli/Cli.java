package org.ltz4d.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the exported ltz4d.jar as a user would, capturing exit code, stdout and stderr. */
final class Cli {
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private Cli() {
    }

    static Result run(Path workDir, Map<String, String> env, List<String> jvm, String... args) throws IOException, InterruptedException {
        return runWithInput(workDir, env, jvm, "", args);
    }

    /** The java command line that runs the built {@code ltz4d.jar} with JVM options {@code jvm} and program arguments {@code args}. */
    static List<String> command(List<String> jvm, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvm);
        cmd.add("-Djava.util.logging.config.file=" + System.getProperty("ltz4d.logging"));
        cmd.add("-jar");
        cmd.add(System.getProperty("ltz4d.jar"));
        cmd.addAll(args);
        return cmd;
    }

    /** As {@link #run}, typing {@code input} on the program's standard input. */
    static Result runWithInput(Path workDir, Map<String, String> env, List<String> jvm, String input, String... args)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command(jvm, List.of(args))).directory(workDir.toFile());
        pb.environment().putAll(env);
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("ltz4d " + String.join(" ", args) + " did not finish in 10 minutes");
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }
}
