package org.ltz4d.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.Figure;
import org.ltz4d.render.LabelMap;
import org.ltz4d.render.Histogram2dPlot;
import org.ltz4d.render.ColorWheel;
import org.ltz4d.render.FigureBuilder;
import org.ltz4d.render.Png;
import org.junit.jupiter.api.Test;

/** Figures: size, and the colours where the content must be. */
class FiguresTest {

    private static final int ROWS = 24;
    private static final int COLS = 32;

    /** Left half: B = 1 T along +x, axis 0°; right half: B = 1 T along +y, axis 90°; one NaN position at (2, 2). */
    private static Sim halves() {
        Sim sim = new Sim(ROWS, COLS);
        sim.density = new float[ROWS * COLS];
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < COLS; c++) {
                int i = r * COLS + c;
                boolean left = c < COLS / 2;
                sim.set(i, 1.0, left ? 0 : 90, -0.01, 0.005, left ? 0 : 90);
                sim.density[i] = left ? 0.02f : -0.02f;
            }
        }
        sim.setNaN(2 * COLS + 2);
        return sim;
    }

    private static BufferedImage figure(Correlation c, String name) {
        for (Figure f : c.figures()) {
            if (f.fileName().equals(name)) {
                assertEquals(Figure.PNG, f.mediaType());
                BufferedImage img = Png.decode(f.content());
                assertTrue(img.getWidth() >= 600 && img.getHeight() >= 600, name + " is " + img.getWidth() + "×" + img.getHeight());
                return img;
            }
        }
        throw new AssertionError("no figure " + name + " among " + c.figures().stream().map(Figure::fileName).toList());
    }

    /** Colour at the centre of scan position (r, c) of a FigureBuilder map figure with a title. */
    private static int at(BufferedImage img, int r, int c) {
        FigureBuilder fb = FigureBuilder.map(new BufferedImage(COLS, ROWS, BufferedImage.TYPE_INT_RGB)).title("t");
        Rectangle a = fb.mapArea();
        int f = fb.pxPerPosition();
        return img.getRGB(a.x + c * f + f / 2, a.y + r * f + f / 2) & 0xFFFFFF;
    }

    @Test
    void colourWheelShowsDirectionAsHue() {
        Correlation c = new FieldFiguresCorrelator().correlate(halves().maps(), new TestContext(halves().shape(), Map.of(), 5));
        BufferedImage img = figure(c, "corr_B_wheel.png");
        int left = at(img, 5, 4);
        int right = at(img, 5, COLS - 4);
        assertEquals(0, ColorWheel.hueDegrees(left), 1.5, Integer.toHexString(left));
        assertEquals(90, ColorWheel.hueDegrees(right), 1.5, Integer.toHexString(right));
        assertEquals(255, Math.max((left >> 16) & 255, Math.max((left >> 8) & 255, left & 255)), "full brightness at |B| = max");
        assertEquals(ColorWheel.NAN_RGB, at(img, 2, 2));
        figure(c, "corr_eten_wheel.png");
        BufferedImage d = figure(c, "corr_density.png");
        int pos = at(d, 5, 4);
        int neg = at(d, 5, COLS - 4);
        assertTrue(((pos >> 16) & 255) > (pos & 255), "positive density is red: " + Integer.toHexString(pos));
        assertTrue((neg & 255) > ((neg >> 16) & 255), "negative density is blue: " + Integer.toHexString(neg));
    }

    @Test
    void arrowsAndSticksAreDrawnOnTheMap() {
        Sim sim = halves();
        Correlation c = new FieldFiguresCorrelator().correlate(sim.maps(), new TestContext(sim.shape(), Map.of("arrow-step", "4"), 5));
        BufferedImage img = figure(c, "corr_B_arrows_ecom.png");
        FigureBuilder fb = FigureBuilder.map(new BufferedImage(COLS, ROWS, BufferedImage.TYPE_INT_RGB)).title("t");
        Rectangle a = fb.mapArea();
        int black = 0, red = 0;
        for (int y = a.y; y < a.y + a.height / 2; y++) { // upper half: away from the scale bar
            for (int x = a.x; x < a.x + a.width; x++) {
                int p = img.getRGB(x, y) & 0xFFFFFF;
                if (p == 0) black++;
                int r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
                if (r > 150 && g < 40 && b < 40) red++;
            }
        }
        assertTrue(black > 500, "black arrow pixels: " + black);
        assertTrue(red > 300, "dark red stick pixels: " + red);
    }

    @Test
    void histogramFigureColoursFilledBinsAndLeavesEmptyOnesWhite() {
        long[] counts = new long[8 * 8];
        counts[3 * 8 + 2] = 100;
        counts[0] = 1;
        double[] e = new double[9];
        for (int i = 0; i <= 8; i++) e[i] = i * 0.125;
        BufferedImage img = Png.decode(Histogram2dPlot.png(counts, 8, 8, e, e, "title", "note", "x (T)", "y (deg)"));
        assertTrue(img.getWidth() >= 600 && img.getHeight() >= 600);
        int[] full = Histogram2dPlot.binCentre(2, 3, 8, 8);
        int[] one = Histogram2dPlot.binCentre(0, 0, 8, 8);
        int[] empty = Histogram2dPlot.binCentre(5, 5, 8, 8);
        assertEquals(0xFDE725, img.getRGB(full[0], full[1]) & 0xFFFFFF, "the fullest bin is the top of viridis");
        int low = img.getRGB(one[0], one[1]) & 0xFFFFFF;
        assertTrue(low != 0xFFFFFF && low != 0xFDE725, Integer.toHexString(low));
        assertEquals(0xFFFFFF, img.getRGB(empty[0], empty[1]) & 0xFFFFFF);
    }

    @Test
    void clusterAndBinarisedMapsUseTheirLegendColours() {
        Sim sim = halves();
        Correlation b = new OrientationBinariseCorrelator().correlate(sim.maps(), new TestContext(sim.shape(), Map.of(), 5));
        BufferedImage bp = figure(b, "corr_B_parallel.png");
        assertEquals(0xD62728, at(bp, 5, 4), "B along +x is parallel to 0°: red");
        assertEquals(0x1F77B4, at(bp, 5, COLS - 4), "B along +y is perpendicular: blue");
        assertEquals(LabelMap.NO_VALUE_RGB, at(bp, 2, 2));
        Map<String, String> p = new HashMap<>();
        p.put("clusters", "2");
        // two clusters by |B|: scale the right half down
        for (int r = 0; r < ROWS; r++) {
            for (int cc = COLS / 2; cc < COLS; cc++) {
                int i = r * COLS + cc;
                sim.bx[i] *= 0.5f;
                sim.by[i] *= 0.5f;
                sim.bx[i] += 0.01f * (float) Math.sin(i);
            }
        }
        for (int i = 0; i < ROWS * COLS; i++) sim.bx[i] += 0.005f * (float) Math.cos(3 * i);
        Correlation c = new ClusterCorrelator().correlate(sim.maps(), new TestContext(sim.shape(), p, 5));
        BufferedImage cl = figure(c, "corr_cluster.png");
        assertEquals(LabelMap.colour(1), at(cl, 5, 4), "larger |B|: label 1");
        assertEquals(LabelMap.colour(0), at(cl, 5, COLS - 4), "smaller |B|: label 0");
        assertEquals(List.of("corr_cluster.png"), c.figures().stream().map(Figure::fileName).toList());
    }
}
