package org.ltz4d.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.results.ResultsFile;

/**
 * Reliability of {@code ltz4d analyze} as real processes (issue 15): SIGKILL at several points of
 * a run into a folder holding an earlier result, two runs at once, the same answers for any
 * threads and block size, and memory that does not grow with the scan.
 */
class ReliabilityEndToEndIT {
    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    static Path data;

    @BeforeAll
    static void simulate() throws Exception {
        // 32×32 positions of 96×96 px (18 MB): the default simulation binned by two
        Cli.Result s = Cli.run(shared, Map.of("LTZ4D_HOME", shared.resolve("home").toString()), List.of(), "simulate", "--out",
                shared.resolve("sim").toString(), "--scan", "32,32", "--detector", "96,96", "--pixel-mrad", "0.32", "--ring-radius-px",
                "27.5", "--ring-width-px", "2.5", "--beam-radius-px", "2", "--descan-px", "2", "--no-vacuum", "--quiet");
        assertEquals(0, s.exit(), s.toString());
        data = shared.resolve("sim/data.npy");
    }

    private Map<String, String> home() {
        return Map.of("LTZ4D_HOME", dir.resolve("home").toString());
    }

    private static List<String> analyze(Path input, Path out, boolean pdf, String... extra) {
        List<String> a = new ArrayList<>(List.of("analyze", input.toString(), "--pipeline", "amorphous", "--beam-kv", "300",
                "--pixel-mrad", "0.32", "--reference-roi", "0:8,0:8"));
        if (pdf) a.addAll(List.of("--pdf", "--composition", "Fe85.2Si0.5B9.5P4Cu0.8"));
        a.addAll(List.of(extra));
        a.addAll(List.of("--out", out.toString()));
        return a;
    }

    private LiveRun start(List<String> jvm, List<String> args) throws IOException {
        return LiveRun.start(dir, home(), jvm, args);
    }

    private int run(List<String> jvm, List<String> args) throws Exception {
        try (LiveRun r = start(jvm, args)) {
            int exit = r.await(300);
            assertEquals(0, exit, String.join(" ", args) + "\n" + r.errText());
            return exit;
        }
    }

