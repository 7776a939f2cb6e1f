package org.ltz4d.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.simulator.DensityField;
import org.ltz4d.simulator.Descan;
import org.ltz4d.simulator.FrameTruth;
import org.ltz4d.simulator.GlassModel;
import org.ltz4d.simulator.MagneticField;
import org.ltz4d.simulator.SimulationSpec;
import org.ltz4d.simulator.Simulator;
import org.ltz4d.simulator.StrainField;

/**
 * Issue 11 item 5: the {@code sq} fitter on the simulator's glass patterns — S(q) from the Debye
 * sum of its atomic model, the composition's scattering factors, a smooth background, a direct
 * beam of half the electrons that saturates, a beam stop with its arm, hot and dead pixels, a gain
 * map and point spread, detector distortion, strain, density, descan and deflection — at
 * 2·10⁷ e⁻/pattern, with the true per-position ellipse as the upstream ring values (so the ring
 * fitter is not under test). Every position must give finite S(q), G(r) and first peaks, and the
 * first peak of G(r) must agree with the atomic model's own (from its pair histogram at the
 * simulator's dilation, 0.02 Å smoothing) within 0.02 Å.
 */
class PdfOnGlassPatternsTest {
    static final int DET = 192;
    /** Å⁻¹ per px: 18 Å⁻¹ at 92 px, so the transform reaches q = 18 Å⁻¹. */
    static final double Q_PER_PX = 18.0 / 92;

    static SimulationSpec.Builder spec() {
        double lambdaA = org.ltz4d.api.units.Electron.wavelengthMetres(300) * 1e10;
        double pixelMrad = Q_PER_PX * lambdaA / (2 * Math.PI) * 1e3;
        return SimulationSpec.builder().pattern(SimulationSpec.Pattern.GLASS).sq(GlassModel.Sq.DEBYE)
                .scan(4, 5).detector(DET, DET).pixelMrad(pixelMrad).ring(16, 1).dose(2e7)
                .beam(2.5, 0.5).beamStop(true, 6).saturation(50000).badPixels(60, 60).gainSigma(0.02).psfPx(0.4)
                .distortion(0.01, 30).descan(Descan.typical(1)).magneticField(MagneticField.uniform(1, 0.5))
                .strainField(StrainField.orientations(0.01, 5)).densityField(DensityField.gradient(0.03)).seed(3);
    }

    record Run(PdfSetup setup, Doubles.Ctx ctx, float[][] outs) {
        double scalar(int p, String name) {
            return outs[p][ctx.slot(name)];
        }

        double[] stack(int p, String name, int n) {
            double[] v = new double[n];
            int s = ctx.slot(name);
            for (int i = 0; i < n; i++) v[i] = outs[p][s + i];
            return v;
        }
    }

    static Run run(SimulationSpec s, Map<String, String> extra) {
        Map<String, String> p = new HashMap<>(Map.of("composition", s.composition(), "q-min", "1.6", "q-max", "18",
                "r-max", "10", "r-step", "0.01", "beam-stop-radius-px", "8"));
        p.putAll(extra);
        Doubles.Ctx ctx = new Doubles.Ctx(s.calibration(), Parameters.of(p), Shape.of(s.scanY(), s.scanX()), Shape.of(DET, DET), true);
        SqFitter fitter = new SqFitter();
        int per = ctx.layout(fitter.buffers(ctx));
        var proc = fitter.processor(ctx);
        int n = s.scanY() * s.scanX();
        float[][] outs = new float[n][];
        for (int i = 0; i < n; i++) {
            int y = i / s.scanX(), x = i % s.scanX();
            FrameTruth t = Simulator.truth(s, y, x);
            Doubles.Frm f = new Doubles.Frm();
            f.w = DET;
            f.h = DET;
            f.index = i;
            f.data = new float[DET * DET];
            Simulator.sample(s, y, x, f.data, 0);
            f.ring = new float[] {(float) t.ringCenterX(), (float) t.ringCenterY(), (float) t.q11(), (float) t.q12(), (float) t.q22(), 0f};
            Doubles.Out out = new Doubles.Out(per);
            proc.process(f, out);
            outs[i] = out.v;
        }
        return new Run(fitter.pdfSetup(ctx), ctx, outs);
    }

