package org.ltz4d.cli.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.engine.DatasetInfo;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.units.Unit;

/** The parts of analyze-series that need no engine: the step checks, the shared references, the differences. */
class SeriesMapsTest {
    private static final Calibration CAL = Calibration.builder().beamKv(300).detectorPixelMrad(0.16).build();

    private static DatasetInfo info(String file, Shape nav, Shape sig, Calibration cal) {
        return new DatasetInfo(Path.of(file), "npy", nav, sig, DType.UINT16, cal, Map.of(), Double.NaN);
    }

    @Test
    void stepsOfAnotherShapeOrCalibrationAreTypedErrorsNamingTheFileAndField() {
        Shape nav = Shape.of(4, 5);
        Shape sig = Shape.of(64, 64);
        DatasetInfo a = info("a.npy", nav, sig, CAL);
        AnalyzeSeriesCommand.checkAlike(List.of(a, info("b.npy", nav, sig, CAL)), 0); // alike: no error
        ShapeMismatchException scan = assertThrows(ShapeMismatchException.class,
                () -> AnalyzeSeriesCommand.checkAlike(List.of(a, info("b.npy", Shape.of(4, 6), sig, CAL)), 0));
        assertEquals(Path.of("b.npy"), scan.file());
        assertEquals("scan shape", scan.field());
        ShapeMismatchException det = assertThrows(ShapeMismatchException.class,
                () -> AnalyzeSeriesCommand.checkAlike(List.of(a, info("b.npy", nav, Shape.of(64, 32), CAL)), 0));
        assertEquals("detector shape", det.field());
        Calibration other = Calibration.builder().beamKv(200).detectorPixelMrad(0.16).build();
        InvalidInputException cal = assertThrows(InvalidInputException.class,
                () -> AnalyzeSeriesCommand.checkAlike(List.of(a, info("b.npy", nav, sig, other)), 1));
        assertEquals(Path.of("a.npy"), cal.file(), "checked against the reference step 1");
        assertEquals("calibration beam_kv", cal.field());
        assertTrue(cal.getMessage().contains("200") && cal.getMessage().contains("300"), cal.getMessage());
    }

    @Test
    void theRecordedRingFormGivesTheEllipseWhoseFormItIs() {
        double a = 41.3;
        double b = 39.8;
        double t = Math.toRadians(-28.0);
        double ia = 1 / (a * a);
        double ib = 1 / (b * b);
        double c = Math.cos(t);
        double s = Math.sin(t);
        Map<String, Object> at = Map.of("reference_q11_px-2", ia * c * c + ib * s * s, "reference_q12_px-2", (ia - ib) * c * s,
                "reference_q22_px-2", Double.toString(ia * s * s + ib * c * c));
        double[] e = SeriesMaps.ellipse(at).orElseThrow();
        // the same ellipse, maybe described from its other axis: the same form
        double ea = 1 / (e[0] * e[0]);
        double eb = 1 / (e[1] * e[1]);
        double ec = Math.cos(Math.toRadians(e[2]));
        double es = Math.sin(Math.toRadians(e[2]));
        assertArrayEquals(new double[] {ia * c * c + ib * s * s, (ia - ib) * c * s, ia * s * s + ib * c * c},
                new double[] {ea * ec * ec + eb * es * es, (ea - eb) * ec * es, ea * es * es + eb * ec * ec}, 1e-15);
        assertEquals(Math.min(a, b), Math.min(e[0], e[1]), 1e-9);
        assertEquals(Math.max(a, b), Math.max(e[0], e[1]), 1e-9);
        assertTrue(SeriesMaps.ellipse(Map.of("reference_q11_px-2", 1.0)).isEmpty(), "incomplete");
        assertTrue(SeriesMaps.ellipse(Map.of("reference_q11_px-2", 1.0, "reference_q12_px-2", 2.0, "reference_q22_px-2", 1.0)).isEmpty(),
                "not an ellipse");
        assertArrayEquals(new double[] {63.5, 1.5, -0.25, 62.0, 0.5, 2e-3},
                SeriesMaps.descan(Map.of("descan_coefficients_x_px", "[63.5, 1.5, -0.25]", "descan_coefficients_y_px", "[62.0, 0.5, 0.002]"))
                        .orElseThrow(), 0);
        assertTrue(SeriesMaps.descan(Map.of("descan_coefficients_x_px", "[1, 2, 3]")).isEmpty());
    }

    @Test
    void differencesSubtractValuesAndAddStandardErrorsInQuadratureWithUnits() {
        Shape nav = Shape.of(1, 2);
        MapSet s0 = MapSet.of(DataMap.of("magnetic/Bx", nav, new float[] {0.1f, 0.2f}, Unit.TESLA, "Bx"),
                DataMap.of("uncertainty/Bx", nav, new float[] {0.03f, 0.03f}, Unit.TESLA, "σ"),
                DataMap.of("magnetic/B_angle_deg", nav, new float[] {10, 20}, Unit.DEGREE, "angle"),
                DataMap.of("virtual/bf", nav, new float[] {1, 2}, Unit.COUNTS, "bf"),
                DataMap.of("uncertainty/magnetic_beam/Bx", nav, new float[] {1, 2}, Unit.TESLA, "a cross-check's σ"));
        MapSet s1 = MapSet.of(DataMap.of("magnetic/Bx", nav, new float[] {0.6f, 0.7f}, Unit.TESLA, "Bx"),
                DataMap.of("uncertainty/Bx", nav, new float[] {0.04f, 0.04f}, Unit.TESLA, "σ"),
                DataMap.of("magnetic/B_angle_deg", nav, new float[] {30, 40}, Unit.DEGREE, "angle"),
                DataMap.of("virtual/bf", nav, new float[] {3, 4}, Unit.COUNTS, "bf"),
                DataMap.of("uncertainty/magnetic_beam/Bx", nav, new float[] {1, 2}, Unit.TESLA, "a cross-check's σ"));
        MapSet d = SeriesMaps.differences(List.of(s0, s1), List.of(Path.of("s0.npy"), Path.of("s1.npy")));
        assertEquals(2, d.size(), d.paths().toString());
        assertArrayEquals(new float[] {0.5f, 0.5f}, d.require("step_001/magnetic/Bx").toArray(), 1e-6f);
        assertEquals(Unit.TESLA, d.require("step_001/magnetic/Bx").unit());
        assertArrayEquals(new float[] {0.05f, 0.05f}, d.require("step_001/uncertainty/Bx").toArray(), 1e-6f);
        assertFalse(d.contains("step_001/magnetic/B_angle_deg"), "angles do not subtract");
        assertEquals(0.5, SeriesMaps.mean(new float[] {0, 1, Float.NaN}), 0);
    }
}
