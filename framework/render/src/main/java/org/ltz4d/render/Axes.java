package org.ltz4d.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.util.Locale;

/**
 * A plot frame: the plot area on the image, the data ranges it shows and how data map to pixels
 * ({@link #x(double)}, {@link #y(double)}), and its drawing: the frame, outward ticks with labels
 * ({@link Ticks}: nice linear steps; on a logarithmic y axis the decades, labelled {@code 1eK}, with
 * light grid lines), and the axis labels (x centred below, y rotated on the left). {@code y0} is
 * at the bottom and {@code y1} at the top; give {@code y0 > y1} for an axis that grows downwards
 * (image rows). Immutable.
 */
public final class Axes {
    /** Tick labels. */
    public static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    /** Axis labels. */
    public static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 17);
    /** Decade grid lines of a logarithmic axis. */
    public static final int GRID_RGB = 0xDDDDDD;
    private static final int TICK = 6;

    private final Rectangle area;
    private final double x0;
    private final double x1;
    private final double y0;
    private final double y1;
    private final boolean logY;

    /** A linear frame; for {@code logY} the y values are given as they are (positive), not as logarithms. */
    public Axes(Rectangle area, double x0, double x1, double y0, double y1, boolean logY) {
        this.area = new Rectangle(area);
        this.x0 = x0;
        this.x1 = x1;
        this.logY = logY;
        this.y0 = logY ? Math.log10(y0) : y0;
        this.y1 = logY ? Math.log10(y1) : y1;
    }

    public Rectangle area() {
        return new Rectangle(area);
    }

    /** The data value at the bottom of the y axis. */
    public double yBottom() {
        return logY ? Math.pow(10, y0) : y0;
    }

    /** The data value at the top of the y axis. */
    public double yTop() {
        return logY ? Math.pow(10, y1) : y1;
    }

    /** Screen x of data value {@code v}. */
    public double x(double v) {
        return area.x + (v - x0) / (x1 - x0) * area.width;
    }

    /** Screen y of data value {@code v} (NaN for v ≤ 0 on a logarithmic axis). */
    public double y(double v) {
        double t = logY ? (v > 0 ? Math.log10(v) : Double.NaN) : v;
        return area.y + area.height - (t - y0) / (y1 - y0) * area.height;
    }

    /** Light grid lines at the decades of a logarithmic y axis (nothing on a linear one); draw them before the data. */
    public void drawGrid(Graphics2D g) {
        if (!logY) return;
        g.setColor(new Color(GRID_RGB));
        g.setStroke(new BasicStroke(1f));
        for (int d = (int) Math.ceil(Math.min(y0, y1)); d <= Math.floor(Math.max(y0, y1)); d++) {
            int yy = (int) Math.round(y(Math.pow(10, d)));
            g.drawLine(area.x, yy, area.x + area.width, yy);
        }
    }

    /** Frame, ticks, tick labels and axis labels (null or empty: none), in black. */
    public void draw(Graphics2D g, String xLabel, String yLabel) {
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.2f));
        g.drawRect(area.x, area.y, area.width, area.height);
        g.setFont(TICK_FONT);
        FontMetrics fm = g.getFontMetrics();
        int bottom = area.y + area.height;
        double[] xt = Ticks.positions(Math.min(x0, x1), Math.max(x0, x1), 6);
        double xs = xt.length > 1 ? xt[1] - xt[0] : Ticks.step(Math.abs(x1 - x0), 6);
        for (double t : xt) {
            int xx = (int) Math.round(x(t));
            g.drawLine(xx, bottom, xx, bottom + TICK);
            String s = Ticks.label(t, xs);
            g.drawString(s, xx - fm.stringWidth(s) / 2, bottom + TICK + 2 + fm.getAscent());
        }
        int maxTickW = 0;
        if (logY) {
            for (int d = (int) Math.ceil(Math.min(y0, y1)); d <= Math.floor(Math.max(y0, y1)); d++) {
                maxTickW = Math.max(maxTickW, yTick(g, fm, (int) Math.round(y(Math.pow(10, d))), "1e" + d));
            }
        } else {
            double[] yt = Ticks.positions(Math.min(y0, y1), Math.max(y0, y1), 6);
            double ys = yt.length > 1 ? yt[1] - yt[0] : Ticks.step(Math.abs(y1 - y0), 6);
            for (double t : yt) maxTickW = Math.max(maxTickW, yTick(g, fm, (int) Math.round(y(t)), Ticks.label(t, ys)));
        }
        g.setFont(LABEL_FONT);
        FontMetrics lm = g.getFontMetrics();
        if (xLabel != null && !xLabel.isEmpty()) {
            g.drawString(xLabel, area.x + (area.width - lm.stringWidth(xLabel)) / 2, bottom + TICK + 2 + fm.getHeight() + lm.getAscent() + 6);
        }
        if (yLabel != null && !yLabel.isEmpty()) {
            AffineTransform old = g.getTransform();
            int yLabelX = Math.max(lm.getAscent(), area.x - TICK - 8 - maxTickW - 4);
            g.translate(yLabelX, area.y + area.height / 2 + lm.stringWidth(yLabel) / 2);
            g.rotate(-Math.PI / 2);
            g.drawString(yLabel, 0, 0);
            g.setTransform(old);
        }
    }

    private int yTick(Graphics2D g, FontMetrics fm, int yy, String s) {
        g.drawLine(area.x - TICK, yy, area.x, yy);
        g.drawString(s, area.x - TICK - 3 - fm.stringWidth(s), yy + fm.getAscent() / 2 - 1);
        return fm.stringWidth(s);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "axes %s x %g..%g y %g..%g%s", area, x0, x1, y0, y1, logY ? " (log10)" : "");
    }
}
