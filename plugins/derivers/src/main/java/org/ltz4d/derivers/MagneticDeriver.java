package org.ltz4d.derivers;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.QuantityDeriver;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.param.Roi;
import org.ltz4d.api.units.Electron;
import org.ltz4d.api.units.Unit;

/**
 * In-plane magnetic induction from the shift of a pattern centre (DESIGN.md §3):
 * θ = (c − c_ref)·(angle per pixel), mapped from detector to scan frame ({@link ScanFrame}), then
 * B = h/(e·λ·t)·(−θ_y, θ_x). The reference c_ref is the user's choice: the direct-beam centre of
 * a vacuum scan over the same positions ({@code --vacuum FILE}, run through fitter {@code beam}),
 * or a robust plane/parabola fit of the centres over the scan or an ROI ({@code --descan
 * plane|parabola [--descan-roi r0:r1,c0:c1]}; this also removes any uniform field). With a
 * thickness ({@code --thickness-nm} or {@code --thickness-map}, nm) B is in tesla, otherwise B·t
 * in T·nm. Two services share this code: {@code magnetic} (ring centre) and
 * {@code magnetic-beam} (direct-beam centre).
 */
public abstract class MagneticDeriver implements QuantityDeriver {

    static final String VACUUM = "vacuum";
    static final String DESCAN = "descan";
    static final String DESCAN_ROI = "descan-roi";
    /** A descan surface from an earlier run instead of a fit (the x then the y coefficients, px). */
    static final String DESCAN_COEFFICIENTS = "descan-coefficients";
    static final String THICKNESS = "thickness-nm";
    static final String THICKNESS_MAP = "thickness-map";
    /** The fitter run over a vacuum scan; its NAV buffers give the reference centres. */
    static final String BEAM_FITTER = "beam";

    static final String THICKNESS_SIGMA = "thickness-sigma-nm";
    static final String THICKNESS_SIGMA_MAP = "thickness-sigma-map";
    static final String CALIBRATION_SIGMA = "pixel-mrad-rel-sigma";

    private final String name;
    private final String prefix;
    /** Group of the output maps: {@code magnetic} or, for the cross-check beside it, {@code magnetic_beam}. */
    private final String group;

    protected MagneticDeriver(String name, String prefix) {
        this(name, prefix, "magnetic");
    }

