package org.ltz4d.pdf;

import org.ltz4d.simulator.AtomicModel;
import org.ltz4d.scattering.ScatteringFactors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.param.Parameters;

/**
 * Known answers from an atomic model: a relaxed dense random packing of 3,000 atoms (Fe80B20,
 * random species) whose I(q) comes from the Debye scattering equation with the same scattering
 * factors, turned into 192×192 patterns with elliptic distortion / deviatoric strain, a shifted
 * centre, a direct beam behind the beam stop, a constant background and Poisson noise. The
 * {@code sq} fitter must recover the model's G(r).
 */
class PdfFromModelTest {
    static final int DET = 192;
    static final double Q_EDGE = 18.0; // Å⁻¹ at 92 px
    static final double S_PX = Q_EDGE / (2 * Math.PI * 92);
    static final double RHO0 = 0.085;
    static AtomicModel model;
    static double[] qTab;
    static double[][] fTab;

    @BeforeAll
    static void buildModel() {
        long t0 = System.nanoTime();
        model = new AtomicModel(3000, RHO0, 2.5, 0.06, new double[] {0.8, 0.2}, 42, 0.005);
        qTab = new double[2800];
        for (int k = 0; k < qTab.length; k++) qTab[k] = k * 0.01;
        ScatteringFactors sf = ScatteringFactors.of(ScatteringFactors.Kind.LOBATO);
        fTab = new double[2][qTab.length];
        for (int k = 0; k < qTab.length; k++) {
            fTab[0][k] = sf.fq("Fe", qTab[k]);
            fTab[1][k] = sf.fq("B", qTab[k]);
        }
        long t1 = System.nanoTime();
        model.debye(qTab, fTab, 1.0);
        System.out.printf("debye %.0f ms%n", (System.nanoTime() - t1) / 1e6);
        System.out.printf("model: %d atoms, box %.2f Å, built in %.0f ms%n", model.n(), model.box(), (System.nanoTime() - t0) / 1e6);
    }

    static Parameters params() {
        return Parameters.of(Map.of("composition", "Fe80B20", "q-min", "1.6", "q-max", Double.toString(Q_EDGE),
                "r-max", "10", "r-step", "0.01", "number-density", Double.toString(RHO0), "beam-stop-radius-px", "7"));
    }

    /** Runs the sq fitter over patterns of the given geometries; returns per-position outputs and the context. */
    static Result run(double dilation, double[][] geometry, long seed) {
        return run(dilation, geometry, seed, false, 400.0);
    }

    static Result run(double dilation, double[][] geometry, long seed, boolean circle) {
        return run(dilation, geometry, seed, circle, 400.0);
    }

    /** With {@code circle}, the ring fitter's form is replaced by a circle (no ellipse correction). */
    static Result run(double dilation, double[][] geometry, long seed, boolean circle, double scale) {
        double[] iq = model.debye(qTab, fTab, dilation);
        PatternSim sim = new PatternSim(DET, S_PX, qTab, iq);
        Calibration cal = Calibration.builder().detectorPixelInverseAngstrom(S_PX).beamKv(300).build();
        Doubles.Ctx ctx = new Doubles.Ctx(cal, params(), Shape.of(1, geometry.length), Shape.of(DET, DET), true);
        SqFitter fitter = new SqFitter();
        int per = ctx.layout(fitter.buffers(ctx));
        var proc = fitter.processor(ctx);
        Random rnd = new Random(seed);
        float[][] outs = new float[geometry.length][];
        for (int p = 0; p < geometry.length; p++) {
            double[] gmt = geometry[p]; // cx, cy, e, theta
            double[] ainv = PatternSim.inverseDistortion(gmt[2], gmt[3], 1.0);
            Doubles.Frm f = new Doubles.Frm();
            f.w = DET;
            f.h = DET;
            f.index = p;
            f.data = sim.pattern(gmt[0], gmt[1], ainv, scale, 15.0 * scale / 400.0, rnd);
            if (p == 0 && seed == 99) {
                double tot = 0;
                for (float v : sim.pattern(gmt[0], gmt[1], ainv, scale, 15.0 * scale / 400.0, null)) tot += v;
                System.out.printf("scale %.1f: %.3g counts per pattern (direct beam %.3g)%n", scale, tot, 2e5 * 2 * Math.PI * 1.44);
            }
            double[] qf = sim.ringForm(ainv, 2.9);
            f.ring[0] = (float) gmt[0];
            f.ring[1] = (float) gmt[1];
            double mean = Math.sqrt(qf[0] * qf[2] - qf[1] * qf[1]);
            f.ring[2] = (float) (circle ? mean : qf[0]);
            f.ring[3] = (float) (circle ? 0 : qf[1]);
            f.ring[4] = (float) (circle ? mean : qf[2]);
            Doubles.Out out = new Doubles.Out(per);
            proc.process(f, out);
            outs[p] = out.v;
        }
        return new Result(ctx, fitter.pdfSetup(ctx), outs);
    }

