package org.ltz4d.figures;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.Correlator;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.Figure;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Shape;
import org.ltz4d.render.ColorMap;
import org.ltz4d.render.FigureBuilder;
import org.ltz4d.render.MapImage;
import org.ltz4d.render.Range;
import org.osgi.service.component.annotations.Component;

/**
 * Figures of maps registered from other instruments ({@code registered/*}, e.g. from
 * {@code correlate --with DIR/registration.h5}) overlaid with the scan's own fields:
 * <ul>
 * <li>{@code registered_NAME_overlay.png} for each scalar map: the registered map in grey (1st to
 * 99th percentile, colour bar with its unit) under the in-plane B arrows (red) and the ε_ten axis
 * sticks (cyan, length ∝ ε_ten − ε_com) where those maps exist;</li>
 * <li>{@code registered_inplane_vs_strain.png} for the EBSD in-plane orientation
 * ({@code registered/inplane_deg}) with the ε_ten axis: the angle between the two axes (0°–90°)
 * in grey, EBSD [100] sticks (yellow) and ε_ten axis sticks (red) over it.</li>
 * </ul>
 * Scale bars in nm when the scan step is known. Label maps (EBSD phase) are not drawn. Produces no
 * maps; with no registered map it draws nothing.
 */
@Component(service = Correlator.class)
public final class RegisteredOverlayFigures implements Correlator {

