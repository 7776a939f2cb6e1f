package org.ltz4d.amorphous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.analysis.BufferSpec;
import org.ltz4d.api.analysis.Plan;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.simulator.Descan;
import org.ltz4d.simulator.FrameTruth;
import org.ltz4d.simulator.MagneticField;
import org.ltz4d.simulator.SimulationSpec;
import org.ltz4d.simulator.Simulator;
import org.ltz4d.simulator.StrainField;

class FitterDetailsTest {

    @Test
    void noiseFreeFrameIsRecoveredExactlyFromAPerturbedSeed() {
        // checks the analytic Jacobian, the interpolated exponentials and the solver against the model
        SimulationSpec spec = SimulationSpec.builder().scan(1, 1).dose(2e6).distortion(0.01, 30)
                .strainField(StrainField.uniaxial(0.015, 70, 0.3)).build();
        FrameTruth t = Simulator.truth(spec, 0, 0);
        float[] f = new float[192 * 192];
        Simulator.frame(spec, 0, 0, f);
        var p = t.pattern();
        RingSolver s = new RingSolver(192, 192, p.decay(), 15, Double.POSITIVE_INFINITY);
        double[] truth = {p.cx(), p.cy(), p.q11(), p.q12(), p.q22(), p.width(), p.amplitude(), p.background(), p.pedestal()};
        double[] seed = {p.cx() + 0.7, p.cy() - 0.5, p.q11() * 1.02, p.q12() + 0.01 * p.q11(), p.q22() * 0.99, p.width() * 1.1,
                p.amplitude() * 0.9, p.background() * 1.1, p.pedestal() + 1};
        System.arraycopy(seed, 0, s.th, 0, 9);
        int status = s.fit(f, 0, 20, true, false, 0, 1e-10);
        assertEquals(RingSolver.OK, status);
        assertEquals(truth[0], s.th[0], 1e-5);
        assertEquals(truth[1], s.th[1], 1e-5);
        for (int k = 2; k < 9; k++) assertEquals(truth[k], s.th[k], 1e-5 * Math.abs(truth[k]) + 1e-9, "parameter " + k);
        assertTrue(s.chi2 < 1e-6, "chi2 of a noise-free fit " + s.chi2);
        // the slow reference fit (with the decay free) agrees
        double[] img = new double[f.length];
        for (int i = 0; i < f.length; i++) img[i] = f[i];
        double[] th10 = java.util.Arrays.copyOf(seed, 10);
        th10[9] = p.decay() * 1.2;
        double[] r = SetupFit.fit(img, 192, 192, th10, 15, 2, true);
        assertEquals(truth[0], r[0], 1e-4);
        assertEquals(p.decay(), r[9], 1e-4 * p.decay());
    }

    @Test
    void setupFindsTheRingAndItsWidthWithoutHints() {
        SimulationSpec spec = SimulationSpec.builder().scan(3, 3).detector(160, 200).ring(42, 4).backgroundDecayPx(25)
                .dose(5e5).descan(Descan.typical(5)).centerOffset(6, -4).seed(2).build();
        Harness.MemoryDataset ds = Harness.MemoryDataset.of(spec, false);
        RingSetup su = RingSetup.compute(ds, Parameters.empty());
        assertEquals(42, su.radius, 1.0);
        assertEquals(4.0 / 42, su.widthRel, 0.1 * 4.0 / 42);
        assertEquals(25.0 / 42, su.decay, 0.1 * 25.0 / 42);
        assertEquals(12, su.halfWidthPx, 1.5);
        Map<String, float[]> m = Harness.run(ds, Parameters.empty(), 1, new BeamFitter(), new RingFitter());
        for (int i = 0; i < 9; i++) {
            FrameTruth t = Simulator.truth(spec, i / 3, i % 3);
            assertEquals(0f, m.get("fit/mask")[i]);
            assertEquals(t.ringCenterX(), m.get("ring/center_x")[i], 0.15);
            assertEquals(t.beamCenterY(), m.get("beam/center_y")[i], 0.1);
            assertEquals(1.0, m.get("fit/chi2_reduced")[i], 0.1);
            assertEquals(4.0, m.get("ring/width")[i], 0.3);
        }
    }

