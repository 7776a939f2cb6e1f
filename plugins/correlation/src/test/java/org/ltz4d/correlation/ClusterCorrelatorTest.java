package org.ltz4d.correlation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.DataMap;
import org.junit.jupiter.api.Test;

class ClusterCorrelatorTest {

    /**
     * Two overlapping populations in (|B|, α): A with |B| ~ N(0.8 T, 0.1 T), α ~ N(20°, 10°) (left
     * half of the scan, B near the tensile axis) and B with |B| ~ N(0.55 T, 0.1 T), α ~ N(65°, 12°)
     * (right half); α is clipped to [0°, 90°] so the populations are not exactly Gaussian. The
     * Bayes-optimal accuracy is about 98 %. A has the larger |B| so it must get label 1.
     */
    @Test
    void twoPopulationsAreRecovered() {
        int rows = 40, cols = 50;
        Sim sim = new Sim(rows, cols);
        Random rnd = new Random(42);
        int[] truth = new int[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                boolean a = c < cols / 2;
                double m = a ? 0.8 + 0.1 * rnd.nextGaussian() : 0.55 + 0.1 * rnd.nextGaussian();
                double alpha = a ? 20 + 10 * rnd.nextGaussian() : 65 + 12 * rnd.nextGaussian();
                alpha = Math.max(0.01, Math.min(89.99, alpha));
                double theta = 180 * rnd.nextDouble();
                double phi = theta + (rnd.nextBoolean() ? alpha : -alpha) + (rnd.nextBoolean() ? 180 : 0);
                sim.set(i, m, phi, -0.01, 0.01, theta);
                truth[i] = a ? 1 : 0;
            }
        }
        sim.setNaN(0);
        truth[0] = -1;
        Correlation res = new ClusterCorrelator().correlate(sim.maps(), new TestContext(sim.shape(), Map.of(), 1.5));
        DataMap labels = res.maps().require("correlation/cluster");
        assertTrue(labels.integer());
        assertEquals(-1, labels.get(0));
        int right = 0, n = 0;
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] < 0) continue;
            n++;
            if (labels.get(i) == truth[i]) right++;
        }
        double accuracy = right / (double) n;
        System.out.println("two-population clustering: accuracy " + accuracy + " over " + n + " positions");
        assertTrue(accuracy >= 0.95, "accuracy " + accuracy);
        assertEquals(0.55, (double) res.statistics().get("cluster_0.mean_B_T"), 0.03);
        assertEquals(0.8, (double) res.statistics().get("cluster_1.mean_B_T"), 0.03);
        assertEquals(65, (double) res.statistics().get("cluster_0.mean_misorientation_deg"), 3);
        assertEquals(20, (double) res.statistics().get("cluster_1.mean_misorientation_deg"), 3);
        // deterministic for a seed
        Correlation again = new ClusterCorrelator().correlate(sim.maps(), new TestContext(sim.shape(), Map.of(), 1.5));
        assertArrayEquals(labels.toArray(), again.maps().require("correlation/cluster").toArray());
    }

    @Test
    void threeComponentMixtureOfKnownGaussians() {
        Random rnd = new Random(7);
        int n = 3000;
        double[] x = new double[n], y = new double[n];
        int[] truth = new int[n];
        double[][] mu = {{0, 0}, {5, 5}, {10, 0}};
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            x[i] = mu[c][0] + rnd.nextGaussian();
            y[i] = mu[c][1] + 0.7 * rnd.nextGaussian() + 0.3 * (x[i] - mu[c][0]);
            truth[i] = c;
        }
        GaussianMixture.Result r = GaussianMixture.fit(x, y, 3, 3, 4, 1000, 1e-8);
        int right = 0;
        for (int i = 0; i < n; i++) if (r.labels()[i] == truth[i]) right++;
        System.out.println("three-component mixture: accuracy " + right / (double) n);
        assertTrue(right / (double) n > 0.98, "accuracy " + right / (double) n);
        for (int c = 0; c < 3; c++) {
            assertEquals(mu[c][0], r.means()[c][0], 0.1);
            assertEquals(mu[c][1], r.means()[c][1], 0.1);
            assertEquals(1.0, r.cov()[c][0], 0.15);
            assertEquals(0.3, r.cov()[c][1], 0.1);
            assertEquals(1.0 / 3, r.weights()[c], 0.02);
        }
        assertTrue(r.converged());
    }

    /**
     * Two populations that (|B|, α) cannot tell apart — both |B| ~ N(0.7 T, 0.1 T), α uniform in
     * [0°, 90°] — but that differ in a map registered from another instrument: Fe content
     * N(20 at.%, 3) on the left half, N(35 at.%, 3) on the right (5σ apart, Bayes accuracy 99.4 %).
     * Clustering (|B|, α) is no better than chance (≤ 60 %); clustering (|B|, /registered/Fe) finds
     * the halves (≥ 97 %), labels ordered by mean |B| being arbitrary here, so either labelling counts.
     */
    @Test
    void clustersSeparableOnlyWithTheRegisteredMapAreFoundWithIt() {
        int rows = 40, cols = 50;
        Sim sim = new Sim(rows, cols);
        Random rnd = new Random(11);
        float[] fe = new float[rows * cols];
        int[] truth = new int[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                boolean right = c >= cols / 2;
                double alpha = 90 * rnd.nextDouble();
                double theta = 180 * rnd.nextDouble();
                sim.set(i, 0.7 + 0.1 * rnd.nextGaussian(), theta + (rnd.nextBoolean() ? alpha : -alpha), -0.01, 0.01, theta);
                fe[i] = (float) ((right ? 35 : 20) + 3 * rnd.nextGaussian());
                truth[i] = right ? 1 : 0;
            }
        }
        fe[5] = Float.NaN; // outside the registered map's reach
        java.util.List<DataMap> all = new java.util.ArrayList<>(sim.maps().maps());
        all.add(DataMap.of("registered/Fe", sim.shape(), fe, org.ltz4d.api.units.Unit.DIMENSIONLESS, "Fe content (at.%), registered"));
        org.ltz4d.api.analysis.MapSet maps = org.ltz4d.api.analysis.MapSet.of(all);
        double plain = agreement(new ClusterCorrelator().correlate(maps, new TestContext(sim.shape(), Map.of(), 1.5)), truth);
        Correlation with = new ClusterCorrelator().correlate(maps, new TestContext(sim.shape(), Map.of("cluster-features", "B,registered/Fe"), 1.5));
        double registered = agreement(with, truth);
        System.out.println("clusters separable only by registered Fe: accuracy " + plain + " with (|B|, α), " + registered + " with (|B|, Fe)");
        assertTrue(plain <= 0.6, "(|B|, α) should not separate the halves: " + plain);
        assertTrue(registered >= 0.97, "(|B|, Fe) accuracy " + registered);
        assertEquals(-1, with.maps().require("correlation/cluster").get(5), "no Fe value, no label");
        assertEquals("B,registered/Fe", with.statistics().get("features"));
        double m0 = (double) with.statistics().get("cluster_0.mean_registered_Fe");
        double m1 = (double) with.statistics().get("cluster_1.mean_registered_Fe");
        assertEquals(20, Math.min(m0, m1), 0.5);
        assertEquals(35, Math.max(m0, m1), 0.5);
        assertThrows(org.ltz4d.api.error.InvalidParameterException.class, () -> new ClusterCorrelator().correlate(maps,
                new TestContext(sim.shape(), Map.of("cluster-features", "B,registered/Cu"), 1.5)));
        assertThrows(org.ltz4d.api.error.InvalidParameterException.class, () -> new ClusterCorrelator().correlate(maps,
                new TestContext(sim.shape(), Map.of("cluster-features", "B"), 1.5)));
    }

    /** Share of the labelled positions whose label matches the truth, under the better of the two labellings. */
    private static double agreement(Correlation res, int[] truth) {
        DataMap labels = res.maps().require("correlation/cluster");
        int same = 0, n = 0;
        for (int i = 0; i < truth.length; i++) {
            if (labels.get(i) < 0) continue;
            n++;
            if (labels.get(i) == truth[i]) same++;
        }
        return Math.max(same, n - same) / (double) n;
    }
}
