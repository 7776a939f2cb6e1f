package org.ltz4d.virtual;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.FitContext;
import org.ltz4d.api.analysis.FitOutput;
import org.ltz4d.api.analysis.FitSetup;
import org.ltz4d.api.analysis.Frame;
import org.ltz4d.api.analysis.FrameProcessor;
import org.ltz4d.api.analysis.Plan;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.simulator.FrameTruth;
import org.ltz4d.simulator.SimulationSpec;
import org.ltz4d.simulator.Simulator;

/**
 * The virtual detectors on a simulated glass scan with a vacuum hole: placed on the simulated
 * direct beam and first ring from the mean pattern, sums equal to a brute-force sum over the
 * pixels of each annulus, the hole bright in BF and dark in ADF and ring, radii recorded in px and
 * mrad.
 */
class VirtualFitterTest {

    static SimulationSpec spec() {
        return SimulationSpec.builder().pattern(SimulationSpec.Pattern.GLASS).scan(8, 12).dose(2e5).hole(true).seed(3).build();
    }

    /** A run's context as the engine gives it: the set-up computed once (NONE: a harness without one). */
    record Ctx(Dataset dataset, Parameters parameters, FitSetup setup) implements FitContext {
        Ctx(Dataset dataset, Parameters parameters) {
            this(dataset, parameters, FitSetup.NONE);
        }

        /** With the fitter's set-up computed once, as the engine does before buffers and processors. */
        static Ctx run(VirtualFitter f, Dataset dataset, Parameters parameters) {
            return new Ctx(dataset, parameters, f.setup(new Ctx(dataset, parameters)));
        }

        @Override public Calibration calibration() { return dataset.calibration(); }
        @Override public int slot(String name) {
            return java.util.List.of(VirtualFitter.BF, VirtualFitter.ADF, VirtualFitter.RING, VirtualFitter.COM_X, VirtualFitter.COM_Y,
                    VirtualFitter.MASK).indexOf(name);
        }
        @Override public OptionalInt upstreamSlot(String name) { return OptionalInt.empty(); }
        @Override public Optional<DataMap> previous(String name) { return Optional.empty(); }
    }

    static final class Out implements FitOutput {
        final float[] v = new float[6];
        double[] sum;
        @Override public void set(int slot, float value) { v[slot] = value; }
        @Override public double[] partial(int buffer) {
            if (sum == null) throw new UnsupportedOperationException();
            return sum;
        }
    }

    record F(long index, int scanY, int scanX, int height, int width, float[] data, int offset) implements Frame {
        @Override public float upstream(int slot) { return Float.NaN; }
    }

