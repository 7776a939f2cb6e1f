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
import org.ltz4d.render.Histogram2dPlot;
import org.osgi.service.component.annotations.Component;

/**
 * 2D histograms with their bin edges, and Pearson/Spearman coefficients of each pair (as
 * statistics and as attributes of the counts):
 * <ul>
 * <li>{@code /histograms/B_components}: (Bx, By) (or B·t), range symmetric about 0;</li>
 * <li>{@code /histograms/eten_components}: (ε_ten·cos θ, ε_ten·sin θ), θ the ε_ten axis angle;</li>
 * <li>{@code /histograms/B_misorientation}: (|B|, α), α in [0°, 90°];</li>
 * <li>{@code /histograms/A_vs_B} for each pair {@code --hist2d a,b} (several pairs separated by
 * ';'); A and B are the map paths with '/' replaced by '_'.</li>
 * </ul>
 * Each holds {@code counts} (int32, (ny, nx), row = y bin), {@code x_edges} (nx+1) and
 * {@code y_edges} (ny+1). Every position where both values are finite is counted (the range is
 * the data's full range). Pairs whose maps are missing are skipped and listed in the statistic
 * {@code histogram2d.skipped}.
 */
@Component(service = Correlator.class)
public final class Histogram2dCorrelator implements Correlator {

