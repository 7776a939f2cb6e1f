package org.ltz4d.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A line plot on white: curves y(x), optional bands (y ± e shaded behind), a dashed horizontal
 * reference line, {@link Axes} with ticks and labels (y linear, or logarithmic with decade grid
 * lines), and a title. The ranges follow the finite data (bands included); a linear y range is
 * padded by 5 % on both sides. A curve breaks where y is not finite (or not positive on a log axis).
 * Not thread-safe; one builder per figure.
 *
 * <pre>
 * byte[] png = LinePlot.of(1000, 650).title("S(q)").labels("q (1/Å)", "S(q)")
 *         .band(q, s, sigma, LinePlot.BAND_RGB).line(q, s, LinePlot.LINE_RGB, 2.2f).reference(1.0).png();
 * </pre>
 */
public final class LinePlot {
    /** Default curve colour (dark blue). */
    public static final int LINE_RGB = 0x14328C;
    /** Default band colour (light blue). */
    public static final int BAND_RGB = 0x96B4E6;
    /** Colour of the dashed reference line. */
    public static final int REFERENCE_RGB = 0x808080;
    /** Title font. */
    public static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 20);

    private final int width;
    private final int height;
    private int left = 110;
    private int top = 60;
    private int right = 30;
    private int bottom = 90;
    private String title;
    private String xLabel;
    private String yLabel;
    private boolean logY;
    private double reference = Double.NaN;
    private final List<Series> series = new ArrayList<>();

    private record Series(double[] x, double[] y, double[] e, int rgb, float width) {
        boolean band() {
            return e != null;
        }
    }

    private LinePlot(int width, int height) {
        this.width = width;
        this.height = height;
    }

    /** A plot of {@code width} × {@code height} pixels. */
    public static LinePlot of(int width, int height) {
        if (width < 200 || height < 200) throw new IllegalArgumentException("a line plot needs at least 200 × 200 px, got " + width + "×" + height);
        return new LinePlot(width, height);
    }

    /** Margins around the plot area (room for the title, tick labels and axis labels). */
    public LinePlot margins(int left, int top, int right, int bottom) {
        this.left = left;
        this.top = top;
        this.right = right;
        this.bottom = bottom;
        return this;
    }

    public LinePlot title(String title) {
        this.title = title;
        return this;
    }

    public LinePlot labels(String xLabel, String yLabel) {
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        return this;
    }

    /** A logarithmic y axis (values ≤ 0 are left out). */
    public LinePlot logY() {
        this.logY = true;
        return this;
    }

    /** A dashed grey horizontal line at {@code y}, drawn when inside the y range. */
    public LinePlot reference(double y) {
        this.reference = y;
        return this;
    }

    /** A curve through (x[i], y[i]). */
    public LinePlot line(double[] x, double[] y, int rgb, float strokeWidth) {
        if (x.length != y.length) throw new IllegalArgumentException("line: " + x.length + " x values, " + y.length + " y values");
        series.add(new Series(x, y, null, rgb, strokeWidth));
        return this;
    }

    /** The band y ± e shaded, behind every curve. */
    public LinePlot band(double[] x, double[] y, double[] e, int rgb) {
        if (x.length != y.length || y.length != e.length) throw new IllegalArgumentException("band: x, y and e differ in length");
        series.add(new Series(x, y, e, rgb, 0f));
        return this;
    }

    /** Where the plot area lands on the image, and its data ranges. */
    public Axes axes() {
        double xa = Double.POSITIVE_INFINITY, xb = Double.NEGATIVE_INFINITY;
        double ya = Double.POSITIVE_INFINITY, yb = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (!shown(s.y()[i]) || !Double.isFinite(s.x()[i])) continue;
                double e = s.band() && Double.isFinite(s.e()[i]) ? s.e()[i] : 0;
                xa = Math.min(xa, s.x()[i]);
                xb = Math.max(xb, s.x()[i]);
                double lo = s.y()[i] - e, hi = s.y()[i] + e;
                if (!logY || lo > 0) ya = Math.min(ya, lo);
                yb = Math.max(yb, hi);
            }
        }
        if (!(xb > xa)) {
            xa = Double.isFinite(xa) ? xa - 0.5 : 0;
            xb = xa + 1;
        }
        if (logY) {
            double lo = Math.log10(ya), hi = Math.log10(yb);
            if (!(hi > lo)) {
                lo = Double.isFinite(lo) ? lo - 0.5 : 0;
                hi = lo + 1;
            }
            ya = Math.pow(10, lo);
            yb = Math.pow(10, hi);
        } else {
            if (!(yb > ya)) {
                ya = Double.isFinite(ya) ? ya - 1 : -1;
                yb = ya + 2;
            }
            double pad = 0.05 * (yb - ya);
            ya -= pad;
            yb += pad;
        }
        return new Axes(new Rectangle(left, top, width - left - right, height - top - bottom), xa, xb, ya, yb, logY);
    }

    private boolean shown(double y) {
        return Double.isFinite(y) && (!logY || y > 0);
    }

    public BufferedImage render() {
        BufferedImage img = Panels.blank(width, height);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        Axes ax = axes();
        Rectangle a = ax.area();
        ax.drawGrid(g); // behind the data
        Graphics2D clip = (Graphics2D) g.create();
        clip.clipRect(a.x, a.y, a.width + 1, a.height + 1);
        for (Series s : series) if (s.band()) band(clip, ax, s);
        double yRef = ax.y(reference);
        if (Double.isFinite(yRef) && yRef > a.y && yRef < a.y + a.height) {
            clip.setColor(new Color(REFERENCE_RGB));
            clip.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 6f}, 0f));
            clip.draw(new Line2D.Double(a.x, yRef, a.x + a.width, yRef));
        }
        for (Series s : series) if (!s.band()) curve(clip, ax, s);
        clip.dispose();
        ax.draw(g, xLabel, yLabel);
        if (title != null && !title.isEmpty()) {
            g.setFont(TITLE_FONT);
            g.setColor(Color.BLACK);
            g.drawString(title, a.x, Math.max(g.getFontMetrics().getAscent(), a.y - 25));
        }
        g.dispose();
        return img;
    }

    public byte[] png() {
        return Png.encode(render());
    }

    private void band(Graphics2D g, Axes ax, Series s) {
        Path2D p = new Path2D.Double();
        boolean open = false;
        for (int i = 0; i < s.x().length; i++) {
            if (!shown(s.y()[i]) || !Double.isFinite(s.e()[i])) continue;
            double xx = ax.x(s.x()[i]), yy = ax.y(s.y()[i] + s.e()[i]);
            if (open) p.lineTo(xx, yy);
            else p.moveTo(xx, yy);
            open = true;
        }
        if (!open) return;
        for (int i = s.x().length - 1; i >= 0; i--) {
            if (!shown(s.y()[i]) || !Double.isFinite(s.e()[i])) continue;
            double lo = ax.y(s.y()[i] - s.e()[i]);
            p.lineTo(ax.x(s.x()[i]), Double.isFinite(lo) ? lo : ax.area().y + ax.area().height);
        }
        p.closePath();
        g.setColor(new Color(s.rgb()));
        g.fill(p);
    }

    private void curve(Graphics2D g, Axes ax, Series s) {
        Path2D p = new Path2D.Double();
        boolean open = false;
        for (int i = 0; i < s.x().length; i++) {
            if (!shown(s.y()[i]) || !Double.isFinite(s.x()[i])) {
                open = false;
                continue;
            }
            double xx = ax.x(s.x()[i]), yy = ax.y(s.y()[i]);
            if (open) p.lineTo(xx, yy);
            else p.moveTo(xx, yy);
            open = true;
        }
        g.setColor(new Color(s.rgb()));
        g.setStroke(new BasicStroke(s.width(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(p);
    }
}
