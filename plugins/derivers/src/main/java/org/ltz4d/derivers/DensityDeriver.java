package org.ltz4d.derivers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.QuantityDeriver;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.units.Unit;
import org.osgi.service.component.annotations.Component;

/**
 * Relative atomic density from the area enclosed by the first ring (DESIGN.md §4):
 * Δρ = (A/A_ref)^(n/2) − 1 with A = π·a·b (semi-axes in px), A_ref the median area over the
 * reference ROI or that of the supplied reference ellipse, n = {@code --density-exponent}
 * (3 when q ∝ ρ^(1/3)).
 */
@Component(service = QuantityDeriver.class)
public class DensityDeriver implements QuantityDeriver {

    public static final String NAME = "density";
    static final String EXPONENT = "density-exponent";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(Reference.roiSpec(), Reference.ellipseSpec(),
                ParameterSpec.number(EXPONENT, "n in Δρ = (A/A_ref)^(n/2) − 1 (3 for q ∝ ρ^(1/3); ≈2.31 for metallic glasses)",
                        Unit.DIMENSIONLESS, 3.0, 0.1, 10));
    }

    @Override
    public List<String> requires() {
        return List.of("ring/a", "ring/b");
    }

    @Override
    public MapSet derive(MapSet inputs, AnalysisContext context) {
        Shape nav = context.navShape();
        DataMap a = Maps.input(inputs, "ring/a", nav);
        DataMap b = Maps.input(inputs, "ring/b", nav);
        double n = context.parameters().number(EXPONENT, 3.0);
        if (!(n >= 0.1 && n <= 10)) throw new InvalidParameterException(EXPONENT, "a number in [0.1, 10]", context.parameters().string(EXPONENT, ""));
        Reference ref = Reference.from(context.parameters(), nav);
        int size = (int) nav.size();
        double aref;
        if (ref.roi() != null) {
            double[] areas = new double[ref.roi().size()];
            int k = 0;
            int cols = nav.cols();
            for (int r = ref.roi().r0(); r < ref.roi().r1(); r++) {
                for (int c = ref.roi().c0(); c < ref.roi().c1(); c++) {
                    double ar = area(a.get(r * cols + c), b.get(r * cols + c));
                    if (!Double.isNaN(ar)) areas[k++] = ar;
                }
            }
            aref = Maps.median(areas, k);
            if (Double.isNaN(aref)) {
                throw new InvalidParameterException(Reference.ROI, "an ROI containing at least one position with a fitted ring", ref.roi().toString());
            }
        } else {
            aref = Math.PI * ref.ellipse()[0] * ref.ellipse()[1];
        }
        float[] out = new float[size];
        double half = n / 2;
        for (int i = 0; i < size; i++) {
            double ar = area(a.get(i), b.get(i));
            out[i] = Double.isNaN(ar) ? Float.NaN : (float) (Math.pow(ar / aref, half) - 1);
        }
        Map<String, Object> at = new LinkedHashMap<>();
        at.put("deriver", NAME);
        at.put("reference", ref.describe());
        at.put("reference_area_px2", aref);
        at.put("density_exponent", n);
        at.put("definition", "(A/A_ref)^(n/2) - 1, A = π·a·b");
        MapSet result = MapSet.of(Maps.output("density/relative", nav, out, Unit.DIMENSIONLESS,
                "relative atomic density Δρ/ρ from the ring area", at));
        float[] sigma = uncertainty(inputs, nav, ref, out, half);
        if (sigma == null) return result;
        Map<String, Object> uat = new LinkedHashMap<>(at);
        uat.put("method", "linear propagation of the ring form's inverse-Fisher covariance: ln A = ln π − ½·ln det Q, "
                + "σ_Δρ = (n/2)·(1 + Δρ)·√(σ²_lnA + σ²_lnA_ref), the reference's share (π/2)·median σ²_lnA / N over the ROI");
        return result.plus(MapSet.of(Maps.output("uncertainty/density", nav, sigma, Unit.DIMENSIONLESS,
                "standard error of density/relative", uat)));
    }

    /** σ of Δρ per position, or null without the ring form and its covariance. */
    private static float[] uncertainty(MapSet inputs, Shape nav, Reference ref, float[] rho, double half) {
        Uncertainty.FormCovariance fc = Uncertainty.FormCovariance.of(inputs, nav).orElse(null);
        DataMap q11 = Uncertainty.scanMap(inputs, "ring/q11", nav).orElse(null);
        DataMap q12 = Uncertainty.scanMap(inputs, "ring/q12", nav).orElse(null);
        DataMap q22 = Uncertainty.scanMap(inputs, "ring/q22", nav).orElse(null);
        if (fc == null || q11 == null || q12 == null || q22 == null) return null;
        int size = (int) nav.size();
        double[] varLnA = new double[size];
        double[] cov = new double[9];
        double[] g = new double[3];
        for (int i = 0; i < size; i++) {
            double a = q11.get(i), b = q12.get(i), c = q22.get(i);
            double det = a * c - b * b;
            fc.at(i, cov);
            // d ln A = −½·(q22·dq11 − 2·q12·dq12 + q11·dq22)/det Q
            g[0] = -0.5 * c / det;
            g[1] = b / det;
            g[2] = -0.5 * a / det;
            varLnA[i] = Uncertainty.quadratic(g, 0, cov);
        }
        double varRef = 0;
        if (ref.roi() != null) {
            double[] v = new double[ref.roi().size()];
            int k = 0;
            for (int r = ref.roi().r0(); r < ref.roi().r1(); r++) {
                for (int c = ref.roi().c0(); c < ref.roi().c1(); c++) {
                    double x = varLnA[r * nav.cols() + c];
                    if (Double.isFinite(x) && Float.isFinite(rho[r * nav.cols() + c])) v[k++] = x;
                }
            }
            varRef = k > 0 ? Uncertainty.MEDIAN_VARIANCE_FACTOR * Maps.median(v, k) / k : 0;
        }
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = Float.isFinite(rho[i]) ? (float) (half * (1 + rho[i]) * Math.sqrt(varLnA[i] + varRef)) : Float.NaN;
        }
        return out;
    }

    /** π·a·b, NaN unless both semi-axes are finite and positive. */
    private static double area(float a, float b) {
        if (!(a > 0) || !(b > 0) || !Float.isFinite(a) || !Float.isFinite(b)) return Double.NaN;
        return Math.PI * a * b;
    }
}
