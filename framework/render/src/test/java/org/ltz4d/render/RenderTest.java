package org.ltz4d.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenderTest {

    @Test
    void colourMapsHaveKnownEnds() {
        assertEquals(0x440154, ColorMap.VIRIDIS.rgb(0));
        assertEquals(0xFDE725, ColorMap.VIRIDIS.rgb(1));
        assertEquals(0xFDE725, ColorMap.VIRIDIS.rgb(7));
        int mid = ColorMap.DIVERGING.rgb(0.5);
        for (int sh = 0; sh <= 16; sh += 8) assertEquals(0xF7, (mid >> sh) & 255, 3, "diverging centre is near white");
        assertEquals(0x000000, ColorMap.GREY.rgb(0));
        assertEquals(0xFFFFFF, ColorMap.GREY.rgb(1));
        assertEquals(ColorMap.VIRIDIS.nanRgb(), ColorMap.VIRIDIS.rgb(Double.NaN));
        // viridis grows monotonically in lightness (sum of channels as a crude proxy)
        int prev = -1;
        for (int i = 0; i <= 20; i++) {
            int c = ColorMap.VIRIDIS.rgb(i / 20.0);
            int l = 2 * ((c >> 16) & 255) + 5 * ((c >> 8) & 255) + (c & 255);
            assertTrue(l > prev, "viridis lightness at " + i);
            prev = l;
        }
    }

    @Test
    void ranges() {
        float[] v = {1, 2, Float.NaN, 3, Float.POSITIVE_INFINITY, -1};
        assertEquals(new Range(-1, 3), Range.of(v));
        assertEquals(new Range(-3, 3), Range.symmetric(v));
        Range p = Range.percentile(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 10, 90);
        assertEquals(1, p.min(), 1e-9);
        assertEquals(9, p.max(), 1e-9);
        assertTrue(Range.of(new float[] {2, 2}).max() > 2);
        assertEquals(new Range(0, 1), Range.of(new float[] {Float.NaN}));
        assertEquals(2.0, Range.percentileValue(new float[] {2, 2, Float.NaN, 2}, 99), 0);
        assertTrue(Double.isNaN(Range.percentileValue(new float[] {Float.NaN}, 50)));
        assertEquals(5.0, MapImage.maxMagnitude(new float[] {3, 3}, new float[] {4, -4}, 99), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> new Range(1, 1));
    }

    @Test
    void ticksAreNice() {
        assertArrayEquals(new double[] {0, 0.5, 1.0}, Ticks.positions(0, 1, 3), 1e-12);
        assertArrayEquals(new double[] {-0.02, -0.01, 0, 0.01, 0.02}, Ticks.positions(-0.025, 0.025, 5), 1e-12);
        assertEquals("0.01", Ticks.label(0.01, 0.01));
        assertEquals("2e-04", Ticks.label(2e-4, 1e-4));
        assertEquals("-0.5", Ticks.label(-0.5, 0.5));
        assertEquals(50, ScaleBar.niceLengthNm(73), 1e-12);
        assertEquals(0.2, ScaleBar.niceLengthNm(0.3), 1e-12);
        assertEquals("50 nm", ScaleBar.label(50));
        assertEquals("0.2 nm", ScaleBar.label(0.2));
        assertEquals("2 µm", ScaleBar.label(2000));
    }

    @Test
    void upscaleIsNearestNeighbour() {
        BufferedImage src = MapImage.scalar(new float[] {0, 1, Float.NaN, 0.5f}, 2, 2, ColorMap.GREY, new Range(0, 1));
        BufferedImage big = MapImage.upscale(src, 3);
        assertEquals(6, big.getWidth());
        assertEquals(6, big.getHeight());
        assertEquals(0x000000, big.getRGB(2, 2) & 0xFFFFFF);
        assertEquals(0xFFFFFF, big.getRGB(3, 0) & 0xFFFFFF);
        assertEquals(ColorMap.GREY.nanRgb(), big.getRGB(0, 5) & 0xFFFFFF);
        assertEquals(MapImage.upscaleFactor(225, 620, 600, 3000), 3);
        assertEquals(MapImage.upscaleFactor(1024, 1024, 600, 3000), 1);
        assertEquals(MapImage.upscaleFactor(4, 1000, 600, 3000), 3);
    }

    @Test
    void figureIsAtLeast600PixelsAndPlacesTheMap() {
        int rows = 20;
        int cols = 30;
        float[] vx = new float[rows * cols];
        float[] vy = new float[rows * cols];
        for (int i = 0; i < vx.length; i++) vx[i] = 1; // uniform +x: red
        vx[0] = Float.NaN;
        FigureBuilder fb = FigureBuilder.map(MapImage.vector(vx, vy, rows, cols, 1))
                .title("B").wheelLegend(false, "|B| ≤ 1 T").scaleBar(2.0);
        BufferedImage img = Png.decode(fb.png());
        assertTrue(img.getWidth() >= 600 && img.getHeight() >= 600, img.getWidth() + "×" + img.getHeight());
        Rectangle a = fb.mapArea();
        assertEquals(30 * 30, a.width); // factor 30 makes the 20-row side 600 px
        int f = fb.pxPerPosition();
        assertEquals(0xFF0000, img.getRGB(a.x + 15 * f, a.y + 5 * f) & 0xFFFFFF);
        assertEquals(ColorWheel.NAN_RGB, img.getRGB(a.x + f / 2, a.y + f / 2) & 0xFFFFFF);
        // the scale bar darkens the bottom-left corner of the map
        assertNotEquals(0xFF0000, img.getRGB(a.x + 20, a.y + a.height - 20) & 0xFFFFFF);
    }

    @Test
    void colourBarAndOverlaysDraw() {
        BufferedImage bar = ColorBar.render(ColorMap.VIRIDIS, new Range(-1, 1), "ε (1)", 300);
        assertTrue(bar.getHeight() > 300);
        int top = bar.getHeight() - 300 - 14; // somewhere in the strip
        assertTrue(bar.getWidth() > ColorBar.BAR_WIDTH);
        int low = bar.getRGB(ColorBar.BAR_WIDTH / 2, bar.getHeight() - 20) & 0xFFFFFF;
        assertEquals(0x44, (low >> 16) & 255, 8, "bottom of the bar is the low end");
        assertTrue(top > 0);

        int n = 10;
        float[] ang = new float[n * n];
        float[] zero = new float[n * n];
        float[] one = new float[n * n];
        java.util.Arrays.fill(one, 1);
        FigureBuilder fb = FigureBuilder.map(MapImage.scalar(zero, n, n, ColorMap.GREY, new Range(0, 1)))
                .sticks(ang, null, 2, 1, Color.WHITE).arrows(zero, one, 2, 1, Color.RED)
                .colorBar(ColorMap.GREY, new Range(0, 1), "x");
        BufferedImage img = fb.render();
        Rectangle a = fb.mapArea();
        int f = fb.pxPerPosition();
        // a horizontal stick through the centre of position (1, 1)
        assertEquals(0xFFFFFF, img.getRGB(a.x + (int) (1.5 * f) + f / 2, a.y + (int) (1.5 * f)) & 0xFFFFFF);
        // an arrow along +y centred on position (5, 5): its head (wider than the shaft) is below the centre
        int ax = a.x + (int) (5.5 * f);
        int ay = a.y + (int) (5.5 * f);
        assertEquals(0xFF0000, img.getRGB(ax, ay) & 0xFFFFFF);
        assertEquals(0xFF0000, img.getRGB(ax + 3, ay + (int) (0.75 * f)) & 0xFFFFFF);
        assertNotEquals(0xFF0000, img.getRGB(ax + 3, ay - (int) (0.75 * f)) & 0xFFFFFF);
        assertNotEquals(0xFF0000, img.getRGB(a.x + (int) (4.5 * f), ay) & 0xFFFFFF, "only every 2nd position");
        List<BufferedImage> two = List.of(bar, bar);
        assertEquals(2 * bar.getWidth() + 10, Panels.row(10, two).getWidth());
        assertEquals(2 * bar.getHeight() + 10, Panels.column(10, two).getHeight());
    }
}
