package org.ltz4d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ltz4d gui}'s JSON API, on the exported jar: the token, the allowed roots ({@code ..} and a
 * symbolic link out refused), the plugin list equal to {@code plugins --json}, opening a dataset,
 * virtual images and patterns, a pipeline run with progress, results maps, bundles stopped and
 * started, uploads refused unless a bundle within the size limit, and one clear message for bad input.
 */
class WebApiEndToEndIT {
    @TempDir
    static Path dir;
    @TempDir
    static Path outside;
    static Path root;
    static Gui gui;

    @BeforeAll
    static void start() throws Exception {
        root = Files.createDirectories(dir.resolve("root"));
        Cli.Result sim = Cli.run(root, Map.of(), List.of(), "--quiet", "simulate", "--out", "sim", "--scan", "12,12", "--detector", "64,64",
                "--ring-radius-px", "20", "--ring-width-px", "2.5");
        assertEquals(0, sim.exit(), sim.toString());
        Files.writeString(outside.resolve("secret.txt"), "not for the page");
        Files.createSymbolicLink(root.resolve("escape"), outside);
        gui = Gui.start(root, dir.resolve("home"), "--port", "0", "--root", root.toString(), "--max-upload-mb", "1");
    }

    @AfterAll
    static void stop() throws Exception {
        if (gui != null) gui.close();
    }

