package org.ltz4d.figures;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.Correlator;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.Figure;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.render.ColorMap;
import org.ltz4d.render.FigureBuilder;
import org.ltz4d.render.MapImage;
import org.ltz4d.render.Panels;
import org.ltz4d.render.Range;
import org.osgi.service.component.annotations.Component;

/**
 * The standard figures of an analysis, rendered from whichever maps exist (so it requires
 * nothing): the in-plane B in a colour wheel ({@code B_colorwheel.png}), the ε_ten axis in a
 * two-fold wheel weighted by ε_ten − ε_com ({@code strain_orientation.png}), the relative density
 * with a colour bar ({@code density.png}) and ε_com, ε_ten and the volumetric strain (or, when
 * only the tensor is known, ε_xx, ε_yy, ε_xy) with diverging colour bars ({@code strain_maps.png}). Every figure is a PNG at least 600 px on each
 * side, with a scale bar when the scan step is known. Colour scales saturate at the 99th
 * percentile so that a few outliers do not darken the map; the value used is in the caption and
 * the statistics.
 */
@Component(service = Correlator.class)
public class FiguresCorrelator implements Correlator {

    public static final String NAME = "figures";
    static final double PERCENTILE = 99;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> requires() {
        return List.of();
    }

    @Override
    public Correlation correlate(MapSet maps, AnalysisContext context) {
        OptionalDouble step = context.calibration().scanStepXNm();
        double nm = step.isPresent() ? step.getAsDouble() : Double.NaN;
        List<Figure> figures = new ArrayList<>();
        Map<String, Object> stats = new LinkedHashMap<>();
        bField(maps, nm, context).ifPresent(f -> add(f, figures, stats));
        strainOrientation(maps, nm, context).ifPresent(f -> add(f, figures, stats));
        density(maps, nm, context).ifPresent(f -> add(f, figures, stats));
        strainMaps(maps, nm, context).ifPresent(f -> add(f, figures, stats));
        virtualImages(maps, nm, context).ifPresent(f -> add(f, figures, stats));
        uncertaintyMaps(maps, nm, context).ifPresent(f -> add(f, figures, stats));
        bCrossCheck(maps, nm, context).ifPresent(f -> add(f, figures, stats));
        stats.put("figures_rendered", figures.size());
        if (figures.isEmpty()) context.log(NAME + ": none of the maps it draws (magnetic/*, strain/*, density/relative) is present");
        return new Correlation(MapSet.empty(), figures, stats);
    }

    private record Made(Figure figure, Map<String, Object> stats) {
    }

    private static void add(Made m, List<Figure> figures, Map<String, Object> stats) {
        figures.add(m.figure());
        stats.putAll(m.stats());
    }

    /** A 2D map at {@code path}, if present; a map of another rank is skipped with a note. */
    private static Optional<DataMap> map2d(MapSet maps, String path, AnalysisContext ctx) {
        Optional<DataMap> m = maps.get(path);
        if (m.isPresent() && m.get().shape().rank() != 2) {
            ctx.log(NAME + ": /" + path + " is not a 2D map (shape " + m.get().shape() + "), not drawn");
            return Optional.empty();
        }
        return m;
    }

    private static boolean sameShape(DataMap a, DataMap b, AnalysisContext ctx) {
        if (a.shape().equals(b.shape())) return true;
        ctx.log(NAME + ": /" + a.path() + " " + a.shape() + " and /" + b.path() + " " + b.shape() + " differ in shape, not drawn");
        return false;
    }

    /** "name (unit)", or just the name for dimensionless maps. */
    static String label(String name, DataMap m) {
        String u = m.unit().symbol();
        return u.equals("1") ? name : name + " (" + u + ")";
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }

