package org.ltz4d.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Known colours at known pixels of the plotting primitives: axes, line plots, 2D histograms, label maps, legends. */
class PlotPrimitivesTest {
    private static final int WHITE = 0xFFFFFF;
    private static final int BLACK = 0x000000;

    private static int rgb(BufferedImage img, double x, double y) {
        return img.getRGB((int) Math.round(x), (int) Math.round(y)) & 0xFFFFFF;
    }

    @Test
    void axesMapDataToPixelsAndDrawFrameAndTicks() {
        Axes ax = new Axes(new Rectangle(100, 50, 400, 300), 0, 10, -1, 1, false);
        assertEquals(100, ax.x(0), 1e-9);
        assertEquals(500, ax.x(10), 1e-9);
        assertEquals(350, ax.y(-1), 1e-9, "y0 at the bottom");
        assertEquals(50, ax.y(1), 1e-9, "y1 at the top");
        Axes rows = new Axes(new Rectangle(0, 0, 100, 100), 0, 10, 10, 0, false);
        assertEquals(0, rows.y(0), 1e-9, "y0 > y1: row 0 at the top");
        Axes log = new Axes(new Rectangle(0, 0, 100, 300), 0, 1, 1e-2, 1e1, true);
        assertEquals(200, log.y(0.1), 1e-9, "one decade a third of the height");
        assertEquals(1e-2, log.yBottom(), 1e-15);
        assertEquals(10, log.yTop(), 1e-12);
        assertTrue(Double.isNaN(log.y(0)));

        BufferedImage img = Panels.blank(600, 450);
        Graphics2D g = img.createGraphics();
        ax.draw(g, "x (nm)", "y (T)");
        g.dispose();
        assertEquals(BLACK, rgb(img, 100, 200), "left edge of the frame");
        assertEquals(BLACK, rgb(img, 300, 350), "bottom edge of the frame");
        assertEquals(WHITE, rgb(img, 300, 200), "inside the frame");
        assertEquals(BLACK, rgb(img, ax.x(4), 354), "x tick at 4 below the frame");
        assertEquals(WHITE, rgb(img, ax.x(5), 354), "no x tick at 5 (step 2)");
        assertEquals(BLACK, rgb(img, 96, ax.y(0.5)), "y tick at 0.5 left of the frame");
    }

    @Test
    void linePlotDrawsBandBehindTheCurveAndTheReferenceLine() {
        double[] x = {0, 2, 4, 6, 8, 10};
        double[] y = {2, 2, 2, 2, 2, 2};
        double[] e = {1, 1, 1, 1, 1, 1};
        double[] x2 = {0, 10};
        double[] low = {0.5, 0.5};
        LinePlot p = LinePlot.of(800, 600).margins(100, 60, 40, 80).labels("x", "y").title("t")
                .band(x, y, e, 0x00FF00).line(x, y, 0xFF0000, 6f).line(x2, low, 0x0000FF, 6f).reference(3.5);
        Axes ax = p.axes();
        BufferedImage img = p.render();
        assertEquals(800, img.getWidth());
        assertEquals(600, img.getHeight());
        // y range 0.5 .. 3 padded by 5 %: 0.375 .. 3.125; the reference at 3.5 lies outside and is not drawn
        assertEquals(0.375, ax.yBottom(), 1e-12);
        assertEquals(3.125, ax.yTop(), 1e-12);
        assertEquals(0xFF0000, rgb(img, ax.x(5), ax.y(2)), "the curve");
        assertEquals(0x00FF00, rgb(img, ax.x(5), ax.y(2.6)), "the band above the curve");
        assertEquals(0x00FF00, rgb(img, ax.x(5), ax.y(1.4)), "the band below the curve");
        assertEquals(0x0000FF, rgb(img, ax.x(3), ax.y(0.5)), "the second curve");
        assertEquals(WHITE, rgb(img, ax.x(5), ax.y(3.1)), "above the band, inside the frame");
        assertEquals(WHITE, rgb(img, 790, 590), "outside the plot");

        LinePlot q = LinePlot.of(800, 600).margins(100, 60, 40, 80).line(x2, new double[] {0, 1}, 0xFF0000, 2f).reference(0.5);
        BufferedImage qi = q.render();
        Axes qa = q.axes();
        int yRef = (int) Math.floor(qa.y(0.5));
        boolean dashed = false;
        for (int dy = 0; dy <= 1; dy++) dashed |= rgb(qi, qa.x(0) + 3, yRef + dy) != WHITE;
        assertTrue(dashed, "the first dash of the reference line at its left end");
        assertEquals(WHITE, rgb(qi, qa.x(0) + 9, qa.y(0.5)), "the first gap of the dashes");
    }