    private static void assertError(HttpResponse<String> r, int status, String message) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.body().startsWith("{\"error\":") && r.body().contains(message), "expected '" + message + "' in " + r.body());
    }

    @Test
    void everyRequestNeedsTheTokenAndAPostNeedsTheHeader() throws Exception {
        HttpResponse<String> none = gui.send(HttpRequest.newBuilder(gui.base.resolve("/api/plugins")).GET());
        assertError(none, 401, "the access token is missing");
        assertError(gui.send(HttpRequest.newBuilder(gui.base.resolve("/api/plugins")).header("X-Ltz4d-Token", "0".repeat(48)).GET()), 403,
                "the access token is wrong");
        assertEquals(401, gui.send(HttpRequest.newBuilder(gui.base.resolve("/")).GET()).statusCode());
        HttpResponse<String> page = gui.send(HttpRequest.newBuilder(java.net.URI.create(gui.url())).GET());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>ltz4d workbench</title>"), page.body());
        String cookie = page.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        String pair = cookie.substring(0, cookie.indexOf(';'));
        assertEquals(200, gui.send(HttpRequest.newBuilder(gui.base.resolve("/api/roots")).header("Cookie", pair).GET()).statusCode());
        // a cross-site form could send the cookie, never the header: refused
        assertError(gui.send(HttpRequest.newBuilder(gui.base.resolve("/api/bundles/1/stop")).header("Cookie", pair)
                .POST(HttpRequest.BodyPublishers.noBody())), 403, "a POST needs the X-Ltz4d-Token header");
        assertError(gui.send(HttpRequest.newBuilder(gui.base.resolve("/api/plugins")).header("X-Ltz4d-Token", gui.token)
                .method("DELETE", HttpRequest.BodyPublishers.noBody())), 405, "method DELETE is not allowed");
        assertTrue(gui.base.getHost().equals("127.0.0.1"), gui.base.toString());
    }

    @Test
    void pluginsAnswerWhatPluginsJsonPrints() throws Exception {
        Cli.Result cli = Cli.run(root, Map.of("LTZ4D_HOME", dir.resolve("home").toString()), List.of(), "plugins", "--json");
        assertEquals(0, cli.exit(), cli.toString());
        HttpResponse<String> r = gui.get("/api/plugins");
        assertEquals(200, r.statusCode());
        assertEquals(cli.out().strip(), r.body().strip());
    }

    @Test
    void filesOnlyUnderTheRoots() throws Exception {
        HttpResponse<String> list = gui.get("/api/files?path=" + root);
        assertEquals(200, list.statusCode(), list.body());
        assertTrue(list.body().contains("\"name\":\"sim\""), list.body());
        assertError(gui.get("/api/files?path=" + root + "/sim/../.."), 403, "'..' is not allowed");
        assertError(gui.get("/api/files?path=" + root.resolve("escape")), 403, "is outside the allowed folders");
        assertError(gui.get("/api/files?path=" + outside), 403, "is outside the allowed folders");
        assertError(gui.post("/api/datasets", "{\"path\":\"" + root.resolve("escape/secret.txt") + "\"}"), 403, "is outside the allowed folders");
        assertError(gui.get("/api/files?path=relative/dir"), 400, "an absolute path is expected");
        assertError(gui.get("/api/files?path=" + root + "/nothing"), 404, "no such file or folder");
    }

    @Test
    void openADatasetSeeVirtualImagesAndPatterns() throws Exception {
        assertError(gui.post("/api/datasets", "{\"path\":\"" + root.resolve("sim/simulation.json") + "\"}"), 400, "simulation.json");
        assertError(gui.post("/api/datasets", "{}"), 400, "field 'path' is missing");
        assertError(gui.post("/api/datasets", "{not json"), 400, "the request body is not valid JSON");
        assertError(gui.post("/api/datasets", "{\"path\":\"" + root.resolve("sim/data.npy") + "\",\"options\":{\"beam-kv\":\"-3\"}}"), 400, "beam-kv");
        HttpResponse<String> open = gui.post("/api/datasets", "{\"path\":\"" + root.resolve("sim/data.npy") + "\",\"options\":{\"beam-kv\":\"300\"}}");
        assertEquals(200, open.statusCode(), open.body());
        assertTrue(open.body().contains("\"scan\":[12,12]") && open.body().contains("\"detector\":[64,64]"), open.body());
        assertTrue(open.body().contains("\"beam-kv\":300.0"), "the override is shown: " + open.body());
        String id = open.body().replaceAll("^\\{\"id\":(\\d+),.*", "$1");
        HttpResponse<String> virtual = gui.get("/api/datasets/" + id + "/virtual?wait=true");
        assertEquals(200, virtual.statusCode(), virtual.body());
        // the direct beam of the simulation sits near the detector's centre (within the simulated descan and B shifts)
        double cx = Double.parseDouble(virtual.body().replaceAll(".*\"cx\":([-0-9.Ee]+).*", "$1"));
        assertTrue(Math.abs(cx - 31.5) < 4, virtual.body());
        assertTrue(virtual.body().contains("\"done\":144,\"total\":144,\"finished\":true"), virtual.body());
        for (String kind : List.of("bf", "adf", "ring", "com", "com-x")) {
            BufferedImage img = png(gui.getBytes("/api/datasets/" + id + "/virtual.png?kind=" + kind));
            assertEquals(12, img.getWidth(), kind);
        }
        assertError(gui.get("/api/datasets/" + id + "/virtual.png?kind=haadf"), 400, "parameter 'kind': expected bf, adf, ring");
        assertError(gui.get("/api/datasets/" + id + "/virtual?adf-inner=20&adf-outer=10"), 400, "parameter 'adf-inner'");
        BufferedImage a = png(gui.getBytes("/api/datasets/" + id + "/frame.png?y=0&x=0&scale=linear"));
        BufferedImage b = png(gui.getBytes("/api/datasets/" + id + "/frame.png?y=11&x=11&scale=linear"));
        assertEquals(64, a.getWidth());
        assertFalse(Arrays.equals(a.getRGB(0, 0, 64, 64, null, 0, 64), b.getRGB(0, 0, 64, 64, null, 0, 64)), "two positions, two patterns");
        assertError(gui.get("/api/datasets/" + id + "/frame.png?y=12&x=0"), 400, "parameter 'y': expected an integer in [0, 11], got '12'");
        assertError(gui.get("/api/datasets/" + id + "/frame.png?y=1&x=0&scale=sqrt"), 400, "parameter 'scale'");
        assertError(gui.get("/api/datasets/999/frame.png?y=1&x=0"), 404, "no open dataset 999");
        // contrast: percentiles and gamma change the picture; nonsense is one clear message
        BufferedImage c = png(gui.getBytes("/api/datasets/" + id + "/frame.png?y=0&x=0&scale=linear&lo=20&hi=80&gamma=2.5"));
        assertFalse(Arrays.equals(a.getRGB(0, 0, 64, 64, null, 0, 64), c.getRGB(0, 0, 64, 64, null, 0, 64)), "contrast changes the pattern image");
        assertError(gui.get("/api/datasets/" + id + "/frame.png?y=0&x=0&gamma=0"), 400, "parameter 'gamma': expected a gamma in [0.05, 20]");
        assertError(gui.get("/api/datasets/" + id + "/frame.png?y=0&x=0&lo=90&hi=10"), 400, "parameter 'hi'");
        assertError(gui.get("/api/datasets/" + id + "/frame.png?y=0&x=0&lo=dark"), 400, "parameter 'lo'");
    }

    /** Values of a map of the open dataset's virtual pass (JSON numbers, "NaN" as a string). */
    private static double[] virtualValues(String id, String query) throws Exception {
        HttpResponse<String> r = gui.get("/api/datasets/" + id + "/virtual.json?wait=true&" + query);
        assertEquals(200, r.statusCode(), r.body());
        String v = r.body().replaceAll("(?s).*\"values\":\\[([^\\]]*)\\].*", "$1");
        return Arrays.stream(v.split(",")).map(x -> x.replace("\"", "")).mapToDouble(Double::parseDouble).toArray();
    }

    private static double[] resultValues(Path results, String map) throws Exception {
        HttpResponse<String> r = gui.get("/api/results/values?map=" + map + "&path=" + results);
        assertEquals(200, r.statusCode(), r.body());
        String v = r.body().replaceAll("(?s).*\"values\":\\[([^\\]]*)\\].*", "$1");
        return Arrays.stream(v.split(",")).map(x -> x.replace("\"", "")).mapToDouble(Double::parseDouble).toArray();
    }

    @Test
    void virtualImagesAreTheEnginesVirtualPipelineWithCentreOfMassAndADrawnMask() throws Exception {
        String data = root.resolve("sim/data.npy").toString();
        HttpResponse<String> open = gui.post("/api/datasets", "{\"path\":\"" + data + "\"}");
        assertEquals(200, open.statusCode(), open.body());
        String id = open.body().replaceAll("^\\{\"id\":(\\d+),.*", "$1");
        // the page's images are the engine's: the same numbers as 'analyze --pipeline virtual' writes
        HttpResponse<String> run = gui.post("/api/runs", "{\"path\":\"" + data + "\",\"pipeline\":\"virtual\",\"out\":\"" + root.resolve("virtual1") + "\"}");
        assertEquals(200, run.statusCode(), run.body());
        String runId = run.body().replaceAll("^\\{\"id\":(\\d+),.*", "$1");
        assertTrue(gui.get("/api/runs/" + runId + "/events").body().contains("\"status\":\"done\""));
        Path results = root.resolve("virtual1/results.h5");
        for (String[] k : new String[][] {{"bf", "virtual/bf"}, {"adf", "virtual/adf"}, {"ring", "virtual/ring"}, {"com-x", "virtual/com_x"},
                {"com-y", "virtual/com_y"}}) {
            double[] page = virtualValues(id, "kind=" + k[0]), file = resultValues(results, k[1]);
            assertEquals(144, page.length);
            for (int i = 0; i < page.length; i++) assertEquals(file[i], page[i], 1e-6 * Math.abs(file[i]) + 1e-9, k[0] + " at " + i);
        }
        // the centre of mass follows the simulated beam: within ±4 px of the detectors' centre, not constant
        double[] comX = virtualValues(id, "kind=com-x");
        double lo = Arrays.stream(comX).min().orElseThrow(), hi = Arrays.stream(comX).max().orElseThrow();
        assertTrue(lo > -4 && hi < 4 && hi > lo, lo + " .. " + hi);
        // a drawn polygon: the left and right halves of the detector add up to the whole detector, position by position
        String left = "polygon=-0.5,-0.5,31.5,-0.5,31.5,63.5,-0.5,63.5", right = "polygon=31.5,-0.5,63.5,-0.5,63.5,63.5,31.5,63.5",
                all = "polygon=-0.5,-0.5,63.5,-0.5,63.5,63.5,-0.5,63.5";
        double[] l = virtualValues(id, "kind=mask&" + left), r = virtualValues(id, "kind=mask&" + right), w = virtualValues(id, "kind=mask&" + all);
        double[] bf = virtualValues(id, "kind=bf");
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], l[i] + r[i], 1e-5 * w[i], "halves at " + i);
            assertTrue(w[i] > bf[i] && l[i] > 0 && r[i] > 0, "the whole detector holds the bright field, at " + i);
        }
        HttpResponse<String> info = gui.get("/api/datasets/" + id + "/virtual?" + all);
        assertTrue(info.body().contains("\"virtual-mask-polygon\":\"-0.5,-0.5,63.5"), info.body());
        assertError(gui.get("/api/datasets/" + id + "/virtual?polygon=1,2,3,4"), 400, "parameter 'polygon': expected x1,y1,x2,y2,x3,y3");
        assertError(gui.get("/api/datasets/" + id + "/virtual?polygon=1,2,3,4,5,x"), 400, "parameter 'polygon': expected numbers");
        assertError(gui.get("/api/datasets/" + id + "/virtual?cx=3"), 400, "parameters 'cx' and 'cy'");
        // dragged detectors go to the engine as the virtual fitter's parameters and come back as its geometry
        HttpResponse<String> moved = gui.get("/api/datasets/" + id + "/virtual?wait=true&cx=30&cy=33&bf-radius=5&adf-inner=9&adf-outer=25");
        assertTrue(moved.body().contains("\"cx\":30.0,\"cy\":33.0,\"bfRadius\":5.0,\"adfInner\":9.0,\"adfOuter\":25.0"), moved.body());
        assertEquals(64, png(gui.getBytes("/api/datasets/" + id + "/mean.png?cx=30&cy=33&bf-radius=5&adf-inner=9&adf-outer=25")).getWidth());
    }

    private static BufferedImage png(HttpResponse<byte[]> r) throws java.io.IOException {
        assertEquals(200, r.statusCode(), new String(r.body()));
        assertEquals("image/png", r.headers().firstValue("Content-Type").orElse(""));
        return ImageIO.read(new ByteArrayInputStream(r.body()));
    }

    @Test
    void runAPipelineWatchItAndReadItsMaps() throws Exception {
        String data = root.resolve("sim/data.npy").toString();
        assertError(gui.post("/api/runs", "{\"path\":\"" + data + "\",\"pipeline\":\"nope\"}"), 400, "no pipeline named 'nope' is active");
        assertError(gui.post("/api/runs", "{\"path\":\"" + data + "\",\"pipeline\":\"amorphous\",\"parameters\":{\"colour\":\"red\"}}"), 400,
                "parameter 'colour' is not a parameter of pipeline 'amorphous'");
        assertError(gui.post("/api/runs", "{\"path\":\"" + data + "\",\"pipeline\":\"amorphous\",\"parameters\":{\"thickness-nm\":\"thick\"}}"), 400,
                "thickness-nm");
        assertError(gui.post("/api/runs", "{\"path\":\"" + data + "\",\"pipeline\":\"amorphous\",\"out\":\"" + outside.resolve("out") + "\"}"), 403,
                "outside the allowed folders");
        HttpResponse<String> form = gui.get("/api/pipelines/amorphous");
        assertEquals(200, form.statusCode());
        assertTrue(form.body().contains("\"stages\":[") && form.body().contains("\"name\":\"reference-roi\""), form.body());
        assertError(gui.get("/api/pipelines/nope"), 404, "no pipeline named 'nope'");
        String body = "{\"path\":\"" + data + "\",\"pipeline\":\"amorphous\",\"out\":\"" + root.resolve("run1") + "\",\"parameters\":{"
                + "\"beam-kv\":\"300\",\"pixel-mrad\":\"0.16\",\"vacuum\":\"" + root.resolve("sim/vacuum.npy") + "\",\"thickness-nm\":\"60\","
                + "\"reference-roi\":\"0:3,0:3\"}}";
        HttpResponse<String> run = gui.post("/api/runs", body);
        assertEquals(200, run.statusCode(), run.body());
        assertTrue(run.body().contains("\"command\":\"ltz4d analyze " + data + " --pipeline amorphous --beam-kv 300"), run.body());
        String id = run.body().replaceAll("^\\{\"id\":(\\d+),.*", "$1");
        HttpResponse<String> events = gui.get("/api/runs/" + id + "/events");
        assertEquals("text/event-stream;charset=utf-8", events.headers().firstValue("Content-Type").orElse("").replace(" ", ""));
        String[] lines = events.body().strip().split("\n\n");
        String last = lines[lines.length - 1];
        assertTrue(last.contains("\"status\":\"done\"") && last.contains("\"percent\":100.0"), events.body() + gui.stderr());
        assertTrue(Files.exists(root.resolve("run1/results.h5")));
        HttpResponse<String> maps = gui.get("/api/results/maps?path=" + root.resolve("run1/results.h5"));
        assertTrue(maps.body().contains("\"map\":\"magnetic/wheel\"") && maps.body().contains("\"map\":\"strain/exx\""), maps.body());
        BufferedImage wheel = png(gui.getBytes("/api/results/map.png?map=magnetic/wheel&path=" + root.resolve("run1/results.h5")));
        assertEquals(12, wheel.getWidth());
        assertError(gui.get("/api/results/map.png?map=magnetic/nothing&path=" + root.resolve("run1/results.h5")), 404, "no map magnetic/nothing");
        assertError(gui.get("/api/results/map.png?map=strain/exx&cmap=jet&path=" + root.resolve("run1/results.h5")), 400, "parameter 'cmap'");
        assertError(gui.post("/api/runs/77/cancel", "{}"), 404, "no run 77");
        Path results = root.resolve("run1/results.h5");
        // SVG: a real vector figure — axes, tick labels, colour bar (a gradient) or wheel legend, overlays as lines, the raster embedded once
        for (String map : List.of("strain/exx", "magnetic/wheel")) {
            HttpResponse<byte[]> svg = gui.getBytes("/api/results/map.svg?map=" + map + "&path=" + results);
            assertEquals(200, svg.statusCode(), new String(svg.body()));
            assertTrue(svg.headers().firstValue("Content-Type").orElse("").startsWith("image/svg+xml"));
            org.w3c.dom.Document doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(svg.body()));
            assertEquals("svg", doc.getDocumentElement().getTagName());
            assertTrue(doc.getElementsByTagName("text").getLength() >= 8, map + ": tick labels and titles as text");
            assertTrue(doc.getElementsByTagName("image").getLength() >= 1, map);
            assertTrue(doc.getElementsByTagName("line").getLength() + doc.getElementsByTagName("path").getLength() >= 10, map + ": axes ticks and overlays");
            if (map.startsWith("strain/")) {
                assertEquals(1, doc.getElementsByTagName("linearGradient").getLength(), "the colour bar is a gradient");
                assertTrue(doc.getElementsByTagName("stop").getLength() > 16);
            } else {
                assertTrue(doc.getElementById("legend") != null || new String(svg.body()).contains("id=\"legend\""), "the wheel's legend");
                assertTrue(new String(svg.body()).contains("id=\"overlay\""), "B arrows as SVG paths");
            }
        }
        // the correlation outputs: run through the engine, written beside the results, their maps join the list
        assertError(gui.post("/api/correlate", "{\"path\":\"" + results + "\",\"correlators\":[\"astrology\"]}"), 400, "no correlator named 'astrology'");
        HttpResponse<String> corr = gui.post("/api/correlate", "{\"path\":\"" + results + "\"}");
        assertEquals(200, corr.statusCode(), corr.body());
        assertTrue(Files.exists(root.resolve("run1/correlation.h5")), corr.body());
        HttpResponse<String> all = gui.get("/api/results/maps?path=" + results);
        for (String m : List.of("correlation/misorientation_deg", "correlation/e_me", "correlation/cluster", "strain/exx")) {
            assertTrue(all.body().contains("\"map\":\"" + m + "\""), m + " in " + all.body());
        }
        double[] mis = resultValues(results, "correlation/misorientation_deg");
        assertTrue(Arrays.stream(mis).filter(Double::isFinite).allMatch(v -> v >= 0 && v <= 90), "misorientation in [0°, 90°]");
        assertEquals(200, gui.getBytes("/api/results/map.png?map=correlation/cluster&path=" + results).statusCode());
        // the HTML report through the report service, then downloaded
        assertError(gui.get("/api/results/report.html?path=" + results), 404, "no report beside");
        HttpResponse<String> report = gui.post("/api/report", "{\"path\":\"" + results + "\"}");
        assertEquals(200, report.statusCode(), report.body());
        HttpResponse<String> html = gui.get("/api/results/report.html?path=" + results);
        assertEquals(200, html.statusCode());
        assertTrue(html.body().contains("<html") && html.body().contains("results.h5") && html.body().contains("correlation.h5"), html.body().substring(0, 300));
        assertError(gui.post("/api/report", "{\"path\":\"" + results + "\",\"report\":\"pdf\"}"), 422, "no report named 'pdf'");
    }

    @Test
    void bundlesStopStartAndOnlyBundlesAreUploaded() throws Exception {
        String derivers = gui.get("/api/bundles").body().replaceAll(".*\"id\":(\\d+),\"bundle\":\"org.ltz4d.derivers\".*", "$1");
        assertTrue(gui.get("/api/plugins").body().contains("\"name\" : \"magnetic\""));
        // no state change by GET
        gui.get("/api/bundles/" + derivers + "/stop");
        assertTrue(gui.get("/api/plugins").body().contains("\"name\" : \"magnetic\""));
        assertEquals(200, gui.post("/api/bundles/" + derivers + "/stop", "").statusCode());
        assertFalse(gui.get("/api/plugins").body().contains("\"name\" : \"magnetic\""), "the stopped bundle's deriver is gone");
        assertEquals(200, gui.post("/api/bundles/" + derivers + "/start", "").statusCode());
        assertTrue(gui.get("/api/plugins").body().contains("\"name\" : \"magnetic\""), "and back");
        assertError(gui.post("/api/bundles/" + derivers + "/explode", ""), 404, "no bundle action explode");
        assertError(gui.post("/api/bundles/0/stop", ""), 403, "cannot be changed from the page");
        String engine = gui.get("/api/bundles").body().replaceAll(".*\"id\":(\\d+),\"bundle\":\"org.ltz4d.engine\".*", "$1");
        assertError(gui.post("/api/bundles/" + engine + "/stop", ""), 403, "org.ltz4d.engine cannot be changed from the page");
        assertError(gui.postBytes("/api/bundles/install", "plain text".getBytes()), 400, "not an OSGi bundle");
        ByteArrayOutputStream jar = new ByteArrayOutputStream();
        Manifest mf = new Manifest();
        mf.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (JarOutputStream j = new JarOutputStream(jar, mf)) {
            j.flush();
        }
        assertError(gui.postBytes("/api/bundles/install", jar.toByteArray()), 400, "not an OSGi bundle");
        assertError(gui.postBytes("/api/bundles/install", new byte[(1 << 20) + 10]), 413, "larger than 1048576 bytes");
        Path example = Path.of(System.getProperty("ltz4d.example.jar"));
        HttpResponse<String> installed = gui.postBytes("/api/bundles/install", Files.readAllBytes(example));
        assertEquals(200, installed.statusCode(), installed.body());
        assertTrue(gui.get("/api/plugins").body().contains("\"bundle\" : \"org.example.vadf\""), "the uploaded bundle's plugins appear");
        String id = gui.get("/api/bundles").body().replaceAll(".*\"id\":(\\d+),\"bundle\":\"org.example.vadf\".*", "$1");
        assertEquals(200, gui.post("/api/bundles/" + id + "/uninstall", "").statusCode());
        assertFalse(gui.get("/api/plugins").body().contains("org.example.vadf"));
    }
}
