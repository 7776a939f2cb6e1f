package org.ltz4d.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** {@code ltz4d gui} run as a user runs it: the exported jar in its own process, the URL read from its output. */
final class Gui implements AutoCloseable {
    final Process process;
    final URI base;
    final String token;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final StringBuffer err;

    private Gui(Process process, URI base, String token, StringBuffer err) {
        this.err = err;
        this.process = process;
        this.base = base;
        this.token = token;
    }

    static Gui start(Path workDir, Path home, String... args) throws IOException, InterruptedException {
        List<String> a = new ArrayList<>(List.of("gui"));
        a.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(Cli.command(List.of(), a)).directory(workDir.toFile());
        pb.environment().put("LTZ4D_HOME", home.toString());
        Process p = pb.start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        StringBuffer err = new StringBuffer();
        Thread out = new Thread(() -> pump(p, lines), "gui-stdout");
        out.setDaemon(true);
        out.start();
        Thread e = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) err.append(l).append('\n');
            } catch (IOException ignored) {
                // process ended
            }
        }, "gui-stderr");
        e.setDaemon(true);
        e.start();
        String line = lines.poll(120, TimeUnit.SECONDS);
        if (line == null || !line.matches("http://[^/]+/\\?token=[0-9a-f]{32,}")) {
            p.destroyForcibly();
            throw new AssertionError("ltz4d gui printed no URL line within 120 s, got '" + line + "'\n" + err);
        }
        return new Gui(p, URI.create(line.substring(0, line.indexOf('?'))), line.substring(line.indexOf("token=") + 6), err);
    }

    private static void pump(Process p, BlockingQueue<String> lines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) lines.add(l);
        } catch (IOException ignored) {
            // process ended
        }
    }

    String url() {
        return base + "?token=" + token;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("X-Ltz4d-Token", token).GET());
    }

    HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("X-Ltz4d-Token", token).timeout(Duration.ofMinutes(2)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("X-Ltz4d-Token", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> postBytes(String path, byte[] body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("X-Ltz4d-Token", token).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.timeout(Duration.ofMinutes(3)).build(), HttpResponse.BodyHandlers.ofString());
    }

    String stderr() {
        return err.toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
