package org.ltz4d.amorphous;

import java.util.Map;
import org.ltz4d.api.analysis.FitSetup;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.simulator.Descan;
import org.ltz4d.simulator.MagneticField;
import org.ltz4d.simulator.SimulationSpec;
import org.ltz4d.simulator.StrainField;

/**
 * Frames/s of the beam + ring fitters (the amorphous pipeline's whole per-frame work) on simulated
 * 192×192 and 256×256 frames held in memory, single-thread and 2 threads. Not a unit test (run it
 * by hand, see README.md): {@code java -cp ... org.ltz4d.amorphous.RingFitBenchmark [seconds] [dose] [glass|ring] [cal.json]}
 * (glass patterns by default; with a distortion file from {@code ltz4d calibrate distortion} the
 * fits take the per-pixel undistorted coordinates, {@code distortion-file}).
 */
public final class RingFitBenchmark {
    private RingFitBenchmark() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        double dose = args.length > 1 ? Double.parseDouble(args[1]) : 1.5e5;
        SimulationSpec.Pattern pattern = args.length > 2 && args[2].equals("ring") ? SimulationSpec.Pattern.RING : SimulationSpec.Pattern.GLASS;
        for (int det : new int[] {192, 256}) {
            double scale = det / 192.0;
            SimulationSpec spec = SimulationSpec.builder().pattern(pattern).scan(20, 25).detector(det, det).ring(55 * scale, 5 * scale)
                    .beam(4 * scale, 0.5).backgroundDecayPx(30 * scale).dose(dose).distortion(0.01, 30)
                    .descan(Descan.typical(4)).strainField(StrainField.orientations(0.01, 5))
                    .magneticField(MagneticField.domains(1.0, 3, 0.2)).seed(3).build();
            Harness.MemoryDataset ds = Harness.MemoryDataset.of(spec, false);
            Parameters p = Parameters.of(args.length > 3 ? Map.of(RingFitter.P_SEED_FRAMES, "64", RingFitter.P_DISTORTION, args[3])
                    : Map.of(RingFitter.P_SEED_FRAMES, "64"));
            BeamFitter beam = new BeamFitter();
            RingFitter ring = new RingFitter();
            // warm-up (JIT) and set-up outside the timing
            Harness.run(ds, p, 1, beam, ring);
            Harness.run(ds, p, 2, beam, ring);
            for (int threads : new int[] {1, 2}) {
                double[] r = timed(ds, p, threads, seconds, beam, ring);
                System.out.printf((args.length > 3 ? "distortion-file, " : "") + "%s %d×%d frames, dose %.3g, %d thread%s: %.0f frames/s wall; %.3f ms CPU per frame per thread"
                        + " (= %.0f frames/s per fully available core)%n", pattern, det, det, dose, threads, threads > 1 ? "s" : "",
                        r[0] / r[1], 1e3 * r[2] / r[0], r[0] / r[2]);
            }
            // iteration statistics on one more single-thread run
            Harness.Context ctx = new Harness.Context(ds, p).withSetup(ring);
            RingSetup su = ring.ringSetup(ctx);
            ctx.slots.putAll(slotMap());
            RingFitter.RingProcessor rp = (RingFitter.RingProcessor) ring.processor(ctx);
            Harness.TestFrame fr = new Harness.TestFrame();
            fr.rows = det;
            fr.cols = det;
            fr.data = new float[det * det];
            Harness.Out o = new Harness.Out(RingFitter.OUTPUTS.size());
            for (int i = 0; i < ds.frameCount(); i++) {
                ds.readFrames(i, 1, fr.data, 0);
                fr.index = i;
                o.reset();
                rp.process(fr, o);
            }
            System.out.printf("  annulus mean half-width %.1f px, passes per frame %.2f (full %.2f), failures %d%n", (su.rhoOut - su.rhoIn) * su.radius / 2,
                    rp.passes() / (double) ds.frameCount(), rp.fullPasses() / (double) ds.frameCount(), rp.failures);
        }
    }

    /** Runs fitter processors in {@code threads} threads over the scan repeatedly: {frames, wall s, CPU s}. */
    static double[] timed(Harness.MemoryDataset ds, Parameters p, int threads, double seconds, BeamFitter beam, RingFitter ring) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] frames = new long[threads];
        long[] cpu = new long[threads];
        Thread[] ts = new Thread[threads];
        // the run's set-ups, once, outside the timing (the engine computes them before the frames)
        FitSetup beamSetup = beam.setup(new Harness.Context(ds, p)), ringSetup = ring.setup(new Harness.Context(ds, p));
        long t0 = System.nanoTime();
        int n = (int) ds.frameCount();
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                Harness.Context cb = new Harness.Context(ds, p);
                cb.setup = beamSetup;
                cb.slots.put(BeamFitter.CENTER_X, 0);
                cb.slots.put(BeamFitter.CENTER_Y, 1);
                Harness.Context cr = new Harness.Context(ds, p);
                cr.setup = ringSetup;
                cr.slots.putAll(slotMap());
                cr.upstream.put(BeamFitter.CENTER_X, 0);
                cr.upstream.put(BeamFitter.CENTER_Y, 1);
                var bp = beam.processor(cb);
                var rp = ring.processor(cr);
                Harness.TestFrame fr = new Harness.TestFrame();
                fr.rows = ds.rows;
                fr.cols = ds.cols;
                fr.data = ds.data;
                fr.upstream = new float[2];
                Harness.Out ob = new Harness.Out(2), or = new Harness.Out(RingFitter.OUTPUTS.size());
                long c0 = mx.getCurrentThreadCpuTime();
                int px = ds.rows * ds.cols;
                // each thread takes a contiguous block of the scan, like the engine
                int first = n * id / threads, last = n * (id + 1) / threads;
                long done = 0;
                while (System.nanoTime() - t0 < seconds * 1e9) {
                    for (int i = first; i < last; i++) {
                        fr.index = i;
                        fr.offset = i * px;
                        ob.reset();
                        bp.process(fr, ob);
                        fr.upstream[0] = ob.values[0];
                        fr.upstream[1] = ob.values[1];
                        or.reset();
                        rp.process(fr, or);
                        done++;
                    }
                }
                frames[id] = done;
                cpu[id] = mx.getCurrentThreadCpuTime() - c0;
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        long f = 0, c = 0;
        for (int t = 0; t < threads; t++) { f += frames[t]; c += cpu[t]; }
        return new double[] {f, wall, c / 1e9};
    }

    static Map<String, Integer> slotMap() {
        Map<String, Integer> m = new java.util.HashMap<>();
        for (int i = 0; i < RingFitter.OUTPUTS.size(); i++) m.put(RingFitter.OUTPUTS.get(i), i);
        return m;
    }
}