    @Test
    void logLinePlotSkipsNonPositiveValuesAndDrawsDecadeGrid() {
        double[] x = {1, 2, 3, 4};
        double[] y = {1000, 100, -1, 10};
        LinePlot p = LinePlot.of(600, 500).logY().line(x, y, 0xFF0000, 6f);
        Axes ax = p.axes();
        assertEquals(10, ax.yBottom(), 1e-9);
        assertEquals(1000, ax.yTop(), 1e-9);
        BufferedImage img = p.render();
        assertEquals(0xFF0000, rgb(img, ax.x(1.5), ax.y(Math.sqrt(1000 * 100))), "between 1000 and 100, straight on the log axis");
        assertEquals(Axes.GRID_RGB, rgb(img, ax.x(3.5), ax.y(100)), "the curve breaks at the negative value; the 1e2 grid line shows");
    }

    @Test
    void histogramBinsInViridisByLogCountEmptyBinsWhite() {
        long[] counts = new long[16];
        counts[1 * 4 + 2] = 100; // ix 2, iy 1
        counts[0] = 1;
        double[] edges = {0, 1, 2, 3, 4};
        BufferedImage img = Histogram2dPlot.render(counts, 4, 4, edges, edges, "h", null, "x", "y");
        int[] full = Histogram2dPlot.binCentre(2, 1, 4, 4);
        int[] one = Histogram2dPlot.binCentre(0, 0, 4, 4);
        int[] empty = Histogram2dPlot.binCentre(3, 3, 4, 4);
        assertEquals(0xFDE725, rgb(img, full[0], full[1]), "the fullest bin is the top of viridis");
        assertEquals(ColorMap.VIRIDIS.rgb(Math.log10(2) / Math.log10(101)), rgb(img, one[0], one[1]));
        assertEquals(WHITE, rgb(img, empty[0], empty[1]));
        assertTrue(one[1] > full[1], "y bins upwards");
        assertThrows(IllegalArgumentException.class, () -> Histogram2dPlot.render(counts, 4, 4, edges, new double[3], "h", null, "x", "y"));
    }

    @Test
    void labelMapsInCategoricalColoursWithALegendEndingInNoValue() {
        int[] labels = {0, 1, -1, 2, 11, 0};
        BufferedImage map = LabelMap.image(labels, 2, 3, null);
        assertEquals(0x1F77B4, rgb(map, 0, 0));
        assertEquals(0xFF7F0E, rgb(map, 1, 0));
        assertEquals(LabelMap.NO_VALUE_RGB, rgb(map, 2, 0));
        assertEquals(0x2CA02C, rgb(map, 0, 1));
        assertEquals(LabelMap.colour(1), rgb(map, 1, 1), "the palette repeats after ten");
        BufferedImage own = LabelMap.image(labels, 2, 3, new int[] {0x123456});
        assertEquals(0x123456, rgb(own, 0, 0));
        assertEquals(0xFF7F0E, rgb(own, 1, 0), "labels beyond the given colours use the palette");

        BufferedImage leg = Legend.boxes(List.of("a", "b"), new int[] {0xAA0000, 0x00AA00}, 10);
        int cx = Legend.BOX_X + Legend.BOX / 2;
        assertEquals(0xAA0000, rgb(leg, cx, Legend.FIRST_Y + Legend.BOX / 2));
        assertEquals(0x00AA00, rgb(leg, cx, Legend.FIRST_Y + Legend.LINE + Legend.BOX / 2));
        assertEquals(BLACK, rgb(leg, Legend.BOX_X, Legend.FIRST_Y + Legend.BOX / 2), "outlined");

        BufferedImage fig = LabelMap.figure(labels, 2, 3, "clusters", List.of("c0", "c1", "c2"), null, Double.NaN);
        Rectangle area = FigureBuilder.map(map).title("clusters").mapArea();
        int f = area.width / 3;
        assertEquals(0xFF7F0E, rgb(fig, area.x + f + f / 2, area.y + f / 2), "label 1 at row 0, column 1");
        int legendX = fig.getWidth() - Legend.boxes(List.of("c0", "c1", "c2", "no value"), new int[4], 1).getWidth();
        assertTrue(legendX >= area.x + area.width, "the legend is right of the map");
        assertEquals(LabelMap.colour(0), rgb(fig, legendX + cx, Legend.FIRST_Y + Legend.BOX / 2), "legend entry 0");
        assertEquals(LabelMap.NO_VALUE_RGB, rgb(fig, legendX + cx, Legend.FIRST_Y + 3 * Legend.LINE + Legend.BOX / 2), "last entry: no value");
    }
}
