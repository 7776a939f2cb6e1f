package org.ltz4d.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Colour wheels for directions (DESIGN.md §2).
 * <ul>
 * <li>{@link #vector}: a vector (vx, vy) in array coordinates; hue = direction, measured from +x
 * towards +y (0° red, 60° yellow, 120° green, 180° cyan, 240° blue, 300° magenta, HSV hues),
 * brightness = magnitude / max (clamped to 1). Zero is black.</li>
 * <li>{@link #axial}: an axis (180°-periodic, e.g. a strain axis); hue = twice the angle, so
 * 0° and 180° share a colour; brightness = weight / max.</li>
 * </ul>
 * NaN (no value) is {@link #NAN_RGB}, a mid grey, distinct from black (zero) and from the fully
 * saturated hues.
 */
public final class ColorWheel {

    /** Colour of positions without a value. */
    public static final int NAN_RGB = 0x808080;

    private ColorWheel() {
    }

    /** HSV to 0xRRGGBB; hue in degrees (any value, taken modulo 360), s and v in [0, 1]. */
    public static int hsv(double hueDeg, double s, double v) {
        double h = ((hueDeg % 360) + 360) % 360 / 60.0;
        int sector = Math.min((int) Math.floor(h), 5);
        double f = h - sector;
        double p = v * (1 - s);
        double q = v * (1 - s * f);
        double t = v * (1 - s * (1 - f));
        double r, g, b;
        switch (sector) {
            case 0 -> { r = v; g = t; b = p; }
            case 1 -> { r = q; g = v; b = p; }
            case 2 -> { r = p; g = v; b = t; }
            case 3 -> { r = p; g = q; b = v; }
            case 4 -> { r = t; g = p; b = v; }
            default -> { r = v; g = p; b = q; }
        }
        return (to255(r) << 16) | (to255(g) << 8) | to255(b);
    }

    private static int to255(double x) {
        return (int) Math.round(Math.max(0, Math.min(1, x)) * 255);
    }

    /**
     * The colour of vector (vx, vy): hue = atan2(vy, vx) (from +x towards +y), brightness =
     * |v| / maxMagnitude clamped to [0, 1]. NaN components give {@link #NAN_RGB}.
     */
    public static int vector(double vx, double vy, double maxMagnitude) {
        if (Double.isNaN(vx) || Double.isNaN(vy)) return NAN_RGB;
        double m = Math.hypot(vx, vy);
        double v = maxMagnitude > 0 ? Math.min(1, m / maxMagnitude) : 0;
        return hsv(Math.toDegrees(Math.atan2(vy, vx)), 1, v);
    }

    /**
     * The colour of an axis at {@code angleDeg} (180°-periodic) with brightness
     * weight / maxWeight clamped to [0, 1]; NaN gives {@link #NAN_RGB}.
     */
    public static int axial(double angleDeg, double weight, double maxWeight) {
        if (Double.isNaN(angleDeg) || Double.isNaN(weight)) return NAN_RGB;
        double v = maxWeight > 0 ? Math.max(0, Math.min(1, weight / maxWeight)) : 0;
        return hsv(2 * angleDeg, 1, v);
    }

    /** Hue of an RGB colour in degrees [0, 360) (NaN for greys): the inverse of the wheel's hue. */
    public static double hueDegrees(int rgb) {
        double r = ((rgb >> 16) & 255) / 255.0;
        double g = ((rgb >> 8) & 255) / 255.0;
        double b = (rgb & 255) / 255.0;
        double max = Math.max(r, Math.max(g, b));
        double min = Math.min(r, Math.min(g, b));
        double d = max - min;
        if (d <= 0) return Double.NaN;
        double h;
        if (max == r) h = ((g - b) / d) % 6;
        else if (max == g) h = (b - r) / d + 2;
        else h = (r - g) / d + 4;
        h *= 60;
        return h < 0 ? h + 360 : h;
    }

    /**
     * The wheel as a legend: a disk of the given diameter on a white background, drawn in the
     * screen frame of the maps (+x right, +y down), with "+x" and "+y" marks. For a vector
     * wheel brightness grows with the radius; an axial wheel shows the same colours for opposite
     * directions. {@code label} (may be null) is written under the disk, so the image is taller
     * than the diameter when a label is given.
     */
    public static BufferedImage legend(int diameter, boolean axial, String label) {
        if (diameter < 16) throw new IllegalArgumentException("legend diameter must be at least 16 px, got " + diameter);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(11, diameter / 12));
        int pad = font.getSize() * 2 + 4;
        int labelH = label == null || label.isEmpty() ? 0 : font.getSize() + 8;
        int w = diameter + 2 * pad;
        int h = diameter + 2 * pad + labelH;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double r = diameter / 2.0;
        double cx = pad + r;
        double cy = pad + r;
        for (int y = pad; y < pad + diameter; y++) {
            for (int x = pad; x < pad + diameter; x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                double m = Math.hypot(dx, dy);
                if (m > r) continue;
                int rgb;
                if (axial) {
                    rgb = axial(Math.toDegrees(Math.atan2(dy, dx)), m, r);
                } else {
                    rgb = vector(dx, dy, r);
                }
                img.setRGB(x, y, rgb);
            }
        }
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawOval(pad, pad, diameter - 1, diameter - 1);
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        g.setColor(Color.BLACK);
        g.drawString("+x", (float) (cx + r + 3), (float) (cy + fm.getAscent() / 2.0 - 1));
        String ylab = "+y";
        g.drawString(ylab, (float) (cx - fm.stringWidth(ylab) / 2.0), (float) (cy + r + fm.getAscent() + 1));
        if (labelH > 0) {
            g.drawString(label, (float) Math.max(2, (w - fm.stringWidth(label)) / 2.0), h - 6f);
        }
        g.dispose();
        return img;
    }
}
