package org.ltz4d.correlation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.Correlator;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.Figure;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.ltz4d.render.LabelMap;
import org.osgi.service.component.annotations.Component;

/**
 * Gaussian-mixture clustering (EM, full covariances, k-means++ starts, seeded, several
 * restarts) of (|B|, misorientation α) into K groups, mapped back onto the scan as
 * {@code /correlation/cluster}: labels 0…K−1 ordered by the groups' mean |B| (ascending),
 * −1 where |B| or α has no value.
 */
@Component(service = Correlator.class)
public final class ClusterCorrelator implements Correlator {

    public static final String NAME = "cluster";
    public static final String CLUSTER = "correlation/cluster";

    static final ParameterSpec CLUSTERS = ParameterSpec.integer("clusters", "number K of Gaussian-mixture clusters of (|B|, α)", 2, 1, 10);
    static final ParameterSpec SEED = ParameterSpec.integer("cluster-seed", "random seed of the k-means++ starts", 1, 0, Integer.MAX_VALUE);
    static final ParameterSpec RESTARTS = ParameterSpec.integer("cluster-restarts", "EM restarts (the best log-likelihood wins)", 5, 1, 100);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(CLUSTERS, SEED, RESTARTS);
    }

    /** Also needs B (Bx/By or Bt_x/Bt_y), checked in {@link #correlate}. */
    @Override
    public List<String> requires() {
        return List.of(Inputs.ANGLE_TEN);
    }

    @Override
    public Correlation correlate(MapSet maps, AnalysisContext context) {
        Parameters p = context.parameters();
        p.checkAgainst(CLUSTERS);
        p.checkAgainst(SEED);
        p.checkAgainst(RESTARTS);
        int k = p.integer(CLUSTERS.name(), 2);
        long seed = p.integer(SEED.name(), 1);
        int restarts = p.integer(RESTARTS.name(), 5);
        Inputs.Vector b = Inputs.requireMagnetic(maps);
        Shape s = b.shape();
        float[] mag = b.magnitude();
        float[] alpha = MisorientationCorrelator.misorientation(b.x(), b.y(), Inputs.values(maps, Inputs.ANGLE_TEN, s));
        int n = 0;
        for (int i = 0; i < mag.length; i++) if (Float.isFinite(mag[i]) && Float.isFinite(alpha[i])) n++;
        if (n < Math.max(k, 2)) {
            throw new InvalidInputException(null, "/" + b.xPath(), "at least " + Math.max(k, 2)
                    + " positions with both |B| and the misorientation to form " + k + " clusters", n + " positions");
        }
        double[] x = new double[n];
        double[] y = new double[n];
        int[] index = new int[n];
        int j = 0;
        for (int i = 0; i < mag.length; i++) {
            if (Float.isFinite(mag[i]) && Float.isFinite(alpha[i])) {
                x[j] = mag[i];
                y[j] = alpha[i];
                index[j++] = i;
            }
        }
        GaussianMixture.Result r = GaussianMixture.fit(x, y, k, seed, restarts, 1000, 1e-6);
        int[] labels = new int[mag.length];
        java.util.Arrays.fill(labels, -1);
        for (int i = 0; i < n; i++) labels[index[i]] = r.labels()[i];
        String bu = b.unit().symbol();
        DataMap cm = DataMap.labels(CLUSTER, s, Support.toFloat(labels), Unit.LABEL,
                "Gaussian-mixture cluster of (|" + b.symbol() + "|, misorientation α), labels 0.." + (k - 1)
                        + " ordered by mean |" + b.symbol() + "| ascending, −1 = no value")
                .withAttribute("clusters", k).withAttribute("seed", seed).withAttribute("restarts", restarts)
                .withAttribute("log_likelihood", r.logLikelihood()).withAttribute("bic", r.bic())
                .withAttribute("features", "|" + b.symbol() + "| (" + bu + "), misorientation α (deg), standardised for the fit");
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("k", k);
        st.put("n", n);
        st.put("log_likelihood", r.logLikelihood());
        st.put("bic", r.bic());
        st.put("iterations", r.iterations());
        st.put("converged", r.converged());
        List<String> legend = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            String pre = "cluster_" + c + ".";
            st.put(pre + "weight", r.weights()[c]);
            st.put(pre + "positions", r.sizes()[c]);
            st.put(pre + "mean_B_" + bu, r.means()[c][0]);
            st.put(pre + "mean_misorientation_deg", r.means()[c][1]);
            st.put(pre + "sd_B_" + bu, Math.sqrt(r.cov()[c][0]));
            st.put(pre + "sd_misorientation_deg", Math.sqrt(r.cov()[c][2]));
            cm = cm.withAttribute("cluster_" + c + "_mean_B", r.means()[c][0])
                    .withAttribute("cluster_" + c + "_mean_misorientation_deg", r.means()[c][1])
                    .withAttribute("cluster_" + c + "_weight", r.weights()[c]);
            legend.add(c + ": |" + b.symbol() + "| = " + Support.fmt(r.means()[c][0]) + " " + bu + ", α = "
                    + Support.fmt(r.means()[c][1]) + "°, " + Math.round(100.0 * r.sizes()[c] / n) + " %");
        }
        Figure f = new Figure("corr_cluster.png", "Gaussian-mixture clusters (K = " + k + ") of (|" + b.symbol()
                + "|, misorientation α) mapped back onto the scan; legend: cluster means and share; grey: no value", Figure.PNG,
                LabelMap.png(labels, s.rows(), s.cols(), "Clusters of (|" + b.symbol() + "|, α), K = " + k, legend, null,
                        Support.nmPerPosition(context)));
        return new Correlation(MapSet.of(cm), List.of(f), st);
    }
}
