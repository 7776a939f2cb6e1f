package org.ltz4d.pdf;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Minimal Java2D plots for the PDF figures: a profile with a ±1σ band, and a 2D map with a colour bar. */
final class Plot {
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 18);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 20);

    private Plot() {
    }

    /** A curve y(x) with a band y ± e (e may be null), axes labelled with units. PNG bytes. */
    static byte[] profile(double[] x, double[] y, double[] e, String title, String xLabel, String yLabel, double yRef) {
        int w = 1000;
        int h = 650;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = start(img);
        int l = 110;
        int r = 30;
        int t = 60;
        int b = 90;
        double x0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(y[i])) continue;
            x0 = Math.min(x0, x[i]);
            x1 = Math.max(x1, x[i]);
            double ei = e == null || !Double.isFinite(e[i]) ? 0 : e[i];
            y0 = Math.min(y0, y[i] - ei);
            y1 = Math.max(y1, y[i] + ei);
        }
        if (!(x1 > x0)) {
            x0 = 0;
            x1 = 1;
        }
        if (!(y1 > y0)) {
            y0 = -1;
            y1 = 1;
        }
        double pad = 0.05 * (y1 - y0);
        y0 -= pad;
        y1 += pad;
        final double fx0 = x0, fx1 = x1, fy0 = y0, fy1 = y1;
        java.util.function.DoubleUnaryOperator px = v -> l + (v - fx0) / (fx1 - fx0) * (w - l - r);
        java.util.function.DoubleUnaryOperator py = v -> h - b - (v - fy0) / (fy1 - fy0) * (h - t - b);
        if (e != null) {
            Path2D band = new Path2D.Double();
            boolean open = false;
            for (int i = 0; i < x.length; i++) {
                if (!Double.isFinite(y[i]) || !Double.isFinite(e[i])) continue;
                double xx = px.applyAsDouble(x[i]);
                double yy = py.applyAsDouble(y[i] + e[i]);
                if (!open) {
                    band.moveTo(xx, yy);
                    open = true;
                } else {
                    band.lineTo(xx, yy);
                }
            }
            for (int i = x.length - 1; i >= 0; i--) {
                if (!Double.isFinite(y[i]) || !Double.isFinite(e[i])) continue;
                band.lineTo(px.applyAsDouble(x[i]), py.applyAsDouble(y[i] - e[i]));
            }
            if (open) {
                band.closePath();
                g.setColor(new Color(150, 180, 230));
                g.fill(band);
            }
        }
        if (Double.isFinite(yRef) && yRef > y0 && yRef < y1) {
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 6f}, 0f));
            g.draw(new java.awt.geom.Line2D.Double(l, py.applyAsDouble(yRef), w - r, py.applyAsDouble(yRef)));
        }
        Path2D line = new Path2D.Double();
        boolean open = false;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(y[i])) {
                open = false;
                continue;
            }
            double xx = px.applyAsDouble(x[i]);
            double yy = py.applyAsDouble(y[i]);
            if (!open) line.moveTo(xx, yy);
            else line.lineTo(xx, yy);
            open = true;
        }
        g.setColor(new Color(20, 50, 140));
        g.setStroke(new BasicStroke(2.2f));
        g.draw(line);
        axes(g, l, t, w - l - r, h - t - b, x0, x1, y0, y1, xLabel, yLabel);
        g.setFont(TITLE);
        g.setColor(Color.BLACK);
        g.drawString(title, l, 35);
        g.dispose();
        return png(img);
    }

    /** A map (rows × cols, row-major, NaN grey) with a colour bar labelled {@code label}. PNG bytes. */
    static byte[] map(float[] v, int rows, int cols, String title, String label) {
        int plotW = 640;
        int scale = Math.max(1, Math.min(plotW / cols, 640 / rows));
        if (scale * cols < 300) scale = Math.max(1, 300 / cols);
        int mw = cols * scale;
        int mh = rows * scale;
        int l = 90;
        int t = 60;
        int w = Math.max(700, l + mw + 200);
        int h = Math.max(600, t + mh + 90);
        double[] lim = robustLimits(v);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = start(img);
        for (int rr = 0; rr < rows; rr++) {
            for (int cc = 0; cc < cols; cc++) {
                float x = v[rr * cols + cc];
                g.setColor(Float.isNaN(x) ? new Color(128, 128, 128) : viridis((x - lim[0]) / (lim[1] - lim[0])));
                g.fillRect(l + cc * scale, t + rr * scale, scale, scale);
            }
        }
        axes(g, l, t, mw, mh, 0, cols, rows, 0, "scan x (positions)", "scan y (positions)");
        int bx = l + mw + 40;
        int bh = mh;
        for (int i = 0; i < bh; i++) {
            g.setColor(viridis(1 - i / (double) (bh - 1)));
            g.fillRect(bx, t + i, 25, 1);
        }
        g.setColor(Color.BLACK);
        g.drawRect(bx, t, 25, bh);
        g.setFont(FONT);
        for (int i = 0; i <= 4; i++) {
            double val = lim[1] - i * (lim[1] - lim[0]) / 4;
            int yy = t + (int) Math.round(i * (bh - 1) / 4.0);
            g.drawLine(bx + 25, yy, bx + 31, yy);
            g.drawString(fmt(val, (lim[1] - lim[0]) / 4), bx + 35, yy + 6);
        }
        int labelX = bx + 35 + g.getFontMetrics().stringWidth(fmt(lim[0], (lim[1] - lim[0]) / 4)) + 16;
        for (int i = 0; i <= 4; i++) {
            double val = lim[1] - i * (lim[1] - lim[0]) / 4;
            labelX = Math.max(labelX, bx + 35 + g.getFontMetrics().stringWidth(fmt(val, (lim[1] - lim[0]) / 4)) + 16);
        }
        AffineTransform old = g.getTransform();
        g.rotate(Math.PI / 2);
        g.drawString(label, t + bh / 2 - g.getFontMetrics().stringWidth(label) / 2, -labelX);
        g.setTransform(old);
        g.setFont(TITLE);
        g.drawString(title, l, 35);
        g.dispose();
        return png(img);
    }

    private static Graphics2D start(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        return g;
    }

    /** Frame, ticks and labels; y0 maps to the bottom, y1 to the top. */
    private static void axes(Graphics2D g, int l, int t, int pw, int ph, double x0, double x1, double y0, double y1, String xl, String yl) {
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.2f));
        g.drawRect(l, t, pw, ph);
        g.setFont(FONT);
        FontMetrics fm = g.getFontMetrics();
        double[] xt = ticks(Math.min(x0, x1), Math.max(x0, x1));
        for (double v : xt) {
            int xx = (int) Math.round(l + (v - x0) / (x1 - x0) * pw);
            g.drawLine(xx, t + ph, xx, t + ph + 6);
            String s = fmt(v, xt.length > 1 ? xt[1] - xt[0] : 1);
            g.drawString(s, xx - fm.stringWidth(s) / 2, t + ph + 26);
        }
        double[] yt = ticks(Math.min(y0, y1), Math.max(y0, y1));
        for (double v : yt) {
            int yy = (int) Math.round(t + ph - (v - y0) / (y1 - y0) * ph);
            g.drawLine(l - 6, yy, l, yy);
            String s = fmt(v, yt.length > 1 ? yt[1] - yt[0] : 1);
            g.drawString(s, l - 10 - fm.stringWidth(s), yy + 6);
        }
        g.drawString(xl, l + pw / 2 - fm.stringWidth(xl) / 2, t + ph + 60);
        AffineTransform old = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(yl, -(t + ph / 2 + fm.stringWidth(yl) / 2), l - 75);
        g.setTransform(old);
    }

    static double[] ticks(double lo, double hi) {
        double span = hi - lo;
        if (!(span > 0)) return new double[] {lo};
        double raw = span / 6;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
        double first = Math.ceil(lo / step - 1e-9) * step;
        int n = (int) Math.floor((hi - first) / step + 1e-9) + 1;
        double[] out = new double[Math.max(n, 0)];
        for (int i = 0; i < out.length; i++) out[i] = first + i * step;
        return out;
    }

    private static String fmt(double v, double step) {
        int dec = Math.max(0, (int) Math.ceil(-Math.log10(Math.abs(step) + 1e-300) - 1e-9));
        if (dec > 6) return String.format(Locale.ROOT, "%.3g", v);
        return String.format(Locale.ROOT, "%." + dec + "f", Math.abs(v) < 1e-12 ? 0.0 : v);
    }

    /** 2nd and 98th percentiles of the finite values. */
    static double[] robustLimits(float[] v) {
        float[] f = new float[v.length];
        int n = 0;
        for (float x : v) if (Float.isFinite(x)) f[n++] = x;
        if (n == 0) return new double[] {0, 1};
        java.util.Arrays.sort(f, 0, n);
        double lo = f[(int) (0.02 * (n - 1))];
        double hi = f[(int) Math.ceil(0.98 * (n - 1))];
        if (!(hi > lo)) {
            lo -= 0.5 * Math.max(Math.abs(lo) * 1e-3, 1e-9);
            hi = lo + Math.max(Math.abs(lo) * 1e-3, 1e-9);
        }
        return new double[] {lo, hi};
    }

    /** Viridis colour map (piecewise linear through 9 anchors). */
    static Color viridis(double t) {
        if (!(t >= 0)) t = 0;
        if (t > 1) t = 1;
        final int[][] c = {{68, 1, 84}, {71, 44, 122}, {59, 81, 139}, {44, 113, 142}, {33, 144, 141},
            {39, 173, 129}, {92, 200, 99}, {170, 220, 50}, {253, 231, 37}};
        double p = t * (c.length - 1);
        int i = Math.min((int) p, c.length - 2);
        double f = p - i;
        return new Color((int) Math.round(c[i][0] + f * (c[i + 1][0] - c[i][0])),
                (int) Math.round(c[i][1] + f * (c[i + 1][1] - c[i][1])),
                (int) Math.round(c[i][2] + f * (c[i + 1][2] - c[i][2])));
    }

    private static byte[] png(BufferedImage img) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            ImageIO.write(img, "png", bos);
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
