package org.ltz4d.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.util.Locale;

/** A scale bar in nm (1, 2 or 5 × 10^k nm) drawn over a map, from the scan step. */
public final class ScaleBar {

    private ScaleBar() {
    }

    /** The largest 1, 2 or 5 × 10^k not above {@code maxNm} (maxNm &gt; 0). */
    public static double niceLengthNm(double maxNm) {
        if (!(maxNm > 0) || Double.isInfinite(maxNm)) throw new IllegalArgumentException("scale bar needs a positive length, got " + maxNm);
        double mag = Math.pow(10, Math.floor(Math.log10(maxNm)));
        double f = maxNm / mag;
        double nice = f >= 5 ? 5 : f >= 2 ? 2 : 1;
        return nice * mag;
    }

    /** "50 nm", "1 µm", "0.5 nm". */
    public static String label(double nm) {
        if (nm >= 1000) return format(nm / 1000) + " µm";
        return format(nm) + " nm";
    }

    private static String format(double v) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.6g", v)).stripTrailingZeros().toPlainString();
    }

    /**
     * Draws a scale bar of about a fifth of {@code mapWidthPx} at the bottom-left of the map area
     * whose top-left is (x0, y0) and size mapWidthPx × mapHeightPx; {@code nmPerPx} is the scan
     * step divided by the upscaling factor. Returns the bar's length in nm.
     */
    public static double draw(Graphics2D g, int x0, int y0, int mapWidthPx, int mapHeightPx, double nmPerPx) {
        double nm = niceLengthNm(0.2 * mapWidthPx * nmPerPx);
        int len = (int) Math.round(nm / nmPerPx);
        Graphics2D g2 = (Graphics2D) g.create();
        g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, 16);
        g2.setFont(font);
        FontMetrics fm = g2.getFontMetrics();
        String text = label(nm);
        int barH = 6;
        int pad = 6;
        int boxW = Math.max(len, fm.stringWidth(text)) + 2 * pad;
        int boxH = fm.getHeight() + barH + 3 * pad;
        int bx = x0 + 12;
        int by = y0 + mapHeightPx - 12 - boxH;
        g2.setColor(new Color(0, 0, 0, 150));
        g2.fillRect(bx, by, boxW, boxH);
        g2.setColor(Color.WHITE);
        g2.fillRect(bx + pad, by + boxH - pad - barH, len, barH);
        g2.drawString(text, bx + pad + Math.max(0, (len - fm.stringWidth(text)) / 2), by + pad + fm.getAscent());
        g2.dispose();
        return nm;
    }
}