    /** The files a user sees (not hidden), with their bytes. */
    private static Map<String, byte[]> visible(Path out) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(out)) {
            for (Path p : s.toList()) {
                if (!p.getFileName().toString().startsWith(".")) m.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    private static List<String> hidden(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).sorted().toList();
        }
    }

    /** Opens the results with the results reader and reads every dataset: throws if any is damaged. */
    private static Map<String, Object> readAll(Path h5) {
        Map<String, Object> m = new TreeMap<>();
        Map<String, Object> root = ResultsFile.read(h5, ResultsFile.STRICT, e -> {
            m.put(e.path(), e.values());
            e.attributes(ResultsFile.STRICT).forEach((k, v) -> m.put(e.path() + "@" + k, v));
        });
        root.forEach((k, v) -> m.put("@" + k, v));
        assertTrue(m.containsKey("/strain/exx"), m.keySet().toString());
        return m;
    }

    private static void assertSameMaps(Map<String, byte[]> a, Map<String, byte[]> b, String what) {
        assertEquals(a.keySet(), b.keySet(), what);
        for (String k : a.keySet()) assertArrayEquals(a.get(k), b.get(k), what + ": " + k);
    }

    // ---- 2. crash safety ----

    @Test
    void aKilledRunLeavesTheEarlierResultIntactAndTheNextRunCleansUpAndSucceeds() throws Exception {
        Path out = dir.resolve("out");
        run(List.of(), analyze(data, out, false));
        readAll(out.resolve("results.h5"));
        // where: before the framework is up, mid-fit, with every output written but not marked whole
        // (during writing), after it was marked whole (nothing moved yet), and after the move-in
        List<String> points = List.of("early", "mid-fit", "complete", "move-in", "clean");
        List<String> report = new ArrayList<>();
        for (String point : points) {
            Map<String, byte[]> before = visible(out);
            List<String> jvm = List.of("complete", "move-in", "clean").contains(point) ? List.of("-Dltz4d.debug.pause-at=" + point) : List.of();
            long t0 = System.nanoTime();
            try (LiveRun r = start(jvm, analyze(data, out, false, "--threads", "1"))) {
                boolean reached = switch (point) {
                    case "early" -> !r.awaitErr(l -> false, 1); // one second: the framework is still starting
                    case "mid-fit" -> r.awaitErr(l -> l.startsWith("fit: ") && !l.startsWith("fit: 0/") && !l.contains("(100%"), 120);
                    default -> r.awaitErr(l -> l.contains("paused at commit step " + point), 120);
                };
                assertTrue(reached, point + " not reached\n" + r.errText());
                assertEquals(137, r.kill(), "killed by SIGKILL at " + point);
                report.add(point + " after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            }
            Map<String, byte[]> after = visible(out);
            if (point.equals("clean")) {
                assertEquals(before.keySet(), after.keySet(), "the new set moved in whole");
            } else {
                assertSameMaps(before, after, "killed at " + point + ": the earlier result is untouched");
            }
            readAll(out.resolve("results.h5"));
            for (String h : hidden(out)) assertTrue(h.startsWith(".ltz4d-"), "only hidden staging is left: " + h);
            // the next run repairs or removes what the killed one left, and succeeds
            run(List.of(), analyze(data, out, false));
            assertEquals(List.of(), hidden(out), "nothing hidden left after a run that ended");
            readAll(out.resolve("results.h5"));
        }
        System.out.println("[reliability] SIGKILL points: " + report);
    }

    // ---- 6. concurrency ----

    @Test
    void twoRunsIntoTwoFoldersBothSucceedAndASecondRunIntoOneFolderIsRefused() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        try (LiveRun ra = start(List.of(), analyze(data, a, false)); LiveRun rb = start(List.of(), analyze(data, b, false))) {
            assertEquals(0, ra.await(300), ra.errText());
            assertEquals(0, rb.await(300), rb.errText());
        }
        assertSameData(readAll(a.resolve("results.h5")), readAll(b.resolve("results.h5")), "two runs at once");

        Path c = dir.resolve("c");
        try (LiveRun first = start(List.of("-Dltz4d.debug.pause-at=complete"), analyze(data, c, false))) {
            assertTrue(first.awaitErr(l -> l.contains("paused at commit step complete"), 120), first.errText());
            Cli.Result second = Cli.run(dir, home(), List.of(), analyze(data, c, false).toArray(String[]::new));
            assertEquals(1, second.exit(), second.toString());
            assertEquals("ltz4d: " + c + ": output folder: expected a folder no other ltz4d run is writing into, found in use by process "
                    + first.pid() + " (wait for it to end, or choose another --out)", second.err().strip(), second.toString());
            // the holder dies: its OS lock goes with it and does not block the next run
            assertEquals(137, first.kill());
        }
        run(List.of(), analyze(data, c, false));
        assertEquals(List.of(), hidden(c));
        readAll(c.resolve("results.h5"));
    }

    // ---- 5. same answers ----

    /** Every dataset and attribute equal but the file's time, the provenance compared without its times and the threads and block size. */
    private static void assertSameData(Map<String, Object> a, Map<String, Object> b, String what) throws IOException {
        assertEquals(a.keySet(), b.keySet(), what);
        for (String k : a.keySet()) {
            if (k.equals("@file_time")) {
                continue; // NeXus: when the file was written
            } else if (k.equals("@provenance")) {
                assertEquals(timeless(a.get(k)), timeless(b.get(k)), what + ": provenance");
            } else {
                assertTrue(Objects.deepEquals(a.get(k), b.get(k)), what + ": " + k + " differs");
            }
        }
    }

    private static JsonNode timeless(Object provenance) throws IOException {
        JsonNode j = new ObjectMapper().readTree(provenance.toString());
        strip(j);
        if (j.get("parameters") instanceof ObjectNode p) p.remove(List.of("threads", "block-frames"));
        return j;
    }

    private static void strip(JsonNode n) {
        if (n instanceof ObjectNode o) {
            for (Iterator<String> it = o.fieldNames(); it.hasNext();) {
                String k = it.next();
                if (List.of("started", "finished", "seconds", "duration_s", "cores").contains(k)) it.remove();
                else strip(o.get(k));
            }
        } else if (n != null && n.isArray()) {
            n.forEach(ReliabilityEndToEndIT::strip);
        }
    }

    @Test
    void theResultsAreIdenticalForOneTwoAndFourThreadsAnyBlockSizeAndTwoRuns() throws Exception {
        Map<String, Map<String, Object>> results = new LinkedHashMap<>();
        Map<String, Map<String, byte[]>> files = new LinkedHashMap<>();
        List<List<String>> settings = List.of(List.of("--threads", "1"), List.of("--threads", "1"), List.of("--threads", "2", "--block-frames", "7"),
                List.of("--threads", "4", "--block-frames", "1"), List.of("--threads", "4", "--block-frames", "100000"));
        for (int i = 0; i < settings.size(); i++) {
            Path out = dir.resolve("same" + i);
            run(List.of(), analyze(data, out, true, settings.get(i).toArray(String[]::new)));
            results.put(i + " " + settings.get(i), readAll(out.resolve("results.h5")));
            Map<String, byte[]> v = visible(out);
            v.remove("results.h5");
            files.put(i + " " + settings.get(i), v);
        }
        String ref = results.keySet().iterator().next();
        for (String k : results.keySet()) {
            assertSameData(results.get(ref), results.get(k), k + " against " + ref);
            assertSameMaps(files.get(ref), files.get(k), k + " against " + ref + " (figures)");
        }
    }

    // ---- 3. bounded memory ----

    /** {@code src} (a (ny, nx, h, w) .npy) tiled {@code ty}×{@code tx} times over the scan: a large dataset in seconds. */
    private static Path tiled(Path src, Path dst, int ty, int tx) throws IOException {
        byte[] head = new byte[10];
        try (FileChannel in = FileChannel.open(src)) {
            in.read(ByteBuffer.wrap(head), 0);
            int hl = ByteBuffer.wrap(head, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
            ByteBuffer hb = ByteBuffer.allocate(hl);
            in.read(hb, 10);
            String dict = new String(hb.array(), StandardCharsets.ISO_8859_1).strip();
            int open = dict.indexOf("'shape': (") + 10;
            int close = dict.indexOf(')', open);
            String[] dims = dict.substring(open, close).split(",");
            int ny = Integer.parseInt(dims[0].strip());
            int nx = Integer.parseInt(dims[1].strip());
            String newDict = dict.substring(0, open) + (ny * ty) + ", " + (nx * tx) + ", " + dims[2].strip() + ", " + dims[3].strip()
                    + dict.substring(close);
            int pad = (64 - (10 + newDict.length() + 1) % 64) % 64;
            String header = newDict + " ".repeat(pad) + "\n";
            long row = (in.size() - 10 - hl) / ny; // one scan row of frames, in bytes
            try (FileChannel out = FileChannel.open(dst, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer pre = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
                pre.put(head, 0, 8).putShort((short) header.length()).put(header.getBytes(StandardCharsets.ISO_8859_1)).flip();
                out.write(pre);
                for (int t = 0; t < ty; t++) {
                    for (int y = 0; y < ny; y++) {
                        for (int u = 0; u < tx; u++) {
                            long done = 0;
                            while (done < row) done += in.transferTo(10 + hl + y * row + done, row - done, out);
                        }
                    }
                }
            }
        }
        return dst;
    }

    /** Σ of every pixel of a uint16 .npy. */
    private static double sum(Path npy) throws IOException {
        try (FileChannel in = FileChannel.open(npy)) {
            ByteBuffer head = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
            in.read(head, 0);
            long pos = 10 + (head.getShort(8) & 0xffff);
            ByteBuffer b = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            double s = 0;
            while (in.read(b, pos) > 0) {
                b.flip();
                pos += b.remaining();
                while (b.remaining() >= 2) s += b.getShort() & 0xffff;
                b.clear();
            }
            return s;
        }
    }

    /** The S(q)/G(r) stacks of a results file (flat float arrays) and their dimensions, keyed by path. */
    private static Map<String, Object> stacks(Path h5) {
        Map<String, Object> m = new TreeMap<>();
        ResultsFile.read(h5, ResultsFile.STRICT, e -> {
            if (e.path().equals("/pdf/G") || e.path().equals("/sq/S") || e.path().equals("/sq/I")) {
                m.put(e.path(), e.values());
                m.put(e.path() + "@dims", e.dims());
            }
        });
        return m;
    }

    @Test
    void pdfStacksLargerThanTheHeapAreStreamed() throws Exception {
        // --pdf keeps S(q), I(q) and G(r) per position: on the 16× scan (128×128 positions) they are about 70 MB,
        // more than the 48 MB heap; they go through a mapped scratch file into results.h5 (issue 15)
        Path x16 = tiled(data, dir.resolve("p16.npy"), 4, 4);
        List<String> report = new ArrayList<>();
        Map<Path, Map<String, Object>> out = new LinkedHashMap<>();
        for (Path in : List.of(data, x16)) {
            Path o = dir.resolve("p-" + in.getFileName());
            try (LiveRun r = start(List.of("-Xmx48m"), analyze(in, o, true))) {
                long t0 = System.nanoTime();
                assertEquals(0, r.await(600), r.errText());
                report.add(String.format("amorphous --pdf %s (%.0f MB) -Xmx48m: %.1f s, peak RSS %d MB (anonymous %d MB)", in.getFileName(),
                        Files.size(in) / 1e6, (System.nanoTime() - t0) / 1e9, r.peakRssKb / 1024, r.peakRssAnonKb() / 1024));
            }
            out.put(in, stacks(o.resolve("results.h5")));
        }
        System.out.println("[reliability] memory --pdf: " + report);
        Map<String, Object> small = out.get(data);
        Map<String, Object> large = out.get(x16);
        long bytes = 0;
        for (String k : List.of("/pdf/G", "/sq/S", "/sq/I")) {
            int[] d = (int[]) large.get(k + "@dims");
            assertEquals(128, d[0], k);
            assertEquals(128, d[1], k);
            assertArrayEquals(new int[] {32, 32, d[2]}, (int[]) small.get(k + "@dims"), k);
            bytes += 4L * d[0] * d[1] * d[2];
            // the first scan row's first 32 frames are the same frames in both scans: the same stacks (to
            // 2e-3 relative: the whole-scan reference and normalisation differ a little between the two scans)
            double tol = 2e-3;
            float[] a = (float[]) small.get(k);
            float[] b = (float[]) large.get(k);
            int finite = 0;
            for (int i = 0; i < 32 * d[2]; i++) {
                if (Float.isNaN(a[i])) {
                    assertTrue(Float.isNaN(b[i]), k + " value " + i);
                    continue;
                }
                finite++;
                assertEquals(a[i], b[i], tol * Math.max(1, Math.abs(a[i])), k + " value " + i);
            }
            assertTrue(finite > 16 * d[2], k + " has values");
        }
        assertTrue(bytes > 48L << 20, "the stacks (" + bytes + " bytes) exceed the heap");
    }

    @Test
    void memoryDoesNotGrowWithTheScan() throws Exception {
        // 16× the scan (128×128 positions, 302 MB) through the same 48 MB heap as the 1× scan: if the engine
        // kept frames (or anything per frame beyond its maps) the large scan would run out of heap
        Path x16 = tiled(data, dir.resolve("x16.npy"), 4, 4);
        long size = Files.size(x16);
        List<String> report = new ArrayList<>();
        for (Path in : List.of(data, x16)) {
            try (LiveRun r = start(List.of("-Xmx48m"), analyze(in, dir.resolve("m-" + in.getFileName()), false))) {
                long t0 = System.nanoTime();
                assertEquals(0, r.await(600), r.errText());
                report.add(String.format("amorphous %s (%.0f MB) -Xmx48m: %.1f s, peak RSS %d MB (anonymous %d MB)", in.getFileName(),
                        Files.size(in) / 1e6, (System.nanoTime() - t0) / 1e9, r.peakRssKb / 1024, r.peakRssAnonKb() / 1024));
            }
        }
        assertTrue(size > 6 * 48L * 1024 * 1024, "the long scan is over 6× the heap");
        // the streaming core alone (every frame through the frame runner) on 64× the scan, 1.2 GB, 37× a 32 MB heap
        Path x64 = tiled(data, dir.resolve("x64.npy"), 8, 8);
        assertTrue(Files.size(x64) > 32L * 32 * 1024 * 1024);
        double expected = 64 * sum(data);
        try (LiveRun r = start(List.of("-Xmx32m"), List.of("info", x64.toString(), "--json", "--sum"))) {
            long t0 = System.nanoTime();
            assertEquals(0, r.await(600), r.errText());
            report.add(String.format("info --sum x64 (%.0f MB) -Xmx32m: %.1f s, peak RSS %d MB (anonymous %d MB)", Files.size(x64) / 1e6,
                    (System.nanoTime() - t0) / 1e9, r.peakRssKb / 1024, r.peakRssAnonKb() / 1024));
            assertEquals(expected, new ObjectMapper().readTree(r.out()).get("sum").asDouble(), 0, "every frame was read");
        }
        Files.delete(x64);
        System.out.println("[reliability] memory: " + report);
        assertFalse(report.isEmpty());
    }
}
