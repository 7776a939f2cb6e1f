package org.ltz4d.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.units.Unit;

class RegionStatsCorrelatorTest {
    /** Gaussian values of known σ: mean, std, N and SEM (std/√N, or from the uncertainty map) as expected; NaN positions left out. */
    @Test
    void tableOfMeanStdNAndStandardError() {
        int n = 64 * 64;
        Random r = new Random(3);
        float[] b = new float[n];
        float[] u = new float[n];
        float[] e = new float[n];
        for (int i = 0; i < n; i++) {
            b[i] = i < 96 ? Float.NaN : (float) (0.5 + 0.1 * r.nextGaussian());
            u[i] = 0.2f;
            e[i] = (float) (1e-3 * r.nextGaussian());
        }
        Shape s = Shape.of(64, 64);
        MapSet maps = MapSet.of(List.of(DataMap.of("magnetic/B_mag", s, b, Unit.TESLA, "|B|"), DataMap.of("strain/exx", s, e, Unit.DIMENSIONLESS, "e"),
                DataMap.of("uncertainty/magnetic/B_mag", s, u, Unit.TESLA, "σ|B|")));
        Correlation c = new RegionStatsCorrelator().correlate(maps, new TestContext(s, Map.of(), 2.5));
        Map<String, Object> st = c.statistics();
        long k = n - 96;
        assertEquals(k, st.get("magnetic/B_mag.n"));
        double sigmaMean = 0.1 / Math.sqrt(k);
        assertEquals(0.5, (double) st.get("magnetic/B_mag.mean"), 4 * sigmaMean);
        assertEquals(0.1, (double) st.get("magnetic/B_mag.std"), 4 * 0.1 / Math.sqrt(2 * k));
        assertEquals(0.2 / Math.sqrt(k), (double) st.get("magnetic/B_mag.sem"), 1e-9, "√(Σσ²)/N from the uncertainty map");
        assertEquals("/uncertainty/magnetic/B_mag", st.get("magnetic/B_mag.sem_source"));
        assertEquals((double) st.get("strain/exx.std") / Math.sqrt(n), (double) st.get("strain/exx.sem"), 1e-12);
        assertTrue(st.get("strain/exx.sem_source").toString().startsWith("std/sqrt(N)"));
        assertTrue(!st.containsKey("uncertainty/magnetic/B_mag.mean"));
    }
}
