package org.ltz4d.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.units.Unit;
import org.junit.jupiter.api.Test;

class MisorientationCorrelatorTest {

    /** B direction, ε_ten axis, expected α: vector against axis, folded into [0°, 90°]. */
    private static final double[][] CASES = {
        {0, 0, 0}, {30, 0, 30}, {200, 10, 10}, {100, 170, 70}, {350, 80, 90}, {180, 0, 0}, {270, 0, 90},
        {45, 135, 90}, {315, 135, 0}, {123.4, 56.7, 66.7}, {91, 0, 89}, {359, 1, 2}, {225, 20, 25},
    };

    @Test
    void misorientationOfKnownAnglesIsExact() {
        Sim sim = new Sim(1, CASES.length);
        for (int i = 0; i < CASES.length; i++) sim.set(i, 0.8, CASES[i][0], -0.01, 0.01, CASES[i][1]);
        Correlation c = new MisorientationCorrelator().correlate(sim.maps(), new TestContext(sim.shape(), Map.of(), 2.0));
        DataMap a = c.maps().require("/correlation/misorientation_deg");
        assertEquals(Unit.DEGREE, a.unit());
        double worst = 0;
        for (int i = 0; i < CASES.length; i++) worst = Math.max(worst, Math.abs(a.get(i) - CASES[i][2]));
        assertTrue(worst < 2e-4, "worst misorientation error " + worst + " deg");
        DataMap m = c.maps().require("correlation/B_magnitude");
        assertEquals(0.8, m.get(3), 1e-6);
        assertEquals(Unit.TESLA, m.unit());
        DataMap d = c.maps().require("correlation/B_angle_deg");
        assertEquals(200, d.get(2), 1e-4);
        assertEquals(350, d.get(4), 1e-4);
        assertEquals(1, c.figures().size());
    }

    @Test
    void noValueStaysNaNAndFailedPositionsAreMasked() {
        Sim sim = new Sim(2, 2);
        for (int i = 0; i < 4; i++) sim.set(i, 1, 40, -0.01, 0.01, 10);
        sim.angleTen[1] = Float.NaN;
        sim.mask = new float[] {0, 0, 1, 0};
        Correlation c = new MisorientationCorrelator().correlate(sim.maps(), new TestContext(sim.shape(), Map.of(), 0));
        DataMap a = c.maps().require("correlation/misorientation_deg");
        assertEquals(30, a.get(0), 1e-4);
        assertTrue(Float.isNaN(a.get(1)));
        assertTrue(Float.isNaN(a.get(2)), "masked position must be NaN");
        assertEquals(30, a.get(3), 1e-4);
        assertEquals(2, ((Number) c.statistics().get("n")).intValue());
    }

    @Test
    void projectedInductionIsAcceptedAndMissingBNamesTheMap() {
        Sim sim = new Sim(1, 2);
        sim.set(0, 3, 90, -0.01, 0.01, 0);
        sim.set(1, 3, 0, -0.01, 0.01, 0);
        MapSet maps = sim.maps();
        MapSet bt = MapSet.of(DataMap.of("magnetic/Bt_x", sim.shape(), sim.bx.clone(), Unit.TESLA_NANOMETRE, ""),
                DataMap.of("magnetic/Bt_y", sim.shape(), sim.by.clone(), Unit.TESLA_NANOMETRE, ""),
                maps.require("strain/angle_ten_deg"));
        Correlation c = new MisorientationCorrelator().correlate(bt, new TestContext(sim.shape(), Map.of(), 0));
        assertEquals(90, c.maps().require("correlation/misorientation_deg").get(0), 1e-4);
        assertEquals(Unit.TESLA_NANOMETRE, c.maps().require("correlation/B_magnitude").unit());
        MapSet noB = MapSet.of(maps.require("strain/angle_ten_deg"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new MisorientationCorrelator().correlate(noB, new TestContext(sim.shape(), Map.of(), 0)));
        assertTrue(e.getMessage().contains("/magnetic/Bx"), e.getMessage());
    }
}
