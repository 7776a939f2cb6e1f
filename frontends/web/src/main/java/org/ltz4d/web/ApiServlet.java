package org.ltz4d.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.engine.AnalysisRequest;
import org.ltz4d.api.engine.DatasetInfo;
import org.ltz4d.api.engine.Engine;
import org.ltz4d.api.engine.PluginInfo;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.engine.StageInfo;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.Ltz4dException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * The workbench's one servlet: the page's static files and the JSON API over the {@link Engine}
 * service. Every request needs the access token (header {@code X-Ltz4d-Token}, or the cookie the
 * page's URL sets); state changes only by POST, and a POST needs the header (a cookie alone is
 * refused), so another site cannot make the browser act.
 */
final class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String HEADER = "X-Ltz4d-Token";
    static final String COOKIE = "ltz4d_token";
    private static final Set<String> STATIC = Set.of("index.html", "app.js", "app.css");
    static final String CORRELATION_FILE = "correlation.h5";
    static final String REPORT_FILE = "report.html";
    /** The correlators the page runs on a results file (each one that lacks its inputs is reported as a warning). */
    static final List<String> CORRELATORS = List.of("misorientation", "magnetoelastic", "orientation-binarise", "histogram2d", "cluster");
    /** Bundles the page itself runs on: not stopped, updated or uninstalled from it. */
    static final Set<String> CORE = Set.of("org.ltz4d.api", "org.ltz4d.engine", "org.ltz4d.web", "org.ltz4d.cli", "org.ltz4d.render",
            "org.apache.felix.http.jetty", "org.apache.felix.http.servlet-api", "org.apache.felix.scr");

    private final transient Engine engine;
    private final transient Workbench.Host host;
    private final transient BundleContext context;
    private final transient Roots roots;
    private final byte[] token;
    private final long maxUpload;
    private final transient ObjectMapper json = new ObjectMapper();
    private final transient Map<Integer, OpenDataset> datasets = new ConcurrentHashMap<>();
    private final transient Map<Integer, Run> runs = new ConcurrentHashMap<>();
    private final transient AtomicInteger ids = new AtomicInteger();
    private final transient ExecutorService runner = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ltz4d-web-run");
        t.setDaemon(true);
        return t;
    });

    ApiServlet(Engine engine, Workbench.Host host, BundleContext context, Roots roots, String token, long maxUpload) {
        this.engine = engine;
        this.host = host;
        this.context = context;
        this.roots = roots;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.maxUpload = maxUpload;
    }

    @Override
    public void destroy() {
        runs.values().forEach(Run::cancel);
        runner.shutdownNow();
        datasets.values().forEach(OpenDataset::close);
        datasets.clear();
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? req.getServletPath() : req.getServletPath() + req.getPathInfo();
        if (path.isEmpty()) path = "/";
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Cache-Control", "no-store");
        try {
            authorise(req, resp, path);
            boolean post = req.getMethod().equals("POST");
            if (!post && !req.getMethod().equals("GET")) throw new WebException(405, "method " + req.getMethod() + " is not allowed");
            if (path.startsWith("/api/")) {
                if (post) post(path.substring(4), req, resp);
                else get(path.substring(4), req, resp);
            } else {
                if (post) throw new WebException(405, "POST is only for /api/");
                serveStatic(path.equals("/") ? "index.html" : path.substring(1), resp);
            }
        } catch (WebException e) {
            error(resp, e.status(), e.getMessage());
        } catch (InvalidInputException | InvalidParameterException e) {
            error(resp, 400, e.getMessage());
        } catch (Ltz4dException e) {
            error(resp, 422, e.getMessage());
        } catch (IllegalArgumentException e) {
            error(resp, 400, e.getMessage());
        }
    }

    /** 401 without a token, 403 with a wrong one or a POST carrying only the cookie. */
    private void authorise(HttpServletRequest req, HttpServletResponse resp, String path) {
        String header = req.getHeader(HEADER);
        String query = path.equals("/") ? req.getParameter("token") : null;
        String cookie = null;
        if (req.getCookies() != null) {
            for (Cookie c : req.getCookies()) {
                if (c.getName().equals(COOKIE)) cookie = c.getValue();
            }
        }
        String given = header != null ? header : query != null ? query : cookie;
        if (given == null) throw new WebException(401, "the access token is missing (open the URL 'ltz4d gui' printed, or send the " + HEADER + " header)");
        if (!MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) throw new WebException(403, "the access token is wrong");
        if (req.getMethod().equals("POST") && header == null) {
            throw new WebException(403, "a POST needs the " + HEADER + " header (a cookie alone is not accepted)");
        }
        if (query != null) {
            resp.addHeader("Set-Cookie", COOKIE + "=" + query + "; Path=/; HttpOnly; SameSite=Strict");
        }
    }

    private void serveStatic(String name, HttpServletResponse resp) throws IOException {
        if (!STATIC.contains(name)) throw new WebException(404, "no page " + name);
        try (InputStream in = ApiServlet.class.getResourceAsStream("/web/" + name)) {
            if (in == null) throw new WebException(404, "no page " + name);
            String type = name.endsWith(".js") ? "text/javascript" : name.endsWith(".css") ? "text/css" : "text/html";
            resp.setContentType(type + ";charset=utf-8");
            resp.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'");
            in.transferTo(resp.getOutputStream());
        }
    }

    // ------------------------------------------------------------------ GET

    private void get(String path, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String[] p = path.substring(1).split("/");
        switch (p[0]) {
            case "plugins" -> plugins(resp);
            case "roots" -> send(resp, Map.of("roots", roots.list().stream().map(Path::toString).toList()));
            case "files" -> send(resp, files(req.getParameter("path")));
            case "engine-parameters" -> send(resp, specs(engine.parameters()));
            case "datasets" -> getDataset(p, req, resp);
            case "pipelines" -> {
                if (p.length == 1) send(resp, Map.of("pipelines", names("pipeline")));
                else send(resp, pipeline(p[1]));
            }
            case "runs" -> getRun(p, req, resp);
            case "results" -> getResults(p, req, resp);
            case "bundles" -> send(resp, bundles());
            default -> throw new WebException(404, "no API " + path);
        }
    }

    /** Exactly what {@code ltz4d plugins --json} prints. */
    private void plugins(HttpServletResponse resp) throws IOException {
        List<PluginInfo> list = new ArrayList<>(engine.plugins());
        list.addAll(host.extraPlugins());
        resp.setContentType("application/json;charset=utf-8");
        resp.getOutputStream().write((new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(list) + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    private List<String> names(String kind) {
        return engine.plugins().stream().filter(x -> x.kind().equals(kind)).map(PluginInfo::name).distinct().sorted().toList();
    }

    private Map<String, Object> files(String path) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        if (path == null || path.isEmpty()) {
            m.put("path", "");
            m.put("entries", roots.list().stream().map(r -> entry(r, r.toString())).toList());
            return m;
        }
        Path dir = roots.existing(path);
        if (!Files.isDirectory(dir)) throw new WebException(400, "path " + path + " is not a folder");
        List<Map<String, Object>> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path f : ds) {
                if (!f.getFileName().toString().startsWith(".")) entries.add(entry(f, f.getFileName().toString()));
            }
        }
        entries.sort(Comparator.comparing((Map<String, Object> e) -> !(Boolean) e.get("dir")).thenComparing(e -> (String) e.get("name")));
        m.put("path", dir.toString());
        Path parent = dir.getParent();
        boolean parentAllowed = parent != null && roots.list().stream().anyMatch(r -> parent.startsWith(r));
        m.put("parent", parentAllowed && !roots.list().contains(dir) ? parent.toString() : "");
        m.put("entries", entries);
        return m;
    }

    private static Map<String, Object> entry(Path f, String name) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", name);
        e.put("path", f.toString());
        e.put("dir", Files.isDirectory(f));
        try {
            e.put("size", Files.isRegularFile(f) ? Files.size(f) : 0L);
        } catch (IOException ex) {
            e.put("size", 0L);
        }
        return e;
    }

    private OpenDataset dataset(String id) {
        return byId(datasets, id, "no open dataset " + id + " (open it again)");
    }

    private static <T> T byId(Map<Integer, T> all, String id, String missing) {
        T t;
        try {
            t = all.get(Integer.parseInt(id));
        } catch (NumberFormatException e) {
            t = null;
        }
        if (t == null) throw new WebException(404, missing);
        return t;
    }

    private void getDataset(String[] p, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (p.length < 2) throw new WebException(404, "which dataset? /api/datasets/ID");
        OpenDataset d = dataset(p[1]);
        String what = p.length > 2 ? p[2] : "";
        switch (what) {
            case "" -> send(resp, d.describe());
            case "virtual" -> {
                VirtualImages pass = d.virtual(virtualParameters(req));
                if ("true".equals(req.getParameter("wait"))) pass.await();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("done", pass.done.get());
                m.put("total", pass.total);
                m.put("finished", pass.finished());
                m.put("seconds", pass.finished() ? finite(pass.seconds) : (System.nanoTime() - pass.started) / 1e9);
                m.put("first_block_s", finite(pass.firstBlockSeconds));
                m.put("geometry", pass.geometry());
                m.put("parameters", pass.parameters);
                m.put("rows", pass.rows);
                m.put("cols", pass.cols);
                m.put("error", pass.error);
                send(resp, m);
            }
            case "virtual.png" -> {
                VirtualImages r = d.virtual(virtualParameters(req));
                String kind = req.getParameter("kind") == null ? "bf" : req.getParameter("kind");
                png(resp, kind.equals("com") ? Images.vector(r.map("com-x"), r.map("com-y"), r.rows, r.cols)
                        : Images.scalar(r.map(kind), r.rows, r.cols, Images.colorMap(kind.startsWith("com") ? "diverging" : "grey")));
            }
            case "virtual.json" -> {
                VirtualImages r = d.virtual(virtualParameters(req));
                if ("true".equals(req.getParameter("wait"))) r.await();
                String kind = req.getParameter("kind") == null ? "bf" : req.getParameter("kind");
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("kind", kind);
                m.put("map", VirtualImages.KINDS.get(kind));
                m.put("finished", r.finished());
                m.put("rows", r.rows);
                m.put("cols", r.cols);
                m.put("values", r.map(kind)); // NaN as "NaN" where not yet computed
                send(resp, m);
            }
            case "mean.png" -> {
                VirtualImages r = d.virtual(virtualParameters(req)).await();
                png(resp, Images.pattern(r.mean(), r.detRows, r.detCols, log(req), Contrast.of(req)));
            }
            case "frame.png" -> {
                int y = intParam(req, "y", 0, d.rows() - 1);
                int x = intParam(req, "x", 0, d.cols() - 1);
                Contrast contrast = Contrast.of(req);
                boolean log = log(req);
                long t0 = System.nanoTime();
                byte[] png = Images.pattern(d.frame(y, x), d.detRows(), d.detCols(), log, contrast);
                resp.setHeader("Server-Timing", "frame;dur=" + (System.nanoTime() - t0) / 1e6);
                png(resp, png);
            }
            default -> throw new WebException(404, "no dataset view " + what);
        }
    }

    private static boolean log(HttpServletRequest req) {
        String s = req.getParameter("scale");
        if (s == null || s.equals("log")) return true;
        if (s.equals("linear")) return false;
        throw new WebException(400, "parameter 'scale': expected log or linear, got '" + s + "'");
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /**
     * The virtual fitter's parameters from the page's detector geometry (detector px): {@code cx, cy}
     * the centre, {@code bf-radius}, {@code adf-inner, adf-outer}, {@code ring-inner, ring-outer}, and
     * {@code polygon} x1,y1,x2,y2,... of a drawn mask; what is not given the engine places itself.
     */
    static Map<String, String> virtualParameters(HttpServletRequest req) {
        Map<String, String> p = new LinkedHashMap<>();
        double cx = num(req, "cx", Double.NaN), cy = num(req, "cy", Double.NaN);
        if (Double.isFinite(cx) != Double.isFinite(cy)) throw new WebException(400, "parameters 'cx' and 'cy': give both or neither");
        if (Double.isFinite(cx)) p.put("virtual-centre-px", cx + "," + cy);
        double bf = num(req, "bf-radius", Double.NaN);
        if (Double.isFinite(bf)) {
            if (!(bf > 0)) throw new WebException(400, "parameter 'bf-radius': expected a radius > 0 in detector pixels, got " + bf);
            p.put("virtual-bf-px", Double.toString(bf));
        }
        annulus(req, "adf", "virtual-adf-px", p);
        annulus(req, "ring", "virtual-ring-px", p);
        String poly = req.getParameter("polygon");
        if (poly != null && !poly.isBlank()) {
            String[] v = poly.split(",");
            if (v.length < 6 || v.length % 2 != 0) {
                throw new WebException(400, "parameter 'polygon': expected x1,y1,x2,y2,x3,y3,... (at least three vertices, detector pixels), got "
                        + v.length + " numbers");
            }
            for (String x : v) {
                try {
                    if (!Double.isFinite(Double.parseDouble(x.strip()))) throw new NumberFormatException();
                } catch (NumberFormatException e) {
                    throw new WebException(400, "parameter 'polygon': expected numbers (detector pixels), got '" + x + "'");
                }
            }
            p.put("virtual-mask-polygon", poly.replace(" ", ""));
        }
        return p;
    }

    private static void annulus(HttpServletRequest req, String name, String param, Map<String, String> p) {
        double in = num(req, name + "-inner", Double.NaN), out = num(req, name + "-outer", Double.NaN);
        if (Double.isNaN(in) && Double.isNaN(out)) return;
        if (!(in >= 0) || !(out > in)) {
            throw new WebException(400, "parameter '" + name + "-inner': expected a radius in detector pixels in [0, " + name + "-outer), got "
                    + in + " with " + name + "-outer " + out);
        }
        p.put(param, in + "," + out);
    }

    private static double num(HttpServletRequest req, String name, double dflt) {
        String s = req.getParameter(name);
        if (s == null || s.isEmpty()) return dflt;
        try {
            double v = Double.parseDouble(s);
            if (!Double.isFinite(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new WebException(400, "parameter '" + name + "': expected a number (detector pixels), got '" + s + "'");
        }
    }

    private static int intParam(HttpServletRequest req, String name, int min, int max) {
        String s = req.getParameter(name);
        if (s == null) throw new WebException(400, "parameter '" + name + "' is missing: expected an integer in [" + min + ", " + max + "]");
        try {
            int v = Integer.parseInt(s);
            if (v < min || v > max) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new WebException(400, "parameter '" + name + "': expected an integer in [" + min + ", " + max + "], got '" + s + "'");
        }
    }

    private Map<String, Object> pipeline(String name) {
        if (!names("pipeline").contains(name)) {
            throw new WebException(404, "no pipeline named '" + name + "' is active (active: " + String.join(", ", names("pipeline")) + ")");
        }
        List<StageInfo> stages = engine.stages(name);
        Set<String> inStages = new LinkedHashSet<>();
        List<Map<String, Object>> st = new ArrayList<>();
        for (StageInfo s : stages) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("description", s.description());
            m.put("enabledBy", s.enabledBy());
            m.put("plugins", s.plugins());
            m.put("parameters", specs(s.parameters()));
            s.parameters().forEach(x -> inStages.add(x.name()));
            st.add(m);
        }
        List<ParameterSpec> common = engine.pipelineParameters(name, Parameters.empty()).stream().filter(x -> !inStages.contains(x.name())).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("common", specs(common));
        out.put("stages", st);
        return out;
    }

    static List<Map<String, Object>> specs(List<ParameterSpec> specs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ParameterSpec s : specs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("type", s.type().name().toLowerCase(java.util.Locale.ROOT));
            m.put("description", s.description());
            m.put("unit", s.unit() == null ? "" : s.unit().toString());
            m.put("default", s.defaultValue());
            m.put("min", Double.isFinite(s.min()) ? s.min() : null);
            m.put("max", Double.isFinite(s.max()) ? s.max() : null);
            m.put("choices", s.choices());
            out.add(m);
        }
        return out;
    }

    private Run run(String id) {
        return byId(runs, id, "no run " + id);
    }

    private void getRun(String[] p, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (p.length == 1) {
            send(resp, runs.values().stream().map(Run::state).toList());
            return;
        }
        Run r = run(p[1]);
        if (p.length == 2) {
            send(resp, r.state());
        } else if (p[2].equals("events")) {
            events(r, resp);
        } else {
            throw new WebException(404, "no run view " + p[2]);
        }
    }

    /** Server-sent events: the run's state every 250 ms until it ends (the last event carries the end). */
    private void events(Run r, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/event-stream;charset=utf-8");
        OutputStream out = resp.getOutputStream();
        while (true) {
            boolean end = r.finished();
            out.write(("data: " + json.writeValueAsString(r.state()) + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (end) return;
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void getResults(String[] p, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Path file = roots.existing(req.getParameter("path"));
        MapSet maps = withCorrelation(file, engine.readResults(file));
        String what = p.length > 1 ? p[1] : "maps";
        if (what.equals("maps")) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (DataMap d : maps.maps()) {
                if (d.shape().rank() != 2) continue;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("map", d.path());
                m.put("shape", d.shape().toArray());
                m.put("unit", d.unit().toString());
                m.put("description", d.description());
                list.add(m);
            }
            for (String wheel : wheels(maps)) list.add(Map.of("map", wheel, "shape", maps.require(wheel.replace("/wheel", "/" + wheelPair(maps, wheel)[0])).shape().toArray(), "unit", "colour wheel", "description", "direction and magnitude in the colour wheel"));
            send(resp, Map.of("path", file.toString(), "maps", list));
        } else if (what.equals("map.png")) {
            String name = req.getParameter("map");
            if (name == null) throw new WebException(400, "parameter 'map' is missing: expected a map path of the results file");
            if (name.endsWith("/wheel")) {
                String[] pair = wheelPair(maps, name);
                if (pair == null) throw new WebException(404, "no vector pair for " + name + " in " + file);
                String g = name.substring(0, name.length() - "/wheel".length());
                DataMap x = maps.require(g + "/" + pair[0]), y = maps.require(g + "/" + pair[1]);
                png(resp, Images.vector(x.toArray(), y.toArray(), x.shape().dim(0), x.shape().dim(1)));
            } else {
                DataMap d = maps.get(name).orElseThrow(() -> new WebException(404, "no map " + name + " in " + file));
                if (d.shape().rank() != 2) throw new WebException(400, "map " + name + " is not two-dimensional");
                png(resp, Images.scalar(d.toArray(), d.shape().dim(0), d.shape().dim(1), Images.colorMap(req.getParameter("cmap"))));
            }
        } else if (what.equals("map.svg")) {
            String name = req.getParameter("map");
            if (name == null) throw new WebException(400, "parameter 'map' is missing: expected a map path of the results file");
            boolean overlay = !"false".equals(req.getParameter("overlay"));
            String svg;
            if (name.endsWith("/wheel")) {
                String[] pair = wheelPair(maps, name);
                if (pair == null) throw new WebException(404, "no vector pair for " + name + " in " + file);
                String g = name.substring(0, name.length() - "/wheel".length());
                DataMap x = maps.require(g + "/" + pair[0]), y = maps.require(g + "/" + pair[1]);
                int rows = x.shape().dim(0), cols = x.shape().dim(1);
                float[] vx = x.toArray(), vy = y.toArray();
                svg = SvgMap.wheel(name + " — " + file, Images.vector(vx, vy, rows, cols), Images.wheelLegend(), rows, cols,
                        Images.fullMagnitude(vx, vy), x.unit().toString(), overlay ? new SvgMap.Overlay(true, vx, vy) : null);
            } else {
                DataMap d = maps.get(name).orElseThrow(() -> new WebException(404, "no map " + name + " in " + file));
                if (d.shape().rank() != 2) throw new WebException(400, "map " + name + " is not two-dimensional");
                org.ltz4d.render.ColorMap cmap = Images.colorMap(req.getParameter("cmap"));
                float[] v = d.toArray();
                int rows = d.shape().dim(0), cols = d.shape().dim(1);
                SvgMap.Overlay sticks = null;
                if (overlay && name.startsWith("strain/") && maps.contains("strain/angle_ten_deg") && maps.contains("strain/e_ten")) {
                    sticks = new SvgMap.Overlay(false, maps.require("strain/angle_ten_deg").toArray(), maps.require("strain/e_ten").toArray());
                }
                svg = SvgMap.scalar(name + " — " + file, Images.scalar(v, rows, cols, cmap), rows, cols, cmap, Images.range(v, cmap),
                        d.unit().toString(), sticks);
            }
            resp.setContentType("image/svg+xml;charset=utf-8");
            resp.setHeader("Content-Disposition", "attachment; filename=\"" + name.replace('/', '_') + ".svg\"");
            resp.getOutputStream().write(svg.getBytes(StandardCharsets.UTF_8));
        } else if (what.equals("report.html")) {
            Path report = file.resolveSibling(REPORT_FILE);
            if (!Files.isRegularFile(report)) throw new WebException(404, "no report beside " + file + " (make it with POST /api/report)");
            resp.setContentType("text/html;charset=utf-8");
            resp.setHeader("Content-Disposition", "attachment; filename=\"report.html\"");
            resp.setHeader("Content-Security-Policy", "sandbox");
            Files.copy(report, resp.getOutputStream());
        } else if (what.equals("values")) {
            String name = req.getParameter("map");
            if (name == null) throw new WebException(400, "parameter 'map' is missing: expected a map path of the results file");
            DataMap d = maps.get(name).orElseThrow(() -> new WebException(404, "no map " + name + " in " + file));
            if (d.shape().rank() != 2) throw new WebException(400, "map " + name + " is not two-dimensional");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("map", d.path());
            m.put("rows", d.shape().dim(0));
            m.put("cols", d.shape().dim(1));
            m.put("unit", d.unit().toString());
            m.put("values", d.toArray()); // NaN as "NaN"
            send(resp, m);
        } else {
            throw new WebException(404, "no results view " + what);
        }
    }

    /** The maps of a results file with those of {@code correlation.h5} beside it (correlation outputs), when there is one. */
    private MapSet withCorrelation(Path results, MapSet maps) {
        Path corr = results.resolveSibling(CORRELATION_FILE);
        if (corr.equals(results) || !Files.isRegularFile(corr)) return maps;
        MapSet out = maps;
        for (DataMap m : engine.readResults(corr).maps()) if (!out.contains(m.path())) out = out.with(m);
        return out;
    }

    /** Groups holding an x and a y map of one shape (deflection, B...): shown in the colour wheel as GROUP/wheel. */
    private static List<String> wheels(MapSet maps) {
        Set<String> out = new LinkedHashSet<>();
        for (String k : maps.paths()) {
            int slash = k.lastIndexOf('/');
            if (slash > 0) {
                String w = k.substring(0, slash) + "/wheel";
                if (wheelPair(maps, w) != null) out.add(w);
            }
        }
        return List.copyOf(out);
    }

    private static String[] wheelPair(MapSet maps, String wheel) {
        String g = wheel.substring(0, wheel.length() - "/wheel".length());
        String[] found = null;
        for (String k : maps.paths()) {
            if (!k.startsWith(g + "/") || maps.require(k).shape().rank() != 2) continue;
            String leaf = k.substring(g.length() + 1);
            if (leaf.contains("/")) continue;
            if (leaf.endsWith("x") && maps.get(g + "/" + leaf.substring(0, leaf.length() - 1) + "y").isPresent()) {
                return new String[] {leaf, leaf.substring(0, leaf.length() - 1) + "y"}; // Bx, By: preferred
            }
            String other = leaf.replaceFirst("_x(_|$)", "_y$1");
            if (found == null && !other.equals(leaf) && maps.get(g + "/" + other).isPresent()) found = new String[] {leaf, other};
        }
        return found;
    }

    private List<Map<String, Object>> bundles() {
        List<PluginInfo> plugins = new ArrayList<>(engine.plugins());
        plugins.addAll(host.extraPlugins());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() == null || !b.getSymbolicName().startsWith("org.") || b.getBundleId() == 0) continue;
            List<String> provides = plugins.stream().filter(x -> x.bundle().equals(b.getSymbolicName())).map(x -> x.kind() + " " + x.name()).toList();
            if (provides.isEmpty() && !b.getSymbolicName().startsWith("org.ltz4d") && b.getHeaders().get("Ltz4d-Plugin") == null) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", b.getBundleId());
            m.put("bundle", b.getSymbolicName());
            m.put("version", b.getVersion().toString());
            m.put("state", PluginInfo.stateName(b.getState()));
            m.put("provides", provides);
            m.put("core", CORE.contains(b.getSymbolicName()));
            out.add(m);
        }
        return out;
    }

    // ------------------------------------------------------------------ POST

    private void post(String path, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String[] p = path.substring(1).split("/");
        switch (p[0]) {
            case "datasets" -> {
                if (p.length == 1) send(resp, openDataset(body(req)));
                else if (p.length == 3 && p[2].equals("close")) {
                    OpenDataset d = dataset(p[1]);
                    datasets.remove(d.id);
                    d.close();
                    send(resp, Map.of("closed", d.id));
                } else throw new WebException(404, "no API " + path);
            }
            case "runs" -> {
                if (p.length == 1) send(resp, startRun(body(req)));
                else if (p.length == 3 && p[2].equals("cancel")) {
                    Run r = run(p[1]);
                    r.cancel();
                    send(resp, r.state());
                } else throw new WebException(404, "no API " + path);
            }
            case "bundles" -> send(resp, postBundle(p, req));
            case "correlate" -> send(resp, correlate(body(req)));
            case "report" -> send(resp, report(body(req)));
            default -> throw new WebException(404, "no API " + path);
        }
    }

    private JsonNode body(HttpServletRequest req) throws IOException {
        byte[] b = req.getInputStream().readNBytes(1 << 20);
        try {
            JsonNode n = json.readTree(b);
            if (n == null || !n.isObject()) throw new WebException(400, "the request body: a JSON object is expected");
            return n;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new WebException(400, "the request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static Parameters parameters(JsonNode n, String field) {
        Map<String, String> m = new LinkedHashMap<>();
        JsonNode o = n.get(field);
        if (o == null || o.isNull()) return Parameters.empty();
        if (!o.isObject()) throw new WebException(400, "field '" + field + "': an object of name → value is expected");
        o.fields().forEachRemaining(e -> {
            String v = e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString();
            if (!v.isEmpty()) m.put(e.getKey(), v);
        });
        return Parameters.of(m);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) throw new WebException(400, "field '" + field + "' is missing: a text is expected");
        return v.asText();
    }

    private Map<String, Object> openDataset(JsonNode body) {
        Path file = roots.existing(text(body, "path"));
        if (!Files.isRegularFile(file)) throw new WebException(400, "path " + file + " is not a file");
        Parameters options = parameters(body, "options");
        for (String name : options.asMap().keySet()) {
            engine.parameters().stream().filter(s -> s.name().equals(name)).findFirst()
                    .ifPresent(s -> s.check(options.asMap().get(name)));
        }
        DatasetInfo info = engine.info(file, options, false, ProgressListener.NONE);
        if (info.navShape().rank() != 2 || info.sigShape().rank() != 2) {
            throw new WebException(400, "file " + file + ": a 4D dataset (scan_y, scan_x, det_y, det_x) is expected, got scan "
                    + info.navList() + " and detector " + info.sigList());
        }
        OpenDataset d = new OpenDataset(ids.incrementAndGet(), engine, engine.open(file, options), info, options);
        datasets.put(d.id, d);
        while (datasets.size() > 4) {
            int oldest = datasets.keySet().stream().mapToInt(Integer::intValue).min().getAsInt();
            OpenDataset o = datasets.remove(oldest);
            if (o != null) o.close();
        }
        return d.describe();
    }

    static Map<String, Object> calibration(Calibration c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("beam-kv", c.beamKv().isPresent() ? c.beamKv().getAsDouble() : null);
        m.put("detector-pixel", c.detectorPixel().map(Object::toString).orElse(null));
        m.put("scan-step-y-nm", c.scanStepYNm().isPresent() ? c.scanStepYNm().getAsDouble() : null);
        m.put("scan-step-x-nm", c.scanStepXNm().isPresent() ? c.scanStepXNm().getAsDouble() : null);
        m.put("camera-length-mm", c.cameraLengthMm().isPresent() ? c.cameraLengthMm().getAsDouble() : null);
        m.put("scan-rotation-deg", c.scanRotationDeg());
        m.put("transpose", c.transpose());
        return m;
    }

    private Map<String, Object> startRun(JsonNode body) {
        String pipeline = text(body, "pipeline");
        if (!names("pipeline").contains(pipeline)) {
            throw new WebException(400, "field 'pipeline': no pipeline named '" + pipeline + "' is active (active: "
                    + String.join(", ", names("pipeline")) + ")");
        }
        Path input = roots.existing(text(body, "path"));
        Parameters params = parameters(body, "parameters");
        Map<String, ParameterSpec> known = new LinkedHashMap<>();
        for (ParameterSpec s : engine.pipelineParameters(pipeline, params)) known.putIfAbsent(s.name(), s);
        for (Map.Entry<String, String> e : params.asMap().entrySet()) {
            ParameterSpec s = known.get(e.getKey());
            if (s == null) throw new WebException(400, "parameter '" + e.getKey() + "' is not a parameter of pipeline '" + pipeline + "'");
            if (s.type() == ParameterSpec.Type.FILE) roots.existing(e.getValue());
            s.check(e.getValue());
        }
        JsonNode outNode = body.get("out");
        Path out = outNode != null && outNode.isTextual() && !outNode.asText().isBlank() ? roots.writable(outNode.asText())
                : roots.writable(input.resolveSibling("ltz4d-web-" + pipeline + "-" + (runs.size() + 1)).toString());
        AnalysisRequest request = new AnalysisRequest(input, pipeline, params, out);
        StringBuilder cli = new StringBuilder("ltz4d analyze ").append(shell(input.toString())).append(" --pipeline ").append(shell(pipeline));
        params.asMap().forEach((k, v) -> {
            ParameterSpec s = known.get(k);
            if (s != null && s.type() == ParameterSpec.Type.BOOLEAN) {
                if (Boolean.parseBoolean(v)) cli.append(" --").append(k);
            } else {
                cli.append(" --").append(k).append(' ').append(shell(v));
            }
        });
        cli.append(" --out ").append(shell(out.toString()));
        Run r = new Run(ids.incrementAndGet(), request, cli.toString());
        runs.put(r.id, r);
        runner.submit(() -> r.execute(engine));
        return r.state();
    }

    /** Runs the correlators through the engine on a results file; {@code correlation.h5} is written beside it. */
    private Map<String, Object> correlate(JsonNode body) {
        Path results = roots.existing(text(body, "path"));
        Path dir = roots.writable(results.getParent().toString());
        List<String> active = names("correlator");
        List<String> wanted = new ArrayList<>();
        JsonNode list = body.get("correlators");
        if (list != null && list.isArray()) list.forEach(n -> wanted.add(n.asText()));
        else CORRELATORS.stream().filter(active::contains).forEach(wanted::add);
        for (String c : wanted) {
            if (!active.contains(c)) {
                throw new WebException(400, "field 'correlators': no correlator named '" + c + "' is active (active: " + String.join(", ", active) + ")");
            }
        }
        if (wanted.isEmpty()) throw new WebException(422, "no correlator is active (install or start the correlation bundle)");
        Parameters params = parameters(body, "parameters");
        var summary = engine.correlate(results, wanted, params, dir, CORRELATION_FILE, ProgressListener.NONE);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("results", summary.results().toString());
        m.put("correlators", wanted);
        m.put("warnings", summary.warnings());
        m.put("seconds", summary.seconds());
        return m;
    }

    /** Writes {@code report.html} beside a results file through the installed report service (the one {@code ltz4d report} uses). */
    private Map<String, Object> report(JsonNode body) {
        Path results = roots.existing(text(body, "path"));
        Path dir = roots.writable(results.getParent().toString());
        String name = body.has("report") ? body.get("report").asText() : "html";
        try {
            var refs = context.getServiceReferences(org.ltz4d.api.analysis.Report.class, null);
            for (var ref : refs) {
                org.ltz4d.api.analysis.Report r = context.getService(ref);
                if (r == null) continue;
                try {
                    if (!r.name().equals(name)) continue;
                    long t0 = System.nanoTime();
                    Path written = r.write(dir, dir.resolve(REPORT_FILE));
                    return Map.of("report", written.toString(), "seconds", (System.nanoTime() - t0) / 1e9);
                } finally {
                    context.ungetService(ref);
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        throw new WebException(422, "no report named '" + name + "' is installed (the correlation bundle provides 'html')");
    }

    private static String shell(String s) {
        return s.matches("[A-Za-z0-9_./:,=+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    private Object postBundle(String[] p, HttpServletRequest req) throws IOException {
        if (p.length == 2 && (p[1].equals("install") || p[1].equals("update"))) {
            Path jar = upload(req);
            try {
                Bundle b = p[1].equals("install") ? host.install(jar) : host.update(jar);
                return Map.of("bundle", b.getSymbolicName(), "version", b.getVersion().toString(), "state", PluginInfo.stateName(b.getState()));
            } finally {
                Files.deleteIfExists(jar);
            }
        }
        if (p.length != 3) throw new WebException(404, "no API /bundles/" + String.join("/", p));
        Bundle b;
        try {
            b = context.getBundle(Long.parseLong(p[1]));
        } catch (NumberFormatException e) {
            b = null;
        }
        if (b == null) throw new WebException(404, "no bundle with id " + p[1]);
        if (b.getBundleId() == 0 || b.equals(context.getBundle()) || CORE.contains(b.getSymbolicName())) {
            throw new WebException(403, "bundle " + b.getSymbolicName() + " cannot be changed from the page (the workbench runs on it)");
        }
        try {
            switch (p[2]) {
                case "start" -> b.start();
                case "stop" -> b.stop();
                case "uninstall" -> host.uninstall(b.getSymbolicName());
                default -> throw new WebException(404, "no bundle action " + p[2] + " (start, stop, uninstall)");
            }
        } catch (BundleException e) {
            throw new WebException(422, "bundle " + b.getSymbolicName() + ": " + e.getMessage());
        }
        return Map.of("bundle", b.getSymbolicName(), "state", PluginInfo.stateName(b.getState()));
    }

    /** The request body as a temporary jar, refused beyond the size limit or without a bundle manifest. */
    private Path upload(HttpServletRequest req) throws IOException {
        if (req.getContentLengthLong() > maxUpload) throw new WebException(413, "the upload is larger than " + maxUpload + " bytes");
        Path tmp = Files.createTempFile("ltz4d-upload", ".jar");
        try (InputStream in = req.getInputStream()) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxUpload + 1));
            if (b.length > maxUpload) throw new WebException(413, "the upload is larger than " + maxUpload + " bytes");
            Files.write(tmp, b);
            try (JarInputStream jar = new JarInputStream(Files.newInputStream(tmp))) {
                Manifest mf = jar.getManifest();
                if (mf == null || mf.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                    throw new WebException(400, "the upload is not an OSGi bundle (a jar whose manifest has Bundle-SymbolicName is expected)");
                }
            }
            return tmp;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            if (e instanceof WebException w) throw w;
            throw new WebException(400, "the upload is not a jar: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ answers

    private void send(HttpServletResponse resp, Object body) throws IOException {
        resp.setContentType("application/json;charset=utf-8");
        resp.getOutputStream().write(json.writeValueAsBytes(body));
    }

    private static void png(HttpServletResponse resp, byte[] png) throws IOException {
        resp.setContentType("image/png");
        resp.setContentLength(png.length);
        resp.getOutputStream().write(png);
    }

    private void error(HttpServletResponse resp, int status, String message) throws IOException {
        if (resp.isCommitted()) return;
        resp.resetBuffer();
        resp.setStatus(status);
        send(resp, Map.of("error", message == null ? "error" : message));
    }
}
