package org.ltz4d.derivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;

class DensityDeriverTest {

    static final Shape NAV = Shape.of(4, 5);

    /** Reference rows 0–1 with a = 41, b = 39; rows 2–3 scaled by s per position. */
    static MapSet rings(double[] scale) {
        float[] a = new float[20];
        float[] b = new float[20];
        for (int i = 0; i < 20; i++) {
            double s = i < 10 ? 1 : scale[i - 10];
            a[i] = (float) (41 * s);
            b[i] = (float) (39 * s);
        }
        a[3] = Float.NaN; // ignored in the reference median
        b[19] = Float.NaN;
        return MapSet.of(DataMap.of("ring/a", NAV, a, Unit.PIXEL, ""), DataMap.of("ring/b", NAV, b, Unit.PIXEL, ""));
    }

    @Test
    void densityFollowsTheAreaToThePowerNOverTwo() {
        double[] s = new double[10];
        for (int i = 0; i < 10; i++) s[i] = 0.98 + 0.005 * i;
        for (double n : new double[] {3, 2.31}) {
            Parameters p = n == 3 ? Parameters.single("reference-roi", "0:2,0:5")
                    : Parameters.of(Map.of("reference-roi", "0:2,0:5", "density-exponent", "2.31"));
            DataMap d = new DensityDeriver().derive(rings(s), new TestContext(Calibration.none(), p, NAV)).require("density/relative");
            assertEquals(Unit.DIMENSIONLESS, d.unit());
            assertEquals(n, d.attributes().get("density_exponent"));
            for (int i = 0; i < 9; i++) {
                // area ∝ s² → Δρ = s^n − 1: q ∝ ρ^(1/3), so a larger ring means a denser material
                assertEquals(Math.pow(s[i], n) - 1, d.get(10 + i), 2e-7, "n=" + n + " s=" + s[i]);
            }
            assertTrue(Float.isNaN(d.get(19)));
            assertEquals(0, d.get(0), 1e-7);
        }
        // a supplied reference ellipse gives the same as the ROI
        DataMap e = new DensityDeriver().derive(rings(s), new TestContext(Calibration.none(),
                Parameters.single("reference-ellipse", "41,39,12"), NAV)).require("density/relative");
        assertEquals(Math.pow(s[4], 3) - 1, e.get(14), 2e-7);
    }

    @Test
    void badParametersAreTypedErrors() {
        MapSet in = rings(new double[10]);
        assertEquals("density-exponent", assertThrows(InvalidParameterException.class, () -> new DensityDeriver().derive(in,
                new TestContext(Calibration.none(), Parameters.of(Map.of("reference-roi", "0:2,0:5", "density-exponent", "0")), NAV))).parameter());
        assertEquals("reference-roi", assertThrows(InvalidParameterException.class,
                () -> new DensityDeriver().derive(in, new TestContext(Calibration.none(), Parameters.empty(), NAV))).parameter());
        assertEquals("reference-roi", assertThrows(InvalidParameterException.class, () -> new DensityDeriver().derive(in,
                new TestContext(Calibration.none(), Parameters.single("reference-roi", "2:4,0:5"), NAV))).parameter(), "ROI with no valid ring");
    }
}
