package org.ltz4d.pdf;

import org.ltz4d.simulator.AtomicModel;
import org.ltz4d.scattering.ScatteringFactors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.Figure;
import org.ltz4d.api.analysis.FrameProcessor;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;

/**
 * Per-position cost of the {@code sq} fitter (integration + normalisation + PDF + peaks) on
 * 192×192 frames, one thread and all threads; not a unit test. Usage (see README.md):
 * {@code java -cp ... org.ltz4d.pdf.PdfBenchmark [figureDir]} ({@code -Dclip=0}: no outlier clipping).
 */
public final class PdfBenchmark {
    public static void main(String[] args) throws Exception {
        int det = 192;
        int nFrames = 64;
        double qEdge = Double.parseDouble(System.getProperty("qEdge", "18"));
        double sPx = qEdge / (2 * Math.PI * 92);
        AtomicModel model = new AtomicModel(2000, 0.085, 2.5, 0.06, new double[] {0.852, 0.005, 0.095, 0.04, 0.008}, 1, 0.005);
        String[] el = {"Fe", "Si", "B", "P", "Cu"};
        double[] qTab = new double[(int) (1.5 * qEdge / 0.01)];
        for (int k = 0; k < qTab.length; k++) qTab[k] = k * 0.01;
        double[][] f = new double[el.length][qTab.length];
        ScatteringFactors sf = ScatteringFactors.of(ScatteringFactors.Kind.LOBATO);
        for (int a = 0; a < el.length; a++) for (int k = 0; k < qTab.length; k++) f[a][k] = sf.fq(el[a], qTab[k]);
        PatternSim sim = new PatternSim(det, sPx, qTab, model.debye(qTab, f, 1.0));
        Random rnd = new Random(1);
        float[][] frames = new float[nFrames][];
        float[][] rings = new float[nFrames][];
        for (int i = 0; i < nFrames; i++) {
            double cx = 96 + rnd.nextGaussian();
            double cy = 96 + rnd.nextGaussian();
            double[] ainv = PatternSim.inverseDistortion(0.03 * rnd.nextGaussian(), 180 * rnd.nextDouble(), 1 + 0.005 * rnd.nextGaussian());
            frames[i] = sim.pattern(cx, cy, ainv, 400, 15, rnd);
            double[] q = sim.ringForm(ainv, 2.9);
            rings[i] = new float[] {(float) cx, (float) cy, (float) q[0], (float) q[1], (float) q[2], 0f};
        }
        Map<String, String> params = Map.of("composition", "Fe85.2Si0.5B9.5P4Cu0.8", "q-min", "1.6", "q-max", Double.toString(qEdge),
                "number-density", "0.085", "beam-stop-radius-px", "7", "sq-clip-sigma", System.getProperty("clip", "5"));
        Calibration cal = Calibration.builder().detectorPixelInverseAngstrom(sPx).build();
        Doubles.Ctx ctx = new Doubles.Ctx(cal, Parameters.of(params), Shape.of(8, 8), Shape.of(det, det), true);
        SqFitter fitter = new SqFitter();
        int per = ctx.layout(fitter.buffers(ctx));
        PdfSetup s = fitter.pdfSetup(ctx);
        System.out.printf("192×192 frames, %d bins up to q = %.1f 1/Å, %d r points (r-step 0.01 Å, r-max 10 Å), %d unmasked pixels%n",
                s.nq, s.qMax, s.nr, s.usedPixels);

        // one thread: whole fitter, then the stages alone
        double whole = timeOne(fitter.processor(ctx), frames, rings, per, 3000);
        PdfWorker w = new PdfWorker(s);
        double integrate = timeStage(frames, rings, 3000, (fr, rg) -> w.analyse(fr, 0, rg[0], rg[1], rg[2], rg[3], rg[4]));
        double integrateOnly = timeStage(frames, rings, 3000, (fr, rg) -> w.integrate(fr, 0, rg[0], rg[1], rg[2], rg[3], rg[4],
                (double) rg[2] * rg[4] - (double) rg[3] * rg[3]));
        System.out.printf("one thread: sq fitter %.3f ms/frame = analysis %.3f ms (of which integration %.3f ms; normalisation, PDF, peaks %.3f ms)"
                + " + writing %d values to FitOutput %.3f ms%n", whole, integrate, integrateOnly, integrate - integrateOnly, per, whole - integrate);

        int threads = Runtime.getRuntime().availableProcessors();
        AtomicLong done = new AtomicLong();
        List<Thread> ts = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            FrameProcessor p = fitter.processor(ctx);
            Thread th = new Thread(() -> {
                Doubles.Frm fr = new Doubles.Frm();
                fr.w = det;
                fr.h = det;
                Doubles.Out out = new Doubles.Out(per);
                for (int i = 0; i < 3000; i++) {
                    fr.data = frames[i % nFrames];
                    fr.ring = rings[i % nFrames];
                    p.process(fr, out);
                    done.incrementAndGet();
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) th.join();
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%d threads: %.0f frames/s wall clock (%.3f ms/frame/core; load average %.1f at the end)%n", threads, done.get() / secs,
                threads * secs * 1e3 / done.get(), java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

        if (args.length > 0) writeFigures(Path.of(args[0]), fitter, ctx, frames, rings, per, s);
    }

    interface Stage {
        void run(float[] frame, float[] ring);
    }

    static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * ms per call in this thread's CPU time (the machine is shared, so wall time would count other
     * processes' time slices); the wall-clock figure is printed alongside.
     */
    static double timeStage(float[][] frames, float[][] rings, int n, Stage st) {
        for (int i = 0; i < n; i++) st.run(frames[i % frames.length], rings[i % frames.length]);
        long w0 = System.nanoTime();
        long t0 = MX.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) st.run(frames[i % frames.length], rings[i % frames.length]);
        double cpu = (MX.getCurrentThreadCpuTime() - t0) / 1e6 / n;
        System.out.printf("  (stage: %.3f ms/call CPU, %.3f ms/call wall)%n", cpu, (System.nanoTime() - w0) / 1e6 / n);
        return cpu;
    }

    static double timeOne(FrameProcessor p, float[][] frames, float[][] rings, int per, int n) {
        Doubles.Frm fr = new Doubles.Frm();
        fr.w = 192;
        fr.h = 192;
        Doubles.Out out = new Doubles.Out(per);
        return timeStage(frames, rings, n, (d, r) -> {
            fr.data = d;
            fr.ring = r;
            p.process(fr, out);
        });
    }

    /** Runs an 8×8 scan, then the deriver and the correlator, and writes the figures. */
    static void writeFigures(Path dir, SqFitter fitter, Doubles.Ctx ctx, float[][] frames, float[][] rings, int per, PdfSetup s) throws Exception {
        Files.createDirectories(dir);
        FrameProcessor p = fitter.processor(ctx);
        Doubles.Frm fr = new Doubles.Frm();
        fr.w = 192;
        fr.h = 192;
        int n = 64;
        float[][] outs = new float[n][];
        for (int i = 0; i < n; i++) {
            Doubles.Out out = new Doubles.Out(per);
            fr.data = frames[i];
            fr.ring = rings[i];
            p.process(fr, out);
            outs[i] = out.v;
        }
        MapSet maps = MapSet.of(stack(outs, ctx.slot("sq/S"), s.nq, "sq/S"), stack(outs, ctx.slot("pdf/G"), s.nr, "pdf/G"),
                stack(outs, ctx.slot("pdf/r_first_peak"), 1, "pdf/r_first_peak"), stack(outs, ctx.slot("sq/q_first_peak"), 1, "sq/q_first_peak"),
                stack(outs, ctx.slot("pdf/coordination"), 1, "pdf/coordination"));
        Doubles.Ctx actx = new Doubles.Ctx(ctx.cal, ctx.params, Shape.of(8, 8), ctx.sig, true);
        maps = maps.plus(new PdfDeriver().derive(maps, actx));
        Correlation c = new PdfFiguresCorrelator().correlate(maps, actx);
        for (Figure f : c.figures()) Files.write(dir.resolve(f.fileName()), f.content());
        System.out.println("figures in " + dir + ": " + c.statistics());
    }

    static DataMap stack(float[][] outs, int slot, int len, String name) {
        float[] v = new float[outs.length * len];
        for (int i = 0; i < outs.length; i++) System.arraycopy(outs[i], slot, v, i * len, len);
        Shape sh = len == 1 ? Shape.of(8, 8) : Shape.of(8, 8, len);
        return DataMap.of(name, sh, v, Unit.DIMENSIONLESS, "");
    }
}
