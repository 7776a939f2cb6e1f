package org.ltz4d.ltem;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.ltz4d.api.analysis.Figure;

/**
 * Small Java2D figures (PNG, at least 600 px): a phase map in grey levels, a vector map in a colour
 * wheel (hue = direction measured from +x towards +y in array coordinates, i.e. clockwise on the
 * screen whose y axis points down, DESIGN.md §2; brightness = magnitude) with the wheel as a key in
 * the corner, and a loss curve. No text is drawn (headless JREs may lack fonts); captions carry it.
 */
final class Render {
    private static final int MIN_SIZE = 600;

    private Render() {
    }

    static Figure phase(String fileName, String caption, double[] phase, int ny, int nx) {
        double[] lim = robustRange(phase, 0.001);
        int s = scale(ny, nx);
        BufferedImage img = new BufferedImage(nx * s, ny * s, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < ny * s; r++) {
            for (int c = 0; c < nx * s; c++) {
                double v = phase[(r / s) * nx + c / s];
                int gl = Double.isFinite(v) ? (int) Math.round(255 * clamp((v - lim[0]) / (lim[1] - lim[0]))) : 0;
                img.setRGB(c, r, Double.isFinite(v) ? (gl << 16) | (gl << 8) | gl : 0xff00ff);
            }
        }
        return png(fileName, caption + String.format(" Grey scale from %.3g rad (black) to %.3g rad (white).", lim[0], lim[1]), img);
    }

    static Figure colourWheel(String fileName, String caption, double[] vx, double[] vy, int ny, int nx) {
        double[] mag = new double[vx.length];
        for (int i = 0; i < mag.length; i++) mag[i] = Math.hypot(vx[i], vy[i]);
        double max = robustRange(mag, 0.005)[1];
        if (!(max > 0)) max = 1;
        int s = scale(ny, nx);
        BufferedImage img = new BufferedImage(nx * s, ny * s, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < ny * s; r++) {
            for (int c = 0; c < nx * s; c++) {
                int i = (r / s) * nx + c / s;
                img.setRGB(c, r, wheel(vx[i], vy[i], max));
            }
        }
        // key: the colour wheel itself, in the bottom-right corner
        int d = Math.max(60, Math.min(nx, ny) * s / 6);
        int x0 = nx * s - d - 8, y0 = ny * s - d - 8;
        for (int r = 0; r < d; r++) {
            for (int c = 0; c < d; c++) {
                double x = (c + 0.5 - d / 2.0) / (d / 2.0), y = (r + 0.5 - d / 2.0) / (d / 2.0);
                if (x * x + y * y <= 1) img.setRGB(x0 + c, y0 + r, wheel(x, y, 1));
            }
        }
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.drawOval(x0 - 1, y0 - 1, d + 1, d + 1);
        g.dispose();
        return png(fileName, caption + String.format(" Colour = direction (hue from +x towards +y, image y down), brightness = magnitude, "
                + "saturating at %.3g (99.5th percentile); key in the bottom-right corner.", max), img);
    }

    static Figure curve(String fileName, String caption, double[] y) {
        int w = 800, h = 600, m = 40;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.drawRect(m, m, w - 2 * m, h - 2 * m);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : y) {
            if (v > 0 && Double.isFinite(v)) {
                lo = Math.min(lo, Math.log10(v));
                hi = Math.max(hi, Math.log10(v));
            }
        }
        if (y.length > 1 && lo < hi) {
            g.setColor(new Color(0x1f77b4));
            g.setStroke(new BasicStroke(2f));
            int px = -1, py = -1;
            for (int i = 0; i < y.length; i++) {
                if (!(y[i] > 0)) continue;
                int x = m + (int) Math.round((w - 2.0 * m) * i / (y.length - 1));
                int yy = h - m - (int) Math.round((h - 2.0 * m) * (Math.log10(y[i]) - lo) / (hi - lo));
                if (px >= 0) g.drawLine(px, py, x, yy);
                px = x;
                py = yy;
            }
        }
        g.dispose();
        return png(fileName, caption + String.format(" Logarithmic vertical axis from %.3g to %.3g; iterations 1 to %d horizontally.",
                Math.pow(10, lo), Math.pow(10, hi), y.length), img);
    }

    private static int wheel(double x, double y, double max) {
        if (!Double.isFinite(x) || !Double.isFinite(y)) return 0x000000;
        double hue = Math.atan2(y, x) / (2 * Math.PI);
        if (hue < 0) hue += 1;
        float v = (float) clamp(Math.hypot(x, y) / max);
        return Color.HSBtoRGB((float) hue, 1f, v) & 0xffffff;
    }

    private static int scale(int ny, int nx) {
        return Math.max(1, (int) Math.ceil((double) MIN_SIZE / Math.min(ny, nx)));
    }

    private static double clamp(double v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }

    /** The {@code tail} and 1−{@code tail} quantiles of the finite values. */
    static double[] robustRange(double[] a, double tail) {
        double[] f = Arrays.stream(a).filter(Double::isFinite).sorted().toArray();
        if (f.length == 0) return new double[] {0, 1};
        double lo = f[(int) Math.floor(tail * (f.length - 1))];
        double hi = f[(int) Math.ceil((1 - tail) * (f.length - 1))];
        if (!(hi > lo)) {
            lo = f[0];
            hi = f[f.length - 1];
        }
        if (!(hi > lo)) hi = lo + 1;
        return new double[] {lo, hi};
    }

    private static Figure png(String fileName, String caption, BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer");
            return new Figure(fileName, caption, Figure.PNG, out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("writing figure " + fileName, e);
        }
    }
}
