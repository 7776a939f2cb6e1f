package org.ltz4d.pdf;

import org.ltz4d.scattering.ScatteringFactors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.Ltz4dException;
import org.ltz4d.api.error.MissingCalibrationException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.param.Parameters;

/** The fitter's contract: failed ring fits give NaN, the ring fitter is required, masks work, errors are typed. */
class SqFitterContractTest {
    static final int DET = 96;
    static final double S_PX = 14.0 / (2 * Math.PI * 44);

    @TempDir
    Path tmp;

    /** A synthetic amorphous-like pattern: I(q) = N f²(q)·(1 + damped oscillation) + background. */
    static float[] pattern(double cx, double cy) {
        ScatteringFactors sf = ScatteringFactors.of(ScatteringFactors.Kind.LOBATO);
        float[] out = new float[DET * DET];
        for (int y = 0; y < DET; y++) {
            for (int x = 0; x < DET; x++) {
                double q = 2 * Math.PI * S_PX * Math.hypot(x - cx, y - cy);
                double f = sf.fq("Fe", q);
                double s = 1 + Math.sin(2.5 * q) * Math.exp(-0.35 * q) * 2.5 / Math.max(q, 0.3);
                out[y * DET + x] = (float) (300 * f * f * s + 5);
            }
        }
        return out;
    }

    Doubles.Ctx ctx(Map<String, String> extra, boolean ring) {
        Map<String, String> p = new HashMap<>(Map.of("composition", "Fe", "q-min", "1.5", "number-density", "0.085"));
        p.putAll(extra);
        Calibration cal = Calibration.builder().detectorPixelInverseAngstrom(S_PX).build();
        return new Doubles.Ctx(cal, Parameters.of(p), Shape.of(1, 1), Shape.of(DET, DET), ring);
    }

    float[] runOne(Doubles.Ctx c, float[] data, float cx, float cy, float q11, float q12, float q22) {
        return runOne(c, data, cx, cy, q11, q12, q22, 0f);
    }

    float[] runOne(Doubles.Ctx c, float[] data, float cx, float cy, float q11, float q12, float q22, float flagged) {
        SqFitter f = new SqFitter();
        int n = c.layout(f.buffers(c));
        var proc = f.processor(c);
        Doubles.Frm fr = new Doubles.Frm();
        fr.w = DET;
        fr.h = DET;
        fr.data = data;
        fr.ring = new float[] {cx, cy, q11, q12, q22, flagged};
        Doubles.Out out = new Doubles.Out(n);
        proc.process(fr, out);
        return out.v;
    }

    @Test
    void aFailedRingFitGivesNaNEverywhere() {
        Doubles.Ctx c = ctx(Map.of(), true);
        float[] v = runOne(c, pattern(48, 48), Float.NaN, 48, 0.004f, 0, 0.004f);
        for (float x : v) assertTrue(Float.isNaN(x));
        float[] w = runOne(c, pattern(48, 48), 48, 48, 0.004f, 0.01f, 0.004f); // not positive definite
        for (float x : w) assertTrue(Float.isNaN(x));
        float[] flagged = runOne(c, pattern(48, 48), 48, 48, 0.004f, 0, 0.004f, 1f); // fit/mask = 1
        for (float x : flagged) assertTrue(Float.isNaN(x));
        float[] ok = runOne(c, pattern(48, 48), 48, 48, 0.004f, 0, 0.004f);
        assertFalse(Float.isNaN(ok[c.slot("pdf/r_first_peak")]));
        // the S(q) of the synthetic pattern: S − 1 = 2.5·sin(2.5q)·e^(−0.35q)/q, so check a value exactly
        PdfSetup s = new SqFitter().pdfSetup(c);
        int k = (int) Math.round(3.5 / s.dq);
        double q = s.q[k];
        double expected = 1 + Math.sin(2.5 * q) * Math.exp(-0.35 * q) * 2.5 / q;
        assertEquals(expected, ok[c.slot("sq/S") + k], 0.03, "S(q) at q = " + q);
    }

    @Test
    void kirklandFactorsGiveTheSamePeaks() {
        Doubles.Ctx lob = ctx(Map.of(), true);
        Doubles.Ctx kir = ctx(Map.of("scattering", "kirkland"), true);
        float[] a = runOne(lob, pattern(48, 48), 48, 48, 0.004f, 0, 0.004f);
        float[] b = runOne(kir, pattern(48, 48), 48, 48, 0.004f, 0, 0.004f);
        int r1 = lob.slot("pdf/r_first_peak");
        int q1 = lob.slot("sq/q_first_peak");
        // the pattern is made with Lobato f_e; Kirkland's differ by ≲ 1 % for Fe (PROVENANCE.md §3)
        assertEquals(a[r1], b[r1], 0.01, "r1 with Kirkland vs Lobato");
        assertEquals(a[q1], b[q1], 0.01, "q1 with Kirkland vs Lobato");
        assertTrue(a[lob.slot("sq/N")] != b[lob.slot("sq/N")], "the two tables are really used");
    }

