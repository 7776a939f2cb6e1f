package org.ltz4d.correlation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.Correlator;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.Figure;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.ltz4d.render.ColorMap;
import org.ltz4d.render.FigureBuilder;
import org.ltz4d.render.MapImage;
import org.ltz4d.render.Range;
import org.osgi.service.component.annotations.Component;

/**
 * In-plane magnetoelastic energy density with isotropic magnetostriction λ_s (DESIGN.md §6):
 * e_ME = −(3/2)·λ_s·(σ_com·sin²α + σ_ten·cos²α), α the misorientation between B and the ε_ten
 * axis, σ the deviatoric principal stresses σ = E/(1+ν)·ε_dev. The deviatoric principal strains
 * are ε_ten − ε_v/2 and ε_com − ε_v/2 with ε_v = ε_com + ε_ten (the trace). With
 * {@code --young-gpa} and {@code --poisson} e_ME is in J/m³ and σ in GPa; without them both are
 * in units of E/(1+ν).
 */
@Component(service = Correlator.class)
public final class MagnetoelasticCorrelator implements Correlator {

    public static final String NAME = "magnetoelastic";
    public static final String E_ME = "correlation/e_me";
    public static final String SIGMA_TEN = "correlation/sigma_ten";
    public static final String SIGMA_COM = "correlation/sigma_com";
    /** Unit of e_ME and σ when no modulus is given. */
    public static final Unit E_OVER_1_PLUS_NU = Unit.of("E_Y/(1+ν)", "in units of Young's modulus over (1 + Poisson ratio)");