    record Result(Doubles.Ctx ctx, PdfSetup setup, float[][] outs) {
        double[] stack(int p, String name, int n) {
            int s = ctx.slot(name);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = outs[p][s + i];
            return v;
        }

        double scalar(int p, String name) {
            return outs[p][ctx.slot(name)];
        }
    }

    static final double[][] GEOMETRY = {
        {96.3, 95.6, 0.00, 0}, {94.1, 97.8, 0.04, 30}, {97.7, 93.9, 0.06, 115}, {95.2, 96.4, -0.03, 70}};

    static double correlation(double[] a, double[] b, int from, int to) {
        double ma = 0;
        double mb = 0;
        int n = to - from;
        for (int i = from; i < to; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = from; i < to; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    static double peak(double[] r, double[] g) {
        int best = 1;
        for (int j = 1; j < g.length; j++) if (g[j] > g[best]) best = j;
        double d = 0.5 * (g[best - 1] - g[best + 1]) / (g[best - 1] - 2 * g[best] + g[best + 1]);
        return r[best] + d * (r[1] - r[0]);
    }

    static void dump(double[] r, double[] g, double[] direct) {
        try (var w = new java.io.PrintWriter("/tmp/pdf_dump.txt")) {
            for (int j = 0; j < r.length; j++) w.printf("%.3f %.5f %.5f%n", r[j], g[j], direct[j]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void recoversTheModelsPdfThroughDistortionAndStrain() {
        Result res = run(1.0, GEOMETRY, 7);
        PdfSetup s = res.setup();
        double[] r = s.r();
        double[] direct = model.gDirect(r, 1.0, 0.02);
        double rDirect = peak(r, direct);
        double qModel = modelSPeak(1.0);
        double cnDirect = coordinationOf(r, direct, RHO0);
        System.out.printf("model: r1 %.4f Å, coordination %.3f%n", rDirect, cnDirect);
        int to = (int) Math.round(8.0 / s.rStep) + 1;
        for (int p = 0; p < GEOMETRY.length; p++) {
            double[] g = res.stack(p, "pdf/G", s.nr);
            double rp = res.scalar(p, "pdf/r_first_peak");
            double cn = res.scalar(p, "pdf/coordination");
            double corr = correlation(g, direct, 1, to);
            System.out.printf("position %d (e=%.2f): r1 %.4f Å (model %.4f, Δ %+.4f Å), G1 %.3f, corr(0–8 Å) %.4f, CN %.2f, q1 %.3f S1 %.3f%n",
                    p, GEOMETRY[p][2], rp, rDirect, rp - rDirect, res.scalar(p, "pdf/G_first_peak"), corr,
                    cn, res.scalar(p, "sq/q_first_peak"), res.scalar(p, "sq/S_first_peak"));
            assertEquals(rDirect, rp, 0.02, "first-peak position of G(r), position " + p);
            assertEquals(qModel, res.scalar(p, "sq/q_first_peak"), 0.01 * qModel, "first-peak position of S(q) (model " + qModel + "), position " + p);
            assertTrue(corr > 0.95, "correlation of G(r) with the model's up to 8 Å, position " + p + ": " + corr);
            assertEquals(cnDirect, cn, 0.05 * cnDirect, "first-shell coordination number, position " + p);
        }
    }

    @Test
    void withoutTheEllipseCorrectionTheFirstPeakIsSmeared() {
        double[][] geo = {GEOMETRY[2]};
        Result corrected = run(1.0, geo, 5, false);
        Result circle = run(1.0, geo, 5, true);
        double h1 = corrected.scalar(0, "pdf/G_first_peak");
        double h0 = circle.scalar(0, "pdf/G_first_peak");
        double s1 = corrected.scalar(0, "sq/S_first_peak");
        double s0 = circle.scalar(0, "sq/S_first_peak");
        System.out.printf("6%% ellipticity: G1 %.3f corrected vs %.3f on circles; S1 %.3f vs %.3f%n", h1, h0, s1, s0);
        assertTrue(h0 < 0.9 * h1, "a circular average of a 6% elliptic pattern must lower the G(r) first peak by > 10%: " + h0 + " vs " + h1);
        assertTrue(s0 < 0.95 * s1, "... and the S(q) first peak by > 5%: " + s0 + " vs " + s1);
    }

    /**
     * Precision per position from the counts: 8 noise realisations of one geometry at two doses,
     * ~8.6e5 and ~8.6e4 counts of diffuse scattering per pattern (besides 1.8e6 in the direct beam),
     * i.e. about a 2e6 and a 1.5e5 electron pattern with 40 % scattered outside the beam stop.
     */
    @Test
    void precisionPerPositionAtTwoDoses() {
        double[][] geo = new double[8][];
        for (int i = 0; i < geo.length; i++) geo[i] = GEOMETRY[1];
        double[] rAxis = new double[1001];
        for (int j = 0; j < rAxis.length; j++) rAxis[j] = 0.01 * j;
        double rModel = peak(rAxis, model.gDirect(rAxis, 1.0, 0.02));
        double[][] limits = {{40.0, 0.005, 0.3}, {4.0, 0.02, 1.2}}; // scale, max σ(r1) Å, max σ(CN)
        for (double[] lim : limits) {
            Result res = run(1.0, geo, 99, false, lim[0]);
            double[] st = new double[6];
            for (int p = 0; p < geo.length; p++) {
                double r1 = res.scalar(p, "pdf/r_first_peak");
                double q1 = res.scalar(p, "sq/q_first_peak");
                double cn = res.scalar(p, "pdf/coordination");
                st[0] += r1; st[1] += r1 * r1; st[2] += q1; st[3] += q1 * q1; st[4] += cn; st[5] += cn * cn;
            }
            int n = geo.length;
            double rMean = st[0] / n;
            double rSd = Math.sqrt(Math.max(0, st[1] / n - rMean * rMean) * n / (n - 1));
            double qSd = Math.sqrt(Math.max(0, st[3] / n - st[2] * st[2] / n / n) * n / (n - 1));
            double cnSd = Math.sqrt(Math.max(0, st[5] / n - st[4] * st[4] / n / n) * n / (n - 1));
            System.out.printf("diffuse counts ×%.0f: r1 %.4f ± %.4f Å (model %.4f), q1 %.4f ± %.4f 1/Å, CN %.3f ± %.3f%n", lim[0],
                    rMean, rSd, rModel, st[2] / n, qSd, st[4] / n, cnSd);
            assertEquals(rModel, rMean, 0.02, "mean r1 at scale " + lim[0]);
            assertTrue(rSd < lim[1], "σ(r1) at scale " + lim[0] + ": " + rSd);
            assertTrue(cnSd < lim[2], "σ(CN) at scale " + lim[0] + ": " + cnSd);
        }
    }

    @Test
    void uniformDilationShiftsTheFirstPeakByTheDilation() {
        double dilation = 1.02;
        double[][] geo = {GEOMETRY[1], GEOMETRY[2]};
        Result base = run(1.0, geo, 11);
        Result dil = run(dilation, geo, 12);
        for (int p = 0; p < geo.length; p++) {
            double r0 = base.scalar(p, "pdf/r_first_peak");
            double r1 = dil.scalar(p, "pdf/r_first_peak");
            double shift = r1 - r0;
            double expected = (dilation - 1) * r0;
            double q0 = base.scalar(p, "sq/q_first_peak");
            double q1 = dil.scalar(p, "sq/q_first_peak");
            System.out.printf("dilation %.3f: r1 %.4f → %.4f Å, shift %.4f Å (expected %.4f); q1 %.4f → %.4f 1/Å (ratio %.4f, expected %.4f)%n",
                    dilation, r0, r1, shift, expected, q0, q1, q0 / q1, dilation);
            assertEquals(expected, shift, 0.005, "first-peak shift of G(r) under a 2% dilation, position " + p);
            assertEquals(dilation, q0 / q1, 0.002, "first-peak ratio of S(q) under a 2% dilation, position " + p);
        }
    }

    /** First-peak position of the model's S(q) = 1 + (I/N − ⟨f²⟩)/⟨f⟩² on the fine Debye q table. */
    static double modelSPeak(double dilation) {
        double[] iq = model.debye(qTab, fTab, dilation);
        double[] sq = new double[qTab.length];
        int best = 100;
        for (int k = 100; k < qTab.length; k++) {
            double f2 = 0.8 * fTab[0][k] * fTab[0][k] + 0.2 * fTab[1][k] * fTab[1][k];
            double fm = 0.8 * fTab[0][k] + 0.2 * fTab[1][k];
            sq[k] = 1 + (iq[k] - f2) / (fm * fm);
            if (sq[k] > sq[best]) best = k;
        }
        double d = 0.5 * (sq[best - 1] - sq[best + 1]) / (sq[best - 1] - 2 * sq[best] + sq[best + 1]);
        System.out.printf("model S(q): first peak %.4f 1/Å, S = %.3f%n", qTab[best] + d * 0.01, sq[best]);
        return qTab[best] + d * 0.01;
    }

    /** Coordination number from a G(r): R(r) = 4πr²ρ0 + r·G integrated between its minima around its maximum. */
    static double coordinationOf(double[] r, double[] g, double rho) {
        double[] rr = new double[r.length];
        int top = 1;
        for (int j = 0; j < r.length; j++) {
            rr[j] = 4 * Math.PI * r[j] * r[j] * rho + r[j] * g[j];
            if (g[j] > g[top]) top = j;
        }
        while (rr[top + 1] > rr[top]) top++;
        int lo = top;
        while (lo > 0 && rr[lo - 1] < rr[lo]) lo--;
        int hi = top;
        while (rr[hi + 1] < rr[hi]) hi++;
        double acc = 0;
        for (int j = lo; j < hi; j++) acc += 0.5 * (rr[j] + rr[j + 1]) * (r[j + 1] - r[j]);
        System.out.printf("model shell %.2f–%.2f Å%n", r[lo], r[hi]);
        return acc;
    }
}