    Optional<Made> bField(MapSet maps, double nm, AnalysisContext ctx) {
        boolean tesla = maps.contains("magnetic/Bx") && maps.contains("magnetic/By");
        String xp = tesla ? "magnetic/Bx" : "magnetic/Bt_x";
        String yp = tesla ? "magnetic/By" : "magnetic/Bt_y";
        Optional<DataMap> bx = map2d(maps, xp, ctx);
        Optional<DataMap> by = map2d(maps, yp, ctx);
        if (bx.isEmpty() || by.isEmpty() || !sameShape(bx.get(), by.get(), ctx)) return Optional.empty();
        int rows = bx.get().shape().rows();
        int cols = bx.get().shape().cols();
        float[] x = bx.get().toArray();
        float[] y = by.get().toArray();
        double max = MapImage.maxMagnitude(x, y, PERCENTILE);
        String unit = bx.get().unit().symbol();
        String what = tesla ? "B" : "B·t";
        byte[] png = FigureBuilder.map(MapImage.vector(x, y, rows, cols, max))
                .title("In-plane " + (tesla ? "magnetic induction B" : "projected induction B·t"))
                .wheelLegend(false, "|" + what + "| 0 – " + fmt(max) + " " + unit)
                .scaleBar(nm).png();
        String caption = what + " in a colour wheel: hue = direction (from +x towards +y, +y pointing down), brightness = |" + what
                + "| up to " + fmt(max) + " " + unit + " (99th percentile); grey = no value.";
        return Optional.of(new Made(new Figure("B_colorwheel.png", caption, Figure.PNG, png),
                Map.of("B_colorwheel_full_brightness_" + (tesla ? "T" : "T_nm"), max)));
    }

