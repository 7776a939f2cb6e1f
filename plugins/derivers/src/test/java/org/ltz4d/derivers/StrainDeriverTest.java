package org.ltz4d.derivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

class StrainDeriverTest {

    static final double R0 = 40; // ring radius, px
    /** A detector distortion: 3 % stretch along 20°, −2 % across (symmetric, as DESIGN §4 assumes). */
    static final double[] D = tensor(0.03, -0.02, 20, 1);

    /** Symmetric (xx, xy, yy) with principal values p1 along angle and p2 across, plus iso·I. */
    static double[] tensor(double p1, double p2, double angleDeg, double iso) {
        double t = Math.toRadians(angleDeg);
        double c = Math.cos(t);
        double s = Math.sin(t);
        return new double[] {iso + p1 * c * c + p2 * s * s, (p1 - p2) * c * s, iso + p1 * s * s + p2 * c * c};
    }

    static double[] mul(double[] a, double[] b) { // symmetric × symmetric → general, as (m11, m12, m21, m22)
        return new double[] {a[0] * b[0] + a[1] * b[1], a[0] * b[1] + a[1] * b[2], a[1] * b[0] + a[2] * b[1], a[1] * b[1] + a[2] * b[2]};
    }

    /**
     * The ring form of a real-space strain ε seen through the distortion D (DESIGN §4):
     * q = D·(I+ε)^-T·u, |u| = r0, so Q = D^-1·(I+ε)²·D^-1 / r0².
     */
    static double[] form(double[] eps) {
        double[] ie = {1 + eps[0], eps[1], 1 + eps[2]};
        double det = D[0] * D[2] - D[1] * D[1];
        double[] di = {D[2] / det, -D[1] / det, D[0] / det};
        double[] ie2 = sym(mul(ie, ie));
        double[] left = sym3(di, ie2, di);
        return new double[] {left[0] / (R0 * R0), left[1] / (R0 * R0), left[2] / (R0 * R0)};
    }

    static double[] sym(double[] m) {
        return new double[] {m[0], 0.5 * (m[1] + m[2]), m[3]};
    }

    static double[] sym3(double[] a, double[] b, double[] c) {
        double[] out = new double[3];
        Sym2.sandwich(a[0], a[1], a[2], b[0], b[1], b[2], out);
        return out;
    }

    @Test
    void knownStrainsAreRecoveredTo1e9ThroughADetectorDistortion() {
        double[] qref = form(new double[] {0, 0, 0});
        double[] dref = new double[3];
        assertTrue(Sym2.inverseSqrt(qref[0], qref[1], qref[2], dref));
        ScanFrame id = new ScanFrame(0, false);
        double[] scratch = new double[3];
        double[] e = new double[3];
        double worst = 0;
        for (double angle : new double[] {0, 17, 45, 90, 123, 160}) {
            for (double[] p : new double[][] {{-0.02, 0.01}, {0.015, -0.005}, {0.003, 0.003}, {-0.01, 0}}) {
                double[] eps = tensor(p[0], p[1], angle, 0);
                double[] q = form(eps);
                assertTrue(StrainDeriver.strain(q[0], q[1], q[2], dref[0], dref[1], dref[2], id, scratch, e));
                for (int k = 0; k < 3; k++) worst = Math.max(worst, Math.abs(e[k] - eps[k]));
            }
        }
        System.out.println("strain core (double): worst component error " + worst);
        assertTrue(worst < 1e-9, "worst strain error " + worst);
    }

