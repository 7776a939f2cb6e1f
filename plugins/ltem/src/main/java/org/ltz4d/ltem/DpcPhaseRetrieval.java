package org.ltz4d.ltem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.analysis.AnalysisContext;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.Figure;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.PhaseRetrieval;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.osgi.service.component.annotations.Component;

/**
 * {@code dpc-phase}: integrates a 4D-STEM deflection map into an electron phase (DESIGN.md §3,
 * ∇φ = (2π/λ)·θ = (e/ħ)·(B_y·t, −B_x·t)) by Fourier integration with mirror padding, so DPC and
 * Lorentz TEM phases can be compared. Input, first found: {@code magnetic/theta_x_mrad} +
 * {@code magnetic/theta_y_mrad} (mrad; beam energy from the calibration or {@code beam-kv});
 * {@code magnetic/Bt_x} + {@code magnetic/Bt_y} (T·nm); {@code magnetic/Bx} + {@code magnetic/By}
 * (T) with {@code thickness-nm}. Pixel = scan step (nm). NaN inputs are integrated as zero
 * deflection and stay NaN in the output. Writes {@code dpc/phase} (rad), and {@code dpc/Bt_x},
 * {@code dpc/Bt_y} (T·nm) of the integrated (curl-free) field.
 */
@Component(service = PhaseRetrieval.class)
public final class DpcPhaseRetrieval implements PhaseRetrieval {
    public static final String NAME = "dpc-phase";
    static final String TX = "magnetic/theta_x_mrad", TY = "magnetic/theta_y_mrad";
    static final String BTX = "magnetic/Bt_x", BTY = "magnetic/Bt_y";
    static final String BX = "magnetic/Bx", BY = "magnetic/By";
    static final ParameterSpec THICKNESS = ParameterSpec.number("thickness-nm", "sample thickness, to use B maps (T)",
            Unit.NANOMETRE, null, 1e-6, 1e7);
    static final ParameterSpec QC = ParameterSpec.number("qc", "Tikhonov frequency of the integration (0 = none)", LtemInput.PER_NM, 0.0, 0, 1e3);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(LtemInput.BEAM, THICKNESS, QC, LtemInput.MIRROR);
    }

    @Override
    public String description() {
        return "Fourier integration of a 4D-STEM deflection (theta), B·t or B map into an electron phase";
    }

    @Override
    public Correlation retrieve(MapSet maps, AnalysisContext context) {
        Parameters p = context.parameters();
        Calibration cal = context.calibration();
        DataMap ax, ay;
        double factor; // rad/nm per input unit, applied as g = factor·(a, b) after the component mapping below
        boolean fromTheta;
        String how;
        if (maps.contains(TX) && maps.contains(TY)) {
            ax = maps.require(TX);
            ay = maps.require(TY);
            double kv = p.has(LtemInput.BEAM.name()) ? p.positive(LtemInput.BEAM.name(), 300) : cal.requireBeamKv(NAME);
            factor = 2 * Math.PI / Optics.wavelengthNm(kv) * 1e-3; // (2π/λ)·θ, θ in mrad
            fromTheta = true;
            how = "beam deflection " + TX + ", " + TY + " at " + kv + " kV";
        } else if (maps.contains(BTX) && maps.contains(BTY)) {
            ax = maps.require(BTX);
            ay = maps.require(BTY);
            factor = MagneticPhase.E_OVER_HBAR;
            fromTheta = false;
            how = "projected induction " + BTX + ", " + BTY;
        } else if (maps.contains(BX) && maps.contains(BY)) {
            ax = maps.require(BX);
            ay = maps.require(BY);
            double t = p.number(THICKNESS.name()).orElseThrow(() -> new InvalidParameterException(THICKNESS.name(),
                    "the sample thickness in nm to integrate " + BX + ", " + BY, null));
            if (!(t > 0)) throw new InvalidParameterException(THICKNESS.name(), "a positive thickness in nm", Double.toString(t));
            factor = MagneticPhase.E_OVER_HBAR * t;
            fromTheta = false;
            how = "induction " + BX + ", " + BY + " × " + t + " nm";
        } else {
            throw new InvalidInputException(null, TX, "deflection maps " + TX + " and " + TY + ", or " + BTX + " and " + BTY
                    + ", or " + BX + " and " + BY + " with --thickness-nm", "maps " + maps.paths());
        }
        if (ax.shape().rank() != 2 || !ax.shape().equals(ay.shape())) {
            throw new ShapeMismatchException(null, ay.path(), "two 2D maps of the same shape", ax.shape() + " and " + ay.shape());
        }
        int ny = ax.shape().rows(), nx = ax.shape().cols();
        if (ny < 2 || nx < 2) throw new ShapeMismatchException(null, ax.path(), "a map of at least 2×2 positions", ax.shape().toString());
        double dx = cal.requireScanStepXNm(NAME);
        double dy = cal.scanStepYNm().orElse(dx);
        Grid g = new Grid(ny, nx, dy, dx);
        int n = g.size();
        double[] gx = new double[n], gy = new double[n];
        boolean[] bad = new boolean[n];
        int nBad = 0;
        for (int i = 0; i < n; i++) {
            double a = ax.get(i), b = ay.get(i);
            if (!Double.isFinite(a) || !Double.isFinite(b)) {
                bad[i] = true;
                nBad++;
                continue;
            }
            if (fromTheta) {
                gx[i] = factor * a;
                gy[i] = factor * b;
            } else { // ∇φ = (e/ħ)·(B_y·t, −B_x·t)
                gx[i] = factor * b;
                gy[i] = -factor * a;
            }
        }
        if (nBad == n) throw new InvalidInputException(null, ax.path(), "some finite values", "only NaN");
        boolean mirror = !p.has(LtemInput.MIRROR.name()) || p.flag(LtemInput.MIRROR.name());
        double qc = p.number(QC.name(), 0);
        double[] phase = new Poisson(g, mirror, qc).integrate(gx, gy);
        double m = 0;
        for (int i = 0; i < n; i++) if (!bad[i]) m += phase[i] / (n - nBad);
        for (int i = 0; i < n; i++) phase[i] = bad[i] ? Double.NaN : phase[i] - m;
        List<DataMap> out = new ArrayList<>();
        List<Figure> figs = new ArrayList<>();
        Map<String, Object> stats = new LinkedHashMap<>();
        Shape shape = Shape.of(ny, nx);
        out.add(DataMap.of("dpc/phase", shape, LtemInput.toFloat(phase), Unit.RADIAN, "electron phase integrated from the " + how)
                .withAttribute("scan_step_nm", dx));
        double[][] bt = MagneticPhase.btFromPhase(fill(phase, bad), ny, nx, dy, dx);
        for (int i = 0; i < n; i++) if (bad[i]) bt[0][i] = bt[1][i] = Double.NaN;
        out.add(DataMap.of("dpc/Bt_x", shape, LtemInput.toFloat(bt[0]), Unit.TESLA_NANOMETRE, "B_x·t of the integrated phase (curl-free part)"));
        out.add(DataMap.of("dpc/Bt_y", shape, LtemInput.toFloat(bt[1]), Unit.TESLA_NANOMETRE, "B_y·t of the integrated phase (curl-free part)"));
        // how much of the input field is not a gradient (noise, descan, thickness changes)
        double[] fx = new double[n], fy = new double[n];
        MagneticPhase.gradient(fill(phase, bad), ny, nx, dy, dx, fx, fy);
        double res = 0, tot = 0;
        for (int i = 0; i < n; i++) {
            if (bad[i]) continue;
            res += (fx[i] - gx[i]) * (fx[i] - gx[i]) + (fy[i] - gy[i]) * (fy[i] - gy[i]);
            tot += gx[i] * gx[i] + gy[i] * gy[i];
        }
        stats.put(NAME + ".input", how);
        stats.put(NAME + ".nan_positions", nBad);
        stats.put(NAME + ".relative_residual", tot > 0 ? Math.sqrt(res / tot) : 0.0);
        figs.add(Render.phase(NAME + "_phase.png", "Phase (rad) integrated from the " + how + ".", phase, ny, nx, dx));
        figs.add(Render.colourWheel(NAME + "_Bt.png", "B·t (T·nm) of the phase integrated from the " + how + ".", bt[0], bt[1], ny, nx, dx));
        return new Correlation(MapSet.of(out), figs, stats);
    }

    private static double[] fill(double[] a, boolean[] bad) {
        double[] b = a.clone();
        for (int i = 0; i < b.length; i++) if (bad[i]) b[i] = 0;
        return b;
    }
}
