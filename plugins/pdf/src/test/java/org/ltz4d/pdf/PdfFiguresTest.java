package org.ltz4d.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.Figure;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;

/** Deriver axes and spread, and the figures of the correlator, on small synthetic stacks. */
class PdfFiguresTest {

    @Test
    void deriverGivesAxesAndSpreadAndTheCorrelatorDrawsLabelledPngs() throws Exception {
        int ny = 4;
        int nx = 5;
        int nq = 60;
        int nr = 201;
        double sPx = 0.03;
        float[] s = new float[ny * nx * nq];
        float[] g = new float[ny * nx * nr];
        float[] r1 = new float[ny * nx];
        for (int p = 0; p < ny * nx; p++) {
            double a = 1 + 0.1 * p;
            for (int k = 0; k < nq; k++) s[p * nq + k] = (float) (1 + a * Math.sin(0.3 * k));
            for (int j = 0; j < nr; j++) g[p * nr + j] = (float) (a * Math.sin(0.1 * j));
            r1[p] = (float) (2.5 + 0.01 * p);
        }
        r1[3] = Float.NaN;
        s[7 * nq + 5] = Float.NaN;
        Calibration cal = Calibration.builder().detectorPixelInverseAngstrom(sPx).build();
        Doubles.Ctx ctx = new Doubles.Ctx(cal, Parameters.of(Map.of("composition", "Fe", "r-step", "0.05", "number-density", "0.08")), Shape.of(ny, nx), Shape.of(64, 64), true);
        MapSet in = MapSet.of(
                DataMap.of("sq/S", Shape.of(ny, nx, nq), s, Unit.DIMENSIONLESS, ""),
                DataMap.of("pdf/G", Shape.of(ny, nx, nr), g, PdfSetup.PER_SQUARE_ANGSTROM, ""),
                DataMap.of("pdf/r_first_peak", Shape.of(ny, nx), r1, Unit.ANGSTROM, ""));
        MapSet derived = new PdfDeriver().derive(in, ctx);
        DataMap q = derived.require("sq/q");
        assertEquals(Shape.of(nq), q.shape());
        assertEquals(Unit.INVERSE_ANGSTROM, q.unit());
        assertEquals(10 * 2 * Math.PI * sPx, q.get(10), 1e-5);
        DataMap r = derived.require("pdf/r");
        assertEquals(Shape.of(nr), r.shape());
        assertEquals(Unit.ANGSTROM, r.unit());
        assertEquals(100 * 0.05, r.get(100), 1e-5);
        DataMap gr = derived.require("pdf/g");
        assertEquals(Shape.of(ny, nx, nr), gr.shape());
        assertEquals(1 + g[2 * nr + 40] / (4 * Math.PI * 0.08 * 40 * 0.05), gr.get(2 * nr + 40), 1e-5, "g(r) = 1 + G/(4πrρ0)");
        assertTrue(Float.isNaN(gr.get(2 * nr)), "g(0) has no value");
        // mean and sample standard deviation of a = 1 + 0.1p over 20 positions, times sin(0.3k)
        int k = 3;
        double mean = 1 + 0.1 * 9.5;
        double sd = 0.1 * Math.sqrt(20 * 21 / 12.0); // sample variance of 0..19 is n(n+1)/12
        assertEquals(1 + mean * Math.sin(0.3 * k), derived.require("sq/S_mean").get(k), 1e-4);
        assertEquals(sd * Math.abs(Math.sin(0.3 * k)), derived.require("sq/S_std").get(k), 1e-4);
        assertTrue(Float.isFinite(derived.require("sq/S_mean").get(5)), "a NaN position is left out, not propagated");

        Correlation c = new PdfFiguresCorrelator().correlate(in.plus(derived), ctx);
        assertEquals(3, c.figures().size(), "S mean, G mean, r_first_peak map");
        for (Figure f : c.figures()) {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(f.content()));
            assertTrue(img.getWidth() >= 600 && img.getHeight() >= 600 || img.getWidth() >= 1000, f.fileName() + " " + img.getWidth() + "×" + img.getHeight());
            assertEquals(Figure.PNG, f.mediaType());
        }
        assertEquals(19, c.statistics().get("pdf_r_first_peak_valid_positions"));
    }
}
