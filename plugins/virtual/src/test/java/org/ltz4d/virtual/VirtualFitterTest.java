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

    record Ctx(Dataset dataset, Parameters parameters) implements FitContext {
        @Override public Calibration calibration() { return dataset.calibration(); }
        @Override public int slot(String name) { return name.equals(VirtualFitter.BF) ? 0 : name.equals(VirtualFitter.ADF) ? 1 : 2; }
        @Override public OptionalInt upstreamSlot(String name) { return OptionalInt.empty(); }
        @Override public Optional<DataMap> previous(String name) { return Optional.empty(); }
    }

    static final class Out implements FitOutput {
        final float[] v = new float[3];
        @Override public void set(int slot, float value) { v[slot] = value; }
        @Override public double[] partial(int buffer) { throw new UnsupportedOperationException(); }
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
        Ctx ctx = new Ctx(ds, Parameters.empty());
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
        // one geometry per run and parameters
        assertTrue(g == f.geometry(ctx));
        // a wrong frame shape is a typed error
        assertThrows(ShapeMismatchException.class, () -> p.process(new F(0, 0, 0, rows - 1, cols, frame, 0), o));
    }

    @Test
    void givenRadiiOverrideAndNonsenseIsRejected() {
        Dataset ds = Simulator.dataset(spec());
        VirtualFitter f = new VirtualFitter();
        Map<String, String> m = new HashMap<>(Map.of("virtual-bf-px", "5", "virtual-adf-px", "20,40", "virtual-ring-px", "50,60"));
        Geometry g = f.geometry(new Ctx(ds, Parameters.of(m)));
        assertArrayEquals(new double[] {5, 20, 40, 50, 60}, new double[] {g.bfOuter, g.adfInner, g.adfOuter, g.ringInner, g.ringOuter});
        assertEquals((int) Math.round(Math.PI * 25), Geometry.pixels(g.bf), 6);
        assertThrows(InvalidParameterException.class, () -> f.geometry(new Ctx(ds, Parameters.single("virtual-ring-px", "60,50"))));
        assertThrows(InvalidParameterException.class, () -> f.geometry(new Ctx(ds, Parameters.single("virtual-adf-px", "20"))));
    }

    @Test
    void thePipelineIsOnePassOfTheVirtualFitterAndTheFigures() {
        Plan plan = new VirtualPipeline().plan(Parameters.empty());
        assertEquals(java.util.List.of(java.util.List.of("virtual")), plan.passes());
        assertEquals(java.util.List.of("figures"), plan.correlators());
        assertFalse(new VirtualPipeline().description().isBlank());
    }
}
