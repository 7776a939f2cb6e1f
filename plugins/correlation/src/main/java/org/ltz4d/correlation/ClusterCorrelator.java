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
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.ltz4d.render.LabelMap;
import org.osgi.service.component.annotations.Component;

/**
 * Gaussian-mixture clustering (EM, full covariances, k-means++ starts, seeded, several
 * restarts) of (|B|, misorientation α) into K groups, mapped back onto the scan as
 * {@code /correlation/cluster}: labels 0…K−1 ordered by the groups' mean |B| (ascending),
 * −1 where |B| or α has no value. {@code --cluster-features a,b} clusters other pairs, e.g.
 * {@code B,registered/Fe}: |B| against a map registered from another instrument.
 */
@Component(service = Correlator.class)
public final class ClusterCorrelator implements Correlator {

    public static final String NAME = "cluster";
    public static final String CLUSTER = "correlation/cluster";

    static final ParameterSpec CLUSTERS = ParameterSpec.integer("clusters", "number K of Gaussian-mixture clusters of (|B|, α)", 2, 1, 10);
    static final ParameterSpec SEED = ParameterSpec.integer("cluster-seed", "random seed of the k-means++ starts", 1, 0, Integer.MAX_VALUE);
    static final ParameterSpec RESTARTS = ParameterSpec.integer("cluster-restarts", "EM restarts (the best log-likelihood wins)", 5, 1, 100);
    static final String DEFAULT_FEATURES = "B,misorientation";
    static final ParameterSpec FEATURES = ParameterSpec.text("cluster-features",
            "the two features clustered, as a,b: B (|B|), misorientation (α), or a map path such as registered/Fe (--with)", DEFAULT_FEATURES);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(CLUSTERS, SEED, RESTARTS, FEATURES);
    }

    /**
     * Needs B (Bx/By or Bt_x/Bt_y) and, for the misorientation feature, the tensile strain axis:
     * both checked in {@link #correlate} (a missing map skips the correlator with a warning).
     */
    @Override
    public List<String> requires() {
        return List.of();
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
        String spec = p.string(FEATURES.name(), DEFAULT_FEATURES);
        String[] names = spec.split(",");
        if (names.length != 2 || names[0].isBlank() || names[1].isBlank()) {
            throw new InvalidParameterException(FEATURES.name(), "two features as a,b: B (|B|), misorientation, or map paths (e.g. registered/Fe)",
                    spec);
        }
        Feature fx = feature(names[0].strip(), maps, b);
        Feature fy = feature(names[1].strip(), maps, b);
        boolean standard = fx.key().equals("B") && fy.key().equals("misorientation");
        float[] mag = fx.values();
        float[] alpha = fy.values();
        int n = 0;
        for (int i = 0; i < mag.length; i++) if (Float.isFinite(mag[i]) && Float.isFinite(alpha[i])) n++;
        if (n < Math.max(k, 2)) {
            throw new InvalidInputException(null, "/" + b.xPath(), "at least " + Math.max(k, 2)
                    + " positions with both " + fx.label() + " and " + fy.label() + " to form " + k + " clusters", n + " positions");
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
        String pair = standard ? "(|" + b.symbol() + "|, misorientation α)" : "(" + fx.label() + ", " + fy.label() + ")";
        DataMap cm = DataMap.labels(CLUSTER, s, Support.toFloat(labels), Unit.LABEL,
                "Gaussian-mixture cluster of " + pair + ", labels 0.." + (k - 1)
                        + " ordered by mean " + fx.label() + " ascending, −1 = no value")
                .withAttribute("clusters", k).withAttribute("seed", seed).withAttribute("restarts", restarts)
                .withAttribute("log_likelihood", r.logLikelihood()).withAttribute("bic", r.bic())
                .withAttribute("features", fx.label() + " (" + fx.unit() + "), " + fy.label() + " (" + fy.unit() + "), standardised for the fit");
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("k", k);
        st.put("n", n);
        st.put("features", fx.key() + "," + fy.key());
        st.put("log_likelihood", r.logLikelihood());
        st.put("bic", r.bic());
        st.put("iterations", r.iterations());
        st.put("converged", r.converged());
        List<String> legend = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            String pre = "cluster_" + c + ".";
            st.put(pre + "weight", r.weights()[c]);
            st.put(pre + "positions", r.sizes()[c]);
            st.put(pre + "mean_" + fx.stat(), r.means()[c][0]);
            st.put(pre + "mean_" + fy.stat(), r.means()[c][1]);
            st.put(pre + "sd_" + fx.stat(), Math.sqrt(r.cov()[c][0]));
            st.put(pre + "sd_" + fy.stat(), Math.sqrt(r.cov()[c][2]));
            cm = cm.withAttribute("cluster_" + c + "_mean_" + (standard ? "B" : fx.stat()), r.means()[c][0])
                    .withAttribute("cluster_" + c + "_mean_" + fy.stat(), r.means()[c][1])
                    .withAttribute("cluster_" + c + "_weight", r.weights()[c]);
            String second = standard ? "α = " + Support.fmt(r.means()[c][1]) + "°"
                    : fy.label() + " = " + Support.fmt(r.means()[c][1]) + " " + fy.unit();
            legend.add(c + ": " + fx.label() + " = " + Support.fmt(r.means()[c][0]) + " " + fx.unit() + ", " + second + ", "
                    + Math.round(100.0 * r.sizes()[c] / n) + " %");
        }
        Figure f = new Figure("corr_cluster.png", "Gaussian-mixture clusters (K = " + k + ") of " + pair
                + " mapped back onto the scan; legend: cluster means and share; grey: no value", Figure.PNG,
                LabelMap.png(labels, s.rows(), s.cols(), "Clusters of " + pair + ", K = " + k, legend, null,
                        Support.nmPerPosition(context)));
        return new Correlation(MapSet.of(cm), List.of(f), st);
    }

    /** A clustering feature: its token, label, unit symbol, statistics key and values (masked positions NaN). */
    private record Feature(String key, String label, String unit, String stat, float[] values) {
    }

    /**
     * {@code B} (or {@code |B|}): the magnitude of B (or B·t); {@code misorientation}: α between B
     * and the tensile strain axis (needs /strain/angle_ten_deg); anything else: a 2-D map of the
     * scan's shape, e.g. {@code registered/Fe} from {@code --with DIR/registration.h5}.
     */
    private static Feature feature(String token, MapSet maps, Inputs.Vector b) {
        String bu = b.unit().symbol();
        if (token.equals("B") || token.equals("|B|")) {
            return new Feature("B", "|" + b.symbol() + "|", bu, "B_" + bu, b.magnitude());
        }
        if (token.equals("misorientation")) {
            if (!maps.contains(Inputs.ANGLE_TEN)) {
                throw new InvalidInputException(null, "/" + Inputs.ANGLE_TEN, "the tensile strain axis for the misorientation feature",
                        "no such map");
            }
            float[] alpha = MisorientationCorrelator.misorientation(b.x(), b.y(), Inputs.values(maps, Inputs.ANGLE_TEN, b.shape()));
            return new Feature("misorientation", "misorientation α", "deg", "misorientation_deg", alpha);
        }
        String path = token.startsWith("/") ? token.substring(1) : token;
        if (!maps.contains(path)) {
            throw new InvalidParameterException(FEATURES.name(), "B, misorientation or a map path among " + String.join(", ", Inputs.names(maps)),
                    token);
        }
        DataMap m = maps.require(path);
        float[] v = Inputs.values(maps, path, b.shape());
        String stat = path.replace('/', '_') + (m.unit().symbol().equals("1") ? "" : "_" + m.unit().symbol().replaceAll("[^A-Za-z0-9]", ""));
        return new Feature(path, "/" + path, m.unit().symbol(), stat, v);
    }
}