    @Test
    void halfPixelBinsGiveTheSamePeaksOnAFinerGrid() {
        Doubles.Ctx one = ctx(Map.of(), true);
        Doubles.Ctx half = ctx(Map.of("sq-bin-px", "0.5"), true);
        float[] a = runOne(one, pattern(47.6, 48.3), 47.6f, 48.3f, 0.004f, 0, 0.004f);
        float[] b = runOne(half, pattern(47.6, 48.3), 47.6f, 48.3f, 0.004f, 0, 0.004f);
        PdfSetup s1 = new SqFitter().pdfSetup(one);
        PdfSetup s2 = new SqFitter().pdfSetup(half);
        assertEquals(2 * (s1.nq - 1), s2.nq - 1, 1, "twice the bins up to the same q-max");
        assertEquals(s1.dq / 2, s2.dq, 1e-12);
        assertEquals(a[one.slot("pdf/r_first_peak")], b[half.slot("pdf/r_first_peak")], 0.01, "r1");
        assertEquals(a[one.slot("sq/q_first_peak")], b[half.slot("sq/q_first_peak")], 0.02, "q1");
    }

    @Test
    void theRingFitterIsRequired() {
        Doubles.Ctx c = ctx(Map.of(), false);
        SqFitter f = new SqFitter();
        c.layout(f.buffers(c));
        Ltz4dException e = assertThrows(Ltz4dException.class, () -> f.processor(c));
        assertTrue(e.getMessage().contains("ring/center_x"), e.getMessage());
    }

    @Test
    void maskedHotPixelsAreLeftOut() throws IOException {
        float[] clean = pattern(47.3, 48.6);
        float[] hot = clean.clone();
        Path npy = writeMask(hotPixels(hot, 60, 3), DET, DET);
        Doubles.Ctx plain = ctx(Map.of("sq-clip-sigma", "0"), true);
        Doubles.Ctx masked = ctx(Map.of("mask", npy.toString(), "sq-clip-sigma", "0"), true);
        Doubles.Ctx clipped = ctx(Map.of(), true); // default sq-clip-sigma 5, no mask
        float[] a = runOne(plain, clean, 47.3f, 48.6f, 0.004f, 0, 0.004f);
        float[] b = runOne(masked, hot, 47.3f, 48.6f, 0.004f, 0, 0.004f);
        float[] h = runOne(plain, hot, 47.3f, 48.6f, 0.004f, 0, 0.004f);
        float[] k = runOne(clipped, hot, 47.3f, 48.6f, 0.004f, 0, 0.004f);
        int r1 = plain.slot("pdf/r_first_peak");
        System.out.printf("hot pixels: r1 clean %.4f, masked %.4f, unmasked %.4f, clipped %.4f; G1 %.3f %.3f %.3f %.3f%n", a[r1], b[r1],
                h[r1], k[r1], a[r1 + 1], b[r1 + 1], h[r1 + 1], k[r1 + 1]);
        assertEquals(a[r1], b[r1], 0.002, "masked hot pixels must not move the first peak");
        assertEquals(a[r1], k[r1], 0.002, "hot pixels found by the outlier clipping must not move the first peak");
        assertEquals(a[r1 + 1], k[r1 + 1], 0.01 * a[r1 + 1], "… nor change its height");
        assertFalse(Math.abs(h[r1] - a[r1]) <= 0.002 && Math.abs(h[r1 + 1] - a[r1 + 1]) <= 0.05,
                "unmasked, unclipped hot pixels do change the result (control)");
        Path wrong = writeMask(new boolean[10 * 12], 10, 12);
        assertThrows(ShapeMismatchException.class, () -> new SqFitter().buffers(ctx(Map.of("mask", wrong.toString()), true)));
    }

