package org.ltz4d.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.DType;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Shape;

/** Virtual detectors against sums done by hand on frames of known content. */
class VirtualImagesTest {
    static final int ROWS = 5, COLS = 7, DET = 33;

    /** Frame i: background i+1 everywhere, plus a spot of 1000 at (12 + i % 3, 20 - i % 5). */
    static float value(int i, int y, int x) {
        return (i + 1) + (y == 12 + i % 3 && x == 20 - i % 5 ? 1000f : 0f);
    }

    static Dataset synthetic(AtomicLong reads) {
        return new Dataset() {
            public Path source() { return Path.of("synthetic"); }
            public String format() { return "test"; }
            public Shape navShape() { return Shape.of(ROWS, COLS); }
            public Shape sigShape() { return Shape.of(DET, DET); }
            public DType dtype() { return DType.FLOAT32; }
            public Calibration calibration() { return Calibration.none(); }
            public int preferredBlockFrames() { return 4; }
            public void readFrames(long first, int count, float[] dest, int off) {
                reads.addAndGet(count);
                for (int f = 0; f < count; f++) {
                    for (int p = 0; p < DET * DET; p++) dest[off + f * DET * DET + p] = value((int) first + f, p / DET, p % DET);
                }
            }
            public void close() { }
        };
    }

    @Test
    void sumsAndCentreOfMassMatchHandSums() {
        AtomicLong reads = new AtomicLong();
        VirtualImages.Geometry g = new VirtualImages.Geometry(16, 16, 5, 6, 12, 3, 4.5);
        AtomicLong done = new AtomicLong();
        VirtualImages.Result r = VirtualImages.compute(synthetic(reads), g, done);
        assertEquals(ROWS * COLS, done.get());
        assertEquals(ROWS * COLS, reads.get(), "every frame read exactly once");
        double[] meanExpected = new double[DET * DET];
        for (int i = 0; i < ROWS * COLS; i++) {
            double bf = 0, adf = 0, ring = 0, s = 0, sx = 0, sy = 0;
            for (int y = 0; y < DET; y++) {
                for (int x = 0; x < DET; x++) {
                    double v = value(i, y, x), rad = Math.hypot(x - 16, y - 16);
                    if (rad < 5) bf += v;
                    if (rad >= 6 && rad < 12) adf += v;
                    if (rad >= 3 && rad < 4.5) ring += v;
                    s += v;
                    sx += v * x;
                    sy += v * y;
                    meanExpected[y * DET + x] += v / (ROWS * COLS);
                }
            }
            assertEquals(bf, r.bf()[i], 1e-4 * bf, "bf " + i);
            assertEquals(adf, r.adf()[i], 1e-4 * adf, "adf " + i);
            assertEquals(ring, r.ring()[i], 1e-4 * ring, "ring " + i);
            assertEquals(sx / s - 16, r.comX()[i], 1e-4, "CoM x " + i + " (detector pixels)");
            assertEquals(sy / s - 16, r.comY()[i], 1e-4, "CoM y " + i + " (detector pixels)");
        }
        for (int p = 0; p < DET * DET; p++) assertEquals(meanExpected[p], r.mean()[p], 1e-3, "mean pattern pixel " + p);
        assertEquals(ROWS, r.rows());
        assertEquals(COLS, r.cols());
    }

    @Test
    void theGuessFindsABrightDiskAndItsRing() {
        Dataset ds = new Dataset() {
            public Path source() { return Path.of("disk"); }
            public String format() { return "test"; }
            public Shape navShape() { return Shape.of(2, 2); }
            public Shape sigShape() { return Shape.of(64, 64); }
            public DType dtype() { return DType.FLOAT32; }
            public Calibration calibration() { return Calibration.none(); }
            public void readFrames(long first, int count, float[] dest, int off) {
                for (int f = 0; f < count; f++) {
                    for (int p = 0; p < 64 * 64; p++) {
                        double r = Math.hypot(p % 64 - 30.0, p / 64 - 34.0);
                        dest[off + f * 4096 + p] = (float) ((r < 4 ? 500 : 0) + 20 * Math.exp(-Math.pow(r - 20, 2) / 4));
                    }
                }
            }
            public void close() { }
        };
        VirtualImages.Geometry g = VirtualImages.guess(ds);
        assertEquals(30, g.cx(), 0.05, "beam centre x in detector pixels");
        assertEquals(34, g.cy(), 0.05, "beam centre y in detector pixels");
        assertTrue(g.ringInner() < 20 && g.ringOuter() > 20, "the ring band holds the ring at 20 px: " + g);
        assertTrue(g.bfRadius() >= 4 && g.bfRadius() < 10, "BF radius covers the 4 px disk: " + g);
    }

    @Test
    void nonsenseGeometryIsRefusedNamingTheParameter() {
        WebException e = assertThrows(WebException.class, () -> new VirtualImages.Geometry(1, 1, 2, 9, 3, 1, 2));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().startsWith("parameter 'adf-inner'"), e.getMessage());
        assertThrows(WebException.class, () -> new VirtualImages.Geometry(1, 1, -2, 1, 3, 1, 2));
    }
}
