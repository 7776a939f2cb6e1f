package org.ltz4d.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Compositions beyond the pixel budget (a small heap) are drawn scaled down, panels in place, instead of running out of memory. */
class PanelsBudgetTest {
    @AfterEach
    void reset() {
        Panels.budgetForTests = 0;
    }

    private static BufferedImage filled(int w, int h, Color c) {
        BufferedImage i = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = i.createGraphics();
        g.setColor(c);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return i;
    }

    @Test
    void aRowOverTheBudgetIsScaledDownWithItsPanelsInPlace() {
        List<BufferedImage> panels = List.of(filled(400, 300, Color.RED), filled(400, 300, Color.BLUE));
        BufferedImage full = Panels.row(10, panels);
        assertEquals(810, full.getWidth());
        assertEquals(300, full.getHeight());
        Panels.budgetForTests = 810 * 300 / 4; // half the size on each side
        BufferedImage small = Panels.row(10, panels);
        assertTrue(small.getWidth() <= 406 && small.getWidth() >= 404, "width " + small.getWidth());
        assertTrue((long) small.getWidth() * small.getHeight() <= 810 * 300 / 4 + 600, "within the budget");
        assertEquals(Color.RED.getRGB(), small.getRGB(100, 75));
        assertEquals(Color.BLUE.getRGB(), small.getRGB(small.getWidth() - 100, 75));
        assertEquals(Color.WHITE.getRGB(), small.getRGB(202, 75), "the gap, scaled");
    }

    @Test
    void aColumnOverTheBudgetIsScaledDownToo() {
        Panels.budgetForTests = 100 * 210 / 4;
        BufferedImage small = Panels.column(10, List.of(filled(100, 100, Color.GREEN), filled(100, 100, Color.BLACK)));
        assertEquals(50, small.getWidth());
        assertEquals(105, small.getHeight());
        assertEquals(Color.GREEN.getRGB(), small.getRGB(25, 20));
        assertEquals(Color.BLACK.getRGB(), small.getRGB(25, 90));
    }
}