    Optional<Made> strainOrientation(MapSet maps, double nm, AnalysisContext ctx) {
        Optional<DataMap> ang = map2d(maps, "strain/angle_ten_deg", ctx);
        Optional<DataMap> ten = map2d(maps, "strain/e_ten", ctx);
        Optional<DataMap> com = map2d(maps, "strain/e_com", ctx);
        if (ang.isEmpty() || ten.isEmpty() || com.isEmpty()) return Optional.empty();
        if (!sameShape(ang.get(), ten.get(), ctx) || !sameShape(ang.get(), com.get(), ctx)) return Optional.empty();
        int rows = ang.get().shape().rows();
        int cols = ang.get().shape().cols();
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) w[i] = ten.get().get(i) - com.get().get(i);
        double max = Range.percentileValue(w, PERCENTILE);
        if (!(max > 0)) max = 1;
        byte[] png = FigureBuilder.map(MapImage.axial(ang.get().toArray(), w, rows, cols, max))
                .title("Strain orientation: ε_ten axis")
                .wheelLegend(true, "ε_ten − ε_com 0 – " + fmt(max))
                .scaleBar(nm).png();
        String caption = "Axis of the tensile principal strain ε_ten in a two-fold colour wheel (hue = 2 × axis angle from +x towards +y), "
                + "brightness = ε_ten − ε_com up to " + fmt(max) + " (99th percentile); grey = no value.";
        return Optional.of(new Made(new Figure("strain_orientation.png", caption, Figure.PNG, png),
                Map.of("strain_orientation_full_brightness_e_ten_minus_e_com", max)));
    }

    Optional<Made> density(MapSet maps, double nm, AnalysisContext ctx) {
        Optional<DataMap> d = map2d(maps, "density/relative", ctx);
        if (d.isEmpty()) return Optional.empty();
        float[] v = d.get().toArray();
        Range range = Range.symmetricPercentile(v, PERCENTILE);
        int rows = d.get().shape().rows();
        int cols = d.get().shape().cols();
        byte[] png = FigureBuilder.map(MapImage.scalar(v, rows, cols, ColorMap.DIVERGING, range))
                .title("Relative density Δρ/ρ")
                .colorBar(ColorMap.DIVERGING, range, label("Δρ/ρ", d.get()))
                .scaleBar(nm).png();
        String caption = "Relative atomic density from the ring area, diverging colour scale ±" + fmt(range.max())
                + " (99th percentile of |Δρ/ρ|); dark grey = no value.";
        return Optional.of(new Made(new Figure("density.png", caption, Figure.PNG, png), Map.of("density_colour_range_abs", range.max())));
    }

    Optional<Made> strainMaps(MapSet maps, double nm, AnalysisContext ctx) {
        String[][] panels = {{"strain/e_com", "ε_com"}, {"strain/e_ten", "ε_ten"}, {"strain/volumetric", "ε_v = ε_xx + ε_yy"}};
        if (!maps.contains("strain/e_com") && !maps.contains("strain/e_ten") && !maps.contains("strain/volumetric")) {
            // e.g. a lattice analysis that reports only the tensor components
            panels = new String[][] {{"strain/exx", "ε_xx"}, {"strain/eyy", "ε_yy"}, {"strain/exy", "ε_xy"}};
        }
        Map<String, Object> stats = new LinkedHashMap<>();
        List<BufferedImage> images = row(maps, nm, ctx, panels, ColorMap.DIVERGING, true, "_colour_range_abs", stats);
        if (images.isEmpty()) return Optional.empty();
        byte[] png = org.ltz4d.render.Png.encode(Panels.row(12, images));
        String caption = (panels[0][0].equals("strain/exx") ? "Strain tensor components ε_xx, ε_yy, ε_xy" : "Principal strains ε_com, ε_ten and the volumetric strain")
                + ", diverging colour scales symmetric about 0 "
                + "(99th percentile of |ε|); dark grey = no value.";
        return Optional.of(new Made(new Figure("strain_maps.png", caption, Figure.PNG, png), stats));
    }

    /**
     * The panels present among {@code panels} ({path, title}), each a map with its colour bar; the
     * colour range of each goes into {@code stats} under the path after its group + {@code statSuffix}:
     * symmetric about 0 at the 99th percentile of |v|, or the 1st to 99th percentile.
     */
    private static List<BufferedImage> row(MapSet maps, double nm, AnalysisContext ctx, String[][] panels, ColorMap cmap,
            boolean symmetric, String statSuffix, Map<String, Object> stats) {
        List<BufferedImage> images = new ArrayList<>();
        for (String[] p : panels) {
            Optional<DataMap> m = map2d(maps, p[0], ctx);
            if (m.isEmpty()) continue;
            float[] v = m.get().toArray();
            Range range = symmetric ? Range.symmetricPercentile(v, PERCENTILE) : Range.percentile(v, 100 - PERCENTILE, PERCENTILE);
            images.add(FigureBuilder.map(MapImage.scalar(v, m.get().shape().rows(), m.get().shape().cols(), cmap, range))
                    .title(p[1]).colorBar(cmap, range, label(p[1], m.get()))
                    .scaleBar(nm).render());
            String key = p[0].substring(p[0].indexOf('/') + 1).replace('/', '_');
            if (symmetric) {
                stats.put(key + statSuffix, range.max());
            } else {
                stats.put(key + statSuffix + "_low", range.min());
                stats.put(key + statSuffix + "_high", range.max());
            }
        }
        return images;
    }

    /** Virtual bright-field, annular dark-field and first-ring images ({@code virtual/*}), with the detector radii. */
    Optional<Made> virtualImages(MapSet maps, double nm, AnalysisContext ctx) {
        String[][] panels = {{"virtual/bf", "virtual BF"}, {"virtual/adf", "virtual ADF"}, {"virtual/ring", "first-ring band"}};
        Map<String, Object> stats = new LinkedHashMap<>();
        List<BufferedImage> images = row(maps, nm, ctx, panels, ColorMap.GREY, false, "_grey_range", stats);
        if (images.isEmpty()) return Optional.empty();
        StringBuilder radii = new StringBuilder();
        for (String[] p : panels) {
            maps.get(p[0]).ifPresent(m -> {
                Object in = m.attributes().get("inner_radius_px"), out = m.attributes().get("outer_radius_px");
                if (in == null || out == null) return;
                radii.append(radii.length() == 0 ? "" : "; ").append(p[1]).append(' ').append(fmt(((Number) in).doubleValue()))
                        .append('–').append(fmt(((Number) out).doubleValue())).append(" px");
                Object mi = m.attributes().get("inner_radius_mrad"), mo = m.attributes().get("outer_radius_mrad");
                if (mi != null && mo != null) {
                    radii.append(" (").append(fmt(((Number) mi).doubleValue())).append('–').append(fmt(((Number) mo).doubleValue())).append(" mrad)");
                }
            });
        }
        byte[] png = org.ltz4d.render.Png.encode(Panels.row(12, images));
        String caption = "Virtual detector images (counts), grey scale from the 1st to the 99th percentile"
                + (radii.length() > 0 ? "; radii " + radii : "") + ".";
        return Optional.of(new Made(new Figure("virtual_images.png", caption, Figure.PNG, png), stats));
    }

    /** Standard errors from the fits' Fisher information ({@code uncertainty/*}), with their medians. */
    Optional<Made> uncertaintyMaps(MapSet maps, double nm, AnalysisContext ctx) {
        boolean tesla = maps.contains("uncertainty/Bx");
        String[][] panels = {{tesla ? "uncertainty/Bx" : "uncertainty/Bt_x", tesla ? "σ(B_x)" : "σ(B·t)_x"},
            {tesla ? "uncertainty/By" : "uncertainty/Bt_y", tesla ? "σ(B_y)" : "σ(B·t)_y"},
            {"uncertainty/exx", "σ(ε_xx)"}, {"uncertainty/eyy", "σ(ε_yy)"}, {"uncertainty/exy", "σ(ε_xy)"}, {"uncertainty/density", "σ(Δρ/ρ)"}};
        Map<String, Object> stats = new LinkedHashMap<>();
        List<BufferedImage> images = row(maps, nm, ctx, panels, ColorMap.VIRIDIS, false, "_sigma_colour_range", stats);
        if (images.isEmpty()) return Optional.empty();
        StringBuilder med = new StringBuilder();
        for (String[] p : panels) {
            maps.get(p[0]).ifPresent(m -> {
                double v = Range.percentileValue(m.toArray(), 50);
                stats.put(p[0].substring("uncertainty/".length()) + "_median_sigma", v);
                med.append(med.length() == 0 ? "" : ", ").append(p[1]).append(" = ").append(fmt(v))
                        .append(m.unit().symbol().equals("1") ? "" : " " + m.unit().symbol());
            });
        }
        byte[] png = org.ltz4d.render.Png.encode(Panels.row(12, images));
        String caption = "Standard errors from the fits' Fisher information, propagated to the maps; median " + med
                + "; colour from the 1st to the 99th percentile.";
        return Optional.of(new Made(new Figure("uncertainty_maps.png", caption, Figure.PNG, png), stats));
    }

    /** The direct-beam B minus the ring-centre B ({@code magnetic_beam/diff_*}), with both spreads. */
    Optional<Made> bCrossCheck(MapSet maps, double nm, AnalysisContext ctx) {
        boolean tesla = maps.contains("magnetic_beam/diff_Bx");
        String x = tesla ? "Bx" : "Bt_x", y = tesla ? "By" : "Bt_y";
        String[][] panels = {{"magnetic_beam/diff_" + x, "beam − ring " + x}, {"magnetic_beam/diff_" + y, "beam − ring " + y}};
        Map<String, Object> stats = new LinkedHashMap<>();
        List<BufferedImage> images = row(maps, nm, ctx, panels, ColorMap.DIVERGING, true, "_colour_range_abs", stats);
        if (images.isEmpty()) return Optional.empty();
        double sd = Math.sqrt(0.5 * (variance(maps, "magnetic_beam/diff_" + x) + variance(maps, "magnetic_beam/diff_" + y)));
        stats.put("B_crosscheck_std_of_difference", sd);
        byte[] png = org.ltz4d.render.Png.encode(Panels.row(12, images));
        String caption = "Cross-check of B: B from the direct-beam centre minus B from the ring centre; standard deviation of the "
                + "difference " + fmt(sd) + " " + maps.get("magnetic_beam/diff_" + x).map(m -> m.unit().symbol()).orElse("")
                + " per component (both centres see the same deflection; the spread is their combined noise).";
        return Optional.of(new Made(new Figure("B_crosscheck.png", caption, Figure.PNG, png), stats));
    }

    /** Variance of the finite values of a map (NaN when absent or empty). */
    private static double variance(MapSet maps, String path) {
        Optional<DataMap> m = maps.get(path);
        if (m.isEmpty()) return Double.NaN;
        double s = 0, s2 = 0;
        int n = 0;
        for (float v : m.get().toArray()) {
            if (!Float.isFinite(v)) continue;
            s += v;
            s2 += (double) v * v;
            n++;
        }
        if (n < 2) return Double.NaN;
        double mean = s / n;
        return (s2 - n * mean * mean) / (n - 1);
    }
}
