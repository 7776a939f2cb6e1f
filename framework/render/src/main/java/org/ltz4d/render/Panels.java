package org.ltz4d.render;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/** Places finished figures side by side or one above the other on a white background. */
public final class Panels {

    private Panels() {
    }

    /** Images in a row, tops aligned, separated by {@code gap} pixels. */
    public static BufferedImage row(int gap, List<BufferedImage> images) {
        if (images.isEmpty()) throw new IllegalArgumentException("no panels");
        int w = gap * (images.size() - 1);
        int h = 0;
        for (BufferedImage i : images) {
            w += i.getWidth();
            h = Math.max(h, i.getHeight());
        }
        BufferedImage out = blank(w, h);
        Graphics2D g = out.createGraphics();
        int x = 0;
        for (BufferedImage i : images) {
            g.drawImage(i, x, 0, null);
            x += i.getWidth() + gap;
        }
        g.dispose();
        return out;
    }

    /** Images in a column, left edges aligned, separated by {@code gap} pixels. */
    public static BufferedImage column(int gap, List<BufferedImage> images) {
        if (images.isEmpty()) throw new IllegalArgumentException("no panels");
        int h = gap * (images.size() - 1);
        int w = 0;
        for (BufferedImage i : images) {
            h += i.getHeight();
            w = Math.max(w, i.getWidth());
        }
        BufferedImage out = blank(w, h);
        Graphics2D g = out.createGraphics();
        int y = 0;
        for (BufferedImage i : images) {
            g.drawImage(i, 0, y, null);
            y += i.getHeight() + gap;
        }
        g.dispose();
        return out;
    }

    /** A white RGB image. */
    public static BufferedImage blank(int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return out;
    }
}
