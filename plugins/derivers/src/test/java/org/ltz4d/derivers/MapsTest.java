package org.ltz4d.derivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MapsTest {

    @Test
    void quickselectMedianEqualsTheSortedMedian() {
        Random rnd = new Random(3);
        for (int n = 1; n < 200; n += 7) {
            for (int rep = 0; rep < 5; rep++) {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) v[i] = rep == 4 ? rnd.nextInt(3) : rnd.nextGaussian(); // with many ties
                double[] s = v.clone();
                double expected = Maps.median(s, n);
                assertEquals(expected, Maps.select(v.clone(), n), 0, "n=" + n + " " + Arrays.toString(v));
            }
        }
        assertTrue(Double.isNaN(Maps.select(new double[0], 0)));
        assertEquals(90.0, Maps.fold(-270, 360), 0);
        assertEquals(0.0, Maps.fold(180, 180), 0);
        assertEquals(179.5, Maps.fold(-0.5, 180), 1e-12);
    }
}
