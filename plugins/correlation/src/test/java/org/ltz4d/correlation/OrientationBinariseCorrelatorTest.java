package org.ltz4d.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.DataMap;
import org.junit.jupiter.api.Test;

class OrientationBinariseCorrelatorTest {

    @Test
    void classesRelativeToADirection() {
        // B direction, axis, expected B_parallel, eten_parallel for D = 90°
        double[][] cases = {{90, 90, 1, 1}, {270, 100, 1, 1}, {0, 0, 0, 0}, {180, 179, 0, 0}, {44, 46, 0, 1}, {134.9, 134, 1, 1},
            {136, 45, 0, 1}, {300, 10, 1, 0}};
        Sim sim = new Sim(1, cases.length + 1);
        for (int i = 0; i < cases.length; i++) sim.set(i, 1, cases[i][0], -0.01, 0.01, cases[i][1]);
        sim.setNaN(cases.length);
        Correlation c = new OrientationBinariseCorrelator().correlate(sim.maps(),
                new TestContext(sim.shape(), Map.of("direction-deg", "90"), 1));
        DataMap b = c.maps().require("correlation/B_parallel");
        DataMap e = c.maps().require("correlation/eten_parallel");
        DataMap a = c.maps().require("correlation/B_eten_agree");
        for (int i = 0; i < cases.length; i++) {
            assertEquals(cases[i][2], b.get(i), "B case " + i);
            assertEquals(cases[i][3], e.get(i), "ε_ten case " + i);
            assertEquals(cases[i][2] == cases[i][3] ? 1 : 0, a.get(i), "agreement case " + i);
        }
        assertEquals(-1, b.get(cases.length));
        assertEquals(-1, e.get(cases.length));
        assertEquals(-1, a.get(cases.length));
        assertEquals(true, b.integer());
        assertEquals(5.0 / 8, (double) c.statistics().get("agreement_fraction"), 1e-12);
        assertEquals(4.0 / 8, (double) c.statistics().get("B_parallel_fraction"), 1e-12);
        assertEquals(3, c.figures().size());
    }
}
