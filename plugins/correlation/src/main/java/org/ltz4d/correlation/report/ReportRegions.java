package org.ltz4d.correlation.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.render.Png;

/**
 * The regions of a report: each {@code DIR/regions/NAME/correlation.h5} written by the
 * {@code region-stats} correlator (through {@code ltz4d report --roi/--mask/--region}, or
 * {@code correlate --roi/--mask --out DIR/regions/NAME}) gives the region ({@code
 * /correlation/region_mask}, with its spec) and its table (mean, std, N, SEM of every map, from the
 * run's provenance summary). The report compares them in one table, lists each region's
 * statistics and histogram for every map, and outlines them on its map thumbnails.
 */
final class ReportRegions {
    static final String FOLDER = "regions";
    static final String MASK = "/correlation/region_mask";
    private static final String PREFIX = "region-stats.";
    /** Outline colours, one per region in order (RGB). */
    private static final int[] COLOURS = {0xE41A1C, 0x00B4FF, 0xFF00FF, 0xFF8C00, 0x00D000, 0xFFE000, 0x8000FF, 0x00FFC0};

    /** One region: its name, spec, membership (row-major), table per map path (mean, std, n, sem, unit, sem_source) and colour. */
    record Region(String name, String spec, int rows, int cols, boolean[] inside, Map<String, Map<String, Object>> table, int colour) {
        long size() {
            long n = 0;
            for (boolean b : inside) if (b) n++;
            return n;
        }
    }

    private ReportRegions() {
    }

