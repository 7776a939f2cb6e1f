package org.ltz4d.pdf;

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
import org.osgi.service.component.annotations.Component;

/**
 * Correlator {@code pdf-figures}: mean S(q) and G(r) over the scan with their ±1σ spread, and maps
 * of the first-peak positions (and of the coordination number when there is one), as PNG; plus
 * summary statistics of the peak maps.
 */
@Component(service = Correlator.class)
public final class PdfFiguresCorrelator implements Correlator {
    public static final String NAME = "pdf-figures";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> requires() {
        return List.of("sq/S", "pdf/G", "pdf/r_first_peak");
    }

    @Override
    public Correlation correlate(MapSet maps, AnalysisContext context) {
        List<Figure> figs = new ArrayList<>();
        Map<String, Object> stats = new LinkedHashMap<>();
        DataMap s = maps.require("sq/S");
        DataMap g = maps.require("pdf/G");
        int nq = s.shape().dim(s.shape().rank() - 1);
        int nr = g.shape().dim(g.shape().rank() - 1);
        boolean hasQ = maps.contains("sq/q") && maps.require("sq/q").size() == nq;
        boolean hasR = maps.contains("pdf/r") && maps.require("pdf/r").size() == nr;
        double[] q = axis(maps, "sq/q", nq);
        double[] r = axis(maps, "pdf/r", nr);
        float[][] ms = PdfDeriver.meanStd(s, nq);
        float[][] mg = PdfDeriver.meanStd(g, nr);
        figs.add(new Figure("pdf_S_mean.png", "mean S(q) over the scan, band ±1σ over positions", Figure.PNG,
                Plot.profile(q, toD(ms[0]), toD(ms[1]), "Mean structure factor S(q) ± 1σ", hasQ ? "q (1/Å)" : "q bin (no /sq/q axis)", "S(q)", 1.0)));
        figs.add(new Figure("pdf_G_mean.png", "mean G(r) over the scan, band ±1σ over positions", Figure.PNG,
                Plot.profile(r, toD(mg[0]), toD(mg[1]), "Mean reduced PDF G(r) ± 1σ", hasR ? "r (Å)" : "r bin (no /pdf/r axis)", "G(r) (1/Å²)", 0.0)));
        int rows = context.navShape().rows();
        int cols = context.navShape().cols();
        addMap(figs, stats, maps, "pdf/r_first_peak", "pdf_r_first_peak.png", "First-peak position of G(r)", "r₁ (Å)", rows, cols);
        addMap(figs, stats, maps, "sq/q_first_peak", "sq_q_first_peak.png", "First-peak position of S(q)", "q₁ (1/Å)", rows, cols);
        addMap(figs, stats, maps, "pdf/coordination", "pdf_coordination.png", "First-shell coordination number", "N₁ (atoms)", rows, cols);
        return new Correlation(MapSet.empty(), figs, stats);
    }

    private static void addMap(List<Figure> figs, Map<String, Object> stats, MapSet maps, String path, String file, String title,
            String label, int rows, int cols) {
        if (!maps.contains(path)) return;
        DataMap m = maps.require(path);
        float[] v = m.toArray();
        if (v.length != rows * cols) return;
        double sum = 0;
        double sum2 = 0;
        int n = 0;
        for (float x : v) {
            if (Float.isNaN(x)) continue;
            sum += x;
            sum2 += (double) x * x;
            n++;
        }
        String key = path.replace('/', '_');
        stats.put(key + "_valid_positions", n);
        if (n == 0) return; // an all-NaN map (e.g. coordination without a density) gets no figure
        double mean = sum / n;
        stats.put(key + "_mean", mean + " " + m.unit().symbol());
        stats.put(key + "_std", Math.sqrt(Math.max(0, sum2 / n - mean * mean)) + " " + m.unit().symbol());
        figs.add(new Figure(file, title + " (" + m.unit().symbol() + "), colour limits 2nd–98th percentile, grey = no value", Figure.PNG,
                Plot.map(v, rows, cols, title, label)));
    }

    private static double[] axis(MapSet maps, String path, int n) {
        double[] out = new double[n];
        if (maps.contains(path) && maps.require(path).size() == n) {
            DataMap a = maps.require(path);
            for (int i = 0; i < n; i++) out[i] = a.get(i);
        } else {
            for (int i = 0; i < n; i++) out[i] = i;
        }
        return out;
    }

    private static double[] toD(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
