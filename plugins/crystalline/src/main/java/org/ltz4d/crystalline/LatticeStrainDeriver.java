package org.ltz4d.crystalline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.QuantityDeriver;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.param.Roi;
import org.ltz4d.api.units.Unit;
import org.osgi.service.component.annotations.Component;

/**
 * {@code lattice-strain}: strain and rotation from the per-position reciprocal basis (g1, g2)
 * against a reference basis (median over {@code --reference-roi}, else over the positions of the
 * scan's most common lattice, i.e. its largest grain), with
 * the ε of DESIGN.md §4b: a real-space deformation F maps reciprocal vectors as g = F^-T·g_ref, so
 * F = (G·G_ref⁻¹)^-T, split by the polar decomposition F = (I+ε)·R into the rotation R (reported
 * in degrees, from +x towards +y) and the lab-frame (left) stretch I+ε = (F·Fᵀ)^(1/2), whose axes
 * are the image's, like those of B and of the amorphous strain, for grains turned by any angle. Tensors and angles are rotated
 * into the scan frame by the calibration's scan rotation / transpose; with {@code --scan-rotation-deg
 * auto}, by the rotation / transpose that {@code magnetic-beam} (run first) solved from the
 * lattice-origin deflection and recorded on {@code magnetic/theta_x_mrad}.
 */
@Component(service = QuantityDeriver.class)
public class LatticeStrainDeriver implements QuantityDeriver {
    public static final String NAME = "lattice-strain";
    public static final String P_ROI = "reference-roi";
    public static final String P_SYM = "lattice-symmetry";
    static final String P_SCAN_ROTATION = "scan-rotation-deg";
    /** The deflection map whose attributes carry the frame {@code magnetic-beam} solved with {@code auto}. */
    static final String DEFLECTION = "magnetic/theta_x_mrad";