    /** The regions under {@code dir/regions}, by name; none when there is no such folder. */
    static List<Region> read(Path dir, java.util.function.Function<Path, HtmlReport.FileInfo> reader) {
        Path root = dir.resolve(FOLDER);
        if (!Files.isDirectory(root)) return List.of();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) if (Files.isRegularFile(p.resolve("correlation.h5"))) files.add(p.resolve("correlation.h5"));
        } catch (IOException e) {
            throw new InvalidInputException(root, "regions", "a readable folder of regions", e.toString(), e);
        }
        files.sort(Comparator.comparing(p -> p.getParent().getFileName().toString()));
        List<Region> out = new ArrayList<>();
        for (Path f : files) {
            HtmlReport.FileInfo info = reader.apply(f);
            HtmlReport.DatasetInfo mask = info.datasets().stream().filter(d -> d.path().equals(MASK)).findFirst().orElse(null);
            if (mask == null || mask.values() == null || mask.dims().length != 2) {
                throw new InvalidInputException(f, MASK, "the region written by region-stats (correlate or report with --roi/--mask)",
                        "no 2-D " + MASK);
            }
            boolean[] in = new boolean[mask.values().length];
            for (int i = 0; i < in.length; i++) in[i] = mask.values()[i] == 1;
            Object spec = mask.attributes().get("region");
            out.add(new Region(f.getParent().getFileName().toString(), spec == null ? "?" : HtmlReport.text(spec), mask.dims()[0], mask.dims()[1],
                    in, table(info, f), COLOURS[out.size() % COLOURS.length]));
        }
        return out;
    }

    /** The region-stats entries of the file's provenance summary, per map path. */
    private static Map<String, Map<String, Object>> table(HtmlReport.FileInfo info, Path f) {
        Object prov = info.root().get("provenance");
        Map<String, Map<String, Object>> t = new LinkedHashMap<>();
        if (prov == null) return t;
        Object parsed;
        try {
            parsed = Json.parse(HtmlReport.text(prov));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(f, "provenance", "valid JSON with the region-stats summary", e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> pm) || !(pm.get("summary") instanceof Map<?, ?> summary)) return t;
        for (Map.Entry<?, ?> e : summary.entrySet()) {
            String k = String.valueOf(e.getKey());
            if (!k.startsWith(PREFIX)) continue;
            int dot = k.lastIndexOf('.');
            if (dot <= PREFIX.length()) continue;
            t.computeIfAbsent(k.substring(PREFIX.length(), dot), x -> new LinkedHashMap<>()).put(k.substring(dot + 1), e.getValue());
        }
        return t;
    }

    /** The comparison table and each region's statistics and histograms, for the maps of {@code results}. */
    static void render(StringBuilder b, List<Region> regions, HtmlReport.FileInfo results) {
        if (regions.isEmpty()) return;
        b.append("<h2 id=\"regions\">Regions</h2>\n<table><tr><th>region</th><th>outline</th><th>selection</th><th>positions</th></tr>\n");
        for (Region r : regions) {
            b.append("<tr><td>").append(HtmlReport.esc(r.name())).append("</td><td><span style=\"display:inline-block;width:2em;height:1em;background:#")
                    .append(String.format("%06X", r.colour())).append("\"></span></td><td><code>").append(HtmlReport.esc(r.spec()))
                    .append("</code></td><td class=\"num\">").append(r.size()).append(" of ").append(r.inside().length).append("</td></tr>\n");
        }
        b.append("</table>\n<p>Outlines are drawn on the map thumbnails. Mean, standard deviation and N over the positions of the region "
                + "with a value; the standard error of the mean (SEM) is √(Σσᵢ²)/N from the map's <code>/uncertainty/…</code> map when "
                + "the results have one, otherwise std/√N (assumes independent positions): hover over a SEM for its source.</p>\n");
        Set<String> maps = new LinkedHashSet<>();
        for (Region r : regions) maps.addAll(r.table().keySet());
        b.append("<h3>Comparison (region-stats)</h3>\n<table><tr><th>map</th><th>unit</th>");
        for (Region r : regions) b.append("<th colspan=\"4\">").append(HtmlReport.esc(r.name())).append("</th>");
        b.append("</tr>\n<tr><th></th><th></th>");
        for (int i = 0; i < regions.size(); i++) b.append("<th>mean</th><th>SEM</th><th>std</th><th>N</th>");
        b.append("</tr>\n");
        for (String m : maps) {
            String unit = "";
            for (Region r : regions) if (r.table().containsKey(m)) unit = String.valueOf(r.table().get(m).getOrDefault("unit", ""));
            b.append("<tr><td><code>").append(HtmlReport.esc(m)).append("</code></td><td>").append(HtmlReport.esc(unit)).append("</td>");
            for (Region r : regions) {
                Map<String, Object> s = r.table().getOrDefault(m, Map.of());
                b.append("<td class=\"num\">").append(num(s.get("mean"))).append("</td><td class=\"num\" title=\"")
                        .append(HtmlReport.esc(String.valueOf(s.getOrDefault("sem_source", "")))).append("\">").append(num(s.get("sem")))
                        .append("</td><td class=\"num\">").append(num(s.get("std"))).append("</td><td class=\"num\">").append(num(s.get("n")))
                        .append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
        for (Region r : regions) {
            b.append("<h3 id=\"region-").append(HtmlReport.esc(r.name())).append("\">Region ").append(HtmlReport.esc(r.name())).append(": ")
                    .append(HtmlReport.esc(r.spec())).append("</h3>\n<table><tr><th>map</th><th>unit</th><th>N</th><th>mean</th><th>SEM</th><th>std</th>")
                    .append("<th>min</th><th>median</th><th>95th percentile</th><th>max</th><th>histogram (1st–99th percentile of the region, 40 bins)</th></tr>\n");
            for (HtmlReport.DatasetInfo d : results.datasets()) {
                if (!matches(d, r) || d.integer() || d.path().startsWith("/uncertainty/")) continue;
                double[] v = within(d.values(), r.inside());
                double[] st = HtmlReport.stats(v);
                Map<String, Object> s = r.table().getOrDefault(d.path().substring(1), Map.of());
                Object unit = d.attributes().get("unit");
                b.append("<tr><td><code>").append(HtmlReport.esc(d.path())).append("</code></td><td>")
                        .append(HtmlReport.esc(unit == null ? "" : HtmlReport.text(unit))).append("</td><td class=\"num\">").append((long) st[0])
                        .append("</td><td class=\"num\">").append(num(s.get("mean"))).append("</td><td class=\"num\">").append(num(s.get("sem")))
                        .append("</td><td class=\"num\">").append(num(s.get("std"))).append("</td><td class=\"num\">")
                        .append(HtmlReport.esc(HtmlReport.fmt(st[1]))).append("</td><td class=\"num\">").append(HtmlReport.esc(HtmlReport.fmt(st[3])))
                        .append("</td><td class=\"num\">").append(HtmlReport.esc(HtmlReport.fmt(st[4]))).append("</td><td class=\"num\">")
                        .append(HtmlReport.esc(HtmlReport.fmt(st[2]))).append("</td><td>");
                String h = histogram(v, r.colour());
                if (h != null) b.append("<img alt=\"histogram of ").append(HtmlReport.esc(d.path())).append(" in ").append(HtmlReport.esc(r.name()))
                        .append("\" src=\"data:image/png;base64,").append(h).append("\">");
                b.append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
    }

    private static boolean matches(HtmlReport.DatasetInfo d, Region r) {
        return d.values() != null && d.dims().length == 2 && d.dims()[0] == r.rows() && d.dims()[1] == r.cols();
    }

    /** The values inside the region. */
    static double[] within(double[] v, boolean[] in) {
        int n = 0;
        for (boolean b : in) if (b) n++;
        double[] out = new double[n];
        int k = 0;
        for (int i = 0; i < v.length; i++) if (in[i]) out[k++] = v[i];
        return out;
    }

    /** A 1-D histogram of the finite values (40 bins over their 1st–99th percentile) as a base64 PNG; null without two distinct values. */
    static String histogram(double[] v, int colour) {
        double[] f = Arrays.stream(v).filter(Double::isFinite).sorted().toArray();
        if (f.length < 2) return null;
        double lo = HtmlReport.pct(f, 1), hi = HtmlReport.pct(f, 99);
        if (!(hi > lo)) return null;
        int bins = 40, w = 4 * bins, h = 48;
        int[] c = new int[bins];
        for (double x : f) {
            int i = (int) Math.floor((x - lo) / (hi - lo) * bins);
            if (i >= 0 && i < bins) c[i]++;
            else if (x == hi) c[bins - 1]++;
        }
        int max = Arrays.stream(c).max().orElse(1);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setColor(new Color(colour));
            for (int i = 0; i < bins; i++) {
                int bh = (int) Math.round((h - 1) * (double) c[i] / max);
                g.fillRect(4 * i, h - bh, 3, bh);
            }
        } finally {
            g.dispose();
        }
        return Base64.getEncoder().encodeToString(Png.encode(img));
    }

    /** Draws each region's outline (its pixels with a 4-neighbour outside it or on the border) on a map image of its shape. */
    static void outline(BufferedImage img, List<Region> regions) {
        for (Region r : regions) {
            if (img.getWidth() != r.cols() || img.getHeight() != r.rows()) continue;
            boolean[] in = r.inside();
            int rows = r.rows(), cols = r.cols();
            for (int y = 0; y < rows; y++) for (int x = 0; x < cols; x++) {
                if (!in[y * cols + x]) continue;
                boolean edge = y == 0 || x == 0 || y == rows - 1 || x == cols - 1 || !in[(y - 1) * cols + x] || !in[(y + 1) * cols + x]
                        || !in[y * cols + x - 1] || !in[y * cols + x + 1];
                if (edge) img.setRGB(x, y, r.colour());
            }
        }
    }

    private static String num(Object o) {
        if (o == null) return "";
        if (o instanceof Number n) return HtmlReport.esc(HtmlReport.fmt(n.doubleValue()));
        return HtmlReport.esc(String.valueOf(o));
    }
}
