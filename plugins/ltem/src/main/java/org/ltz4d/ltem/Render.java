package org.ltz4d.ltem;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.ltz4d.api.analysis.Figure;
import org.ltz4d.render.ColorMap;
import org.ltz4d.render.FigureBuilder;
import org.ltz4d.render.MapImage;
import org.ltz4d.render.Png;
import org.ltz4d.render.Range;

/**
 * Figures (PNG, map at least 600 px): a phase map in grey levels with a colour bar and a vector map
 * in the colour wheel (hue = direction from +x towards +y in array coordinates, clockwise on the
 * screen, DESIGN.md §2) drawn with the shared render library {@code org.ltz4d.render}; and a loss
 * curve drawn here with Java2D (the library has no line plot), without text.
 */
final class Render {
    private static final int MIN_SIZE = 600;

    private Render() {
    }

    static Figure phase(String fileName, String caption, double[] phase, int ny, int nx, double pixelNm) {
        float[] f = LtemInput.toFloat(phase);
        Range range = Range.percentile(f, 0.1, 99.9);
        byte[] png = FigureBuilder.map(MapImage.scalar(f, ny, nx, ColorMap.GREY, range)).title(caption)
                .colorBar(ColorMap.GREY, range, "phase (rad)").scaleBar(pixelNm).png();
        return new Figure(fileName, caption + String.format(" Grey scale from %.3g rad (black) to %.3g rad (white).", range.min(), range.max()),
                Figure.PNG, png);
    }

    static Figure colourWheel(String fileName, String caption, double[] vx, double[] vy, int ny, int nx, double pixelNm) {
        float[] fx = LtemInput.toFloat(vx), fy = LtemInput.toFloat(vy);
        double max = MapImage.maxMagnitude(fx, fy, 99.5);
        byte[] png = FigureBuilder.map(MapImage.vector(fx, fy, ny, nx, max)).title(caption)
                .wheelLegend(false, String.format("|B·t| = 0 … %.3g T·nm", max)).scaleBar(pixelNm).png();
        return new Figure(fileName, caption + String.format(" Colour = direction (hue from +x towards +y, image y down), brightness = "
                + "magnitude, saturating at %.3g T·nm (99.5th percentile).", max), Figure.PNG, png);
    }

    static Figure curve(String fileName, String caption, double[] y) {
        int w = 900, h = 620, left = 100, right = 30, top = 50, bottom = 70;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        int pw = w - left - right, ph = h - top - bottom;
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : y) {
            if (v > 0 && Double.isFinite(v)) {
                lo = Math.min(lo, Math.log10(v));
                hi = Math.max(hi, Math.log10(v));
            }
        }
        if (!(hi > lo)) {
            lo = Double.isFinite(lo) ? lo - 0.5 : 0;
            hi = lo + 1;
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.setColor(Color.BLACK);
        g.drawString(caption, left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        // decades and the ends of the axes
        g.setColor(new Color(0xdddddd));
        for (int d = (int) Math.ceil(lo); d <= Math.floor(hi); d++) {
            int yy = top + ph - (int) Math.round(ph * (d - lo) / (hi - lo));
            g.drawLine(left, yy, left + pw, yy);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, pw, ph);
        for (int d = (int) Math.ceil(lo); d <= Math.floor(hi); d++) {
            int yy = top + ph - (int) Math.round(ph * (d - lo) / (hi - lo));
            g.drawString("1e" + d, left - 45, yy + 5);
        }
        g.drawString(String.format("%.3g", Math.pow(10, hi)), left - 90, top + 5);
        g.drawString(String.format("%.3g", Math.pow(10, lo)), left - 90, top + ph + 5);
        int n = Math.max(y.length, 1);
        g.drawString("1", left - 3, top + ph + 20);
        g.drawString(Integer.toString(n), left + pw - 10, top + ph + 20);
        g.drawString("iteration", left + pw / 2 - 30, h - 25);
        g.rotate(-Math.PI / 2);
        g.drawString("objective (log scale)", -(top + ph / 2 + 70), 25);
        g.rotate(Math.PI / 2);
        if (y.length > 1) {
            g.setColor(new Color(0x1f77b4));
            g.setStroke(new BasicStroke(2f));
            int px = -1, py = -1;
            for (int i = 0; i < y.length; i++) {
                if (!(y[i] > 0)) continue;
                int x = left + (int) Math.round(pw * (double) i / (y.length - 1));
                int yy = top + ph - (int) Math.round(ph * (Math.log10(y[i]) - lo) / (hi - lo));
                if (px >= 0) g.drawLine(px, py, x, yy);
                px = x;
                py = yy;
            }
        }
        g.dispose();
        return new Figure(fileName, caption + String.format(" Logarithmic vertical axis from %.3g to %.3g; iterations 1 to %d.",
                Math.pow(10, lo), Math.pow(10, hi), y.length), Figure.PNG, Png.encode(img));
    }

    /** The {@code tail} and 1−{@code tail} quantiles of the finite values. */
    static double[] robustRange(double[] a, double tail) {
        double[] f = Arrays.stream(a).filter(Double::isFinite).sorted().toArray();
        if (f.length == 0) return new double[] {0, 1};
        double lo = f[(int) Math.floor(tail * (f.length - 1))];
        double hi = f[(int) Math.ceil((1 - tail) * (f.length - 1))];
        if (!(hi > lo)) {
            lo = f[0];
            hi = f[f.length - 1];
        }
        if (!(hi > lo)) hi = lo + 1;
        return new double[] {lo, hi};
    }
}