    /**
     * Issue 14: the mask file is read in the set-up only (on the machine that starts the run). The
     * set-up, Java-serialised as Spark ships it, gives a fresh fitter on a machine without the file
     * bit for bit the same S(q), G(r) and peaks as the locally computed one.
     */
    @Test
    void theMaskFileIsReadInTheSetUpOnlyAndTheShippedSetUpGivesTheSameBits() throws Exception {
        float[] hot = pattern(47.3, 48.6);
        boolean[] mask = hotPixels(hot, 40, 5);
        Path npy = writeMask(mask, DET, DET);
        Map<String, String> p = Map.of("mask", npy.toString(), "sq-clip-sigma", "0");
        Doubles.Ctx driver = ctx(p, true);
        SqFitter f = new SqFitter();
        driver.setup = f.setup(driver);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {DET, DET}, driver.setup.values(SqFitter.S_DETECTOR));
        int masked = 0;
        for (boolean m : mask) masked += m ? 1 : 0;
        assertEquals(masked, driver.setup.values(SqFitter.S_MASKED).length, "the masked pixels, by index");
        float[] local = runOne(driver, hot, 47.3f, 48.6f, 0.004f, 0, 0.004f);
        float[] harness = runOne(ctx(p, true), hot, 47.3f, 48.6f, 0.004f, 0, 0.004f); // no set-up given: the fitter reads the file itself
        // the executor: the file is not there, the set-up comes through Java serialisation
        org.ltz4d.api.analysis.FitSetup travelled = org.ltz4d.io.testing.Shipping.ship(driver.setup);
        Files.delete(npy);
        Doubles.Ctx executor = ctx(p, true);
        executor.setup = travelled;
        float[] shipped = runOne(executor, hot, 47.3f, 48.6f, 0.004f, 0, 0.004f);
        assertEquals(local.length, shipped.length);
        for (int i = 0; i < local.length; i++) {
            assertEquals(Float.floatToRawIntBits(local[i]), Float.floatToRawIntBits(shipped[i]), "value " + i + " bit for bit");
            assertEquals(Float.floatToRawIntBits(local[i]), Float.floatToRawIntBits(harness[i]), "value " + i + " as the fitter's own set-up");
        }
        assertFalse(Float.isNaN(local[driver.slot("pdf/r_first_peak")]), "a real result");
        // without the set-up the missing file is named, as before
        assertEquals("mask", assertThrows(InvalidParameterException.class, () -> new SqFitter().buffers(ctx(p, true))).parameter());
        // a set-up of another detector is a typed error
        Doubles.Ctx other = ctx(Map.of(), true);
        other.setup = org.ltz4d.api.analysis.FitSetup.builder().put(SqFitter.S_DETECTOR, DET, DET + 1).put(SqFitter.S_MASKED, new int[0]).build();
        assertThrows(ShapeMismatchException.class, () -> new SqFitter().buffers(other));
    }

    @Test
    void badParametersAndMissingCalibrationAreTyped() {
        assertEquals("q-max", assertThrows(InvalidParameterException.class,
                () -> new SqFitter().buffers(ctx(Map.of("q-max", "1000"), true))).parameter());
        assertEquals("q-min", assertThrows(InvalidParameterException.class,
                () -> new SqFitter().buffers(ctx(Map.of("q-min", "13.9"), true))).parameter());
        assertEquals("sq-clip-sigma", assertThrows(InvalidParameterException.class,
                () -> new SqFitter().buffers(ctx(Map.of("sq-clip-sigma", "-1"), true))).parameter());
        assertEquals("composition", assertThrows(InvalidParameterException.class,
                () -> new SqFitter().buffers(ctx(Map.of("composition", "Qq12"), true))).parameter());
        Doubles.Ctx noCal = new Doubles.Ctx(Calibration.none(), Parameters.of(Map.of("composition", "Fe")), Shape.of(1, 1), Shape.of(DET, DET), true);
        assertThrows(MissingCalibrationException.class, () -> new SqFitter().buffers(noCal));
    }

    /** Makes {@code n} random pixels of {@code pattern} hot; returns them as a mask. */
    static boolean[] hotPixels(float[] pattern, int n, long seed) {
        boolean[] mask = new boolean[DET * DET];
        java.util.Random rnd = new java.util.Random(seed);
        for (int i = 0; i < n; i++) {
            int p = rnd.nextInt(DET * DET);
            pattern[p] = 2e4f;
            mask[p] = true;
        }
        return mask;
    }

    Path writeMask(boolean[] m, int rows, int cols) throws IOException {
        String dict = "{'descr': '|b1', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        StringBuilder h = new StringBuilder(dict);
        for (int i = 0; i < pad; i++) h.append(' ');
        h.append('\n');
        byte[] hb = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + hb.length + m.length];
        out[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.ISO_8859_1), 0, out, 1, 5);
        out[6] = 1;
        out[7] = 0;
        out[8] = (byte) (hb.length & 0xff);
        out[9] = (byte) (hb.length >> 8);
        System.arraycopy(hb, 0, out, 10, hb.length);
        for (int i = 0; i < m.length; i++) out[10 + hb.length + i] = (byte) (m[i] ? 1 : 0);
        Path p = Files.createTempFile(tmp, "mask", ".npy");
        Files.write(p, out);
        return p;
    }
}
