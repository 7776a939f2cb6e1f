package org.ltz4d.correlation.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.render.LabelMap;
import org.ltz4d.render.ColorMap;
import org.ltz4d.render.MapImage;
import org.ltz4d.render.Png;
import org.ltz4d.render.Range;
import org.ltz4d.results.ResultsFile;

/**
 * One self-contained HTML page for an analysis folder ({@code ltz4d report DIR}): the
 * provenance of every result file ({@code results.h5}, {@code correlation.h5}, any other
 * {@code *.h5}) with its parameters, calibration, run summary and warnings; the failed positions
 * ({@code /fit/mask}) and fit statistics ({@code /fit/chi2_reduced}); every dataset with its shape,
 * unit, description, attributes, value statistics and, for 2D maps, a thumbnail; and every figure
 * ({@code *.png}, {@code *.svg}) of the folder, embedded as base64 data URIs; the regions of
 * {@code DIR/regions/NAME/correlation.h5} ({@link ReportRegions}: a comparison table, each region's
 * statistics and histograms, outlines on the maps). Written as
 * {@code DIR/report.html} atomically (a temporary name, then a move).
 */
public final class HtmlReport {

    /** File name of the report inside the folder. */
    public static final String FILE_NAME = "report.html";
    /** Datasets with more values than this are listed without statistics or thumbnail. */
    private static final long MAX_VALUES = 8_000_000L;

    private HtmlReport() {
    }

