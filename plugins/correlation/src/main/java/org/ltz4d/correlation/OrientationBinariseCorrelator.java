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
import org.ltz4d.api.units.Unit;
import org.ltz4d.render.LabelMap;
import org.osgi.service.component.annotations.Component;

/**
 * Maps binarised by orientation relative to a direction D (the paper's Fig. 3c,e): a position is
 * "parallel" (1) when the axis of B (its sign ignored) or the ε_ten axis lies within 45° of D
 * (45° itself counts as parallel), "perpendicular" (0) otherwise, −1 where there is no value.
 * Also where the two classes agree.
 */
@Component(service = Correlator.class)
public final class OrientationBinariseCorrelator implements Correlator {

    public static final String NAME = "orientation-binarise";
    public static final String B_PARALLEL = "correlation/B_parallel";
    public static final String ETEN_PARALLEL = "correlation/eten_parallel";
    public static final String AGREE = "correlation/B_eten_agree";

    static final ParameterSpec DIRECTION = ParameterSpec.number("direction-deg",
            "reference direction D for the binarised maps, from +x towards +y", Unit.DEGREE, 0.0, -360, 360);

    private static final int PARALLEL_RGB = 0xD62728;
    private static final int PERPENDICULAR_RGB = 0x1F77B4;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(DIRECTION);
    }

    /** Renders what it finds: B and/or the ε_ten axis (at least one). */
    @Override
    public List<String> requires() {
        return List.of();
    }

    /** 1 where the angle (vector or axis, degrees) is within 45° of D's axis, 0 beyond, −1 for NaN. */
    static int[] binarise(float[] angleDeg, double directionDeg) {
        int[] out = new int[angleDeg.length];
        for (int i = 0; i < out.length; i++) {
            double d = Angles.axialDifferenceDeg(angleDeg[i], directionDeg);
            out[i] = Double.isNaN(d) ? -1 : d <= 45.0 ? 1 : 0;
        }
        return out;
    }

    @Override
    public Correlation correlate(MapSet maps, AnalysisContext context) {
        context.parameters().checkAgainst(DIRECTION);
        double dir = context.parameters().number(DIRECTION.name(), 0.0);
        var b = Inputs.findMagnetic(maps);
        boolean hasAxis = maps.contains(Inputs.ANGLE_TEN);
        if (b.isEmpty() && !hasAxis) {
            throw new InvalidInputException(null, "/" + Inputs.ANGLE_TEN, "B (/" + Inputs.BX + ", /" + Inputs.BY
                    + " or /" + Inputs.BTX + ", /" + Inputs.BTY + ") or the ε_ten axis /" + Inputs.ANGLE_TEN, "neither");
        }
        List<DataMap> out = new ArrayList<>();
        List<Figure> figs = new ArrayList<>();
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("direction_deg", dir);
        double nm = Support.nmPerPosition(context);
        String d = Support.fmt(Angles.axis(dir));
        List<String> legend = List.of("perpendicular to " + d + "° (> 45°)", "parallel to " + d + "° (≤ 45°)");
        int[] colours = {PERPENDICULAR_RGB, PARALLEL_RGB};
        int[] bBin = null;
        int[] eBin = null;
        Shape shape = null;
        if (b.isPresent()) {
            shape = b.get().shape();
            bBin = binarise(b.get().angleDeg(), dir);
            out.add(DataMap.labels(B_PARALLEL, shape, Support.toFloat(bBin), Unit.LABEL,
                    "1 where the axis of " + b.get().symbol() + " lies within 45° of " + d + "°, 0 beyond, −1 no value")
                    .withAttribute("direction_deg", dir));
            st.put("B_parallel_fraction", fraction(bBin));
            figs.add(new Figure("corr_B_parallel.png", b.get().symbol() + " binarised: parallel (red) or perpendicular (blue) to "
                    + d + "° within 45°; grey: no value", Figure.PNG,
                    LabelMap.png(bBin, shape.rows(), shape.cols(), b.get().symbol() + " orientation relative to " + d + "°",
                            legend, colours, nm)));
        }
        if (hasAxis) {
            DataMap axis = maps.require(Inputs.ANGLE_TEN);
            Shape s = Inputs.check2d(axis);
            if (shape != null && !shape.equals(s)) {
                throw new org.ltz4d.api.error.ShapeMismatchException(null, "/" + Inputs.ANGLE_TEN, "the shape " + shape + " of B", s.toString());
            }
            shape = s;
            eBin = binarise(Inputs.masked(maps, axis), dir);
            out.add(DataMap.labels(ETEN_PARALLEL, shape, Support.toFloat(eBin), Unit.LABEL,
                    "1 where the ε_ten axis lies within 45° of " + d + "°, 0 beyond, −1 no value").withAttribute("direction_deg", dir));
            st.put("eten_parallel_fraction", fraction(eBin));
            figs.add(new Figure("corr_eten_parallel.png", "ε_ten axis binarised: parallel (red) or perpendicular (blue) to "
                    + d + "° within 45°; grey: no value", Figure.PNG,
                    LabelMap.png(eBin, shape.rows(), shape.cols(), "ε_ten axis orientation relative to " + d + "°", legend, colours, nm)));
        }
        if (bBin != null && eBin != null) {
            int[] agree = new int[bBin.length];
            int n = 0, same = 0;
            float[] fb = new float[bBin.length];
            float[] fe = new float[bBin.length];
            for (int i = 0; i < agree.length; i++) {
                boolean ok = bBin[i] >= 0 && eBin[i] >= 0;
                agree[i] = ok ? (bBin[i] == eBin[i] ? 1 : 0) : -1;
                fb[i] = ok ? bBin[i] : Float.NaN;
                fe[i] = ok ? eBin[i] : Float.NaN;
                if (ok) {
                    n++;
                    if (agree[i] == 1) same++;
                }
            }
            DataMap am = DataMap.labels(AGREE, shape, Support.toFloat(agree), Unit.LABEL,
                    "1 where B and the ε_ten axis fall in the same class (both parallel or both perpendicular to " + d + "°), 0 not, −1 no value");
            Stats.Coefficients c = Stats.coefficients(fb, fe);
            am = am.withAttribute("agreement_fraction", n == 0 ? Double.NaN : same / (double) n).withAttribute("phi_coefficient", c.pearson());
            out.add(am);
            st.put("agreement_fraction", n == 0 ? Double.NaN : same / (double) n);
            st.put("phi_coefficient", c.pearson());
            figs.add(new Figure("corr_B_eten_agree.png", "Where B and the ε_ten axis have the same orientation class relative to "
                    + d + "° (green) or not (orange)", Figure.PNG,
                    LabelMap.png(agree, shape.rows(), shape.cols(), "B and ε_ten axis: same class?",
                            List.of("different class", "same class"), new int[] {0xFF7F0E, 0x2CA02C}, nm)));
        }
        return new Correlation(MapSet.of(out), figs, st);
    }

    private static double fraction(int[] bin) {
        int n = 0, p = 0;
        for (int v : bin) {
            if (v >= 0) {
                n++;
                if (v == 1) p++;
            }
        }
        return n == 0 ? Double.NaN : p / (double) n;
    }
}