    /** Brute force: Σ over the pixels whose centre lies at inner ≤ r &lt; outer. */
    static double brute(float[] d, int rows, int cols, double cx, double cy, double inner, double outer) {
        double s = 0;
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) {
            double rr = Math.hypot(c - cx, r - cy);
            if (rr >= inner && rr < outer) s += d[r * cols + c];
        }
        return s;
    }

    @Test
    void detectorsSitOnTheBeamAndRingAndSumTheirPixels() {
        SimulationSpec spec = spec();
        Dataset ds = Simulator.dataset(spec);
        VirtualFitter f = new VirtualFitter();
        Ctx ctx = Ctx.run(f, ds, Parameters.empty());
        Geometry g = f.geometry(ctx);
        // the mean pattern's beam: the simulated pattern centre moved by the mean descan (under a pixel here)
        assertEquals(spec.patternCenterX(), g.cx, 1.0);
        assertEquals(spec.patternCenterY(), g.cy, 1.0);
        assertEquals(spec.beamRadiusPx(), g.beamRadius, 1.5);
        assertEquals(spec.ringRadiusPx(), g.ringRadius, 2.5);
        assertTrue(g.ringInner < spec.ringRadiusPx() && g.ringOuter > spec.ringRadiusPx(), g.ringInner + " " + g.ringOuter);
        assertTrue(g.adfInner > g.bfOuter && g.bfOuter > spec.beamRadiusPx());
        int rows = spec.detY(), cols = spec.detX(), n = (int) spec.frameCount();
        FrameProcessor p = f.processor(ctx);
        float[] frame = new float[rows * cols];
        Out o = new Out();
        double bfHole = 0, bfOn = 0, adfHole = 0, adfOn = 0, ringHole = 0, ringOn = 0;
        int nh = 0, no = 0;
        for (int i = 0; i < n; i++) {
            ds.readFrames(i, 1, frame, 0);
            p.process(new F(i, i / spec.scanX(), i % spec.scanX(), rows, cols, frame, 0), o);
            double[] want = {brute(frame, rows, cols, g.cx, g.cy, 0, g.bfOuter), brute(frame, rows, cols, g.cx, g.cy, g.adfInner, g.adfOuter),
                    brute(frame, rows, cols, g.cx, g.cy, g.ringInner, g.ringOuter)};
            for (int k = 0; k < 3; k++) assertEquals(want[k], o.v[k], 1e-5 * want[k] + 1e-3, "detector " + k + " at " + i);
            FrameTruth t = Simulator.truth(spec, i / spec.scanX(), i % spec.scanX());
            if (t.sample() == 1) {
                bfOn += o.v[0];
                adfOn += o.v[1];
                ringOn += o.v[2];
                no++;
            } else {
                bfHole += o.v[0];
                adfHole += o.v[1];
                ringHole += o.v[2];
                nh++;
            }
        }
        assertTrue(nh > 0 && no > 0, "hole " + nh + ", sample " + no);
        assertTrue(bfHole / nh > 1.2 * bfOn / no, "BF brighter in the hole: " + bfHole / nh + " vs " + bfOn / no);
        assertTrue(adfHole / nh < 0.2 * adfOn / no, "ADF dark in the hole: " + adfHole / nh + " vs " + adfOn / no);
        assertTrue(ringHole / nh < 0.2 * ringOn / no, "ring dark in the hole: " + ringHole / nh + " vs " + ringOn / no);
        // radii as attributes, in px and (the simulation is calibrated) mrad
        Map<String, Map<String, Object>> at = f.attributes(ctx);
        double mrad = ds.calibration().requireMradPerPixel("test");
        assertEquals(g.ringOuter, (double) at.get(VirtualFitter.RING).get("outer_radius_px"), 0);
        assertEquals(g.ringOuter * mrad, (double) at.get(VirtualFitter.RING).get("outer_radius_mrad"), 1e-12);
        assertEquals(g.bfOuter * mrad, (double) at.get(VirtualFitter.BF).get("outer_radius_mrad"), 1e-12);
        assertEquals(g.adfInner, (double) at.get(VirtualFitter.ADF).get("inner_radius_px"), 0);
        // one geometry per set-up
        assertTrue(g == f.geometry(ctx));
        // a wrong frame shape is a typed error
        assertThrows(ShapeMismatchException.class, () -> p.process(new F(0, 0, 0, rows - 1, cols, frame, 0), o));
    }

    /** Brute force: Σ over the pixels whose centre lies inside the polygon (even-odd ray casting, any ray). */
    static double bruteInside(float[] d, int rows, int cols, double[] poly) {
        double s = 0;
        int nv = poly.length / 2;
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) {
            boolean in = false;
            for (int i = 0, j = nv - 1; i < nv; j = i++) {
                double xi = poly[2 * i], yi = poly[2 * i + 1], xj = poly[2 * j], yj = poly[2 * j + 1];
                if ((yi > r) != (yj > r) && c < xi + (r - yi) * (xj - xi) / (yj - yi)) in = !in;
            }
            if (in) s += d[r * cols + c];
        }
        return s;
    }

    @Test
    void centreOfMassPolygonMaskAndSumPatternAgainstBruteForce() {
        SimulationSpec spec = spec();
        Dataset ds = Simulator.dataset(spec);
        int rows = spec.detY(), cols = spec.detX(), n = (int) spec.frameCount();
        // a concave polygon (an L) with vertices off the pixel grid, and a given centre
        double[] poly = {10.3, 12.7, 70.2, 12.7, 70.2, 30.5, 30.6, 30.5, 30.6, 80.1, 10.3, 80.1};
        StringBuilder ps = new StringBuilder();
        for (double v : poly) ps.append(ps.length() > 0 ? "," : "").append(v);
        Map<String, String> m = Map.of("virtual-mask-polygon", ps.toString(), "virtual-centre-px", "40.25,41.5", "virtual-sum-pattern", "true");
        VirtualFitter f = new VirtualFitter();
        Ctx ctx = Ctx.run(f, ds, Parameters.of(m));
        Geometry g = f.geometry(ctx);
        assertEquals(40.25, g.cx, 0);
        assertEquals(41.5, g.cy, 0);
        assertTrue(f.buffers(ctx).stream().anyMatch(b -> b.name().equals(VirtualFitter.MASK)));
        assertEquals(VirtualFitter.SUM_PATTERN, f.buffers(ctx).get(6).name(), "the sum pattern is buffer 6 (after the mask)");
        FrameProcessor p = f.processor(ctx);
        float[] frame = new float[rows * cols];
        Out o = new Out();
        o.sum = new double[rows * cols];
        double[] want = new double[rows * cols];
        for (int i = 0; i < n; i++) {
            ds.readFrames(i, 1, frame, 0);
            p.process(new F(i, i / spec.scanX(), i % spec.scanX(), rows, cols, frame, 0), o);
            double s = 0, sx = 0, sy = 0;
            for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) {
                double v = frame[r * cols + c];
                s += v;
                sx += v * c;
                sy += v * r;
                want[r * cols + c] += v;
            }
            assertEquals(sx / s - 40.25, o.v[3], 2e-3, "com x at " + i);
            assertEquals(sy / s - 41.5, o.v[4], 2e-3, "com y at " + i);
            double in = bruteInside(frame, rows, cols, poly);
            assertEquals(in, o.v[5], 1e-5 * in + 1e-3, "polygon at " + i);
        }
        for (int k = 0; k < want.length; k++) assertEquals(want[k], o.sum[k], 1e-6 * want[k] + 1e-6, "sum pattern at " + k);
        // a single bright pixel: the centre of mass is its position from the centre
        java.util.Arrays.fill(frame, 0);
        frame[17 * cols + 53] = 1000;
        p.process(new F(0, 0, 0, rows, cols, frame, 0), o);
        assertEquals(53 - 40.25, o.v[3], 1e-4);
        assertEquals(17 - 41.5, o.v[4], 1e-4);
        // an empty frame has no centre of mass
        frame[17 * cols + 53] = 0;
        p.process(new F(0, 0, 0, rows, cols, frame, 0), o);
        assertTrue(Float.isNaN(o.v[3]) && Float.isNaN(o.v[4]));
        Map<String, Map<String, Object>> at = f.attributes(ctx);
        assertEquals(ds.calibration().requireMradPerPixel("test"), (double) at.get(VirtualFitter.COM_X).get("mrad_per_px"), 1e-12);
        assertTrue(at.containsKey(VirtualFitter.MASK));
        assertThrows(InvalidParameterException.class, () -> f.setup(new Ctx(ds, Parameters.single("virtual-mask-polygon", "1,2,3,4"))));
        assertThrows(InvalidParameterException.class, () -> f.setup(new Ctx(ds, Parameters.single("virtual-centre-px", "1"))));
    }

    @Test
    void givenRadiiOverrideAndNonsenseIsRejected() {
        Dataset ds = Simulator.dataset(spec());
        VirtualFitter f = new VirtualFitter();
        Map<String, String> m = new HashMap<>(Map.of("virtual-bf-px", "5", "virtual-adf-px", "20,40", "virtual-ring-px", "50,60"));
        Geometry g = f.geometry(Ctx.run(f, ds, Parameters.of(m)));
        assertArrayEquals(new double[] {5, 20, 40, 50, 60}, new double[] {g.bfOuter, g.adfInner, g.adfOuter, g.ringInner, g.ringOuter});
        assertEquals((int) Math.round(Math.PI * 25), Geometry.pixels(g.bf), 6);
        assertThrows(InvalidParameterException.class, () -> f.setup(new Ctx(ds, Parameters.single("virtual-ring-px", "60,50"))));
        assertThrows(InvalidParameterException.class, () -> f.setup(new Ctx(ds, Parameters.single("virtual-adf-px", "20"))));
    }

    @Test
    void thePipelineIsOnePassOfTheVirtualFitterAndTheFigures() {
        Plan plan = new VirtualPipeline().plan(Parameters.empty());
        assertEquals(java.util.List.of(java.util.List.of("virtual")), plan.passes());
        assertEquals(java.util.List.of("figures"), plan.correlators());
        assertFalse(new VirtualPipeline().description().isBlank());
    }
}
