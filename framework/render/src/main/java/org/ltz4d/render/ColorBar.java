package org.ltz4d.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** A vertical colour bar (low values at the bottom) with nice labelled ticks and a label with the unit on top. */
public final class ColorBar {

    /** Width of the coloured strip in pixels. */
    public static final int BAR_WIDTH = 24;

    private ColorBar() {
    }

    /** How far below the top of the {@link #render} image the coloured strip starts (room for the label), to align it with a map. */
    public static int stripTop(String label) {
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        pg.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        FontMetrics fm = pg.getFontMetrics();
        pg.dispose();
        return label == null || label.isEmpty() ? fm.getAscent() : 2 * fm.getHeight();
    }

    /**
     * Renders the bar on white; {@code barHeight} is the height of the coloured strip, the image
     * is taller by the label and margins. {@code label} is e.g. "B (T)" or "Δρ/ρ (1)".
     */
    public static BufferedImage render(ColorMap map, Range range, String label, int barHeight) {
        if (barHeight < 40) throw new IllegalArgumentException("colour bar height must be ≥ 40 px, got " + barHeight);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
        double[] ticks = Ticks.positions(range.min(), range.max(), Math.max(3, barHeight / 60));
        double step = ticks.length > 1 ? ticks[1] - ticks[0] : Ticks.step(range.max() - range.min(), 5);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        pg.setFont(font);
        FontMetrics fm = pg.getFontMetrics();
        int labelW = 0;
        for (double t : ticks) labelW = Math.max(labelW, fm.stringWidth(Ticks.label(t, step)));
        int titleW = label == null ? 0 : fm.stringWidth(label);
        pg.dispose();
        int top = label == null || label.isEmpty() ? fm.getAscent() : 2 * fm.getHeight();
        int bottom = fm.getAscent();
        int w = Math.max(BAR_WIDTH + 8 + labelW + 6, titleW + 4);
        int h = top + barHeight + bottom;
        BufferedImage img = Panels.blank(w, h);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(font);
        for (int y = 0; y < barHeight; y++) {
            double t = 1 - (y + 0.5) / barHeight;
            g.setColor(new Color(map.rgb(t)));
            g.fillRect(0, top + y, BAR_WIDTH, 1);
        }
        g.setColor(Color.BLACK);
        g.drawRect(0, top, BAR_WIDTH - 1, barHeight - 1);
        for (double t : ticks) {
            int y = top + (int) Math.round((1 - range.normalise(t)) * (barHeight - 1));
            g.drawLine(BAR_WIDTH - 5, y, BAR_WIDTH + 3, y);
            g.drawString(Ticks.label(t, step), BAR_WIDTH + 8, y + fm.getAscent() / 2 - 1);
        }
        if (label != null && !label.isEmpty()) g.drawString(label, 0, fm.getAscent());
        g.dispose();
        return img;
    }
}
