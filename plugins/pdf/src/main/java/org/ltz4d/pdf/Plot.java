package org.ltz4d.pdf;

import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import org.ltz4d.render.Axes;
import org.ltz4d.render.ColorBar;
import org.ltz4d.render.ColorMap;
import org.ltz4d.render.LinePlot;
import org.ltz4d.render.MapImage;
import org.ltz4d.render.Panels;
import org.ltz4d.render.Png;
import org.ltz4d.render.Range;

/**
 * What the PDF figures show, drawn with the shared render primitives: a profile with a ±1σ band
 * and a reference line ({@link LinePlot}), and a map in scan positions with axes and a colour bar.
 */
final class Plot {
    private Plot() {
    }

    /** A curve y(x) with a band y ± e (e may be null), axes labelled with units, a dashed line at yRef. PNG bytes. */
    static byte[] profile(double[] x, double[] y, double[] e, String title, String xLabel, String yLabel, double yRef) {
        LinePlot p = LinePlot.of(1000, 650).margins(110, 60, 30, 90).title(title).labels(xLabel, yLabel).reference(yRef);
        if (e != null) p.band(x, y, e, LinePlot.BAND_RGB);
        return p.line(x, y, LinePlot.LINE_RGB, 2.2f).png();
    }

    /** A map (rows × cols, row-major, NaN grey) in viridis over the 2nd–98th percentile, with a colour bar labelled {@code label}. PNG bytes. */
    static byte[] map(float[] v, int rows, int cols, String title, String label) {
        int scale = Math.max(1, Math.min(640 / cols, 640 / rows));
        if (scale * cols < 300) scale = Math.max(1, 300 / cols);
        int mw = cols * scale;
        int mh = rows * scale;
        int l = 90;
        int t = 60;
        Range range = Range.percentile(v, 2, 98);
        BufferedImage bar = ColorBar.render(ColorMap.VIRIDIS, range, label, Math.max(40, mh));
        int w = Math.max(700, l + mw + 40 + bar.getWidth() + 20);
        int h = Math.max(600, t + mh + 90);
        int barY = Math.max(0, t - ColorBar.stripTop(label)); // the coloured strip level with the map
        BufferedImage img = Panels.blank(w, h);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.drawImage(MapImage.upscale(MapImage.scalar(v, rows, cols, ColorMap.VIRIDIS, range), scale), l, t, null);
        new Axes(new Rectangle(l, t, mw, mh), 0, cols, rows, 0, false).draw(g, "scan x (positions)", "scan y (positions)");
        g.drawImage(bar, l + mw + 40, barY, null);
        g.setFont(LinePlot.TITLE_FONT);
        g.drawString(title, l, 35);
        g.dispose();
        return Png.encode(img);
    }
}
