package org.ltz4d.ltem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.Figure;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.units.Unit;

/** Builds the shared outputs: {@code ltem/phase} (rad), {@code magnetic/Bt_x}, {@code magnetic/Bt_y} (T·nm) and their figures. */
final class LtemOutput {
    private LtemOutput() {
    }

    static void phaseAndBt(String name, String phasePath, double[] phase, Grid g, String how, List<DataMap> maps,
            List<Figure> figures, Map<String, Object> stats) {
        Shape shape = Shape.of(g.ny, g.nx);
        maps.add(DataMap.of(phasePath, shape, LtemInput.toFloat(phase), Unit.RADIAN, "electron phase from " + how)
                .withAttribute("pixel_nm", g.dxNm));
        double[][] bt = MagneticPhase.btFromPhase(phase, g.ny, g.nx, g.dyNm, g.dxNm);
        maps.add(DataMap.of("magnetic/Bt_x", shape, LtemInput.toFloat(bt[0]), Unit.TESLA_NANOMETRE,
                "projected induction B_x·t = −(ħ/e)·∂φ/∂y (DESIGN.md §3), from " + how));
        maps.add(DataMap.of("magnetic/Bt_y", shape, LtemInput.toFloat(bt[1]), Unit.TESLA_NANOMETRE,
                "projected induction B_y·t = (ħ/e)·∂φ/∂x (DESIGN.md §3), from " + how));
        double[] range = Render.robustRange(phase, 0);
        stats.put(name + ".phase_range_rad", range[1] - range[0]);
        double[] mag = new double[bt[0].length];
        for (int i = 0; i < mag.length; i++) mag[i] = Math.hypot(bt[0][i], bt[1][i]);
        stats.put(name + ".bt_median_T_nm", median(mag));
        figures.add(Render.phase(name + "_phase.png", "Phase (rad) from " + how + ".", phase, g.ny, g.nx, g.dxNm));
        figures.add(Render.colourWheel(name + "_Bt.png", "Projected induction B·t (T·nm) from " + how + ".", bt[0], bt[1], g.ny, g.nx, g.dxNm));
    }

    static double median(double[] a) {
        double[] s = a.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }

    static List<DataMap> list() {
        return new ArrayList<>();
    }
}