    @Test
    void beamCentreIsPreciseOnSampleAndVacuum() {
        SimulationSpec spec = SimulationSpec.builder().scan(6, 8).dose(1.5e5).descan(Descan.typical(6))
                .magneticField(MagneticField.vortex(1.5, 0.2)).seed(8).build();
        Map<String, float[]> s = Harness.run(Harness.MemoryDataset.of(spec, false), Parameters.empty(), 2, new BeamFitter());
        Map<String, float[]> v = Harness.run(Harness.MemoryDataset.of(spec, true), Parameters.empty(), 2, new BeamFitter());
        double es = 0, ev = 0;
        for (int i = 0; i < 48; i++) {
            FrameTruth t = Simulator.truth(spec, i / 8, i % 8);
            es += sq(s.get("beam/center_x")[i] - t.beamCenterX()) + sq(s.get("beam/center_y")[i] - t.beamCenterY());
            ev += sq(v.get("beam/center_x")[i] - t.vacuumCenterX()) + sq(v.get("beam/center_y")[i] - t.vacuumCenterY());
        }
        double rs = Math.sqrt(es / 96), rv = Math.sqrt(ev / 96);
        System.out.printf("beam centre RMS error at 1.5e5: sample %.4f px, vacuum %.4f px%n", rs, rv);
        assertTrue(rs < 0.03, "sample beam RMS " + rs);
        assertTrue(rv < 0.015, "vacuum beam RMS " + rv);
    }

    @Test
    void ringAloneFindsTheBeamItself() {
        SimulationSpec spec = SimulationSpec.builder().scan(4, 6).dose(2e6).descan(Descan.typical(6))
                .magneticField(MagneticField.vortex(1.5, 0.2)).seed(13).build();
        Harness.MemoryDataset ds = Harness.MemoryDataset.of(spec, false);
        Map<String, float[]> alone = Harness.run(ds, Parameters.empty(), 2, 5, new RingFitter());
        Map<String, float[]> both = Harness.run(ds, Parameters.empty(), 2, 5, new BeamFitter(), new RingFitter());
        double se = 0;
        for (int i = 0; i < 24; i++) {
            FrameTruth t = Simulator.truth(spec, i / 6, i % 6);
            assertEquals(0f, alone.get("fit/mask")[i]);
            se += sq(alone.get("ring/center_y")[i] - t.ringCenterY());
            assertEquals(both.get("ring/center_y")[i], alone.get("ring/center_y")[i], 0.01);
        }
        assertTrue(Math.sqrt(se / 24) < 0.03, "RMS " + Math.sqrt(se / 24));
    }

    private static double sq(double v) {
        return v * v;
    }

    @Test
    void buffersAndParametersAreDeclaredAsContracted() {
        RingFitter r = new RingFitter();
        List<BufferSpec> b = r.buffers(null);
        assertEquals(RingFitter.OUTPUTS, b.stream().map(BufferSpec::name).toList());
        assertTrue(b.stream().allMatch(x -> x.kind() == BufferSpec.Kind.NAV && x.length() == 1));
        assertEquals(List.of("beam/center_x", "beam/center_y"), new BeamFitter().buffers(null).stream().map(BufferSpec::name).toList());
        assertTrue(r.parameters().stream().anyMatch(p -> p.name().equals("ring-radius-px")));
        assertTrue(r.parameters().stream().anyMatch(p -> p.name().equals("ring-halfwidth-px")));
        for (ParameterSpec ps : r.parameters()) if (ps.defaultValue() != null) ps.check(ps.defaultValue());
    }

    @Test
    void pipelinePlansAndThePdfSwitch() {
        AmorphousPipeline p = new AmorphousPipeline();
        assertEquals("amorphous", p.name());
        Plan plain = p.plan(Parameters.empty());
        assertEquals(List.of(List.of("beam", "ring")), plain.passes());
        assertEquals(List.of("strain", "density"), plain.derivers(), "no reference, no B");
        assertEquals(List.of("figures"), plain.correlators());
        assertEquals(List.of("magnetic", "strain", "density"), p.plan(Parameters.single("descan", "plane")).derivers());
        assertEquals(List.of("ring fit", "B", "strain and density", "S(q)/PDF"), p.stages().stream().map(s -> s.name()).toList());
        assertTrue(p.stages().get(1).announced(), "B is expected: a run without a reference says it skipped B");
        Plan pdf = p.plan(Parameters.of(Map.of("pdf", "true", "vacuum", "v.npy")));
        assertEquals(List.of(List.of("beam", "ring", "sq")), pdf.passes());
        assertEquals(List.of("magnetic", "strain", "density", "pdf"), pdf.derivers());
        assertEquals(ParameterSpec.Type.BOOLEAN, p.parameters().get(0).type());
        assertEquals("pdf", p.parameters().get(0).name());
    }
}
