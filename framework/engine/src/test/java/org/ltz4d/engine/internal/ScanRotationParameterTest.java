package org.ltz4d.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.param.Parameters;

/** {@code --scan-rotation-deg}: degrees as before, or {@code auto} (left to the derivers, which solve it from the deflection field). */
class ScanRotationParameterTest {
    @Test
    void degreesSetTheCalibration() {
        Calibration c = EngineParameters.calibrationOverrides(Parameters.of(Map.of("scan-rotation-deg", "-12.5")));
        assertEquals(-12.5, c.scanRotationDeg(), 0);
    }

    @Test
    void autoLeavesTheCalibrationUnset() {
        Calibration c = EngineParameters.calibrationOverrides(Parameters.of(Map.of("scan-rotation-deg", "auto")));
        assertFalse(c.asMap().containsKey("scan_rotation_deg"), c.asMap().toString());
        assertTrue(EngineParameters.scanRotation(Parameters.of(Map.of("scan-rotation-deg", "AUTO"))).isEmpty());
    }

    @Test
    void nonsenseAndOutOfRangeAreTypedErrors() {
        for (String bad : new String[] {"north", "400", "NaN"}) {
            InvalidParameterException e = assertThrows(InvalidParameterException.class,
                    () -> EngineParameters.calibrationOverrides(Parameters.of(Map.of("scan-rotation-deg", bad))), bad);
            assertTrue(e.getMessage().contains("scan-rotation-deg") && e.getMessage().contains("auto"), e.getMessage());
        }
    }
}
