package org.ltz4d.correlation;

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
import org.ltz4d.api.units.Unit;
import org.ltz4d.render.ColorMap;
import org.ltz4d.render.FigureBuilder;
import org.ltz4d.render.MapImage;
import org.ltz4d.render.Range;
import org.osgi.service.component.annotations.Component;

/**
 * Misorientation α between the in-plane induction B (a vector, 360°-periodic) and the ε_ten axis
 * (180°-periodic), folded into [0°, 90°] (DESIGN.md §6): α = 0° when B lies along the tensile
 * axis, 90° when it is perpendicular to it. Also |B| and the direction of B.
 */
@Component(service = Correlator.class)
public final class MisorientationCorrelator implements Correlator {

    public static final String NAME = "misorientation";
    public static final String MISORIENTATION = "correlation/misorientation_deg";
    public static final String B_MAGNITUDE = "correlation/B_magnitude";
    public static final String B_ANGLE = "correlation/B_angle_deg";

    @Override
    public String name() {
        return NAME;
    }

    /** Also needs /magnetic/Bx,By (or Bt_x,Bt_y): checked in {@link #correlate}, the API has no "one of". */
    @Override
    public List<String> requires() {
        return List.of(Inputs.ANGLE_TEN);
    }

    /** α per position in degrees [0, 90]; NaN where B or the axis has no value or B = 0. */
    static float[] misorientation(float[] bx, float[] by, float[] axisDeg) {
        float[] a = new float[bx.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) Angles.axialDifferenceDeg(Angles.vectorAngleDeg(bx[i], by[i]), axisDeg[i]);
        }
        return a;
    }

    static float[] misorientation(MapSet maps) {
        Inputs.Vector b = Inputs.requireMagnetic(maps);
        float[] axis = Inputs.values(maps, Inputs.ANGLE_TEN, b.shape());
        return misorientation(b.x(), b.y(), axis);
    }

    @Override
    public Correlation correlate(MapSet maps, AnalysisContext context) {
        Inputs.Vector b = Inputs.requireMagnetic(maps);
        Shape s = b.shape();
        float[] axis = Inputs.values(maps, Inputs.ANGLE_TEN, s);
        float[] alpha = misorientation(b.x(), b.y(), axis);
        float[] mag = b.magnitude();
        float[] dir = b.angleDeg();
        DataMap am = DataMap.of(MISORIENTATION, s, alpha, Unit.DEGREE,
                "misorientation between " + b.symbol() + " (/" + b.xPath() + ", /" + b.yPath() + ") and the ε_ten axis (/"
                        + Inputs.ANGLE_TEN + "), folded into [0°, 90°]; NaN where either has no value")
                .withAttribute("range_deg", "0..90");
        DataMap mm = DataMap.of(B_MAGNITUDE, s, mag, b.unit(), "|" + b.symbol() + "| = hypot(/" + b.xPath() + ", /" + b.yPath() + ")");
        DataMap dm = DataMap.of(B_ANGLE, s, dir, Unit.DEGREE,
                "direction of " + b.symbol() + " in [0°, 360°) from +x towards +y (array coordinates)");
        Map<String, Object> st = new LinkedHashMap<>();
        int n = Inputs.finiteCount(alpha);
        st.put("n", n);
        st.put("mean_deg", Stats.mean(alpha));
        st.put("median_deg", Stats.median(alpha));
        int below = 0;
        for (float f : alpha) if (f < 45f) below++;
        st.put("fraction_below_45deg", n == 0 ? Double.NaN : below / (double) n);
        st.put("B_source", "/" + b.xPath() + ", /" + b.yPath());
        byte[] png = FigureBuilder.map(MapImage.scalar(alpha, s.rows(), s.cols(), ColorMap.VIRIDIS, new Range(0, 90)))
                .title("Misorientation α between " + b.symbol() + " and the ε_ten axis")
                .colorBar(ColorMap.VIRIDIS, new Range(0, 90), "α (deg)")
                .scaleBar(Support.nmPerPosition(context)).png();
        Figure f = new Figure("corr_misorientation.png",
                "Misorientation α ∈ [0°, 90°] between " + b.symbol() + " and the tensile strain axis ε_ten (0° = parallel); grey: no value",
                Figure.PNG, png);
        return new Correlation(MapSet.of(am, mm, dm), List.of(f), st);
    }
}
