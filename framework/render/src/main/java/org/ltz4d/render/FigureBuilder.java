package org.ltz4d.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays out one map figure: a title on top, the map upscaled (nearest neighbour) so that its
 * smaller side is at least {@link #minMapPixels} pixels, an optional scale bar on the map,
 * optional arrow/stick overlays, and legends (colour bars, colour wheels) in a column to the
 * right. The canvas is at least {@link #minCanvas} pixels in both directions. Not thread-safe;
 * one builder per figure.
 *
 * <pre>
 * byte[] png = FigureBuilder.map(MapImage.vector(bx, by, rows, cols, max))
 *         .title("B (T)").wheelLegend(false, "|B| = 0 … 1.2 T").scaleBar(stepNm).png();
 * </pre>
 */
public final class FigureBuilder {

    private static final int MARGIN = 16;
    private static final int GAP = 24;

    private final BufferedImage map;
    private String title;
    private double nmPerPosition = Double.NaN;
    private int minMapPixels = 600;
    private int maxMapPixels = 3000;
    private int minCanvas = 600;
    private final List<Legend> legends = new ArrayList<>();
    private final List<OverlaySpec> overlays = new ArrayList<>();

    private sealed interface Legend permits Bar, Wheel {
    }

    private record Bar(ColorMap map, Range range, String label) implements Legend {
    }

    private record Wheel(boolean axial, String label) implements Legend {
    }

    private record OverlaySpec(boolean arrows, float[] a, float[] b, int step, double max, Color color) {
    }

    private FigureBuilder(BufferedImage map) {
        this.map = map;
    }

    /** A figure of {@code map}, an image at one pixel per scan position (see {@link MapImage}). */
    public static FigureBuilder map(BufferedImage map) {
        return new FigureBuilder(map);
    }

    public FigureBuilder title(String t) {
        this.title = t;
        return this;
    }

    /** Adds a scale bar; {@code nmPerPosition} is the scan step in nm (ignored unless positive and finite). */
    public FigureBuilder scaleBar(double nmPerPosition) {
        this.nmPerPosition = nmPerPosition;
        return this;
    }

    public FigureBuilder colorBar(ColorMap cmap, Range range, String label) {
        legends.add(new Bar(cmap, range, label));
        return this;
    }

    /** Adds the vector wheel ({@code axial} false) or the two-fold wheel as a legend. */
    public FigureBuilder wheelLegend(boolean axial, String label) {
        legends.add(new Wheel(axial, label));
        return this;
    }

    /** Overlays arrows of (vx, vy) at every {@code step}-th position; maxMagnitude spans 0.9·step. */
    public FigureBuilder arrows(float[] vx, float[] vy, int step, double maxMagnitude, Color color) {
        overlays.add(new OverlaySpec(true, vx, vy, step, maxMagnitude, color));
        return this;
    }

    /** Overlays sticks along {@code angleDeg} (length ∝ {@code length}, or equal when null). */
    public FigureBuilder sticks(float[] angleDeg, float[] length, int step, double maxLength, Color color) {
        overlays.add(new OverlaySpec(false, angleDeg, length, step, maxLength, color));
        return this;
    }

    public FigureBuilder minMapPixels(int px) {
        this.minMapPixels = px;
        return this;
    }

    public FigureBuilder maxMapPixels(int px) {
        this.maxMapPixels = px;
        return this;
    }

    public FigureBuilder minCanvas(int px) {
        this.minCanvas = px;
        return this;
    }

    /** Screen pixels per scan position in the rendered figure. */
    public int pxPerPosition() {
        return MapImage.upscaleFactor(map.getHeight(), map.getWidth(), minMapPixels, maxMapPixels);
    }

    /** Where the map lands in the rendered figure. */
    public Rectangle mapArea() {
        int f = pxPerPosition();
        return new Rectangle(MARGIN, MARGIN + titleHeight(), map.getWidth() * f, map.getHeight() * f);
    }

    private int titleHeight() {
        return title == null || title.isEmpty() ? 0 : 34;
    }

    public BufferedImage render() {
        int f = pxPerPosition();
        Rectangle area = mapArea();
        int legendH = Math.max(200, Math.min(area.height, 500));
        List<BufferedImage> legendImages = new ArrayList<>();
        for (Legend l : legends) {
            if (l instanceof Bar b) {
                legendImages.add(ColorBar.render(b.map(), b.range(), b.label(), legends.size() > 1 ? legendH / 2 : legendH));
            } else if (l instanceof Wheel w) {
                legendImages.add(ColorWheel.legend(Math.max(100, Math.min(180, area.height / 2)), w.axial(), w.label()));
            }
        }
        int legendW = 0;
        int legendTotalH = 0;
        for (BufferedImage i : legendImages) {
            legendW = Math.max(legendW, i.getWidth());
            legendTotalH += i.getHeight() + GAP;
        }
        int w = area.x + area.width + (legendImages.isEmpty() ? 0 : GAP + legendW) + MARGIN;
        int h = area.y + Math.max(area.height, legendTotalH) + MARGIN;
        w = Math.max(w, minCanvas);
        h = Math.max(h, minCanvas);
        BufferedImage out = Panels.blank(w, h);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.drawImage(MapImage.upscale(map, f), area.x, area.y, null);
        for (OverlaySpec o : overlays) {
            if (o.arrows()) {
                Overlay.arrows(g, area.x, area.y, f, map.getHeight(), map.getWidth(), o.a(), o.b(), o.step(), o.max(), o.color());
            } else {
                Overlay.sticks(g, area.x, area.y, f, map.getHeight(), map.getWidth(), o.a(), o.b(), o.step(), o.max(), o.color());
            }
        }
        if (nmPerPosition > 0 && Double.isFinite(nmPerPosition)) {
            ScaleBar.draw(g, area.x, area.y, area.width, area.height, nmPerPosition / f);
        }
        g.setColor(Color.BLACK);
        g.drawRect(area.x - 1, area.y - 1, area.width + 1, area.height + 1);
        if (titleHeight() > 0) {
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
            FontMetrics fm = g.getFontMetrics();
            g.drawString(title, MARGIN, MARGIN + fm.getAscent());
        }
        int y = area.y;
        for (BufferedImage i : legendImages) {
            g.drawImage(i, area.x + area.width + GAP, y, null);
            y += i.getHeight() + GAP;
        }
        g.dispose();
        return out;
    }

    /** {@link #render()} encoded as PNG. */
    public byte[] png() {
        return Png.encode(render());
    }
}