    /**
     * Writes {@code resultsDir/report.html} and returns its path.
     *
     * @throws InvalidInputException naming the folder when it does not exist or holds no result file
     * @throws CorruptFileException naming the file when a result file cannot be read
     */
    public static Path write(Path resultsDir) {
        if (resultsDir == null || !Files.isDirectory(resultsDir)) {
            throw new InvalidInputException(resultsDir, "folder", "an analysis folder with results.h5 or correlation.h5", "no such folder");
        }
        List<Path> h5 = list(resultsDir, ".h5");
        if (h5.isEmpty()) {
            throw new InvalidInputException(resultsDir, "results.h5", "an analysis folder with results.h5 or correlation.h5", "no *.h5 file");
        }
        h5.sort(Comparator.comparingInt(HtmlReport::rank).thenComparing(p -> p.getFileName().toString()));
        List<Path> figures = list(resultsDir, ".png");
        figures.addAll(list(resultsDir, ".svg"));
        figures.sort(Comparator.comparing(p -> p.getFileName().toString()));
        String html = render(resultsDir, h5, figures);
        Path target = resultsDir.resolve(FILE_NAME);
        Path tmp = resultsDir.resolve("." + FILE_NAME + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
        try {
            Files.writeString(tmp, html, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error is the one to report
            }
            throw new InvalidInputException(target, FILE_NAME, "a writable analysis folder", e.toString(), e);
        }
        return target;
    }

    private static int rank(Path p) {
        String n = p.getFileName().toString();
        return n.equals("results.h5") ? 0 : n.equals("correlation.h5") ? 1 : 2;
    }

    private static List<Path> list(Path dir, String suffix) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (Files.isRegularFile(p) && n.toLowerCase(Locale.ROOT).endsWith(suffix) && !n.startsWith(".")) out.add(p);
            }
        } catch (IOException e) {
            throw new InvalidInputException(dir, "folder", "a readable analysis folder", e.toString(), e);
        }
        return out;
    }

    // ---------------------------------------------------------------- model

    record DatasetInfo(String path, int[] dims, String type, Map<String, Object> attributes, double[] values,
            boolean integer) {
    }

    record FileInfo(Path file, Map<String, Object> root, List<DatasetInfo> datasets) {
    }

    /** What an unreadable attribute shows instead of its value. */
    private static final java.util.function.Function<RuntimeException, Object> UNREADABLE = e -> "(unreadable: " + e.getMessage() + ")";

    /** Every dataset of the file (values of numeric ones up to {@link #MAX_VALUES}), through the shared results reader. */
    static FileInfo read(Path file) {
        try {
            List<DatasetInfo> ds = new ArrayList<>();
            Map<String, Object> root = ResultsFile.read(file, UNREADABLE, d -> {
                Class<?> t = d.javaType();
                double[] values = null;
                if (d.isNumeric() && !d.isEmpty() && d.size() <= MAX_VALUES) values = flat(d.values());
                ds.add(new DatasetInfo(d.path(), d.dims(), t == null ? "?" : t.getSimpleName(), d.attributes(UNREADABLE), values,
                        d.isInteger()));
            });
            ds.sort(Comparator.comparing(DatasetInfo::path));
            return new FileInfo(file, root, ds);
        } catch (RuntimeException e) {
            throw new CorruptFileException(file, "HDF5 structure", "a readable HDF5 results file", e.toString(), e);
        }
    }

    private static double[] flat(Object o) {
        if (o instanceof Number num) return new double[] {num.doubleValue()};
        if (o == null || !o.getClass().isArray()) return null;
        int n = Array.getLength(o);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            Object e = Array.get(o, i);
            if (!(e instanceof Number num)) return null;
            v[i] = num.doubleValue();
        }
        return v;
    }

    // ---------------------------------------------------------------- rendering

    private static String render(Path dir, List<Path> h5, List<Path> figures) {
        List<FileInfo> files = new ArrayList<>();
        for (Path p : h5) files.add(read(p));
        List<ReportRegions.Region> regions = ReportRegions.read(dir, HtmlReport::read);
        StringBuilder b = new StringBuilder(1 << 20);
        String title = "ltz4d report: " + dir.toAbsolutePath().normalize().getFileName();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title)).append("</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:1400px;color:#222}")
                .append("h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}")
                .append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.25em .5em;vertical-align:top;text-align:left;font-size:.9em}")
                .append("th{background:#f4f4f4}img.thumb{width:220px;image-rendering:pixelated;border:1px solid #999}")
                .append("figure{display:inline-block;margin:1em;vertical-align:top;max-width:100%}figure img{max-width:100%;border:1px solid #ccc}")
                .append("figcaption{font-size:.9em;color:#444}pre{background:#f8f8f8;padding:.5em;overflow:auto;font-size:.8em}")
                .append(".warn{color:#a00}.num{text-align:right;font-variant-numeric:tabular-nums}</style></head><body>\n");
        b.append("<h1>").append(esc(title)).append("</h1>\n<p>Folder <code>").append(esc(dir.toAbsolutePath().normalize().toString()))
                .append("</code>; report written ").append(esc(Instant.now().toString())).append(".</p>\n");
        // contents
        b.append("<ul>");
        for (FileInfo f : files) {
            String n = f.file().getFileName().toString();
            b.append("<li><a href=\"#file-").append(esc(n)).append("\">").append(esc(n)).append("</a>: ")
                    .append(f.datasets().size()).append(" datasets</li>");
        }
        if (!regions.isEmpty()) b.append("<li><a href=\"#regions\">Regions</a>: ").append(regions.size()).append("</li>");
        b.append("<li><a href=\"#figures\">Figures</a>: ").append(figures.size()).append("</li></ul>\n");
        summary(b, files);
        if (!regions.isEmpty()) ReportRegions.render(b, regions, files.get(0));
        for (FileInfo f : files) file(b, f, regions);
        b.append("<h2 id=\"figures\">Figures</h2>\n");
        if (figures.isEmpty()) b.append("<p>No figures in the folder.</p>\n");
        for (Path p : figures) {
            String n = p.getFileName().toString();
            String media = n.toLowerCase(Locale.ROOT).endsWith(".svg") ? "image/svg+xml" : "image/png";
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(p);
            } catch (IOException e) {
                throw new InvalidInputException(p, "figure", "a readable figure file", e.toString(), e);
            }
            String dims = "";
            if (media.equals("image/png")) {
                try {
                    BufferedImage img = Png.decode(bytes);
                    dims = " (" + img.getWidth() + " × " + img.getHeight() + " px)";
                } catch (RuntimeException e) {
                    dims = " (not a readable PNG)";
                }
            }
            b.append("<figure id=\"fig-").append(esc(n)).append("\"><img alt=\"").append(esc(n)).append("\" src=\"data:").append(media)
                    .append(";base64,").append(Base64.getEncoder().encodeToString(bytes)).append("\"><figcaption>")
                    .append(esc(n)).append(esc(dims)).append("</figcaption></figure>\n");
        }
        b.append("</body></html>\n");
        return b.toString();
    }

    private static void summary(StringBuilder b, List<FileInfo> files) {
        b.append("<h2>Summary</h2>\n<table>");
        boolean mask = files.stream().anyMatch(f -> f.datasets().stream().anyMatch(d -> d.path().equals("/fit/mask")));
        if (!mask) row(b, "failed positions", "unknown: no /fit/mask in " + files.stream().map(f -> f.file().getFileName().toString()).toList());
        for (FileInfo f : files) {
            String fn = f.file().getFileName().toString();
            for (DatasetInfo d : f.datasets()) {
                if (d.path().equals("/fit/mask") && d.values() != null) {
                    long failed = 0;
                    for (double v : d.values()) if (v != 0 && !Double.isNaN(v)) failed++;
                    int n = d.values().length;
                    row(b, "failed positions (/fit/mask ≠ 0, " + fn + ")", failed + " of " + n + " ("
                            + fmt(n == 0 ? Double.NaN : 100.0 * failed / n) + " %)");
                }
                if (d.path().startsWith("/fit/") && !d.path().equals("/fit/mask") && d.values() != null) {
                    double[] s = stats(d.values());
                    row(b, d.path() + " (" + fn + ")", "median " + fmt(s[3]) + ", mean " + fmt(s[5]) + ", 95th percentile "
                            + fmt(s[4]) + ", max " + fmt(s[2]) + " over " + (long) s[0] + " positions with a value");
                }
            }
            Object v = f.root().get("ltz4d_version");
            if (v != null) row(b, "ltz4d version (" + fn + ")", text(v));
        }
        b.append("</table>\n");
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n");
    }

    private static void file(StringBuilder b, FileInfo f, List<ReportRegions.Region> regions) {
        String n = f.file().getFileName().toString();
        b.append("<h2 id=\"file-").append(esc(n)).append("\">").append(esc(n)).append("</h2>\n");
        Map<String, Object> root = new LinkedHashMap<>(f.root());
        Object prov = root.remove("provenance");
        Map<String, Object> calibration = new LinkedHashMap<>();
        root.entrySet().removeIf(e -> {
            if (e.getKey().startsWith("calibration_")) {
                calibration.put(e.getKey().substring("calibration_".length()), e.getValue());
                return true;
            }
            return false;
        });
        if (!root.isEmpty()) {
            b.append("<h3>File attributes</h3>");
            b.append(table(new LinkedHashMap<>(root)));
        }
        if (!calibration.isEmpty()) {
            b.append("<h3>Calibration</h3>").append(table(calibration));
        }
        if (prov != null) {
            String json = text(prov);
            Object parsed = null;
            try {
                parsed = Json.parse(json);
            } catch (IllegalArgumentException e) {
                b.append("<p class=\"warn\">The provenance is not valid JSON (").append(esc(e.getMessage())).append(").</p>");
            }
            if (parsed instanceof Map<?, ?> pm) {
                Map<String, Object> rest = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : pm.entrySet()) rest.put(String.valueOf(e.getKey()), e.getValue());
                for (String k : List.of("metadata", "parameters", "calibration", "summary", "warnings")) {
                    Object v = rest.remove(k);
                    if (v == null) continue;
                    String heading = switch (k) {
                        case "metadata" -> "Metadata (sample, instrument, user, session, identifiers, input file)";
                        case "parameters" -> "Parameters";
                        case "calibration" -> "Calibration (provenance)";
                        case "summary" -> "Run summary and statistics";
                        default -> "Warnings";
                    };
                    b.append("<h3>").append(heading).append("</h3>");
                    if (k.equals("warnings") && v instanceof List<?> l) {
                        if (l.isEmpty()) b.append("<p>None.</p>");
                        else {
                            b.append("<ul class=\"warn\">");
                            for (Object w : l) b.append("<li>").append(esc(String.valueOf(w))).append("</li>");
                            b.append("</ul>");
                        }
                    } else {
                        b.append(value(v));
                    }
                }
                if (!rest.isEmpty()) b.append("<h3>Provenance</h3>").append(value(rest));
            }
            b.append("<details><summary>Provenance (JSON)</summary><pre>").append(esc(json)).append("</pre></details>\n");
        }
        b.append("<h3>Datasets</h3>\n<table><tr><th>dataset</th><th>shape</th><th>unit</th><th>description and attributes</th>")
                .append("<th>values</th><th>map (viridis over the 1st–99th percentile; labels in categorical colours; ")
                .append("histograms: log counts, y upwards)</th></tr>\n");
        for (DatasetInfo d : f.datasets()) dataset(b, d, regions);
        b.append("</table>\n");
    }

    private static void dataset(StringBuilder b, DatasetInfo d, List<ReportRegions.Region> regions) {
        Map<String, Object> attrs = new LinkedHashMap<>(d.attributes());
        Object unit = attrs.remove("unit");
        Object desc = attrs.remove("description");
        attrs.remove("quantity");
        b.append("<tr id=\"ds-").append(esc(d.path())).append("\"><td><code>").append(esc(d.path())).append("</code></td><td>")
                .append(esc(Arrays.toString(d.dims()))).append(" ").append(esc(d.type())).append("</td><td>")
                .append(esc(unit == null ? "" : text(unit))).append("</td><td>");
        if (desc != null) b.append(esc(text(desc)));
        if (!attrs.isEmpty()) b.append(table(attrs));
        b.append("</td><td class=\"num\">");
        if (d.values() == null) {
            b.append("not read");
        } else if (d.values().length <= 8) {
            StringBuilder sb = new StringBuilder();
            for (double v : d.values()) sb.append(sb.length() == 0 ? "" : ", ").append(fmt(v));
            b.append(esc(sb.toString()));
        } else {
            double[] s = stats(d.values());
            b.append("min ").append(esc(fmt(s[1]))).append("<br>median ").append(esc(fmt(s[3]))).append("<br>max ").append(esc(fmt(s[2])))
                    .append("<br>").append((long) s[0]).append(" finite, ").append(d.values().length - (long) s[0]).append(" NaN");
        }
        b.append("</td><td>");
        String thumb = thumbnail(d, regions);
        if (thumb != null) {
            b.append("<img class=\"thumb\" alt=\"").append(esc(d.path())).append("\" src=\"data:image/png;base64,").append(thumb).append("\">");
        }
        b.append("</td></tr>\n");
    }

    /** count, min, max, median, 95th percentile, mean of the finite values. */
    static double[] stats(double[] v) {
        double[] f = Arrays.stream(v).filter(Double::isFinite).sorted().toArray();
        if (f.length == 0) return new double[] {0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        double mean = 0;
        for (double x : f) mean += x;
        mean /= f.length;
        return new double[] {f.length, f[0], f[f.length - 1], pct(f, 50), pct(f, 95), mean};
    }

    static double pct(double[] sorted, double p) {
        double x = p / 100.0 * (sorted.length - 1);
        int i = (int) Math.floor(x);
        int j = Math.min(i + 1, sorted.length - 1);
        return sorted[i] + (sorted[j] - sorted[i]) * (x - i);
    }

    /** A base64 PNG at one pixel per value for 2D datasets, with the regions' outlines on maps of their shape; null otherwise. */
    private static String thumbnail(DatasetInfo d, List<ReportRegions.Region> regions) {
        if (d.values() == null || d.dims().length != 2 || d.dims()[0] < 2 || d.dims()[1] < 2) return null;
        int rows = d.dims()[0];
        int cols = d.dims()[1];
        double[] v = d.values();
        float[] f = new float[v.length];
        boolean histogram = d.path().endsWith("/counts");
        for (int i = 0; i < v.length; i++) {
            if (histogram) {
                int r = rows - 1 - i / cols; // y bins upwards
                f[r * cols + i % cols] = (float) Math.log10(1 + v[i]);
            } else {
                f[i] = (float) v[i];
            }
        }
        BufferedImage img;
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (double x : v) {
            max = Math.max(max, x);
            min = Math.min(min, x);
        }
        if (d.integer() && !histogram && min >= -1 && max <= 20) {
            img = new BufferedImage(cols, rows, BufferedImage.TYPE_INT_RGB);
            for (int i = 0; i < v.length; i++) img.setRGB(i % cols, i / cols, LabelMap.colour((int) v[i]));
        } else {
            img = MapImage.scalar(f, rows, cols, ColorMap.VIRIDIS, histogram ? Range.of(f) : Range.percentile(f, 1, 99));
        }
        if (!histogram) ReportRegions.outline(img, regions);
        return Base64.getEncoder().encodeToString(Png.encode(img));
    }

    private static String table(Map<String, Object> m) {
        StringBuilder b = new StringBuilder("<table>");
        for (Map.Entry<String, Object> e : m.entrySet()) {
            b.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(value(e.getValue())).append("</td></tr>");
        }
        return b.append("</table>").toString();
    }

    /** A value as HTML: maps as nested tables, lists of scalars joined, other values as text. */
    private static String value(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> s = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) s.put(String.valueOf(e.getKey()), e.getValue());
            return table(s);
        }
        if (v instanceof List<?> l) {
            boolean scalars = l.stream().noneMatch(x -> x instanceof Map || x instanceof List);
            if (scalars) {
                StringBuilder b = new StringBuilder();
                for (Object x : l) b.append(b.length() == 0 ? "" : ", ").append(text(x));
                return esc(b.toString());
            }
            StringBuilder b = new StringBuilder("<ol>");
            for (Object x : l) b.append("<li>").append(value(x)).append("</li>");
            return b.append("</ol>").toString();
        }
        return esc(text(v));
    }

    /** Text of an attribute or JSON value; arrays joined (at most 64 elements). */
    static String text(Object v) {
        if (v == null) return "null";
        if (v instanceof Double d) return fmt(d);
        if (v instanceof Float f) return fmt(f);
        if (v.getClass().isArray()) {
            int n = Array.getLength(v);
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < Math.min(n, 64); i++) b.append(i > 0 ? ", " : "").append(text(Array.get(v, i)));
            if (n > 64) b.append(", … (").append(n).append(" values)");
            return b.append(']').toString();
        }
        return String.valueOf(v);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        double a = Math.abs(v);
        if (a < 1e-3 || a >= 1e6) return String.format(Locale.ROOT, "%.4e", v);
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.5g", v)).stripTrailingZeros().toPlainString();
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
