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
        double s = scale(w, h);
        BufferedImage out = blank((int) Math.ceil(w * s), (int) Math.ceil(h * s));
        Graphics2D g = graphics(out, s);
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
        double s = scale(w, h);
        BufferedImage out = blank((int) Math.ceil(w * s), (int) Math.ceil(h * s));
        Graphics2D g = graphics(out, s);
        int y = 0;
        for (BufferedImage i : images) {
            g.drawImage(i, 0, y, null);
            y += i.getHeight() + gap;
        }
        g.dispose();
        return out;
    }

    /**
     * Largest composed image in pixels: 1/16 of the maximum heap in 4-byte pixels (6.7e7 px at
     * 4 GiB, so never reached at ordinary heaps). A composition of many large panels at a small
     * heap is drawn scaled down to it rather than running out of memory.
     */
    static long pixelBudget() {
        return budgetForTests > 0 ? budgetForTests : Math.max(1L << 18, Runtime.getRuntime().maxMemory() / 16 / 4);
    }

    /** A budget tests set (0: from the heap). */
    static volatile long budgetForTests;

    /** The factor (≤ 1) that brings a w×h composition within {@link #pixelBudget()}. */
    static double scale(long w, long h) {
        long px = w * h;
        long budget = pixelBudget();
        return px <= budget ? 1 : Math.sqrt((double) budget / px);
    }

    private static Graphics2D graphics(BufferedImage out, double s) {
        Graphics2D g = out.createGraphics();
        if (s < 1) {
            g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.scale(s, s);
        }
        return g;
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