    /** True when the scan rotation is to be solved from the data ({@code --scan-rotation-deg auto}). */
    static boolean autoRotation(Parameters p) {
        return p.string(P_SCAN_ROTATION).map(s -> s.trim().equalsIgnoreCase("auto")).orElse(false);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.roi(P_ROI, "reference region r0:r1,c0:c1 (rows then columns, half-open): its median lattice is the unstrained reference; default the median over the positions of the scan's most common lattice (its largest grain)"),
                ParameterSpec.choice(P_SYM, "2D lattice symmetry used to fold the in-plane orientation (auto: from the reference lattice)",
                        "auto", "auto", "hexagonal", "square", "oblique"));
    }

    @Override
    public List<String> requires() {
        return List.of(DiskFitter.G1X, DiskFitter.G1Y, DiskFitter.G2X, DiskFitter.G2Y);
    }

    @Override
    public MapSet derive(MapSet in, AnalysisContext ctx) {
        DataMap m1x = in.require(DiskFitter.G1X);
        Shape shape = m1x.shape();
        float[] g1x = m1x.toArray(), g1y = in.require(DiskFitter.G1Y).toArray();
        float[] g2x = in.require(DiskFitter.G2X).toArray(), g2y = in.require(DiskFitter.G2Y).toArray();
        Parameters p = ctx.parameters();
        int rows = shape.rows(), cols = shape.cols();
        Optional<Roi> roi = p.roi(P_ROI).map(r -> r.within(P_ROI, rows, cols));
        double[] ref = new double[4];
        float[][] comps = {g1x, g1y, g2x, g2y};
        boolean[] grain = roi.isPresent() ? null : dominantGrain(g1x, g1y, g2x, g2y);
        int inGrain = 0;
        if (grain != null) for (boolean b : grain) if (b) inGrain++;
        for (int c = 0; c < 4; c++) {
            ref[c] = roi.isPresent() ? median(comps[c], roi.get(), cols) : median(comps[c], grain);
            if (Double.isNaN(ref[c])) {
                throw new InvalidInputException(null, roi.isPresent() ? "--" + P_ROI + " " + roi.get() : "lattice maps",
                        "positions with a fitted lattice in the reference region", "none");
            }
        }
        Calibration cal = ctx.calibration();
        double rotDeg = cal.scanRotationDeg();
        boolean transpose = cal.transpose();
        String frameFrom = "calibration";
        if (autoRotation(p)) {
            DataMap d = in.get(DEFLECTION).orElseThrow(() -> new InvalidParameterException(P_SCAN_ROTATION,
                    "with auto, a deflection reference (--vacuum FILE or --descan plane|parabola) for the crystalline pipeline's "
                            + "B stage, from whose lattice-origin shift the rotation is solved", "auto"));
            Object a = d.attributes().get("scan_rotation_deg");
            Object t = d.attributes().get("transpose");
            if (!(a instanceof Number) || !(t instanceof Boolean)) {
                throw new InvalidParameterException(P_SCAN_ROTATION, "a scan rotation solved by magnetic-beam on /" + DEFLECTION, "auto");
            }
            rotDeg = ((Number) a).doubleValue();
            transpose = (Boolean) t;
            frameFrom = "auto: minimum curl of the lattice-origin deflection (magnetic-beam, /" + DEFLECTION + ")";
        }
        Result r = compute(g1x, g1y, g2x, g2y, ref, p.choice(P_SYM, "auto", "auto", "hexagonal", "square", "oblique"),
                rotDeg, transpose);
        String refText = roi.map(x -> "median over reference ROI " + x).orElse("median over the " + inGrain
                + " positions of the scan's most common lattice (its largest grain; give --" + P_ROI + " to choose)");
        List<DataMap> out = new ArrayList<>();
        final double fr = rotDeg;
        final boolean ft = transpose;
        final String ff = frameFrom;
        java.util.function.UnaryOperator<DataMap> framed = m -> m.withAttribute("scan_rotation_deg", fr).withAttribute("transpose", ft)
                .withAttribute("scan_frame_from", ff);
        out.add(map("strain/exx", shape, r.exx, Unit.DIMENSIONLESS, "strain tensor ε_xx (scan frame)", refText, ref));
        out.add(map("strain/eyy", shape, r.eyy, Unit.DIMENSIONLESS, "strain tensor ε_yy (scan frame)", refText, ref));
        out.add(map("strain/exy", shape, r.exy, Unit.DIMENSIONLESS, "strain tensor ε_xy (tensor component, not engineering shear)", refText, ref));
        out.add(map("strain/e_com", shape, r.ecom, Unit.DIMENSIONLESS, "more compressive principal strain", refText, ref));
        out.add(map("strain/e_ten", shape, r.eten, Unit.DIMENSIONLESS, "more tensile principal strain", refText, ref));
        out.add(map("strain/angle_ten_deg", shape, r.angTen, Unit.DEGREE, "axis of ε_ten, from +x towards +y, [0, 180)", refText, ref));
        out.add(map("strain/volumetric", shape, r.vol, Unit.DIMENSIONLESS, "2D volumetric strain ε_xx + ε_yy", refText, ref));
        out.add(map("lattice/rotation_deg", shape, r.rot, Unit.DEGREE, "lattice rotation against the reference, from +x towards +y", refText, ref));
        out.add(map("orientation/inplane_deg", shape, r.inplane, Unit.DEGREE,
                "angle of the shortest g from +x towards +y, folded to the lattice symmetry (period " + r.period + "°)", refText, ref)
                .withAttribute("fold_period_deg", r.period));
        out.replaceAll(framed);
        return MapSet.of(out);
    }

    private static DataMap map(String path, Shape s, float[] v, Unit u, String d, String refText, double[] ref) {
        return DataMap.of(path, s, v, u, d).withAttribute("deriver", NAME).withAttribute("reference", refText)
                .withAttribute("reference_g_px", Arrays.toString(ref));
    }

    /** Per-position outputs. */
    static final class Result {
        float[] exx, eyy, exy, ecom, eten, angTen, vol, rot, inplane;
        double period;
    }

    /** Fold period (deg) of the in-plane orientation for a reference basis. */
    static double foldPeriod(double[] ref, String sym) {
        return switch (sym) {
            case "hexagonal" -> 60;
            case "square" -> 90;
            case "oblique" -> 180;
            default -> {
                double[] red = Lattice2.reduce(ref);
                double l1 = Math.hypot(red[0], red[1]), l2 = Math.hypot(red[2], red[3]);
                double ang = Lattice2.acuteAngleDeg(red);
                boolean equal = Math.abs(l1 - l2) < 0.03 * l2;
                if (equal && Math.abs(ang - 60) < 3) yield 60;
                if (equal && Math.abs(ang - 90) < 3) yield 90;
                yield 180;
            }
        };
    }

    static Result compute(float[] g1x, float[] g1y, float[] g2x, float[] g2y, double[] ref, String sym, double scanRotDeg, boolean transpose) {
        int n = g1x.length;
        Result r = new Result();
        r.exx = new float[n]; r.eyy = new float[n]; r.exy = new float[n]; r.ecom = new float[n]; r.eten = new float[n];
        r.angTen = new float[n]; r.vol = new float[n]; r.rot = new float[n]; r.inplane = new float[n];
        r.period = foldPeriod(ref, sym);
        // Gref = [[r0, r2], [r1, r3]] (columns g1, g2); its inverse
        double dr = ref[0] * ref[3] - ref[2] * ref[1];
        double i00 = ref[3] / dr, i01 = -ref[2] / dr, i10 = -ref[1] / dr, i11 = ref[0] / dr;
        double rot = Math.toRadians(scanRotDeg), cr = Math.cos(rot), sr = Math.sin(rot);
        for (int i = 0; i < n; i++) {
            double a1 = g1x[i], b1 = g1y[i], a2 = g2x[i], b2 = g2y[i];
            if (!(Double.isFinite(a1) && Double.isFinite(b1) && Double.isFinite(a2) && Double.isFinite(b2))) {
                r.exx[i] = r.eyy[i] = r.exy[i] = r.ecom[i] = r.eten[i] = r.angTen[i] = r.vol[i] = r.rot[i] = r.inplane[i] = Float.NaN;
                continue;
            }
            // A = G·Gref⁻¹ = F^-T
            double A00 = a1 * i00 + a2 * i10, A01 = a1 * i01 + a2 * i11;
            double A10 = b1 * i00 + b2 * i10, A11 = b1 * i01 + b2 * i11;
            double dA = A00 * A11 - A01 * A10;
            // F = A^-T: inverse of A, transposed
            double F00 = A11 / dA, F01 = -A10 / dA, F10 = -A01 / dA, F11 = A00 / dA;
            // polar decomposition F = V·R (V = I + ε symmetric, the left stretch: lab-frame axes, DESIGN.md §4b);
            // in 2D R turns by θ = atan2(F10 − F01, F00 + F11), the same for the left and right stretch
            double th = Math.atan2(F10 - F01, F00 + F11);
            double c = Math.cos(th), s = Math.sin(th);
            // V = F·Rᵀ, Rᵀ = [[c, s], [−s, c]]
            double V00 = c * F00 - s * F01, V01 = s * F00 + c * F01, V10 = c * F10 - s * F11, V11 = s * F10 + c * F11;
            double xx = V00 - 1, yy = V11 - 1, xy = 0.5 * (V01 + V10);
            // into the scan frame: transpose first, then rotate
            if (transpose) {
                double t = xx; xx = yy; yy = t;
                th = -th;
            }
            double cc = cr * cr, ss = sr * sr, cs = cr * sr;
            double ex = cc * xx - 2 * cs * xy + ss * yy;
            double ey = ss * xx + 2 * cs * xy + cc * yy;
            double exy = cs * (xx - yy) + (cc - ss) * xy;
            double mean = 0.5 * (ex + ey), rad = Math.hypot(0.5 * (ex - ey), exy);
            double ang = 0.5 * Math.toDegrees(Math.atan2(2 * exy, ex - ey));
            r.exx[i] = (float) ex; r.eyy[i] = (float) ey; r.exy[i] = (float) exy;
            r.ecom[i] = (float) (mean - rad); r.eten[i] = (float) (mean + rad);
            r.angTen[i] = (float) mod(ang, 180);
            r.vol[i] = (float) (ex + ey);
            r.rot[i] = (float) Math.toDegrees(th);
            r.inplane[i] = (float) inplane(a1, b1, a2, b2, r.period, scanRotDeg, transpose);
        }
        return r;
    }

    /** Angle of the shortest of ±g1, ±g2, ±(g1 ± g2), in the scan frame, folded to [0, period). */
    static double inplane(double a1, double b1, double a2, double b2, double period, double scanRotDeg, boolean transpose) {
        double bx = a1, by = b1, bl = Math.hypot(a1, b1);
        double[][] cand = {{a2, b2}, {a1 + a2, b1 + b2}, {a1 - a2, b1 - b2}};
        for (double[] v : cand) {
            double l = Math.hypot(v[0], v[1]);
            if (l < bl * (1 - 1e-9)) { bl = l; bx = v[0]; by = v[1]; }
        }
        double phi = Math.toDegrees(Math.atan2(by, bx));
        if (transpose) phi = 90 - phi;
        return mod(phi + scanRotDeg, period);
    }

    static double mod(double v, double p) {
        double m = v % p;
        return m < 0 ? m + p : m;
    }

    /** Two bases are one grain's when every component agrees within this fraction of the longer |g|. */
    static final double GRAIN_TOL = 0.03;

    /**
     * The positions of the scan's most common lattice: the fitted basis with the most others within
     * {@link #GRAIN_TOL} (candidates and counts over at most 256 × 4096 positions spread over the
     * scan), then every position within that tolerance of it. Without a reference ROI the median
     * over the whole scan would mix grains into a lattice that none of them has.
     */
    static boolean[] dominantGrain(float[] g1x, float[] g1y, float[] g2x, float[] g2y) {
        int n = g1x.length;
        int[] valid = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) if (Float.isFinite(g1x[i]) && Float.isFinite(g1y[i]) && Float.isFinite(g2x[i]) && Float.isFinite(g2y[i])) valid[m++] = i;
        boolean[] out = new boolean[n];
        if (m == 0) return out;
        int cand = Math.min(m, 256), samp = Math.min(m, 4096);
        int best = valid[0], bestCount = -1;
        for (int a = 0; a < cand; a++) {
            int i = valid[(int) ((long) a * m / cand)];
            double tol = GRAIN_TOL * Math.max(Math.hypot(g1x[i], g1y[i]), Math.hypot(g2x[i], g2y[i]));
            int count = 0;
            for (int b = 0; b < samp; b++) {
                int j = valid[(int) ((long) b * m / samp)];
                if (near(i, j, g1x, g1y, g2x, g2y, tol)) count++;
            }
            if (count > bestCount) { bestCount = count; best = i; }
        }
        double tol = GRAIN_TOL * Math.max(Math.hypot(g1x[best], g1y[best]), Math.hypot(g2x[best], g2y[best]));
        for (int k = 0; k < m; k++) out[valid[k]] = near(best, valid[k], g1x, g1y, g2x, g2y, tol);
        return out;
    }

    private static boolean near(int i, int j, float[] g1x, float[] g1y, float[] g2x, float[] g2y, double tol) {
        return Math.abs(g1x[i] - g1x[j]) <= tol && Math.abs(g1y[i] - g1y[j]) <= tol && Math.abs(g2x[i] - g2x[j]) <= tol && Math.abs(g2y[i] - g2y[j]) <= tol;
    }

    static double median(float[] v, boolean[] use) {
        double[] tmp = new double[v.length];
        int k = 0;
        for (int i = 0; i < v.length; i++) if (use[i] && Float.isFinite(v[i])) tmp[k++] = v[i];
        if (k == 0) return Double.NaN;
        Arrays.sort(tmp, 0, k);
        return k % 2 == 1 ? tmp[k / 2] : 0.5 * (tmp[k / 2 - 1] + tmp[k / 2]);
    }

    static double median(float[] v, Roi roi, int cols) {
        double[] tmp = new double[v.length];
        int k = 0;
        for (int i = 0; i < v.length; i++) {
            if (roi != null && !roi.contains(i / cols, i % cols)) continue;
            if (Float.isFinite(v[i])) tmp[k++] = v[i];
        }
        if (k == 0) return Double.NaN;
        Arrays.sort(tmp, 0, k);
        return k % 2 == 1 ? tmp[k / 2] : 0.5 * (tmp[k / 2 - 1] + tmp[k / 2]);
    }
}
