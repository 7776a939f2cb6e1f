package org.ltz4d.correlation.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's region drawing: the outline is the region's edge pixels only, values are selected by the region, histograms need a spread. */
class ReportRegionsTest {
    @Test
    void outlineMarksTheEdgeOfTheRegionAndNothingElse() {
        int rows = 5, cols = 6;
        boolean[] in = new boolean[rows * cols];
        for (int r = 1; r <= 3; r++) for (int c = 1; c <= 4; c++) in[r * cols + c] = true;
        ReportRegions.Region g = new ReportRegions.Region("a", "roi 1:4,1:5", rows, cols, in, Map.of(), 0xE41A1C);
        BufferedImage img = new BufferedImage(cols, rows, BufferedImage.TYPE_INT_RGB);
        ReportRegions.outline(img, List.of(g));
        int marked = 0;
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) {
            boolean edge = in[r * cols + c] && (r == 1 || r == 3 || c == 1 || c == 4);
            assertEquals(edge ? 0xE41A1C : 0, img.getRGB(c, r) & 0xFFFFFF, "pixel " + r + "," + c);
            if (edge) marked++;
        }
        assertEquals(10, marked, "the 3×4 rectangle's 10 edge pixels");
        BufferedImage other = new BufferedImage(cols + 1, rows, BufferedImage.TYPE_INT_RGB);
        ReportRegions.outline(other, List.of(g));
        assertEquals(0, other.getRGB(1, 1) & 0xFFFFFF, "maps of another shape are left alone");
        assertEquals(12, g.size());
    }

    @Test
    void valuesAndHistogramOfTheRegion() {
        assertArrayEquals(new double[] {2, 4}, ReportRegions.within(new double[] {1, 2, 3, 4}, new boolean[] {false, true, false, true}));
        assertNull(ReportRegions.histogram(new double[] {3, 3, 3, Double.NaN}, 0), "no spread, no histogram");
        assertNotNull(ReportRegions.histogram(new double[] {1, 2, 3, 4, 5, Double.NaN}, 0));
    }
}
