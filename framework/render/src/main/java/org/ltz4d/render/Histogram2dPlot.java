package org.ltz4d.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;

/**
 * A 2D histogram as a figure: bins coloured by count on a logarithmic viridis scale (empty bins
 * white), labelled axes with ticks (x to the right, y upwards), a title, a note line (e.g. the
 * correlation coefficients) and a colour bar in counts with ticks at powers of ten.
 */
public final class Histogram2dPlot {

    /** Side of the square plot area in pixels. */
    public static final int PLOT = 600;
    private static final int LEFT = 110;
    private static final int TOP = 80;
    private static final int BOTTOM = 80;
    private static final int BAR_GAP = 40;
    private static final int BAR_W = 24;
    private static final int RIGHT = 140;

    private Histogram2dPlot() {
    }

    /**
     * counts is row-major (ny, nx), row = y bin; edges have nx+1 and ny+1 values. Returns the
     * image (about 950 × 760 px).
     */
    public static BufferedImage render(long[] counts, int nx, int ny, double[] xEdges, double[] yEdges, String title,
            String note, String xLabel, String yLabel) {
        if (counts.length != nx * ny || xEdges.length != nx + 1 || yEdges.length != ny + 1) {
            throw new IllegalArgumentException("histogram of " + nx + "×" + ny + " bins needs " + nx * ny
                    + " counts and " + (nx + 1) + "/" + (ny + 1) + " edges");
        }
        int w = LEFT + PLOT + BAR_GAP + BAR_W + RIGHT;
        int h = TOP + PLOT + BOTTOM;
        BufferedImage img = Panels.blank(w, h);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        long max = 0;
        for (long c : counts) max = Math.max(max, c);
        double logMax = Math.log10(1 + Math.max(1, max));
        ColorMap cm = ColorMap.VIRIDIS;
        for (int iy = 0; iy < ny; iy++) {
            int y0 = TOP + PLOT - (int) Math.round((iy + 1) * (double) PLOT / ny);
            int y1 = TOP + PLOT - (int) Math.round(iy * (double) PLOT / ny);
            for (int ix = 0; ix < nx; ix++) {
                long c = counts[iy * nx + ix];
                if (c == 0) continue;
                int x0 = LEFT + (int) Math.round(ix * (double) PLOT / nx);
                int x1 = LEFT + (int) Math.round((ix + 1) * (double) PLOT / nx);
                g.setColor(new Color(cm.rgb(Math.log10(1 + c) / logMax)));
                g.fillRect(x0, y0, x1 - x0, y1 - y0);
            }
        }
        new Axes(new Rectangle(LEFT, TOP, PLOT, PLOT), xEdges[0], xEdges[nx], yEdges[0], yEdges[ny], false).draw(g, xLabel, yLabel);
        Font tickFont = Axes.TICK_FONT;
        Font labelFont = Axes.LABEL_FONT;
        g.setFont(tickFont);
        FontMetrics fm = g.getFontMetrics();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
        FontMetrics tm = g.getFontMetrics();
        if (title != null) g.drawString(title, LEFT, 12 + tm.getAscent());
        if (note != null && !note.isEmpty()) {
            g.setFont(tickFont);
            g.drawString(note, LEFT, 12 + tm.getHeight() + fm.getAscent() + 2);
        }
        // colour bar in counts, logarithmic
        int bx = LEFT + PLOT + BAR_GAP;
        for (int y = 0; y < PLOT; y++) {
            double t = 1 - (y + 0.5) / PLOT;
            g.setColor(new Color(cm.rgb(t)));
            g.fillRect(bx, TOP + y, BAR_W, 1);
        }
        g.setColor(Color.BLACK);
        g.drawRect(bx, TOP, BAR_W, PLOT);
        g.setFont(tickFont);
        for (long c = 1; c <= Math.max(1, max); c *= 10) {
            int y = TOP + PLOT - (int) Math.round(Math.log10(1 + c) / logMax * PLOT);
            g.drawLine(bx + BAR_W - 5, y, bx + BAR_W + 4, y);
            g.drawString(Long.toString(c), bx + BAR_W + 8, y + fm.getAscent() / 2 - 1);
            if (c > Long.MAX_VALUE / 10) break;
        }
        if (max > 1) {
            g.drawString("max " + max, bx + BAR_W + 8, TOP + fm.getAscent());
        }
        g.setFont(labelFont);
        g.drawString("counts", bx, TOP - 10);
        g.dispose();
        return img;
    }

    public static byte[] png(long[] counts, int nx, int ny, double[] xEdges, double[] yEdges, String title, String note,
            String xLabel, String yLabel) {
        return Png.encode(render(counts, nx, ny, xEdges, yEdges, title, note, xLabel, yLabel));
    }

    /** Where bin (ix, iy) lands in the rendered image (its centre), for tests. */
    public static int[] binCentre(int ix, int iy, int nx, int ny) {
        int x = LEFT + (int) Math.round((ix + 0.5) * PLOT / nx);
        int y = TOP + PLOT - (int) Math.round((iy + 0.5) * PLOT / ny);
        return new int[] {x, y};
    }
}
