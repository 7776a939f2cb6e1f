package org.ltz4d.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.error.InvalidParameterException;
import org.junit.jupiter.api.Test;

class Histogram2dCorrelatorTest {

    private static Sim random(int rows, int cols, long seed) {
        Sim sim = new Sim(rows, cols);
        Random rnd = new Random(seed);
        sim.density = new float[rows * cols];
        for (int i = 0; i < rows * cols; i++) {
            sim.set(i, 0.5 + 0.2 * rnd.nextDouble(), 360 * rnd.nextDouble(), -0.01 * rnd.nextDouble(), 0.01 * rnd.nextDouble(),
                    180 * rnd.nextDouble());
            sim.density[i] = (float) (0.01 * rnd.nextGaussian());
        }
        return sim;
    }

    @Test
    void histogramsCountEveryFinitePositionAndCarryEdges() {
        Sim sim = random(30, 40, 1);
        sim.setNaN(5);
        sim.setNaN(77);
        sim.density[100] = Float.NaN; // only the custom pair loses this one
        Correlation c = new Histogram2dCorrelator().correlate(sim.maps(),
                new TestContext(sim.shape(), Map.of("hist2d", "strain/e_com,/density/relative", "hist-bins", "16"), 1));
        int finite = 30 * 40 - 2;
        for (String h : new String[] {"B_components", "eten_components", "B_misorientation", "strain_e_com_vs_density_relative"}) {
            DataMap counts = c.maps().require("histograms/" + h + "/counts");
            DataMap xe = c.maps().require("histograms/" + h + "/x_edges");
            DataMap ye = c.maps().require("histograms/" + h + "/y_edges");
            assertEquals(16, counts.shape().rows());
            assertEquals(16, counts.shape().cols());
            assertEquals(17, xe.size());
            assertEquals(17, ye.size());
            long sum = 0;
            for (int i = 0; i < counts.size(); i++) sum += (long) counts.get(i);
            int expected = h.startsWith("strain_e_com") ? finite - 1 : finite;
            assertEquals(expected, sum, h);
            assertEquals(expected, ((Number) counts.attributes().get("total")).longValue(), h);
            assertTrue(counts.attributes().containsKey("pearson") && counts.attributes().containsKey("spearman"), h);
            assertTrue(c.statistics().containsKey(h + ".pearson"), h);
        }
        DataMap ye = c.maps().require("histograms/B_misorientation/y_edges");
        assertEquals(0, ye.get(0), 0);
        assertEquals(90, ye.get(16), 0);
        assertEquals(4, c.figures().size());
    }

    @Test
    void binsAreWhereTheValuesAre() {
        float[] x = {0.15f, 0.15f, 0.95f, 0.55f, Float.NaN};
        float[] y = {0.15f, 0.25f, 0.95f, 1.0f, 0.5f};
        Histogram2d h = Histogram2d.of(x, y, 0, 1, 10, 0, 1, 10);
        assertEquals(4, h.total());
        assertEquals(1, h.counts()[1 * 10 + 1]);
        assertEquals(1, h.counts()[2 * 10 + 1]);
        assertEquals(1, h.counts()[9 * 10 + 9]);
        assertEquals(1, h.counts()[9 * 10 + 5]); // y = 1.0 is the upper edge: last bin
    }

    @Test
    void pearsonAndSpearmanAgainstKnownValues() {
        // x = 1..5, y = 2,4,5,4,5: Pearson r = 0.7745966692 (textbook example);
        // Spearman on average ranks (1,2.5,4.5,2.5,4.5): ρ = 7/√90 = 0.7378647874
        Stats.Coefficients c = Stats.coefficients(new float[] {1, 2, 3, 4, 5, Float.NaN}, new float[] {2, 4, 5, 4, 5, 7});
        assertEquals(0.7745966692, c.pearson(), 1e-9);
        assertEquals(7 / Math.sqrt(90), c.spearman(), 1e-9);
        assertEquals(5, c.n());
        // a monotone but non-linear relation: ρ = 1 exactly, r below 1 (by hand: x = 1..10, y = x³)
        float[] x = new float[10], y = new float[10];
        double sx = 0, sy = 0;
        for (int i = 0; i < 10; i++) {
            x[i] = i + 1;
            y[i] = (i + 1) * (i + 1) * (i + 1);
            sx += x[i];
            sy += y[i];
        }
        double mx = sx / 10, my = sy / 10, sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < 10; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        Stats.Coefficients m = Stats.coefficients(x, y);
        assertEquals(sxy / Math.sqrt(sxx * syy), m.pearson(), 1e-12);
        assertEquals(1.0, m.spearman(), 1e-12);
        assertTrue(m.pearson() < 0.95);
    }

    @Test
    void coefficientsOfBComponentsOfAKnownCorrelatedField() {
        // By = Bx·tan(30°) everywhere: perfectly correlated components
        Sim sim = new Sim(10, 10);
        for (int i = 0; i < 100; i++) sim.set(i, 0.1 + 0.01 * i, i % 2 == 0 ? 30 : 210, -0.01, 0.01, 0);
        Correlation c = new Histogram2dCorrelator().correlate(sim.maps(), new TestContext(sim.shape(), Map.of(), 1));
        assertEquals(1.0, (double) c.statistics().get("B_components.pearson"), 1e-6);
        assertEquals(1.0, (double) c.statistics().get("B_components.spearman"), 1e-12);
    }

    @Test
    void unknownMapInHist2dNamesTheParameter() {
        Sim sim = random(4, 4, 2);
        InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> new Histogram2dCorrelator()
                .correlate(sim.maps(), new TestContext(sim.shape(), Map.of("hist2d", "strain/e_com,nope/x"), 1)));
        assertEquals("hist2d", e.parameter());
        assertTrue(e.getMessage().contains("nope/x"));
    }
}