    @Test
    void mapsGivePrincipalStrainsAxesAndPartsAtFloatPrecision() {
        int rows = 5;
        int cols = 6;
        Shape nav = Shape.of(rows, cols);
        float[][] q = new float[3][rows * cols];
        double[][] truth = new double[rows * cols][];
        double[] angles = new double[rows * cols];
        for (int i = 0; i < rows * cols; i++) {
            int r = i / cols;
            double angle = (i * 37) % 180;
            angles[i] = angle;
            truth[i] = r < 2 ? new double[] {0, 0, 0} : tensor(0.012, -0.008, angle, 0);
            double[] f = form(truth[i]);
            for (int k = 0; k < 3; k++) q[k][i] = (float) f[k];
        }
        q[0][29] = Float.NaN;
        q[1][3] = Float.NaN; // a NaN inside the reference ROI is ignored by the median
        MapSet in = MapSet.of(DataMap.of("ring/q11", nav, q[0], Unit.of("px⁻²", "form"), ""),
                DataMap.of("ring/q12", nav, q[1], Unit.of("px⁻²", "form"), ""), DataMap.of("ring/q22", nav, q[2], Unit.of("px⁻²", "form"), ""));
        TestContext ctx = new TestContext(Calibration.none(), Parameters.single("reference-roi", "0:2,0:6"), nav);
        MapSet out = new StrainDeriver().derive(in, ctx);
        for (String p : new String[] {"exx", "eyy", "exy", "e_com", "e_ten", "angle_ten_deg", "angle_com_deg", "volumetric", "dev_xx", "dev_yy", "dev_xy"}) {
            assertTrue(out.contains("strain/" + p), p);
            assertTrue(Float.isNaN(out.require("strain/" + p).get(29)), p + " NaN where the form is NaN");
        }
        assertEquals(Unit.DEGREE, out.require("strain/angle_ten_deg").unit());
        assertEquals("roi 0:2,0:6", out.require("strain/exx").attributes().get("reference"));
        double worst = 0;
        double worstAngle = 0;
        for (int i = 12; i < 29; i++) {
            double[] t = truth[i];
            worst = Math.max(worst, Math.abs(out.require("strain/exx").get(i) - t[0]));
            worst = Math.max(worst, Math.abs(out.require("strain/exy").get(i) - t[1]));
            worst = Math.max(worst, Math.abs(out.require("strain/eyy").get(i) - t[2]));
            worst = Math.max(worst, Math.abs(out.require("strain/e_ten").get(i) - 0.012));
            worst = Math.max(worst, Math.abs(out.require("strain/e_com").get(i) - -0.008));
            worst = Math.max(worst, Math.abs(out.require("strain/volumetric").get(i) - 0.004));
            worst = Math.max(worst, Math.abs(out.require("strain/dev_xx").get(i) - (t[0] - 0.002)));
            worst = Math.max(worst, Math.abs(out.require("strain/dev_yy").get(i) - (t[2] - 0.002)));
            worst = Math.max(worst, Math.abs(out.require("strain/dev_xy").get(i) - t[1]));
            double da = Math.abs(out.require("strain/angle_ten_deg").get(i) - angles[i]) % 180;
            worstAngle = Math.max(worstAngle, Math.min(da, 180 - da));
            double dc = Math.abs(out.require("strain/angle_com_deg").get(i) - (angles[i] + 90)) % 180;
            worstAngle = Math.max(worstAngle, Math.min(dc, 180 - dc));
            float a = out.require("strain/angle_ten_deg").get(i);
            assertTrue(a >= 0 && a < 180, "axis in [0, 180): " + a);
        }
        // inputs are float32 forms (relative precision 6e-8): strain at ~1e-7
        assertTrue(worst < 3e-7, "worst " + worst);
        assertTrue(worstAngle < 1e-3, "worst angle " + worstAngle);
        for (int i = 0; i < 12; i++) {
            if (i == 3) assertTrue(Float.isNaN(out.require("strain/exx").get(i)));
            else assertEquals(0.0, out.require("strain/exx").get(i), 3e-7);
        }
    }

    @Test
    void compressionAlongXEnlargesTheRingAlongXAndRotationMapsAxes() {
        Shape nav = Shape.of(1, 2);
        // ring 1 % larger along x than the reference circle: ε_xx = 1/1.01 − 1 < 0
        double[] f = new double[3];
        Sym2.formOfEllipse(R0 * 1.01, R0, 0, f);
        MapSet in = MapSet.of(DataMap.of("ring/q11", nav, new float[] {(float) f[0], (float) f[0]}, Unit.PIXEL, ""),
                DataMap.of("ring/q12", nav, new float[] {(float) f[1], (float) f[1]}, Unit.PIXEL, ""),
                DataMap.of("ring/q22", nav, new float[] {(float) f[2], (float) f[2]}, Unit.PIXEL, ""));
        Parameters p = Parameters.single("reference-ellipse", R0 + "," + R0 + ",0");
        MapSet out = new StrainDeriver().derive(in, new TestContext(Calibration.none(), p, nav));
        assertEquals(1 / 1.01 - 1, out.require("strain/exx").get(0), 1e-7);
        assertEquals(0, out.require("strain/eyy").get(0), 1e-7);
        assertEquals(1 / 1.01 - 1, out.require("strain/e_com").get(0), 1e-7);
        assertEquals(0, out.require("strain/angle_com_deg").get(0), 1e-4);
        assertEquals(90, out.require("strain/angle_ten_deg").get(0), 1e-4);
        // a detector rotated by 90° against the scan: the compression is along scan y
        Calibration rot = Calibration.builder().scanRotationDeg(90).build();
        MapSet r = new StrainDeriver().derive(in, new TestContext(rot, p, nav));
        assertEquals(1 / 1.01 - 1, r.require("strain/eyy").get(1), 1e-7);
        assertEquals(0, r.require("strain/exx").get(1), 1e-7);
        assertEquals(90, r.require("strain/angle_com_deg").get(1), 1e-4);
        // 30°: the axis turns by 30°, the components follow the tensor rule
        MapSet r30 = new StrainDeriver().derive(in, new TestContext(Calibration.builder().scanRotationDeg(30).build(), p, nav));
        assertEquals(30, r30.require("strain/angle_com_deg").get(0), 1e-3);
        double e = 1 / 1.01 - 1;
        assertEquals(e * 0.75, r30.require("strain/exx").get(0), 1e-7);
        assertEquals(e * Math.sqrt(3) / 4, r30.require("strain/exy").get(0), 1e-7);
        // transpose swaps x and y
        MapSet t = new StrainDeriver().derive(in, new TestContext(Calibration.builder().transpose(true).build(), p, nav));
        assertEquals(e, t.require("strain/eyy").get(0), 1e-7);
    }