    /** First maximum of the model's own G(r) (pair histogram at the simulator's dilation, 0.02 Å smoothing), r ≥ 1 Å. */
    static double modelFirstPeak(SimulationSpec s, double densityFactor) {
        double[] r = new double[1001];
        for (int j = 0; j < r.length; j++) r[j] = 0.01 * j;
        GlassModel m = s.glassModel();
        double[] g = m.atomicModel().gDirect(r, m.dilation() / Math.cbrt(densityFactor), 0.02);
        int best = 100;
        for (int j = 100; j < r.length - 1; j++) if (g[j] > g[best]) best = j;
        double d = 0.5 * (g[best - 1] - g[best + 1]) / (g[best - 1] - 2 * g[best] + g[best + 1]);
        return r[best] + d * 0.01;
    }

    /**
     * Beam stop with its arm, 60 hot and 60 dead pixels, 2 % gain spread, 0.4 px point spread: every
     * position finite and within 0.02 Å of the model; the same positions on a clean detector give
     * the same first peak within 0.005 Å and its height within 3 %; without the outlier clipping
     * ({@code sq-clip-sigma 0}) the hot pixels do spoil the peaks (control).
     */
    @Test
    void everyPositionGivesFiniteMapsAndTheModelsFirstPeak() {
        double[][] defects = check(spec().build(), Map.of());
        double[][] clean = check(spec().badPixels(0, 0).gainSigma(0).psfPx(0).beamStop(false, Double.NaN).build(), Map.of());
        Run raw = run(spec().build(), Map.of("sq-clip-sigma", "0"));
        double worstR = 0, worstG = 0, rawG = 0;
        for (int i = 0; i < defects[0].length; i++) {
            worstR = Math.max(worstR, Math.abs(defects[0][i] - clean[0][i]));
            worstG = Math.max(worstG, Math.abs(defects[1][i] / clean[1][i] - 1));
            rawG = Math.max(rawG, Math.abs(raw.scalar(i, "pdf/G_first_peak") / clean[1][i] - 1));
        }
        System.out.printf("defects vs clean detector: |Δr1| ≤ %.4f Å, |ΔG1|/G1 ≤ %.3f; without clipping |ΔG1|/G1 up to %.3f%n", worstR, worstG, rawG);
        assertTrue(worstR < 0.005, "first peak moved by the detector's defects: " + worstR);
        assertTrue(worstG < 0.03, "first-peak height changed by the detector's defects: " + worstG);
        assertTrue(rawG > 0.1, "control: unclipped hot pixels change G1 by more than 10 %: " + rawG);
    }

    /** No beam stop: a direct beam of half the electrons saturating at 50,000 counts, left out by beam-stop-radius-px. */
    @Test
    void aSaturatedDirectBeamIsLeftOut() {
        SimulationSpec s = spec().beamStop(false, Double.NaN).build();
        float[] f = new float[DET * DET];
        Simulator.sample(s, 1, 1, f, 0);
        int saturated = 0;
        for (float v : f) if (v >= 50000) saturated++;
        assertTrue(saturated >= 10, "the beam saturates: " + saturated + " pixels at 50,000");
        check(s, Map.of());
    }

