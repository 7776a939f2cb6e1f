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
 * Strain tensor from the ring's quadratic form (DESIGN.md §4). With Q the form of a position
 * (qᵀQq = 1 on the ring, detector frame) and Q_ref the reference form, D_ref = Q_ref^(-1/2)
 * (symmetric root) and (D_ref·Q·D_ref)^(1/2) = I + ε, exact for symmetric ε, with any fixed
 * detector distortion absorbed by the reference. ε is then rotated into the scan frame.
 * Reports tensor components (not engineering shear), principal strains, axes, volumetric and
 * deviatoric parts.
 */
@Component(service = QuantityDeriver.class)
public class StrainDeriver implements QuantityDeriver {

    public static final String NAME = "strain";
    static final String Q11 = "ring/q11";
    static final String Q12 = "ring/q12";
    static final String Q22 = "ring/q22";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(Reference.roiSpec(), Reference.ellipseSpec());
    }

    @Override
    public List<String> requires() {
        return List.of(Q11, Q12, Q22);
    }

    @Override
    public MapSet derive(MapSet inputs, AnalysisContext context) {
        Shape nav = context.navShape();
        DataMap m11 = Maps.input(inputs, Q11, nav);
        DataMap m12 = Maps.input(inputs, Q12, nav);
        DataMap m22 = Maps.input(inputs, Q22, nav);
        Reference ref = Reference.from(context.parameters(), nav);
        double[] qref = new double[3];
        if (ref.roi() != null) {
            qref[0] = Maps.median(m11, ref.roi());
            qref[1] = Maps.median(m12, ref.roi());
            qref[2] = Maps.median(m22, ref.roi());
            if (Double.isNaN(qref[0]) || Double.isNaN(qref[1]) || Double.isNaN(qref[2])) {
                throw new InvalidParameterException(Reference.ROI, "an ROI containing at least one position with a fitted ring", ref.roi().toString());
            }
        } else {
            Sym2.formOfEllipse(ref.ellipse()[0], ref.ellipse()[1], ref.ellipse()[2], qref);
        }
        double[] dref = new double[3];
        if (!Sym2.inverseSqrt(qref[0], qref[1], qref[2], dref)) {
            throw new InvalidParameterException(ref.roi() != null ? Reference.ROI : Reference.ELLIPSE,
                    "a reference whose ring form is positive definite (an ellipse)",
                    ref.describe() + " gives Q_ref = [" + qref[0] + ", " + qref[1] + "; " + qref[1] + ", " + qref[2] + "] px⁻²");
        }
        ScanFrame frame = ScanRotation.auto(context.parameters()) ? solvedFrame(inputs) : ScanFrame.of(context.calibration());
        int n = (int) nav.size();
        float[] exx = new float[n];
        float[] eyy = new float[n];
        float[] exy = new float[n];
        float[] ecom = new float[n];
        float[] eten = new float[n];
        float[] aten = new float[n];
        float[] acom = new float[n];
        float[] vol = new float[n];
        float[] dxx = new float[n];
        float[] dyy = new float[n];
        float[] dxy = new float[n];
        double[] scratch = new double[3];
        double[] e = new double[3];
        for (int i = 0; i < n; i++) {
            boolean ok = strain(m11.get(i), m12.get(i), m22.get(i), dref[0], dref[1], dref[2], frame, scratch, e);
            if (!ok) {
                exx[i] = eyy[i] = exy[i] = ecom[i] = eten[i] = aten[i] = acom[i] = vol[i] = dxx[i] = dyy[i] = dxy[i] = Float.NaN;
                continue;
            }
            double xx = e[0];
            double xy = e[1];
            double yy = e[2];
            double mean = 0.5 * (xx + yy);
            double half = 0.5 * (xx - yy);
            double rad = Math.sqrt(half * half + xy * xy);
            double angTen = Maps.fold(0.5 * Math.toDegrees(Math.atan2(2 * xy, xx - yy)), 180);
            exx[i] = (float) xx;
            eyy[i] = (float) yy;
            exy[i] = (float) xy;
            eten[i] = (float) (mean + rad);
            ecom[i] = (float) (mean - rad);
            aten[i] = (float) angTen;
            acom[i] = (float) Maps.fold(angTen + 90, 180);
            vol[i] = (float) (xx + yy);
            dxx[i] = (float) half;
            dyy[i] = (float) -half;
            dxy[i] = (float) xy;
        }
        Map<String, Object> at = new LinkedHashMap<>();
        float[][] unc = uncertainty(inputs, nav, m11, m12, m22, qref, dref, ref, frame, at);
        at.put("deriver", NAME);
        at.put("reference", ref.describe());
        at.put("reference_q11_px-2", qref[0]);
        at.put("reference_q12_px-2", qref[1]);
        at.put("reference_q22_px-2", qref[2]);
        at.put("scan_rotation_deg", frame.rotationDeg);
        at.put("transpose", frame.transpose);
        at.put("definition", "(D_ref·Q·D_ref)^(1/2) = I + ε, D_ref = Q_ref^(-1/2); tensor components in the scan frame");
        Map<String, Object> angle = new LinkedHashMap<>(at);
        angle.put("convention", "axis angle in [0, 180) deg from +x towards +y (array coordinates)");
        Unit one = Unit.DIMENSIONLESS;
        MapSet u = MapSet.empty();
        if (unc != null) {
            Map<String, Object> uat = new LinkedHashMap<>(at);
            uat.put("method", "linear propagation (Jacobian by central differences) of the ring form's inverse-Fisher covariance "
                    + "(ring/sigma_q*, ring/corr_q*) and of the reference form's (median over the ROI: (π/2)·Cov/N)");
            u = MapSet.of(Maps.output("uncertainty/exx", nav, unc[0], one, "standard error of strain/exx", uat),
                    Maps.output("uncertainty/eyy", nav, unc[1], one, "standard error of strain/eyy", uat),
                    Maps.output("uncertainty/exy", nav, unc[2], one, "standard error of strain/exy", uat),
                    Maps.output("uncertainty/volumetric", nav, unc[3], one, "standard error of strain/volumetric", uat));
        }
        return u.plus(MapSet.of(
                Maps.output("strain/exx", nav, exx, one, "strain tensor component ε_xx", at),
                Maps.output("strain/eyy", nav, eyy, one, "strain tensor component ε_yy", at),
                Maps.output("strain/exy", nav, exy, one, "strain tensor component ε_xy (tensor, not engineering shear)", at),
                Maps.output("strain/e_com", nav, ecom, one, "principal strain ε_com (the smaller eigenvalue)", at),
                Maps.output("strain/e_ten", nav, eten, one, "principal strain ε_ten (the larger eigenvalue)", at),
                Maps.output("strain/angle_ten_deg", nav, aten, Unit.DEGREE, "axis of ε_ten", angle),
                Maps.output("strain/angle_com_deg", nav, acom, Unit.DEGREE, "axis of ε_com", angle),
                Maps.output("strain/volumetric", nav, vol, one, "volumetric (2D) strain ε_xx + ε_yy", at),
                Maps.output("strain/dev_xx", nav, dxx, one, "deviatoric strain ε_xx − ε_v/2", at),
                Maps.output("strain/dev_yy", nav, dyy, one, "deviatoric strain ε_yy − ε_v/2", at),
                Maps.output("strain/dev_xy", nav, dxy, one, "deviatoric strain ε_xy", at)));
    }

    /**
     * Standard errors of (exx, eyy, exy, volumetric) per position, or null when the fitter gave no
     * covariance of the form: J·Cov(q)·Jᵀ + J_ref·Cov(q_ref)·J_refᵀ, the Jacobians by central
     * differences of {@link #strain}.
     */
    private static float[][] uncertainty(MapSet inputs, Shape nav, DataMap m11, DataMap m12, DataMap m22, double[] qref,
            double[] dref, Reference ref, ScanFrame frame, Map<String, Object> at) {
        Uncertainty.FormCovariance fc = Uncertainty.FormCovariance.of(inputs, nav).orElse(null);
        if (fc == null) return null;
        double h = 1e-6 * 0.5 * Math.abs(qref[0] + qref[2]);
        // reference form: its covariance (median over the ROI: (π/2)·Cov/N) and D_ref at q_ref ± h·e_k
        double[] cref = new double[9];
        double[][] drefPm = new double[6][3];
        if (ref.roi() != null) {
            double[] med = fc.medianOver(ref.roi(), nav.cols());
            int used = 0;
            for (int r = ref.roi().r0(); r < ref.roi().r1(); r++) {
                for (int c = ref.roi().c0(); c < ref.roi().c1(); c++) if (Float.isFinite(m11.get(r * nav.cols() + c))) used++;
            }
            for (int k = 0; k < 9; k++) cref[k] = Uncertainty.finite(med) ? Uncertainty.MEDIAN_VARIANCE_FACTOR * med[k] / used : 0;
            at.put("reference_sigma_q_px-2", Math.sqrt(cref[0]) + ", " + Math.sqrt(cref[4]) + ", " + Math.sqrt(cref[8]));
        }
        for (int k = 0; k < 3; k++) {
            for (int sgn = 0; sgn < 2; sgn++) {
                double[] q = qref.clone();
                q[k] += sgn == 0 ? h : -h;
                if (!Sym2.inverseSqrt(q[0], q[1], q[2], drefPm[2 * k + sgn])) return null;
            }
        }
        int n = (int) nav.size();
        float[][] out = new float[4][n];
        double[] cov = new double[9];
        double[] jac = new double[12]; // rows exx, eyy, exy, volumetric; columns q11, q12, q22
        double[] jr = new double[12];
        double[] scratch = new double[3];
        double[] ep = new double[3];
        double[] em = new double[3];
        for (int i = 0; i < n; i++) {
            double q11 = m11.get(i), q12 = m12.get(i), q22 = m22.get(i);
            fc.at(i, cov);
            boolean ok = Uncertainty.finite(cov);
            for (int k = 0; k < 3 && ok; k++) {
                double dk = k == 0 ? h : 0, dm = k == 1 ? h : 0, dn = k == 2 ? h : 0;
                ok = strain(q11 + dk, q12 + dm, q22 + dn, dref[0], dref[1], dref[2], frame, scratch, ep)
                        && strain(q11 - dk, q12 - dm, q22 - dn, dref[0], dref[1], dref[2], frame, scratch, em);
                if (ok) column(jac, k, ep, em, h);
                ok = ok && strain(q11, q12, q22, drefPm[2 * k][0], drefPm[2 * k][1], drefPm[2 * k][2], frame, scratch, ep)
                        && strain(q11, q12, q22, drefPm[2 * k + 1][0], drefPm[2 * k + 1][1], drefPm[2 * k + 1][2], frame, scratch, em);
                if (ok) column(jr, k, ep, em, h);
            }
            for (int r = 0; r < 4; r++) {
                out[r][i] = ok ? (float) Math.sqrt(Uncertainty.quadratic(jac, 3 * r, cov) + Uncertainty.quadratic(jr, 3 * r, cref)) : Float.NaN;
            }
        }
        return out;
    }

    /** Column k of the Jacobian (rows exx, eyy, exy, exx + eyy) from strains (xx, xy, yy) at ±h. */
    private static void column(double[] j, int k, double[] ep, double[] em, double h) {
        double xx = (ep[0] - em[0]) / (2 * h), xy = (ep[1] - em[1]) / (2 * h), yy = (ep[2] - em[2]) / (2 * h);
        j[k] = xx;
        j[3 + k] = yy;
        j[6 + k] = xy;
        j[9 + k] = xx + yy;
    }

    /**
     * The strain tensor (xx, xy, yy) in the scan frame of one position's form Q = (q11, q12; q12,
     * q22), against D_ref = (ra, rb; rb, rc) = Q_ref^(-1/2). Allocation-free; false when Q is not
     * finite or not positive definite.
     */
    static boolean strain(double q11, double q12, double q22, double ra, double rb, double rc, ScanFrame frame,
            double[] scratch, double[] out) {
        if (!Double.isFinite(q11) || !Double.isFinite(q12) || !Double.isFinite(q22)) return false;
        Sym2.sandwich(ra, rb, rc, q11, q12, q22, scratch);
        if (!Sym2.sqrt(scratch[0], scratch[1], scratch[2], scratch)) return false;
        frame.tensor(scratch[0] - 1, scratch[1], scratch[2] - 1, out);
        return true;
    }

    /**
     * With {@code --scan-rotation-deg auto}: the frame the magnetic deriver solved from the deflection
     * field (attributes of {@code magnetic/theta_x_mrad}), so strain and B share one frame.
     */
    static ScanFrame solvedFrame(MapSet inputs) {
        DataMap theta = inputs.get("magnetic/theta_x_mrad").orElseThrow(() -> new InvalidParameterException(ScanRotation.PARAM,
                "a number of degrees, or 'auto' together with the magnetic induction (a reference: --vacuum FILE or --descan plane|parabola), "
                        + "whose deflection field gives the rotation", "auto"));
        Object rot = theta.attributes().get("scan_rotation_deg");
        Object tr = theta.attributes().get("transpose");
        if (!(rot instanceof Number)) {
            throw new InvalidParameterException(ScanRotation.PARAM, "the rotation solved by the magnetic deriver (attribute scan_rotation_deg of "
                    + "magnetic/theta_x_mrad)", String.valueOf(rot));
        }
        return new ScanFrame(((Number) rot).doubleValue(), Boolean.TRUE.equals(tr));
    }
}
