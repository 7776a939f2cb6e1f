package org.ltz4d.web;

import java.util.Base64;
import java.util.Locale;
import org.ltz4d.render.ColorMap;
import org.ltz4d.render.Range;
import org.ltz4d.render.Ticks;

/**
 * A map as a real vector figure: the map's raster embedded once (one pixel per scan position, drawn
 * pixelated), and as SVG elements the title, the axes with ticks and labels in scan positions, the
 * colour bar (a gradient through the colour map, with value ticks and the unit) or the colour
 * wheel's legend, and the overlays (B arrows, strain-axis sticks) as lines.
 */
final class SvgMap {
    static final int LEFT = 56, TOP = 34, RIGHT = 110, BOTTOM = 46;

    /** Vector overlay: arrows (vx, vy) or axial sticks (angle in degrees, length ∝ |e|, white when e &lt; 0). */
    record Overlay(boolean arrows, float[] a, float[] b) {
    }

    private final StringBuilder out = new StringBuilder();
    private final int rows, cols, k, w, h;

    private SvgMap(int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
        this.k = Math.max(1, (int) Math.ceil(384.0 / Math.max(rows, cols)));
        this.w = cols * k;
        this.h = rows * k;
    }

    /** A scalar map through a colour map, with its colour bar over {@code range}. */
    static String scalar(String title, byte[] rasterPng, int rows, int cols, ColorMap map, Range range, String unit, Overlay overlay) {
        SvgMap s = new SvgMap(rows, cols);
        s.begin(title, rasterPng);
        s.colourBar(map, range, unit);
        s.overlay(overlay);
        return s.end();
    }

    /** A vector map in the colour wheel, with the wheel's legend and the magnitude at full brightness. */
    static String wheel(String title, byte[] rasterPng, byte[] legendPng, int rows, int cols, double max, String unit, Overlay overlay) {
        SvgMap s = new SvgMap(rows, cols);
        s.begin(title, rasterPng);
        int x = LEFT + s.w + 14;
        s.out.append(String.format(Locale.ROOT, "<g id=\"legend\"><image x=\"%d\" y=\"%d\" width=\"90\" height=\"90\" href=\"data:image/png;base64,%s\"/>",
                x, TOP, Base64.getEncoder().encodeToString(legendPng)));
        s.text(x, TOP + 106, "start", 11, "full colour at |v| = " + num(max));
        s.text(x, TOP + 120, "start", 11, unit);
        s.out.append("</g>\n");
        s.overlay(overlay);
        return s.end();
    }

