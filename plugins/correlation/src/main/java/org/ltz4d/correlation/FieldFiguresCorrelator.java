package org.ltz4d.correlation;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.Correlator;
import org.ltz4d.api.analysis.Figure;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.render.ColorMap;
import org.ltz4d.render.FigureBuilder;
import org.ltz4d.render.MapImage;
import org.ltz4d.render.Range;
import org.osgi.service.component.annotations.Component;

/**
 * Figures of the fields themselves, from whatever maps are present: B in the vector colour wheel
 * with the wheel as legend; B arrows and ε_com sticks over a lightened B map (subsampled); the
 * ε_ten axis in the two-fold wheel; the relative density with a colour bar. Scale bars in nm when
 * the scan step is known. Produces no maps.
 */
@Component(service = Correlator.class)
public final class FieldFiguresCorrelator implements Correlator {

    public static final String NAME = "field-figures";
    static final ParameterSpec ARROW_STEP = ParameterSpec.integer("arrow-step",
            "scan positions between overlay arrows/sticks (0 = about 25 across the longer side)", 0, 0, 100000);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ARROW_STEP);
    }

    @Override
    public List<String> requires() {
        return List.of();
    }

    static int autoStep(Shape s) {
        return Math.max(1, (int) Math.round(Math.max(s.rows(), s.cols()) / 25.0));
    }

    @Override
    public Correlation correlate(MapSet maps, AnalysisContext context) {
        context.parameters().checkAgainst(ARROW_STEP);
        double nm = Support.nmPerPosition(context);
        List<Figure> figs = new ArrayList<>();
        Map<String, Object> st = new LinkedHashMap<>();
        var bo = Inputs.findMagnetic(maps);
        if (bo.isPresent()) {
            Inputs.Vector b = bo.get();
            Shape s = b.shape();
            double max = MapImage.maxMagnitude(b.x(), b.y(), 99);
            String u = b.unit().symbol();
            String wheel = "|" + b.symbol() + "| 0…" + Support.fmt(max) + " " + u;
            BufferedImage img = MapImage.vector(b.x(), b.y(), s.rows(), s.cols(), max);
            figs.add(new Figure("corr_B_wheel.png", b.symbol() + " in the colour wheel: hue = direction (from +x towards +y), brightness = |"
                    + b.symbol() + "| up to " + Support.fmt(max) + " " + u + " (99th percentile); grey: no value", Figure.PNG,
                    FigureBuilder.map(img).title("In-plane " + b.symbol() + " (" + u + ")").wheelLegend(false, wheel).scaleBar(nm).png()));
            int step = context.parameters().integer(ARROW_STEP.name(), 0);
            if (step <= 0) step = autoStep(s);
            BufferedImage light = lighten(img);
            FigureBuilder fb = FigureBuilder.map(light).title(b.symbol() + " arrows and ε_com sticks").wheelLegend(false, wheel)
                    .arrows(b.x(), b.y(), step, max, Color.BLACK).scaleBar(nm);
            String sticks = "";
            if (maps.contains(Inputs.E_COM) && (maps.contains(Inputs.ANGLE_COM) || maps.contains(Inputs.ANGLE_TEN))) {
                float[] eCom = Inputs.values(maps, Inputs.E_COM, s);
                float[] ang;
                if (maps.contains(Inputs.ANGLE_COM)) {
                    ang = Inputs.values(maps, Inputs.ANGLE_COM, s);
                } else {
                    ang = Inputs.values(maps, Inputs.ANGLE_TEN, s);
                    for (int i = 0; i < ang.length; i++) ang[i] = (float) Angles.axis(ang[i] + 90);
                }
                float[] len = new float[eCom.length];
                for (int i = 0; i < len.length; i++) len[i] = Math.abs(eCom[i]);
                double lmax = Range.percentileValue(len, 99);
                fb.sticks(ang, len, step, lmax > 0 ? lmax : 1, new Color(0xB0, 0, 0));
                sticks = "; dark red sticks: ε_com axis, length ∝ |ε_com| (full cell = " + Support.fmt(lmax) + ")";
            }
            figs.add(new Figure("corr_B_arrows_ecom.png", b.symbol() + " arrows (black, every " + step + " positions, length ∝ |" + b.symbol()
                    + "|, full cell = " + Support.fmt(max) + " " + u + ") over the lightened colour-wheel map" + sticks, Figure.PNG, fb.png()));
        }
        if (maps.contains(Inputs.ANGLE_TEN) && maps.contains(Inputs.E_TEN) && maps.contains(Inputs.E_COM)) {
            Shape s = Inputs.check2d(maps.require(Inputs.ANGLE_TEN));
            float[] a = Inputs.values(maps, Inputs.ANGLE_TEN, s);
            float[] et = Inputs.values(maps, Inputs.E_TEN, s);
            float[] ec = Inputs.values(maps, Inputs.E_COM, s);
            float[] w = new float[a.length];
            for (int i = 0; i < w.length; i++) w[i] = et[i] - ec[i];
            double wmax = Range.percentileValue(w, 99);
            if (!(wmax > 0)) wmax = 1;
            figs.add(new Figure("corr_eten_wheel.png", "ε_ten axis in the two-fold colour wheel (hue = axis angle, 180°-periodic), brightness = ε_ten − ε_com up to "
                    + Support.fmt(wmax) + "; grey: no value", Figure.PNG,
                    FigureBuilder.map(MapImage.axial(a, w, s.rows(), s.cols(), wmax)).title("Tensile strain axis ε_ten")
                            .wheelLegend(true, "ε_ten − ε_com 0…" + Support.fmt(wmax)).scaleBar(nm).png()));
        }
        if (maps.contains(Inputs.DENSITY)) {
            Shape s = Inputs.check2d(maps.require(Inputs.DENSITY));
            float[] d = Inputs.values(maps, Inputs.DENSITY, s);
            Range r = Range.symmetricPercentile(d, 99);
            figs.add(new Figure("corr_density.png", "Relative density Δρ/ρ; colour range ±99th percentile of |Δρ/ρ|", Figure.PNG,
                    FigureBuilder.map(MapImage.scalar(d, s.rows(), s.cols(), ColorMap.DIVERGING, r)).title("Relative density Δρ/ρ")
                            .colorBar(ColorMap.DIVERGING, r, "Δρ/ρ (1)").scaleBar(nm).png()));
        }
        st.put("figures", figs.size());
        return new Correlation(MapSet.empty(), figs, st);
    }

    /** The image blended 55 % towards white, so dark overlays stay visible everywhere. */
    static BufferedImage lighten(BufferedImage img) {
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int c = img.getRGB(x, y);
                int r = (int) Math.round(((c >> 16) & 255) * 0.45 + 255 * 0.55);
                int g = (int) Math.round(((c >> 8) & 255) * 0.45 + 255 * 0.55);
                int b = (int) Math.round((c & 255) * 0.45 + 255 * 0.55);
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }
}
