package org.ltz4d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end, on generated data, through the exported runnable jar. */
class CliEndToEndIT {
    @TempDir
    Path dir;

    private Map<String, String> home() {
        return Map.of("LTZ4D_HOME", dir.resolve("home").toString());
    }

    /** Writes a (ny, nx, h, w) uint16 .npy where every pixel of frame i holds i % 5. */
    static Path npy(Path f, int ny, int nx, int h, int w) throws IOException {
        String dict = "{'descr': '<u2', 'fortran_order': False, 'shape': (" + ny + ", " + nx + ", " + h + ", " + w + "), }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer pre = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
            pre.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
            pre.put(header.getBytes(StandardCharsets.ISO_8859_1)).flip();
            ch.write(pre);
            ByteBuffer frame = ByteBuffer.allocate(2 * h * w).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < ny * nx; i++) {
                frame.clear();
                for (int p = 0; p < h * w; p++) frame.putShort((short) (i % 5));
                frame.flip();
                while (frame.hasRemaining()) ch.write(frame);
            }
        }
        return f;
    }

    private static double expectedSum(int frames, int px) {
        double s = 0;
        for (int i = 0; i < frames; i++) s += (i % 5) * (double) px;
        return s;
    }

    @Test
    void helpListsTheCommandsAndExitsZero() throws Exception {
        Cli.Result r = Cli.run(dir, home(), List.of(), "--help");
        assertEquals(0, r.exit(), r.toString());
        for (String c : List.of("info", "analyze", "plugins", "simulate", "demo", "shell")) assertTrue(r.out().contains(c), c + "\n" + r);
        Cli.Result h = Cli.run(dir, home(), List.of(), "analyze", "--help");
        assertEquals(0, h.exit(), h.toString());
    }

    @Test
    void infoPrintsTheContractJsonWithTheSum() throws Exception {
        Path f = npy(dir.resolve("d.npy"), 3, 4, 16, 16);
        Cli.Result r = Cli.run(dir, home(), List.of(), "info", f.toString(), "--json", "--sum", "--beam-kv", "300");
        assertEquals(0, r.exit(), r.toString());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("npy", j.get("format").asText());
        assertEquals(List.of(3, 4), List.of(j.get("nav_shape").get(0).asInt(), j.get("nav_shape").get(1).asInt()));
        assertEquals(List.of(16, 16), List.of(j.get("sig_shape").get(0).asInt(), j.get("sig_shape").get(1).asInt()));
        assertEquals("uint16", j.get("dtype").asText());
        assertEquals(300.0, j.get("calibration").get("beam_kv").asDouble());
        assertEquals(expectedSum(12, 256), j.get("sum").asDouble(), 0);
    }

    @Test
    void brokenInputGivesOneLineNamingTheFileAndNoStackTrace() throws Exception {
        Path f = npy(dir.resolve("t.npy"), 4, 4, 16, 16);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 1000));
        Cli.Result r = Cli.run(dir, home(), List.of(), "info", f.toString(), "--json");
        assertEquals(1, r.exit(), r.toString());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), r.toString());
        assertTrue(err.contains(f.toString()), r.toString());
        assertFalse(err.contains("\tat "), r.toString());
        Cli.Result missing = Cli.run(dir, home(), List.of(), "info", dir.resolve("nope.npy").toString());
        assertEquals(1, missing.exit(), missing.toString());
        assertTrue(missing.err().contains("nope.npy"), missing.toString());
        Cli.Result debug = Cli.run(dir, home(), List.of(), "--debug", "info", f.toString());
        assertTrue(debug.err().contains("\tat "), "--debug shows the stack trace\n" + debug);
    }

    @Test
    void pluginsJsonHasTheContractKeys() throws Exception {
        Cli.Result r = Cli.run(dir, home(), List.of(), "plugins", "--json");
        assertEquals(0, r.exit(), r.toString());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertTrue(j.isArray() && j.size() > 0, r.toString());
        boolean npy = false;
        for (JsonNode p : j) {
            for (String k : List.of("kind", "name", "bundle", "version", "state")) assertTrue(p.has(k), k + " in " + p);
            npy |= p.get("kind").asText().equals("reader") && p.get("name").asText().equals("npy");
        }
        assertTrue(npy, r.toString());
        // simulations and reports are plugins too, with the same keys
        assertTrue(has(j, "simulation", "amorphous", "org.ltz4d.simulator"), r.toString());
        assertTrue(has(j, "report", "html", "org.ltz4d.correlation"), r.toString());
        assertTrue(has(j, "calibration", "q", "org.ltz4d.calibration"), r.toString());
        assertTrue(has(j, "registration", "similarity", "org.ltz4d.registration"), r.toString());
        // phase retrievals are a kind of their own, not correlators
        for (String m : List.of("ltem-tie", "ltem-fit", "dpc-phase")) assertTrue(has(j, "phase-retrieval", m, "org.ltz4d.ltem"), m + "\n" + r);
    }

    private static boolean has(JsonNode list, String kind, String name, String bundle) {
        for (JsonNode p : list) {
            if (p.get("kind").asText().equals(kind) && p.get("name").asText().equals(name) && p.get("bundle").asText().equals(bundle)
                    && p.get("state").asText().equals("active")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void pipelineHelpListsEveryStageWithWhatEnablesIt() throws Exception {
        Cli.Result r = Cli.run(dir, home(), List.of(), "analyze", "--pipeline", "crystalline", "--help");
        assertEquals(0, r.exit(), r.toString());
        String out = r.out();
        assertTrue(out.contains("Stage lattice: ") && out.contains("— always runs:"), out);
        assertTrue(out.contains("— enabled by --vacuum FILE or --descan plane|parabola:"), out);
        assertTrue(out.contains("— enabled by --structure FILE.cif or --lattice a,b,c,alpha,beta,gamma:"), out);
        // B's and phase's parameters are listed although no option enables them, each under its stage
        int b = out.indexOf("Stage B: ");
        int phase = out.indexOf("Stage phase: ");
        assertTrue(b > 0 && phase > b, out);
        for (String p : List.of("--vacuum FILE", "--descan WORD", "--thickness-nm X", "--thickness-map FILE")) {
            int at = out.indexOf("  " + p + " ");
            assertTrue(at > b && at < phase, p + " under stage B\n" + out);
        }
        assertTrue(out.indexOf("  --structure TEXT ") > phase, out);
        assertTrue(out.indexOf("  --min-relative-intensity X ") < b, "the lattice stage's own parameters\n" + out);

        Cli.Result a = Cli.run(dir, home(), List.of(), "analyze", "--pipeline", "amorphous", "--help");
        assertEquals(0, a.exit(), a.toString());
        int pdf = a.out().indexOf("Stage S(q)/PDF: ");
        assertTrue(pdf > 0 && a.out().indexOf("— enabled by --pdf:", pdf) > 0, a.out());
        assertTrue(a.out().indexOf("  --q-max ") > pdf, a.out());
        // a parameter two stages share (the ring fit's envelope and S(q)) is listed once, under the first
        int composition = a.out().indexOf("  --composition ");
        assertTrue(composition > 0 && composition < pdf && a.out().indexOf("  --composition ", composition + 1) < 0, a.out());
    }

    @Test
    void aParameterOfAStageTheOptionsDoNotEnableSaysWhatEnablesIt() throws Exception {
        Path f = npy(dir.resolve("d.npy"), 2, 2, 16, 16);
        Cli.Result r = Cli.run(dir, home(), List.of(), "analyze", f.toString(), "--pipeline", "crystalline", "--thickness-nm", "100",
                "--out", dir.resolve("o").toString());
        assertEquals(1, r.exit(), r.toString());
        assertEquals("ltz4d: --thickness-nm is used for B, which needs --vacuum FILE or --descan plane|parabola", r.err().strip(),
                r.toString());
        assertFalse(Files.exists(dir.resolve("o/results.h5")));
        // a truly unknown parameter is still rejected, listing the known ones (those of every stage too)
        Cli.Result u = Cli.run(dir, home(), List.of(), "analyze", f.toString(), "--pipeline", "crystalline", "--thicknes-nm", "100",
                "--out", dir.resolve("o").toString());
        assertEquals(1, u.exit(), u.toString());
        assertTrue(u.err().startsWith("ltz4d: parameter --thicknes-nm: expected a parameter this pipeline knows ("), u.toString());
        assertTrue(u.err().contains(" thickness-nm,") && u.err().contains(" structure,"), u.toString());
    }

    @Test
    void withoutAReferenceTheAmorphousPipelineWritesStrainDensityAndPdfAndSkipsBWithOneWarning() throws Exception {
        Path sim = dir.resolve("sim");
        Cli.Result s = Cli.run(dir, home(), List.of(), "simulate", "--out", sim.toString(), "--scan", "6,8", "--dose", "2e6", "--quiet");
        assertEquals(0, s.exit(), s.toString());
        Path out = dir.resolve("noref");
        Cli.Result r = Cli.run(dir, home(), List.of(), "analyze", sim.resolve("data.npy").toString(), "--pipeline", "amorphous",
                "--beam-kv", "300", "--pixel-mrad", "0.16", "--reference-roi", "0:6,0:2", "--pdf", "--composition",
                "Fe85.2Si0.5B9.5P4Cu0.8", "--quiet", "--out", out.toString());
        assertEquals(0, r.exit(), r.toString());
        String warning = "B skipped: it needs --vacuum FILE or --descan plane|parabola";
        assertEquals(List.of("ltz4d: warning: " + warning), r.err().lines().filter(l -> l.contains("warning")).toList(), r.toString());
        try (io.jhdf.HdfFile h5 = new io.jhdf.HdfFile(out.resolve("results.h5"))) {
            for (String p : List.of("/strain/exx", "/strain/e_ten", "/density/relative", "/sq/S", "/pdf/G")) {
                float[][] m = p.startsWith("/strain") || p.startsWith("/density") ? (float[][]) h5.getDatasetByPath(p).getData() : null;
                if (m != null) assertTrue(Float.isFinite(m[3][5]), p + " is written and finite");
                else assertEquals(6, h5.getDatasetByPath(p).getDimensions()[0], p);
            }
            assertFalse(h5.getChildren().containsKey("magnetic"), "no B without a reference");
            String prov = h5.getAttribute("provenance").getData().toString();
            assertTrue(prov.contains(warning), prov);
        }
    }

    @Test
    void anInstalledPluginAnalysesADatasetFourTimesLargerThanTheHeap() throws Exception {
        // 80×80 frames of 128×128 uint16 = 210 MB, streamed through a 48 MB heap
        Path f = npy(dir.resolve("big.npy"), 80, 80, 128, 128);
        assertTrue(Files.size(f) > 4L * 48 * 1024 * 1024);
        Cli.Result inst = Cli.run(dir, home(), List.of(), "plugins", "install", System.getProperty("ltz4d.example.jar"));
        assertEquals(0, inst.exit(), inst.toString());
        // installing it again, or updating it, replaces it in place: still one bundle, one copy in the folder
        Cli.Result again = Cli.run(dir, home(), List.of(), "plugins", "install", System.getProperty("ltz4d.example.jar"));
        assertEquals(0, again.exit(), again.toString());
        Cli.Result upd = Cli.run(dir, home(), List.of(), "plugins", "update", System.getProperty("ltz4d.example.jar"));
        assertEquals(0, upd.exit(), upd.toString());
        assertTrue(upd.out().startsWith("updated org.example.vadf to 1.0.0"), upd.toString());
        try (var jars = Files.list(dir.resolve("home/plugins"))) {
            assertEquals(List.of("org.example.vadf.jar"), jars.map(p -> p.getFileName().toString()).toList());
        }
        Cli.Result list = Cli.run(dir, home(), List.of(), "plugins", "--json");
        assertEquals(1, list.out().split("\"name\" : \"vadf\"", -1).length - 1, list.toString());
        Cli.Result r = Cli.run(dir, home(), List.of("-Xmx48m"), "analyze", f.toString(), "--pipeline", "virtual-detector",
                "--bf-radius-px", "10", "--out", dir.resolve("out").toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(Files.exists(dir.resolve("out/results.h5")), r.toString());
        assertTrue(r.out().contains("frames: 6400"), r.toString());
        Cli.Result un = Cli.run(dir, home(), List.of(), "plugins", "uninstall", "org.example.vadf");
        assertEquals(0, un.exit(), un.toString());
        Cli.Result notThere = Cli.run(dir, home(), List.of(), "plugins", "update", System.getProperty("ltz4d.example.jar"));
        assertEquals(1, notThere.exit(), notThere.toString());
        assertTrue(notThere.err().contains("plugins install"), "says how to add it: " + notThere);
        Cli.Result gone = Cli.run(dir, home(), List.of(), "analyze", f.toString(), "--pipeline", "virtual-detector", "--out",
                dir.resolve("out2").toString());
        assertEquals(1, gone.exit(), gone.toString());
        assertTrue(gone.err().contains("virtual-detector"), gone.toString());
    }

    @Test
    void unknownParametersAreNamed() throws Exception {
        Path f = npy(dir.resolve("d.npy"), 2, 2, 16, 16);
        Cli.run(dir, home(), List.of(), "plugins", "install", System.getProperty("ltz4d.example.jar"));
        Cli.Result r = Cli.run(dir, home(), List.of(), "analyze", f.toString(), "--pipeline", "virtual-detector", "--bf-radiuss", "3",
                "--out", dir.resolve("o").toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("--bf-radiuss"), r.toString());
        assertFalse(Files.exists(dir.resolve("o/results.h5")));
    }

    @Test
    void simulateWritesDataVacuumAndTruth() throws Exception {
        Cli.Result r = Cli.run(dir, home(), List.of(), "simulate", "--out", dir.resolve("sim").toString(), "--scan", "4,5",
                "--detector", "64,64", "--ring-radius-px", "20", "--dose", "1e5");
        assertEquals(0, r.exit(), r.toString());
        for (String f : List.of("data.npy", "vacuum.npy", "simulation.json", "truth_Bx_T.npy", "truth_exx.npy")) {
            assertTrue(Files.exists(dir.resolve("sim").resolve(f)), f + "\n" + r);
        }
        Cli.Result info = Cli.run(dir, home(), List.of(), "info", dir.resolve("sim/data.npy").toString(), "--json");
        JsonNode j = new ObjectMapper().readTree(info.out());
        assertEquals(4, j.get("nav_shape").get(0).asInt());
        assertEquals(5, j.get("nav_shape").get(1).asInt());
        Cli.Result bad = Cli.run(dir, home(), List.of(), "simulate", "--out", dir.resolve("s2").toString(), "--dose", "-5");
        assertEquals(1, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("--dose"), bad.toString());
    }
}