    /**
     * The CLI's default glass dataset (Percus–Yevick, 0.16 mrad/px: q reaches only 4.7 Å⁻¹, just
     * past the first peak at 2.8 Å⁻¹) at 2e7 e⁻ with the sq fitter's defaults: finite maps at every
     * position, though a PDF from so short a q range says little.
     */
    @Test
    void theDefaultGlassDatasetGivesFiniteMaps() {
        SimulationSpec s = SimulationSpec.builder().pattern(SimulationSpec.Pattern.GLASS).scan(3, 4).dose(2e7)
                .strainField(StrainField.orientations(0.01, 5)).build();
        Map<String, String> p = new HashMap<>(Map.of("composition", s.composition()));
        Doubles.Ctx ctx = new Doubles.Ctx(s.calibration(), Parameters.of(p), Shape.of(s.scanY(), s.scanX()), Shape.of(DET, DET), true);
        SqFitter fitter = new SqFitter();
        int per = ctx.layout(fitter.buffers(ctx));
        var proc = fitter.processor(ctx);
        for (int i = 0; i < 12; i++) {
            FrameTruth t = Simulator.truth(s, i / 4, i % 4);
            Doubles.Frm f = new Doubles.Frm();
            f.w = DET;
            f.h = DET;
            f.data = new float[DET * DET];
            Simulator.sample(s, i / 4, i % 4, f.data, 0);
            f.ring = new float[] {(float) t.ringCenterX(), (float) t.ringCenterY(), (float) t.q11(), (float) t.q12(), (float) t.q22(), 0f};
            Doubles.Out out = new Doubles.Out(per);
            proc.process(f, out);
            System.out.printf("default glass (%d,%d): r1 %.4f Å, q1 %.4f (true %.4f), N %.4g%n", i / 4, i % 4, out.v[ctx.slot("pdf/r_first_peak")],
                    out.v[ctx.slot("sq/q_first_peak")], s.glassModel().firstPeakQ(), out.v[ctx.slot("sq/N")]);
            for (String k : new String[] {"pdf/r_first_peak", "pdf/G_first_peak", "sq/q_first_peak", "sq/S_first_peak", "sq/N"}) {
                assertTrue(Float.isFinite(out.v[ctx.slot(k)]), k + " at position " + i);
            }
        }
    }

    /** Asserts finite maps and the model's first peak at every position; returns {r1[], G1[]}. */
    static double[][] check(SimulationSpec s, Map<String, String> extra) {
        Run run = run(s, extra);
        PdfSetup st = run.setup();
        int n = s.scanY() * s.scanX();
        double worst = 0;
        double[][] out = new double[2][n];
        for (int i = 0; i < n; i++) {
            int y = i / s.scanX(), x = i % s.scanX();
            FrameTruth t = Simulator.truth(s, y, x);
            // The ellipse correction keeps each pattern's area-equivalent scale, so the model's distances
            // appear scaled by sqrt(det(I+e)) = (1 + Δρ)^(-1/3), I+e = (I+ε)·ρ^(−1/3) (and by
            // det(D)^(−1/2) = (1 − δ²)^(−1/2) of the detector distortion).
            double expected = modelFirstPeak(s, t.densityRelative() + 1) / Math.sqrt(1 - s.distortion() * s.distortion());
            double r1 = run.scalar(i, "pdf/r_first_peak");
            System.out.printf("(%d,%d): r1 %.4f Å, model %.4f Å (Δ %+.4f), q1 %.3f, G1 %.3f, N %.4g%n", y, x, r1, expected, r1 - expected,
                    run.scalar(i, "sq/q_first_peak"), run.scalar(i, "pdf/G_first_peak"), run.scalar(i, "sq/N"));
            for (String k : new String[] {"pdf/r_first_peak", "pdf/G_first_peak", "sq/q_first_peak", "sq/S_first_peak", "sq/N"}) {
                assertTrue(Double.isFinite(run.scalar(i, k)), k + " at (" + y + ", " + x + ")");
            }
            double[] g = run.stack(i, "pdf/G", st.nr());
            for (double v : g) assertTrue(Double.isFinite(v), "G(r) at (" + y + ", " + x + ")");
            double[] sq = run.stack(i, "sq/S", st.nq());
            for (int k = st.iqMin; k <= st.iqMax; k++) assertTrue(Double.isFinite(sq[k]), "S(q) at q = " + st.q[k] + ", (" + y + ", " + x + ")");
            worst = Math.max(worst, Math.abs(r1 - expected));
            out[0][i] = r1;
            out[1][i] = run.scalar(i, "pdf/G_first_peak");
        }
        System.out.printf("largest |Δr1| %.4f Å%n", worst);
        assertTrue(worst <= 0.02, "first G(r) peak within 0.02 Å of the model's at every position: worst " + worst);
        return out;
    }
}