    public static final String NAME = "registered-figures";
    static final String PREFIX = "registered/";
    static final String INPLANE = PREFIX + "inplane_deg";
    static final double PERCENTILE = 99;
    static final Color ARROWS = new Color(0xD0, 0x10, 0x10);
    static final Color STICKS = new Color(0x00, 0xB0, 0xD0);

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
        for (DataMap m : maps.maps()) {
            if (!m.path().startsWith(PREFIX) || m.integer()) continue;
            if (m.shape().rank() != 2) {
                context.log(NAME + ": /" + m.path() + " is not a 2D map (shape " + m.shape() + "), not drawn");
                continue;
            }
            figures.add(overlay(m, maps, nm, context, stats));
            if (m.path().equals(INPLANE)) inplaneVsStrain(m, maps, nm, context, stats).ifPresent(figures::add);
        }
        stats.put("figures_rendered", figures.size());
        if (figures.isEmpty()) context.log(NAME + ": no registered map (registered/*) to draw; give correlate --with DIR/registration.h5");
        return new Correlation(MapSet.empty(), figures, stats);
    }

    /** The map of {@code path} as values, if present with the shape {@code s}. */
    private static Optional<float[]> values(MapSet maps, String path, Shape s, AnalysisContext ctx) {
        Optional<DataMap> m = maps.get(path);
        if (m.isEmpty()) return Optional.empty();
        if (!m.get().shape().equals(s)) {
            ctx.log(NAME + ": /" + path + " " + m.get().shape() + " differs from the registered maps' " + s + ", not overlaid");
            return Optional.empty();
        }
        return Optional.of(m.get().toArray());
    }

    /** About 25 arrows across the longer side. */
    static int step(Shape s) {
        return Math.max(1, (int) Math.round(Math.max(s.rows(), s.cols()) / 25.0));
    }

    private static String key(DataMap m) {
        return m.path().replace('/', '_');
    }

    Figure overlay(DataMap m, MapSet maps, double nm, AnalysisContext ctx, Map<String, Object> stats) {
        Shape s = m.shape();
        float[] v = m.toArray();
        Range range = Range.percentile(v, 100 - PERCENTILE, PERCENTILE);
        String name = m.path().substring(PREFIX.length());
        FigureBuilder fb = FigureBuilder.map(MapImage.scalar(v, s.rows(), s.cols(), ColorMap.GREY, range))
                .title("Registered " + name + " with the scan's fields")
                .colorBar(ColorMap.GREY, range, FiguresCorrelator.label(name, m)).scaleBar(nm);
        int st = step(s);
        StringBuilder over = new StringBuilder();
        boolean tesla = maps.contains("magnetic/Bx");
        Optional<float[]> bx = values(maps, tesla ? "magnetic/Bx" : "magnetic/Bt_x", s, ctx);
        Optional<float[]> by = values(maps, tesla ? "magnetic/By" : "magnetic/Bt_y", s, ctx);
        if (bx.isPresent() && by.isPresent()) {
            double max = MapImage.maxMagnitude(bx.get(), by.get(), PERCENTILE);
            String unit = maps.require(tesla ? "magnetic/Bx" : "magnetic/Bt_x").unit().symbol();
            fb.arrows(bx.get(), by.get(), st, max, ARROWS);
            over.append("; red arrows: in-plane ").append(tesla ? "B" : "B·t").append(" every ").append(st)
                    .append(" positions, full cell = ").append(FiguresCorrelator.fmt(max)).append(' ').append(unit);
            stats.put(key(m) + "_overlay_arrow_full_cell", max);
        }
        Optional<float[]> ang = values(maps, "strain/angle_ten_deg", s, ctx);
        if (ang.isPresent()) {
            float[] len = strainAnisotropy(maps, s, ctx);
            double lmax = len == null ? 1 : Range.percentileValue(len, PERCENTILE);
            fb.sticks(ang.get(), len, st, lmax > 0 ? lmax : 1, STICKS);
            over.append("; cyan sticks: ε_ten axis").append(len == null ? "" : ", length ∝ ε_ten − ε_com (full cell = "
                    + FiguresCorrelator.fmt(lmax) + ")");
        }
        stats.put(key(m) + "_grey_range_low", range.min());
        stats.put(key(m) + "_grey_range_high", range.max());
        String caption = "Map registered from another instrument (/" + m.path() + ", " + describe(m) + "), resampled onto the scan grid, grey from "
                + FiguresCorrelator.fmt(range.min()) + " to " + FiguresCorrelator.fmt(range.max()) + " (1st–99th percentile; dark grey = "
                + "outside the registered map)" + over + ".";
        return new Figure(key(m) + "_overlay.png", caption, Figure.PNG, fb.png());
    }

    /** ε_ten − ε_com where both exist in the shape {@code s}, else null (sticks of equal length). */
    private static float[] strainAnisotropy(MapSet maps, Shape s, AnalysisContext ctx) {
        Optional<float[]> ten = values(maps, "strain/e_ten", s, ctx);
        Optional<float[]> com = values(maps, "strain/e_com", s, ctx);
        if (ten.isEmpty() || com.isEmpty()) return null;
        float[] w = new float[ten.get().length];
        for (int i = 0; i < w.length; i++) w[i] = ten.get()[i] - com.get()[i];
        return w;
    }

    /** The angle (0°–90°) between two axes given in degrees (180°-periodic); NaN if either is NaN. */
    static float axisAngle(float a, float b) {
        if (!Float.isFinite(a) || !Float.isFinite(b)) return Float.NaN;
        double d = ((a - b) % 180.0 + 180.0) % 180.0;
        return (float) (d > 90 ? 180 - d : d);
    }

    Optional<Figure> inplaneVsStrain(DataMap inplane, MapSet maps, double nm, AnalysisContext ctx, Map<String, Object> stats) {
        Shape s = inplane.shape();
        Optional<float[]> ten = values(maps, "strain/angle_ten_deg", s, ctx);
        if (ten.isEmpty()) return Optional.empty();
        float[] e = inplane.toArray();
        float[] d = new float[e.length];
        double sum = 0;
        int n = 0;
        for (int i = 0; i < d.length; i++) {
            d[i] = axisAngle(e[i], ten.get()[i]);
            if (Float.isFinite(d[i])) {
                sum += d[i];
                n++;
            }
        }
        Range range = new Range(0, 90);
        int st = step(s);
        byte[] png = FigureBuilder.map(MapImage.scalar(d, s.rows(), s.cols(), ColorMap.GREY, range))
                .title("EBSD in-plane [100] against the ε_ten axis")
                .colorBar(ColorMap.GREY, range, "angle between the axes (deg)")
                .sticks(e, null, st, 1, Color.YELLOW).sticks(ten.get(), null, st, 1, ARROWS).scaleBar(nm).png();
        double mean = n > 0 ? sum / n : Double.NaN;
        stats.put("registered_inplane_vs_eten_mean_angle_deg", mean);
        stats.put("registered_inplane_vs_eten_positions", n);
        String caption = "Angle between the EBSD in-plane direction of [100] (/" + inplane.path() + ", not reduced by crystal symmetry) and the "
                + "tensile strain axis (/strain/angle_ten_deg), grey 0°–90°, mean " + FiguresCorrelator.fmt(mean) + "° over " + n
                + " positions; yellow sticks: EBSD [100], red sticks: ε_ten axis, every " + st + " positions.";
        return Optional.of(new Figure("registered_inplane_vs_strain.png", caption, Figure.PNG, png));
    }

    private static String describe(DataMap m) {
        Object src = m.attributes().get("source");
        Object method = m.attributes().get("method");
        String u = m.unit().symbol();
        return (u.equals("1") ? "no unit" : "unit " + u) + (src == null ? "" : ", from " + java.nio.file.Path.of(src.toString()).getFileName())
                + (method == null ? "" : ", registered by " + method);
    }
}