    private void begin(String title, byte[] rasterPng) {
        int width = LEFT + w + RIGHT, height = TOP + h + BOTTOM;
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\">\n", width, height, width, height))
                .append("<title>").append(esc(title)).append("</title>\n")
                .append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", width, height));
        text(LEFT, 20, "start", 13, title);
        out.append(String.format(Locale.ROOT, "<image id=\"map\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" preserveAspectRatio=\"none\" "
                + "style=\"image-rendering:pixelated\" image-rendering=\"optimizeSpeed\" href=\"data:image/png;base64,%s\"/>\n",
                LEFT, TOP, w, h, Base64.getEncoder().encodeToString(rasterPng)));
        // axes: a frame, ticks at position centres, labels
        out.append("<g id=\"axes\" stroke=\"black\" stroke-width=\"1\" fill=\"none\">")
                .append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>", LEFT, TOP, w, h));
        for (double t : Ticks.positions(0, cols - 1, 6)) {
            double x = LEFT + (t + 0.5) * k;
            out.append(String.format(Locale.ROOT, "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\"/>", x, TOP + h, x, TOP + h + 5));
        }
        for (double t : Ticks.positions(0, rows - 1, 6)) {
            double y = TOP + (t + 0.5) * k;
            out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.2f\" x2=\"%d\" y2=\"%.2f\"/>", LEFT - 5, y, LEFT, y));
        }
        out.append("</g>\n<g id=\"tick-labels\">");
        double sx = Ticks.step(cols - 1, 6), sy = Ticks.step(rows - 1, 6);
        for (double t : Ticks.positions(0, cols - 1, 6)) text(LEFT + (t + 0.5) * k, TOP + h + 17, "middle", 10, Ticks.label(t, sx));
        for (double t : Ticks.positions(0, rows - 1, 6)) text(LEFT - 8, TOP + (t + 0.5) * k + 3.5, "end", 10, Ticks.label(t, sy));
        text(LEFT + w / 2.0, TOP + h + 36, "middle", 11, "scan x (positions)");
        out.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.1f)\">"
                + "scan y (positions)</text>", TOP + h / 2.0, TOP + h / 2.0));
        out.append("</g>\n");
    }

    private void colourBar(ColorMap map, Range range, String unit) {
        int x = LEFT + w + 14, bw = 16;
        out.append("<defs><linearGradient id=\"colour-bar\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">");
        for (int i = 0; i <= 32; i++) {
            double t = i / 32.0;
            out.append(String.format(Locale.ROOT, "<stop offset=\"%.4f\" stop-color=\"#%06x\"/>", t, map.rgb(t) & 0xFFFFFF));
        }
        out.append("</linearGradient></defs>\n<g id=\"colour-bar-axis\">")
                .append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"url(#colour-bar)\" stroke=\"black\"/>",
                        x, TOP, bw, h));
        double step = Ticks.step(range.max() - range.min(), 5);
        for (double v : Ticks.positions(range.min(), range.max(), 5)) {
            double y = TOP + h - range.normalise(v) * h;
            out.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.2f\" x2=\"%d\" y2=\"%.2f\" stroke=\"black\"/>", x + bw, y, x + bw + 4, y));
            text(x + bw + 7, y + 3.5, "start", 10, Ticks.label(v, step));
        }
        text(x, TOP + h + 17, "start", 11, unit);
        out.append("</g>\n");
    }

    private void overlay(Overlay o) {
        if (o == null) return;
        int step = Math.max(1, Math.round(Math.max(rows, cols) / 16f));
        double max = 0;
        for (int i = 0; i < o.a.length; i++) {
            double m = o.arrows ? Math.hypot(o.a[i], o.b[i]) : Math.abs(o.b[i]);
            if (Double.isFinite(m) && m > max) max = m;
        }
        if (!(max > 0)) return;
        double len = step * k * 0.9;
        out.append("<g id=\"overlay\" stroke-width=\"1.2\" fill=\"none\">");
        for (int r = step / 2; r < rows; r += step) {
            for (int c = step / 2; c < cols; c += step) {
                int i = r * cols + c;
                double x = LEFT + (c + 0.5) * k, y = TOP + (r + 0.5) * k;
                if (o.arrows) {
                    double vx = o.a[i], vy = o.b[i];
                    if (!Double.isFinite(vx) || !Double.isFinite(vy)) continue;
                    double dx = vx / max * len / 2, dy = vy / max * len / 2, ang = Math.atan2(dy, dx), hd = Math.max(2, Math.hypot(dx, dy) * 0.5);
                    out.append(String.format(Locale.ROOT, "<path stroke=\"white\" d=\"M%.2f %.2fL%.2f %.2fL%.2f %.2fM%.2f %.2fL%.2f %.2f\"/>",
                            x - dx, y - dy, x + dx, y + dy, x + dx - hd * Math.cos(ang - 0.5), y + dy - hd * Math.sin(ang - 0.5),
                            x + dx, y + dy, x + dx - hd * Math.cos(ang + 0.5), y + dy - hd * Math.sin(ang + 0.5)));
                } else {
                    double ang = Math.toRadians(o.a[i]), e = o.b[i];
                    if (!Double.isFinite(ang) || !Double.isFinite(e)) continue;
                    double l = Math.abs(e) / max * len / 2;
                    out.append(String.format(Locale.ROOT, "<line stroke=\"%s\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>", e >= 0 ? "black" : "white",
                            x - l * Math.cos(ang), y - l * Math.sin(ang), x + l * Math.cos(ang), y + l * Math.sin(ang)));
                }
            }
        }
        out.append("</g>\n");
    }

    private String end() {
        return out.append("</svg>\n").toString();
    }

    private void text(double x, double y, String anchor, int size, String s) {
        out.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\">%s</text>", x, y, size, anchor, esc(s)));
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
