package org.ltz4d.correlation.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import org.ltz4d.render.FigureBuilder;
import org.ltz4d.render.Panels;
import org.ltz4d.render.Png;

/**
 * A label map (clusters, binarised orientations) in categorical colours with a legend of
 * coloured boxes; label −1 (no value) is grey. Uses the render bundle's layout for the map and
 * its scale bar.
 */
public final class CategoricalFigure {

    /** Colour of label −1 (no value). */
    public static final int NO_VALUE_RGB = 0xB0B0B0;

    /** Matplotlib's tab10 palette: distinct for colour-blind readers in its first entries. */
    private static final int[] PALETTE = {0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2,
        0x7F7F7F, 0xBCBD22, 0x17BECF};

    private CategoricalFigure() {
    }

    public static int colour(int label) {
        if (label < 0) return NO_VALUE_RGB;
        return PALETTE[label % PALETTE.length];
    }

    /**
     * labels per position (row-major, −1 = no value); {@code legend.get(c)} describes label c;
     * {@code colours} overrides the palette when not null. {@code nmPerPosition} ≤ 0 or NaN: no
     * scale bar.
     */
    public static BufferedImage render(int[] labels, int rows, int cols, String title, List<String> legend, int[] colours,
            double nmPerPosition) {
        if (labels.length != rows * cols) throw new IllegalArgumentException("labels: need " + rows * cols + ", got " + labels.length);
        BufferedImage map = new BufferedImage(cols, rows, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i];
            int rgb = l < 0 ? NO_VALUE_RGB : colours != null && l < colours.length ? colours[l] : colour(l);
            map.setRGB(i % cols, i / cols, rgb);
        }
        FigureBuilder fb = FigureBuilder.map(map).title(title).scaleBar(nmPerPosition);
        BufferedImage fig = fb.render();
        BufferedImage leg = legend(legend, colours, fb.mapArea().height);
        BufferedImage out = Panels.row(0, List.of(fig, leg));
        Graphics2D g = out.createGraphics();
        g.dispose();
        return out;
    }

    public static byte[] png(int[] labels, int rows, int cols, String title, List<String> legend, int[] colours, double nmPerPosition) {
        return Png.encode(render(labels, rows, cols, title, legend, colours, nmPerPosition));
    }

    private static BufferedImage legend(List<String> entries, int[] colours, int minHeight) {
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 16);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        pg.setFont(font);
        FontMetrics fm = pg.getFontMetrics();
        int tw = 0;
        for (String s : entries) tw = Math.max(tw, fm.stringWidth(s));
        tw = Math.max(tw, fm.stringWidth("no value"));
        pg.dispose();
        int line = 30;
        int w = 20 + 22 + 10 + tw + 20;
        int h = Math.max(minHeight, 40 + line * (entries.size() + 1));
        BufferedImage img = Panels.blank(w, h);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(font);
        int y = 56;
        for (int c = 0; c <= entries.size(); c++) {
            boolean none = c == entries.size();
            int rgb = none ? NO_VALUE_RGB : colours != null && c < colours.length ? colours[c] : colour(c);
            g.setColor(new Color(rgb));
            g.fillRect(20, y, 22, 22);
            g.setColor(Color.BLACK);
            g.drawRect(20, y, 22, 22);
            g.drawString(none ? "no value" : entries.get(c), 52, y + 11 + fm.getAscent() / 2 - 1);
            y += line;
        }
        g.dispose();
        return img;
    }
}
