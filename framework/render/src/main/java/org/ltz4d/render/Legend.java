package org.ltz4d.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/** A legend of coloured boxes, one entry a line, each box outlined in black with its text to the right. */
public final class Legend {
    /** Side of a box in pixels. */
    public static final int BOX = 22;
    /** Left edge of the boxes. */
    public static final int BOX_X = 20;
    /** Top of the first box. */
    public static final int FIRST_Y = 56;
    /** Distance from one entry to the next. */
    public static final int LINE = 30;
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 16);

    private Legend() {
    }

    /** Entry {@code i} is {@code text.get(i)} in colour {@code rgb[i]}; the image is at least {@code minHeight} tall. */
    public static BufferedImage boxes(List<String> text, int[] rgb, int minHeight) {
        if (rgb.length < text.size()) throw new IllegalArgumentException("legend: " + text.size() + " entries, " + rgb.length + " colours");
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        pg.setFont(FONT);
        FontMetrics fm = pg.getFontMetrics();
        int tw = 0;
        for (String s : text) tw = Math.max(tw, fm.stringWidth(s));
        pg.dispose();
        int w = BOX_X + BOX + 10 + tw + 20;
        int h = Math.max(minHeight, 40 + LINE * text.size());
        BufferedImage img = Panels.blank(w, h);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(FONT);
        int y = FIRST_Y;
        for (int c = 0; c < text.size(); c++) {
            g.setColor(new Color(rgb[c]));
            g.fillRect(BOX_X, y, BOX, BOX);
            g.setColor(Color.BLACK);
            g.drawRect(BOX_X, y, BOX, BOX);
            g.drawString(text.get(c), BOX_X + BOX + 10, y + BOX / 2 + fm.getAscent() / 2 - 1);
            y += LINE;
        }
        g.dispose();
        return img;
    }
}
