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
        // checks the analytic Jacobian, the profile tables and the solver: a frame drawn from a
        // skewed, non-Gaussian profile deformed by a strained ellipse, fitted with that profile
        java.util.function.DoubleUnaryOperator f = rho -> 40 * Math.exp(-(rho - 1) / 0.6)
                + 60 * Math.exp(-Math.pow(rho - 1, 2) / (2 * Math.pow(rho < 1 ? 0.06 : 0.12, 2))) + 3;
        RadialProfile prof = RadialProfile.sampled(f, 0.3, 2.0, 0.005);
        double cx = 97.3, cy = 93.8, q11 = 1 / (55.0 * 55.0) * 1.02, q12 = 0.01 / (55.0 * 55.0), q22 = 1 / (55.0 * 55.0) * 0.985;
        double amp = 1.7, b0 = 2.5, b1 = -4, kappa = 1.5;
        // the reference form: the same ellipse unstrained; the envelope exp(κ·(ρ − ρ₀)) and the linear background stay on it
        double r11 = 1 / (55.0 * 55.0), r12 = 0.002 / (55.0 * 55.0), r22 = 1 / (55.0 * 55.0);
        float[] img = new float[192 * 192];
        for (int r = 0; r < 192; r++) {
            for (int c = 0; c < 192; c++) {
                double dx = c - cx, dy = r - cy, rho = Math.sqrt(q11 * dx * dx + 2 * q12 * dx * dy + q22 * dy * dy);
                double rho0 = Math.sqrt(r11 * dx * dx + 2 * r12 * dx * dy + r22 * dy * dy);
                img[r * 192 + c] = (float) (amp * Math.exp(kappa * (rho - rho0)) * f.applyAsDouble(rho) + b0 + b1 * (rho0 - 1));
            }
        }
        ProfileSolver s = new ProfileSolver(192, 192, prof, 0.75, 1.35, true, Double.POSITIVE_INFINITY);
        s.setReference(r11, r12, r22, kappa);
        double[] truth = {cx, cy, q11, q12, q22, amp, b0, b1};
        double[] seed = {cx + 0.7, cy - 0.5, q11 * 1.01, q12 + 0.005 * q11, q22 * 0.995, amp * 0.9, b0 + 1, 0};
        System.arraycopy(seed, 0, s.th, 0, 8);
        int status = s.fit(img, 0, 30, true, false, 0, 1e-12);
        assertEquals(ProfileSolver.OK, status);
        assertEquals(truth[0], s.th[0], 1e-4);
        assertEquals(truth[1], s.th[1], 1e-4);
        for (int k = 2; k < 8; k++) assertEquals(truth[k], s.th[k], 1e-5 * Math.abs(truth[k]) + 1e-4 * Math.abs(truth[2]) * (k < 5 ? 1 : 0) + (k >= 5 ? 1e-3 : 0), "parameter " + k);
        assertTrue(s.chi2 < 1e-4, "chi2 of a noise-free fit " + s.chi2);
    }

    @Test
    void setupFindsTheRingAndItsWidthWithoutHints() {
        SimulationSpec spec = SimulationSpec.builder().scan(3, 3).detector(160, 200).ring(42, 4).backgroundDecayPx(25)
                .dose(5e5).descan(Descan.typical(5)).centerOffset(6, -4).seed(2).build();
        Harness.MemoryDataset ds = Harness.MemoryDataset.of(spec, false);
        RingSetup su = Harness.ringSetup(ds, Parameters.empty());
        System.out.printf("setup: radius %.3f px, width %.3f px, annulus %.1f–%.1f px, noise scale %.3f%n", su.radius, su.widthPx,
                su.rhoIn * su.radius, su.rhoOut * su.radius, su.noiseScale);
        assertEquals(42, su.radius, 0.5);
        assertEquals(4.0, su.widthPx, 0.4);
        assertTrue(su.rhoIn * 42 < 42 - 7 && su.rhoOut * 42 > 42 + 10, "annulus holds both flanks");
        Map<String, float[]> m = Harness.run(ds, Parameters.empty(), 1, new BeamFitter(), new RingFitter());
        for (int i = 0; i < 9; i++) {
            FrameTruth t = Simulator.truth(spec, i / 3, i % 3);
            assertEquals(0f, m.get("fit/mask")[i]);
            assertEquals(t.ringCenterX(), m.get("ring/center_x")[i], 0.15);
            assertEquals(t.beamCenterY(), m.get("beam/center_y")[i], 0.1);
            assertEquals(1.0, m.get("fit/chi2_reduced")[i], 0.1);
            assertEquals(4.0, m.get("ring/width")[i], 0.4);
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
        assertEquals(List.of(List.of("beam", "ring", "virtual")), plain.passes());
        assertEquals(List.of("strain", "density"), plain.derivers(), "no reference, no B");
        assertEquals(List.of("figures"), plain.correlators());
        assertEquals(List.of("magnetic", "magnetic-beam-check", "strain", "density"), p.plan(Parameters.single("descan", "plane")).derivers());
        assertEquals(List.of("ring fit", "B", "strain and density", "S(q)/PDF"), p.stages().stream().map(s -> s.name()).toList());
        assertTrue(p.stages().get(1).announced(), "B is expected: a run without a reference says it skipped B");
        Plan pdf = p.plan(Parameters.of(Map.of("pdf", "true", "vacuum", "v.npy")));
        assertEquals(List.of(List.of("beam", "ring", "virtual", "sq")), pdf.passes());
        assertEquals(List.of("magnetic", "magnetic-beam-check", "strain", "density", "pdf"), pdf.derivers());
        assertEquals(ParameterSpec.Type.BOOLEAN, p.parameters().get(0).type());
        assertEquals("pdf", p.parameters().get(0).name());
    }
}
