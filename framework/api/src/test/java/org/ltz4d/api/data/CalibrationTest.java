package org.ltz4d.api.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.error.MissingCalibrationException;
import org.ltz4d.api.units.Quantity;
import org.ltz4d.api.units.Unit;

class CalibrationTest {
    /** λ(300 kV) = 1.9687 pm (DESIGN §2), to the 5 figures given there. */
    static final double LAMBDA_300_A = 0.019687;

    @Test
    void noneKnowsNothingAndSaysSo() {
        Calibration c = Calibration.none();
        assertTrue(c.beamKv().isEmpty());
        assertTrue(c.scanStepXNm().isEmpty());
        assertTrue(c.detectorPixel().isEmpty());
        assertEquals(0.0, c.scanRotationDeg(), 0);
        assertFalse(c.transpose());
        assertEquals(Map.of("transpose", false), c.asMap());
    }

    @Test
    void requireNamesTheMissingFieldAndHowToGiveIt() {
        Calibration c = Calibration.none();
        MissingCalibrationException e = assertThrows(MissingCalibrationException.class, () -> c.requireBeamKv("magnetic deriver"));
        assertEquals("beam energy", e.field());
        assertTrue(e.getMessage().contains("magnetic deriver") && e.getMessage().contains("--beam-kv"), e.getMessage());
        e = assertThrows(MissingCalibrationException.class, () -> c.requireMradPerPixel("ring fit"));
        assertEquals("detector pixel size", e.field());
        assertTrue(e.getMessage().contains("--pixel-mrad"), e.getMessage());
        e = assertThrows(MissingCalibrationException.class, () -> c.requireScanStepXNm("scale bar"));
        assertEquals("scan step", e.field());
    }

    @Test
    void convertsThePixelBetweenMradAndInverseAngstromWithTheWavelength() {
        Calibration s = Calibration.builder().detectorPixelInverseAngstrom(0.01).beamKv(300).build();
        assertEquals(0.01 * LAMBDA_300_A * 1e3, s.requireMradPerPixel("x"), 1e-4 * 0.197, "θ = s·λ");
        assertEquals(0.01, s.requireInverseAngstromPerPixel("x"), 0);
        Calibration m = Calibration.builder().detectorPixelMrad(0.16).beamKv(300).build();
        assertEquals(0.16, m.requireMradPerPixel("x"), 0);
        assertEquals(0.16e-3 / LAMBDA_300_A, m.requireInverseAngstromPerPixel("x"), 1e-4 * 0.0081);
        // without the beam energy the conversion names what is missing
        Calibration noKv = Calibration.builder().detectorPixelMrad(0.16).build();
        MissingCalibrationException e = assertThrows(MissingCalibrationException.class, () -> noKv.requireInverseAngstromPerPixel("S(q)"));
        assertEquals("beam energy", e.field());
        assertTrue(e.getMessage().contains("to convert the pixel"), e.getMessage());
    }

    @Test
    void builderRejectsNonPositiveAndNonFiniteValues() {
        assertThrows(IllegalArgumentException.class, () -> Calibration.builder().beamKv(0));
        assertThrows(IllegalArgumentException.class, () -> Calibration.builder().beamKv(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Calibration.builder().scanStepNm(1, -2));
        assertThrows(IllegalArgumentException.class, () -> Calibration.builder().detectorPixelMrad(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Calibration.builder().cameraLengthMm(-1));
        assertThrows(IllegalArgumentException.class, () -> Calibration.builder().scanRotationDeg(Double.NaN));
        assertEquals(-12.5, Calibration.builder().scanRotationDeg(-12.5).build().scanRotationDeg(), 0, "rotations may be negative");
    }

    @Test
    void overridesWinFieldByFieldAndLeaveBothOriginalsAlone() {
        Calibration file = Calibration.builder().beamKv(200).scanStepNm(2, 3).detectorPixelMrad(0.2).cameraLengthMm(100).build();
        Calibration user = Calibration.builder().beamKv(300).scanRotationDeg(15).transpose(true).build();
        Calibration c = file.overriddenBy(user);
        assertEquals(300, c.beamKv().getAsDouble(), 0);
        assertEquals(3, c.scanStepXNm().getAsDouble(), 0);
        assertEquals(2, c.scanStepYNm().getAsDouble(), 0);
        assertEquals(Quantity.of(0.2, Unit.MILLIRADIAN), c.detectorPixel().orElseThrow());
        assertEquals(15, c.scanRotationDeg(), 0);
        assertTrue(c.transpose());
        assertEquals(200, file.beamKv().getAsDouble(), 0);
        assertFalse(file.transpose());
        assertEquals(file, file.overriddenBy(Calibration.none()));
    }

    @Test
    void toBuilderDoesNotShareState() {
        Calibration a = Calibration.builder().beamKv(300).build();
        Calibration.Builder b = a.toBuilder();
        b.beamKv(120);
        assertEquals(300, a.beamKv().getAsDouble(), 0);
        assertEquals(120, b.build().beamKv().getAsDouble(), 0);
    }

    @Test
    void equalityAndTheAttributeMapFollowTheValues() {
        Calibration a = Calibration.builder().beamKv(300).detectorPixelInverseAngstrom(0.01).build();
        Calibration b = Calibration.builder().detectorPixelInverseAngstrom(0.01).beamKv(300).build();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, Calibration.builder().beamKv(300).detectorPixelMrad(0.01).build(), "the pixel's unit matters");
        Map<String, Object> m = a.asMap();
        assertEquals(0.01, m.get("detector_pixel"));
        assertEquals(Unit.INVERSE_ANGSTROM.symbol(), m.get("detector_pixel_unit"));
        assertEquals(300.0, m.get("beam_kv"));
        m.put("beam_kv", 1.0);
        assertEquals(300, a.beamKv().getAsDouble(), 0, "the map is a copy");
    }
}