    public static final String NAME = "histogram2d";
    static final ParameterSpec HIST2D = ParameterSpec.text("hist2d",
            "two maps to histogram against each other, as a,b (e.g. strain/e_com,density/relative); several pairs separated by ';'", null);
    static final ParameterSpec BINS = ParameterSpec.integer("hist-bins", "bins per axis of the 2D histograms", 64, 2, 4096);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(HIST2D, BINS);
    }

    @Override
    public List<String> requires() {
        return List.of();
    }

    /** Path of the histogram group for a pair of map paths. */
    static String pairName(String a, String b) {
        return strip(a).replace('/', '_') + "_vs_" + strip(b).replace('/', '_');
    }

    private static String strip(String p) {
        String s = p.trim();
        return s.startsWith("/") ? s.substring(1) : s;
    }

    private record Spec(String name, float[] x, float[] y, double[] xr, double[] yr, String xLabel, String yLabel, Unit xu, Unit yu,
            String xDesc, String yDesc, String title) {
    }

    @Override
    public Correlation correlate(MapSet maps, AnalysisContext context) {
        Parameters p = context.parameters();
        p.checkAgainst(BINS);
        int bins = p.integer(BINS.name(), 64);
        List<Spec> specs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        var b = Inputs.findMagnetic(maps);
        if (b.isPresent()) {
            Inputs.Vector v = b.get();
            String u = Support.unitSuffix(v.unit().symbol());
            String sx = v.symbol().equals("B") ? "B_x" : "(B·t)_x";
            String sy = v.symbol().equals("B") ? "B_y" : "(B·t)_y";
            specs.add(new Spec("B_components", v.x(), v.y(), Histogram2d.symmetricRange(v.x(), v.y()), Histogram2d.symmetricRange(v.x(), v.y()),
                    sx + u, sy + u, v.unit(), v.unit(), "/" + v.xPath(), "/" + v.yPath(), "In-plane " + v.symbol() + " components"));
            if (maps.contains(Inputs.ANGLE_TEN)) {
                float[] alpha = MisorientationCorrelator.misorientation(v.x(), v.y(), Inputs.values(maps, Inputs.ANGLE_TEN, v.shape()));
                float[] mag = v.magnitude();
                double[] mr = Histogram2d.range(mag);
                specs.add(new Spec("B_misorientation", mag, alpha, new double[] {Math.min(0, mr[0]), mr[1]}, new double[] {0, 90},
                        "|" + v.symbol() + "|" + u, "misorientation α (deg)", v.unit(), Unit.DEGREE, "|" + v.symbol() + "|",
                        "/" + MisorientationCorrelator.MISORIENTATION, "|" + v.symbol() + "| against misorientation α"));
            } else {
                skipped.add("B_misorientation (no /" + Inputs.ANGLE_TEN + ")");
            }
        } else {
            skipped.add("B_components, B_misorientation (no B: /" + Inputs.BX + ", /" + Inputs.BY + " or /" + Inputs.BTX + ", /" + Inputs.BTY + ")");
        }
        if (maps.contains(Inputs.E_TEN) && maps.contains(Inputs.ANGLE_TEN)) {
            DataMap et = maps.require(Inputs.E_TEN);
            Shape s = Inputs.check2d(et, maps.require(Inputs.ANGLE_TEN));
            float[] e = Inputs.values(maps, Inputs.E_TEN, s);
            float[] a = Inputs.values(maps, Inputs.ANGLE_TEN, s);
            float[] cx = new float[e.length];
            float[] cy = new float[e.length];
            for (int i = 0; i < e.length; i++) {
                double t = Math.toRadians(a[i]);
                cx[i] = (float) (e[i] * Math.cos(t));
                cy[i] = (float) (e[i] * Math.sin(t));
            }
            specs.add(new Spec("eten_components", cx, cy, Histogram2d.symmetricRange(cx, cy), Histogram2d.symmetricRange(cx, cy),
                    "ε_ten·cos θ_ten (1)", "ε_ten·sin θ_ten (1)", Unit.DIMENSIONLESS, Unit.DIMENSIONLESS,
                    "ε_ten·cos θ_ten from /" + Inputs.E_TEN + ", /" + Inputs.ANGLE_TEN, "ε_ten·sin θ_ten", "Tensile strain components"));
        } else {
            skipped.add("eten_components (no /" + Inputs.E_TEN + " and /" + Inputs.ANGLE_TEN + ")");
        }
        String pairs = p.string(HIST2D.name(), null);
        if (pairs != null && !pairs.isBlank()) {
            for (String pair : pairs.split(";")) {
                String[] ab = pair.split(",");
                if (ab.length != 2 || ab[0].isBlank() || ab[1].isBlank()) {
                    throw new InvalidParameterException(HIST2D.name(), "two map paths as a,b (pairs separated by ';')", pairs);
                }
                String pa = strip(ab[0]);
                String pb = strip(ab[1]);
                for (String q : new String[] {pa, pb}) {
                    if (!maps.contains(q)) {
                        throw new InvalidParameterException(HIST2D.name(), "map paths among " + String.join(", ", Inputs.names(maps)), q);
                    }
                }
                DataMap ma = maps.require(pa);
                DataMap mb = maps.require(pb);
                if (!ma.shape().equals(mb.shape())) {
                    throw new InvalidInputException(null, "/" + mb.path(), "the shape " + ma.shape() + " of /" + ma.path()
                            + " (--hist2d)", mb.shape().toString());
                }
                float[] x = Inputs.masked(maps, ma);
                float[] y = Inputs.masked(maps, mb);
                specs.add(new Spec(pairName(pa, pb), x, y, Histogram2d.range(x), Histogram2d.range(y),
                        "/" + ma.path() + Support.unitSuffix(ma.unit().symbol()), "/" + mb.path() + Support.unitSuffix(mb.unit().symbol()),
                        ma.unit(), mb.unit(), "/" + ma.path(), "/" + mb.path(), "/" + ma.path() + " against /" + mb.path()));
            }
        }
        if (specs.isEmpty()) {
            throw new InvalidInputException(null, "/" + Inputs.BX, "B components, the ε_ten maps or --hist2d a,b to histogram",
                    "maps " + String.join(", ", Inputs.names(maps)));
        }
        List<DataMap> out = new ArrayList<>();
        List<Figure> figs = new ArrayList<>();
        Map<String, Object> st = new LinkedHashMap<>();
        for (Spec s : specs) {
            Histogram2d h = Histogram2d.of(s.x(), s.y(), s.xr()[0], s.xr()[1], bins, s.yr()[0], s.yr()[1], bins);
            Stats.Coefficients c = Stats.coefficients(s.x(), s.y());
            String g = "histograms/" + s.name() + "/";
            float[] counts = new float[h.counts().length];
            for (int i = 0; i < counts.length; i++) counts[i] = h.counts()[i];
            out.add(DataMap.labels(g + "counts", Shape.of(h.ny(), h.nx()), counts, Unit.COUNTS,
                    "2D histogram, rows = y bins (" + s.yDesc() + "), columns = x bins (" + s.xDesc() + ")")
                    .withAttribute("x", s.xDesc()).withAttribute("y", s.yDesc())
                    .withAttribute("total", h.total())
                    .withAttribute("pearson", c.pearson()).withAttribute("spearman", c.spearman()).withAttribute("n", c.n()));
            out.add(DataMap.of(g + "x_edges", Shape.of(h.nx() + 1), toFloat(h.xEdges()), s.xu(), "bin edges along x: " + s.xDesc()));
            out.add(DataMap.of(g + "y_edges", Shape.of(h.ny() + 1), toFloat(h.yEdges()), s.yu(), "bin edges along y: " + s.yDesc()));
            st.put(s.name() + ".pearson", c.pearson());
            st.put(s.name() + ".spearman", c.spearman());
            st.put(s.name() + ".n", c.n());
            String note = "Pearson r = " + Support.fmt(c.pearson()) + ", Spearman ρ = " + Support.fmt(c.spearman()) + ", n = " + c.n();
            figs.add(new Figure("corr_hist_" + s.name() + ".png", s.title() + ": 2D histogram (" + bins + "×" + bins
                    + " bins, counts on a log scale, white = empty); " + note, Figure.PNG,
                    Histogram2dPlot.png(h.counts(), h.nx(), h.ny(), h.xEdges(), h.yEdges(), s.title(), note, s.xLabel(), s.yLabel())));
        }
        if (!skipped.isEmpty()) st.put("skipped", String.join("; ", skipped));
        return new Correlation(MapSet.of(out), figs, st);
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