    static final ParameterSpec LAMBDA_S = ParameterSpec.number("lambda-s",
            "isotropic saturation magnetostriction λ_s", Unit.DIMENSIONLESS, 40e-6, -1e-2, 1e-2);
    static final ParameterSpec YOUNG = ParameterSpec.number("young-gpa",
            "Young's modulus E_Y (with --poisson gives e_ME in J/m³)", Unit.GIGAPASCAL, null, 1e-3, 5000);
    static final ParameterSpec POISSON = ParameterSpec.number("poisson",
            "Poisson ratio ν (with --young-gpa)", Unit.DIMENSIONLESS, null, -1, 0.5);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(LAMBDA_S, YOUNG, POISSON);
    }

    /** Also needs B (Bx/By or Bt_x/Bt_y), checked in {@link #correlate}. */
    @Override
    public List<String> requires() {
        return List.of(Inputs.E_COM, Inputs.E_TEN, Inputs.ANGLE_TEN);
    }

    /** E/(1+ν) in Pa, or NaN without a modulus. */
    static double modulusPa(Parameters p) {
        OptionalDouble e = p.number(YOUNG.name());
        OptionalDouble nu = p.number(POISSON.name());
        if (e.isEmpty() && nu.isEmpty()) return Double.NaN;
        if (e.isEmpty()) throw new InvalidParameterException(YOUNG.name(), "Young's modulus in GPa together with --poisson", null);
        if (nu.isEmpty()) throw new InvalidParameterException(POISSON.name(), "a Poisson ratio in [-1, 0.5] together with --young-gpa", null);
        p.checkAgainst(YOUNG);
        p.checkAgainst(POISSON);
        if (!(e.getAsDouble() > 0)) throw new InvalidParameterException(YOUNG.name(), "a positive modulus in GPa", Double.toString(e.getAsDouble()));
        if (!(nu.getAsDouble() > -1)) throw new InvalidParameterException(POISSON.name(), "a Poisson ratio above -1", Double.toString(nu.getAsDouble()));
        return e.getAsDouble() * 1e9 / (1 + nu.getAsDouble());
    }

    /**
     * e_ME per position for scale k = E/(1+ν) (Pa, or 1 for "units of E/(1+ν)"); α from B and
     * the ε_ten axis. Also fills sigmaTen/sigmaCom (in the units of k) when not null.
     */
    static float[] energy(float[] bx, float[] by, float[] eCom, float[] eTen, float[] axisDeg, double lambdaS, double k,
            float[] sigmaTen, float[] sigmaCom) {
        float[] out = new float[bx.length];
        for (int i = 0; i < out.length; i++) {
            double alpha = Math.toRadians(Angles.axialDifferenceDeg(Angles.vectorAngleDeg(bx[i], by[i]), axisDeg[i]));
            double half = 0.5 * (eCom[i] + eTen[i]);
            double sTen = k * (eTen[i] - half);
            double sCom = k * (eCom[i] - half);
            double sin = Math.sin(alpha);
            double cos = Math.cos(alpha);
            out[i] = (float) (-1.5 * lambdaS * (sCom * sin * sin + sTen * cos * cos));
            if (sigmaTen != null) sigmaTen[i] = (float) sTen;
            if (sigmaCom != null) sigmaCom[i] = (float) sCom;
        }
        return out;
    }

    @Override
    public Correlation correlate(MapSet maps, AnalysisContext context) {
        Parameters p = context.parameters();
        p.checkAgainst(LAMBDA_S);
        double lambdaS = p.number(LAMBDA_S.name(), 40e-6);
        double kPa = modulusPa(p);
        boolean physical = Double.isFinite(kPa);
        Inputs.Vector b = Inputs.requireMagnetic(maps);
        Shape s = b.shape();
        float[] eCom = Inputs.values(maps, Inputs.E_COM, s);
        float[] eTen = Inputs.values(maps, Inputs.E_TEN, s);
        float[] axis = Inputs.values(maps, Inputs.ANGLE_TEN, s);
        float[] sTen = new float[eCom.length];
        float[] sCom = new float[eCom.length];
        double k = physical ? kPa : 1.0;
        float[] e = energy(b.x(), b.y(), eCom, eTen, axis, lambdaS, k, sTen, sCom);
        if (physical) {
            for (int i = 0; i < sTen.length; i++) {
                sTen[i] *= 1e-9f; // Pa → GPa
                sCom[i] *= 1e-9f;
            }
        }
        Unit eUnit = physical ? Unit.JOULE_PER_CUBIC_METRE : E_OVER_1_PLUS_NU;
        Unit sUnit = physical ? Unit.GIGAPASCAL : E_OVER_1_PLUS_NU;
        String scale = physical ? "E_Y/(1+ν) = " + Support.fmt(kPa * 1e-9) + " GPa" : "no modulus given: in units of E_Y/(1+ν)";
        DataMap em = DataMap.of(E_ME, s, e, eUnit,
                "magnetoelastic energy density e_ME = −(3/2)·λ_s·(σ_com·sin²α + σ_ten·cos²α), α = misorientation of "
                        + b.symbol() + " to the ε_ten axis; " + scale)
                .withAttribute("lambda_s", lambdaS)
                .withAttribute("unit_note", physical ? "J/m³" : "in units of E_Y/(1+ν) (no --young-gpa/--poisson given)");
        if (physical) {
            em = em.withAttribute("young_gpa", p.number(YOUNG.name()).getAsDouble())
                    .withAttribute("poisson", p.number(POISSON.name()).getAsDouble());
        }
        DataMap st = DataMap.of(SIGMA_TEN, s, sTen, sUnit, "deviatoric principal stress along the ε_ten axis, E_Y/(1+ν)·(ε_ten − ε_v/2); " + scale);
        DataMap sc = DataMap.of(SIGMA_COM, s, sCom, sUnit, "deviatoric principal stress along the ε_com axis, E_Y/(1+ν)·(ε_com − ε_v/2); " + scale);
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("lambda_s", lambdaS);
        stats.put("unit", eUnit.symbol());
        stats.put("mean", Stats.mean(e));
        stats.put("median", Stats.median(e));
        stats.put("n", Inputs.finiteCount(e));
        Range r = Range.symmetricPercentile(e, 99);
        String label = "e_ME (" + eUnit.symbol() + ")";
        byte[] png = FigureBuilder.map(MapImage.scalar(e, s.rows(), s.cols(), ColorMap.DIVERGING, r))
                .title("Magnetoelastic energy density, λ_s = " + Support.fmt(lambdaS))
                .colorBar(ColorMap.DIVERGING, r, label)
                .scaleBar(Support.nmPerPosition(context)).png();
        Figure f = new Figure("corr_e_me.png", "Magnetoelastic energy density e_ME (" + eUnit.symbol() + "), " + scale
                + "; colour range ±99th percentile of |e_ME|", Figure.PNG, png);
        return new Correlation(MapSet.of(em, st, sc), List.of(f), stats);
    }
}