    @Test
    void badReferencesAreTypedErrors() {
        Shape nav = Shape.of(3, 3);
        float[] nan = new float[9];
        java.util.Arrays.fill(nan, Float.NaN);
        float[] one = new float[9];
        java.util.Arrays.fill(one, 1e-3f);
        MapSet in = MapSet.of(DataMap.of("ring/q11", nav, one, Unit.PIXEL, ""), DataMap.of("ring/q12", nav, nan, Unit.PIXEL, ""),
                DataMap.of("ring/q22", nav, one, Unit.PIXEL, ""));
        StrainDeriver d = new StrainDeriver();
        assertEquals("reference-roi", assertThrows(InvalidParameterException.class,
                () -> d.derive(in, new TestContext(Calibration.none(), Parameters.empty(), nav))).parameter());
        assertEquals("reference-roi", assertThrows(InvalidParameterException.class,
                () -> d.derive(in, new TestContext(Calibration.none(), Parameters.single("reference-roi", "0:2,0:2"), nav))).parameter());
        assertEquals("reference-roi", assertThrows(InvalidParameterException.class,
                () -> d.derive(in, new TestContext(Calibration.none(), Parameters.single("reference-roi", "0:4,0:2"), nav))).parameter());
        assertEquals("reference-roi", assertThrows(InvalidParameterException.class,
                () -> d.derive(in, new TestContext(Calibration.none(), Parameters.single("reference-roi", "2:1,0:2"), nav))).parameter());
        assertEquals("reference-ellipse", assertThrows(InvalidParameterException.class,
                () -> d.derive(in, new TestContext(Calibration.none(), Parameters.single("reference-ellipse", "40,-3,0"), nav))).parameter());
        assertEquals("reference-ellipse", assertThrows(InvalidParameterException.class,
                () -> d.derive(in, new TestContext(Calibration.none(), Parameters.of(Map.of("reference-ellipse", "40,40,0", "reference-roi", "0:1,0:1")), nav))).parameter());
        // an indefinite reference form
        float[] neg = one.clone();
        neg[0] = -1e-3f;
        MapSet ind = MapSet.of(DataMap.of("ring/q11", nav, neg, Unit.PIXEL, ""), DataMap.of("ring/q12", nav, one, Unit.PIXEL, ""),
                DataMap.of("ring/q22", nav, one, Unit.PIXEL, ""));
        assertEquals("reference-roi", assertThrows(InvalidParameterException.class,
                () -> d.derive(ind, new TestContext(Calibration.none(), Parameters.single("reference-roi", "0:1,0:1"), nav))).parameter());
        assertFalse(d.parameters().isEmpty());
    }

    @Test
    void sym2SquareRootIsExact() {
        double[] m = tensor(0.3, -0.2, 33, 1.1);
        double[] r = new double[3];
        assertTrue(Sym2.sqrt(m[0], m[1], m[2], r));
        double[] back = sym(mul(r, r));
        for (int k = 0; k < 3; k++) assertEquals(m[k], back[k], 1e-14);
        assertTrue(Sym2.inverseSqrt(m[0], m[1], m[2], r));
        double[] id = sym3(r, m, r);
        assertEquals(1, id[0], 1e-14);
        assertEquals(0, id[1], 1e-14);
        assertEquals(1, id[2], 1e-14);
        assertFalse(Sym2.sqrt(1, 2, 1, r));
        assertFalse(Sym2.sqrt(Double.NaN, 0, 1, r));
    }
}