    protected MagneticDeriver(String name, String prefix, String group) {
        this.name = name;
        this.prefix = prefix;
        this.group = group;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.file(VACUUM, "vacuum scan over the same positions: its direct-beam centres are the reference (descan)"),
                ParameterSpec.choice(DESCAN, "reference from a robust fit of the centres over the scan (or --descan-roi) instead of a vacuum scan",
                        null, "plane", "parabola"),
                ParameterSpec.roi(DESCAN_ROI, "region (r0:r1,c0:c1, rows then columns, half-open) over which --descan is fitted; default the whole scan"),
                new ParameterSpec(DESCAN_COEFFICIENTS, ParameterSpec.Type.DOUBLE_LIST, "with --descan: an earlier run's surface instead of a fit, "
                        + "the x-centre then the y-centre coefficients (3+3 plane, 6+6 parabola; its descan_coefficients_x_px, _y_px), "
                        + "so steps of a series share one reference", Unit.PIXEL, null, 0, 0, List.of()),
                ParameterSpec.number(THICKNESS, "sample thickness (constant); without it B·t is reported in T·nm", Unit.NANOMETRE, null, 1e-3, 1e6),
                ParameterSpec.file(THICKNESS_MAP, "sample thickness map, a 2D .npy in nm of the scan's shape"),
                ParameterSpec.number(THICKNESS_SIGMA, "standard error of --thickness-nm, propagated into the B uncertainty maps",
                        Unit.NANOMETRE, null, 0, 1e6),
                ParameterSpec.file(THICKNESS_SIGMA_MAP, "standard error of --thickness-map, a 2D .npy in nm of the scan's shape "
                        + "(as written by 'ltz4d thickness'), propagated into the B uncertainty maps"),
                ParameterSpec.number(CALIBRATION_SIGMA, "relative standard error of the angle per detector pixel (--pixel-mrad), "
                        + "propagated into the B uncertainty maps (a systematic error, the same at every position)",
                        Unit.DIMENSIONLESS, 0.0, 0, 1));
    }

    @Override
    public List<String> requires() {
        return List.of(prefix + "/center_x", prefix + "/center_y");
    }

    /** The thickness options and the calibration B needs, before any frame is read. */
    @Override
    public void check(AnalysisContext context) {
        Parameters p = context.parameters();
        if (p.has(THICKNESS) && p.has(THICKNESS_MAP)) {
            throw new InvalidParameterException(THICKNESS_MAP, "either --thickness-nm or --thickness-map, not both", p.string(THICKNESS_MAP).orElse(""));
        }
        if (p.has(DESCAN_COEFFICIENTS) && !p.has(DESCAN)) {
            throw new InvalidParameterException(DESCAN_COEFFICIENTS, "--descan plane|parabola together with the surface's coefficients",
                    p.string(DESCAN_COEFFICIENTS).orElse(""));
        }
        context.calibration().requireMradPerPixel("magnetic induction (" + name + ")");
        context.calibration().requireBeamKv("magnetic induction (" + name + ")");
    }

    @Override
    public MapSet derive(MapSet inputs, AnalysisContext context) {
        Shape nav = context.navShape();
        int rows = nav.rows();
        int cols = nav.cols();
        int n = (int) nav.size();
        Parameters p = context.parameters();
        Calibration cal = context.calibration();
        DataMap cx = Maps.input(inputs, prefix + "/center_x", nav);
        DataMap cy = Maps.input(inputs, prefix + "/center_y", nav);
        Map<String, Object> at = new LinkedHashMap<>();
        at.put("deriver", name);
        at.put("centre", prefix + "/center_x, " + prefix + "/center_y");

        // --- thickness first: cheap checks before a possibly long reference run
        Optional<Path> tmapFile = p.existingFile(THICKNESS_MAP);
        boolean hasT = p.has(THICKNESS);
        if (hasT && tmapFile.isPresent()) {
            throw new InvalidParameterException(THICKNESS_MAP, "either --thickness-nm or --thickness-map, not both", tmapFile.get().toString());
        }
        double tConst = hasT ? p.positive(THICKNESS, 1) : Double.NaN;
        float[] tmap = tmapFile.map(f -> NpyMap.read(f, nav)).orElse(null);
        boolean thick = hasT || tmap != null;
        if (hasT) at.put("thickness_nm", tConst);
        tmapFile.ifPresent(f -> at.put("thickness_map", f.toString()));

        // --- calibration
        double mradPerPx = cal.requireMradPerPixel("magnetic induction (" + name + ")");
        double kv = cal.requireBeamKv("magnetic induction (" + name + ")");
        double lambda = Electron.wavelengthMetres(kv);
        at.put("mrad_per_pixel", mradPerPx);
        at.put("beam_kv", kv);
        at.put("wavelength_pm", lambda * 1e12);

        // --- reference centres
        float[] rx;
        float[] ry;
        Optional<Path> vacuum = p.existingFile(VACUUM);
        Optional<String> descan = Optional.ofNullable(p.choice(DESCAN, null, "plane", "parabola"));
        if (vacuum.isPresent() && descan.isPresent()) {
            throw new InvalidParameterException(DESCAN, "either --vacuum FILE or --descan plane|parabola, not both", descan.get());
        }
        if (vacuum.isPresent()) {
            Path file = vacuum.get();
            MapSet ref = context.analyzeReference(file, BEAM_FITTER);
            rx = referenceMap(ref, "beam/center_x", nav, file);
            ry = referenceMap(ref, "beam/center_y", nav, file);
            at.put("reference", "vacuum");
            at.put("vacuum_file", file.toString());
        } else if (descan.isPresent()) {
            RobustSurface.Kind kind = descan.get().equals("plane") ? RobustSurface.Kind.PLANE : RobustSurface.Kind.PARABOLA;
            Roi roi = p.roi(DESCAN_ROI).map(r -> r.within(DESCAN_ROI, rows, cols)).orElse(null);
            RobustSurface fx;
            RobustSurface fy;
            // only the main B takes a given surface: a cross-check group (other centres) keeps fitting its own
            Optional<double[]> given = group.equals("magnetic") ? p.doubleList(DESCAN_COEFFICIENTS) : Optional.empty();
            try {
                if (given.isPresent()) { // an earlier run's surface (e.g. the reference step of a series): not refitted
                    double[] c = given.get();
                    if (c.length != 2 * kind.terms || !java.util.Arrays.stream(c).allMatch(Double::isFinite)) {
                        throw new InvalidParameterException(DESCAN_COEFFICIENTS, 2 * kind.terms + " finite numbers (px): the "
                                + kind.terms + " x-centre then the " + kind.terms + " y-centre coefficients of a " + descan.get() + " descan",
                                p.string(DESCAN_COEFFICIENTS).orElse(""));
                    }
                    fx = RobustSurface.of(kind, java.util.Arrays.copyOfRange(c, 0, kind.terms), rows, cols);
                    fy = RobustSurface.of(kind, java.util.Arrays.copyOfRange(c, kind.terms, c.length), rows, cols);
                    at.put("descan_coefficients_from", "--" + DESCAN_COEFFICIENTS + " (given, not fitted to this scan)");
                } else {
                    fx = RobustSurface.fit(cx.toArray(), rows, cols, roi, kind);
                    fy = RobustSurface.fit(cy.toArray(), rows, cols, roi, kind);
                }
            } catch (IllegalArgumentException e) {
                throw new InvalidParameterException(roi != null ? DESCAN_ROI : DESCAN,
                        "a region with enough fitted centres for a robust " + descan.get() + " fit (" + e.getMessage() + ")",
                        roi != null ? roi.toString() : descan.get());
            }
            rx = fx.evaluate(rows, cols);
            ry = fy.evaluate(rows, cols);
            at.put("reference", "descan " + descan.get());
            at.put("descan_roi", roi == null ? "whole scan" : roi.toString());
            at.put("descan_coefficients_x_px", java.util.Arrays.toString(fx.coefficients));
            at.put("descan_coefficients_y_px", java.util.Arrays.toString(fy.coefficients));
            at.put("descan_basis", "1, u, v" + (kind == RobustSurface.Kind.PARABOLA ? ", u², u·v, v²" : "")
                    + " with u = (col − (cols−1)/2)/((cols−1)/2), v likewise for rows");
            if (given.isEmpty()) context.log(name + ": descan " + descan.get() + " fitted on " + fx.used + " positions, "
                    + Math.max(fx.downweighted, fy.downweighted) + " down-weighted as outliers, "
                    + (fx.iterations + fy.iterations) + " IRLS iterations");
        } else {
            throw new InvalidParameterException(VACUUM,
                    "a reference for the centre shift: --vacuum FILE (a vacuum scan over the same positions) or --descan plane|parabola "
                            + "(a robust fit of the centres over the scan or --descan-roi)", null);
        }

        // --- detector → scan frame: the calibration's, or solved from the deflection field (--scan-rotation-deg auto)
        ScanFrame frame = ScanRotation.auto(p) ? autoFrame(cx, cy, rx, ry, rows, cols, cal, p, context, at) : ScanFrame.of(cal);
        at.put("scan_rotation_deg", frame.rotationDeg);
        at.put("transpose", frame.transpose);

        // --- uncertainty of the centre (inverse Fisher information of the fit, when the fitter gives it)
        //     and of the reference, as variances in px²
        DataMap sgx = inputs.get(prefix + "/sigma_center_x").orElse(null);
        DataMap sgy = inputs.get(prefix + "/sigma_center_y").orElse(null);
        DataMap cor = inputs.get(prefix + "/corr_center_xy").orElse(null);
        boolean unc = sgx != null && sgy != null && sgx.shape().equals(nav) && sgy.shape().equals(nav);
        double refVarX = 0, refVarY = 0;
        if (unc) {
            if (vacuum.isPresent()) {
                refVarX = Uncertainty.residualVariance(rx, rows, cols);
                refVarY = Uncertainty.residualVariance(ry, rows, cols);
                at.put("reference_sigma_px", Math.sqrt(0.5 * (refVarX + refVarY)));
                at.put("reference_sigma_from", "robust scatter of the vacuum centres about a parabola (1.4826·MAD)");
            } else {
                // a least-squares surface of p terms over N positions: mean leverage p/N
                int terms = descan.get().equals("plane") ? 3 : 6;
                Roi roi = p.roi(DESCAN_ROI).map(r -> r.within(DESCAN_ROI, rows, cols)).orElse(null);
                int used = roi == null ? n : roi.size();
                refVarX = Uncertainty.medianSquare(sgx) * terms / used;
                refVarY = Uncertainty.medianSquare(sgy) * terms / used;
            }
        }
        float[] tsig = p.existingFile(THICKNESS_SIGMA_MAP).map(f -> NpyMap.read(f, nav)).orElse(null);
        double tsigConst = p.number(THICKNESS_SIGMA, 0);
        double calRel = p.number(CALIBRATION_SIGMA, 0);
        float[] ubx = unc ? new float[n] : null;
        float[] uby = unc ? new float[n] : null;
        float[] utx = unc ? new float[n] : null;
        float[] uty = unc ? new float[n] : null;
        // the scan-frame map is linear: (sx, sy) = M·(dx, dy)
        double m11 = frame.x(1, 0), m12 = frame.x(0, 1), m21 = frame.y(1, 0), m22 = frame.y(0, 1);

        // --- per position
        float[] tx = new float[n];
        float[] ty = new float[n];
        float[] bx = new float[n];
        float[] by = new float[n];
        float[] mag = new float[n];
        float[] ang = new float[n];
        double radPerPx = mradPerPx * 1e-3;
        double k = Electron.H / (Electron.E * lambda); // T·m per rad
        for (int i = 0; i < n; i++) {
            double dx = ((double) cx.get(i) - rx[i]) * radPerPx;
            double dy = ((double) cy.get(i) - ry[i]) * radPerPx;
            double sx = frame.x(dx, dy);
            double sy = frame.y(dx, dy);
            double scale;
            if (tmap != null) {
                float t = tmap[i];
                scale = t > 0 && Float.isFinite(t) ? k / (t * 1e-9) : Double.NaN;
            } else if (thick) {
                scale = k / (tConst * 1e-9);
            } else {
                scale = k * 1e9;
            }
            double vx = -sy * scale;
            double vy = sx * scale;
            if (unc) {
                double ex = sgx.get(i), ey = sgy.get(i);
                double r = cor == null ? 0 : cor.get(i);
                double vxx = (ex * ex + refVarX) * radPerPx * radPerPx, vyy = (ey * ey + refVarY) * radPerPx * radPerPx;
                double vxy = r * ex * ey * radPerPx * radPerPx;
                // Cov(s) = M·Cov(d)·Mᵀ, plus the calibration's relative error on the whole angle
                double sxx = m11 * m11 * vxx + 2 * m11 * m12 * vxy + m12 * m12 * vyy + calRel * calRel * sx * sx;
                double syy = m21 * m21 * vxx + 2 * m21 * m22 * vxy + m22 * m22 * vyy + calRel * calRel * sy * sy;
                double relT = 0;
                if (tmap != null && tsig != null) relT = tsig[i] / tmap[i];
                else if (hasT) relT = tsigConst / tConst;
                utx[i] = (float) (Math.sqrt(sxx) * 1e3);
                uty[i] = (float) (Math.sqrt(syy) * 1e3);
                // B = scale·(−sy, sx), scale ∝ 1/t: relative variances add
                ubx[i] = (float) (Math.abs(scale) * Math.sqrt(syy + relT * relT * sy * sy));
                uby[i] = (float) (Math.abs(scale) * Math.sqrt(sxx + relT * relT * sx * sx));
            }
            tx[i] = (float) (sx * 1e3);
            ty[i] = (float) (sy * 1e3);
            bx[i] = (float) vx;
            by[i] = (float) vy;
            if (Double.isNaN(vx) || Double.isNaN(vy)) {
                bx[i] = by[i] = mag[i] = ang[i] = Float.NaN;
            } else {
                double m = Math.hypot(vx, vy);
                mag[i] = (float) m;
                ang[i] = m == 0 ? 0f : (float) Maps.fold(Math.toDegrees(Math.atan2(vy, vx)), 360);
            }
        }
        Unit unit = thick ? Unit.TESLA : Unit.TESLA_NANOMETRE;
        String bxLeaf = thick ? "Bx" : "Bt_x";
        String byLeaf = thick ? "By" : "Bt_y";
        String what = thick ? "in-plane magnetic induction" : "projected in-plane induction B·t";
        Map<String, Object> angAt = new LinkedHashMap<>(at);
        angAt.put("convention", "direction of B in [0, 360) deg from +x towards +y (array coordinates)");
        List<DataMap> out = new java.util.ArrayList<>(List.of(
                Maps.output(group + "/" + bxLeaf, nav, bx, unit, what + ", x component (scan frame)", at),
                Maps.output(group + "/" + byLeaf, nav, by, unit, what + ", y component (scan frame)", at),
                Maps.output(group + "/B_magnitude", nav, mag, unit, "magnitude of the " + what, at),
                Maps.output(group + "/B_angle_deg", nav, ang, Unit.DEGREE, "direction of the " + what, angAt),
                Maps.output(group + "/theta_x_mrad", nav, tx, Unit.MILLIRADIAN, "beam deflection, x component (scan frame)", at),
                Maps.output(group + "/theta_y_mrad", nav, ty, Unit.MILLIRADIAN, "beam deflection, y component (scan frame)", at)));
        if (unc) {
            Map<String, Object> uat = new LinkedHashMap<>(at);
            uat.put("method", "linear propagation (Jacobian) of the centre's inverse-Fisher covariance (" + prefix
                    + "/sigma_center_x|y, " + prefix + "/corr_center_xy), the reference's variance, the thickness's and the "
                    + "calibration's relative errors");
            uat.put("thickness_sigma", tsig != null ? "map " + p.string(THICKNESS_SIGMA_MAP).orElse("") : tsigConst + " nm");
            uat.put("calibration_rel_sigma", calRel);
            String u = group.equals("magnetic") ? "uncertainty/" : "uncertainty/" + group + "/";
            out.add(Maps.output(u + bxLeaf, nav, ubx, unit, "standard error of " + group + "/" + bxLeaf, uat));
            out.add(Maps.output(u + byLeaf, nav, uby, unit, "standard error of " + group + "/" + byLeaf, uat));
            out.add(Maps.output(u + "theta_x_mrad", nav, utx, Unit.MILLIRADIAN, "standard error of " + group + "/theta_x_mrad", uat));
            out.add(Maps.output(u + "theta_y_mrad", nav, uty, Unit.MILLIRADIAN, "standard error of " + group + "/theta_y_mrad", uat));
        }
        out.addAll(extra(inputs, nav, thick, bx, by, at));
        return MapSet.of(out);
    }

    /** Further maps of a subclass (the cross-check's difference maps); none by default. */
    protected List<DataMap> extra(MapSet inputs, Shape nav, boolean thick, float[] bx, float[] by, Map<String, Object> attributes) {
        return List.of();
    }

    /** The frame whose rotation (and, unless --transpose is given, transpose) minimises the curl of the deflection. */
    private ScanFrame autoFrame(DataMap cx, DataMap cy, float[] rx, float[] ry, int rows, int cols, Calibration cal, Parameters p,
            AnalysisContext context, Map<String, Object> at) {
        int n = rows * cols;
        float[] dx = new float[n];
        float[] dy = new float[n];
        for (int i = 0; i < n; i++) {
            dx[i] = cx.get(i) - rx[i];
            dy[i] = cy.get(i) - ry[i];
        }
        double sy = cal.scanStepYNm().orElse(1.0);
        double sx = cal.scanStepXNm().orElse(sy);
        ScanRotation.Result r;
        try {
            r = ScanRotation.solve(dx, dy, rows, cols, sy, sx, p.has("transpose") ? p.flag("transpose") : null);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException(ScanRotation.PARAM, "a scan of at least 3×3 positions with fitted centres for 'auto' ("
                    + e.getMessage() + ")", "auto");
        }
        at.put("scan_rotation_auto", "minimum curl of the deflection field; sign (±180°) not determined by the data");
        at.put("scan_rotation_sigma_deg", r.sigmaDeg());
        at.put("scan_rotation_curl_fraction", r.curlFraction());
        at.put("scan_rotation_curl_fraction_other_transpose", r.otherCurlFraction());
        context.log(String.format("%s: scan rotation from the data (minimum curl of the deflection) %.2f° ± %.2f° (mod 180°), transpose %s "
                + "(residual curl fraction %.3g, %.3g with the other transpose), %d positions", name(), r.rotationDeg(), r.sigmaDeg(),
                r.transpose(), r.curlFraction(), r.otherCurlFraction(), r.positions()));
        return new ScanFrame(r.rotationDeg(), r.transpose());
    }

    private static float[] referenceMap(MapSet ref, String path, Shape nav, Path file) {
        DataMap m = ref.get(path).orElseThrow(() -> new InvalidInputException(file, path,
                "the direct-beam centre per position from fitter '" + BEAM_FITTER + "'", "maps " + ref.paths()));
        if (!m.shape().equals(nav)) {
            throw new ShapeMismatchException(file, path, "a vacuum scan over the same positions, shape " + nav, "shape " + m.shape());
        }
        return m.toArray();
    }
}
