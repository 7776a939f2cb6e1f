package org.ltz4d.crystalline;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.ltz4d.api.param.Parameters;

/**
 * Frames/s of the {@code disks} fitter (correlation, peaks, ML refinement, lattice fit) on
 * simulated hexagonal patterns (one grain, strain and rotation fields, beam shift; the lattice of
 * the previous pattern seeds the next, so most patterns are tracked and the FFT search runs when tracking fails), per frame size, on 1 and N threads (each with its own processor,
 * as the engine runs it). Not a unit test: run it by hand (see README.md).
 * Arguments: [seconds per measurement, default 5] [threads, default all cores].
 */
public final class CrystallineBenchmark {
    public static void main(String[] args) throws Exception {
        if (Boolean.getBoolean("fft.single")) pl.edu.icm.jlargearrays.ConcurrencyUtils.setNumberOfThreads(1);
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        for (int size : new int[] {128, 192, 256}) {
            double scale = size / 128.0;
            double[] a = LatticeStrainTest.polar(24 * scale, 10), b = LatticeStrainTest.polar(24 * scale, 70);
            CrystalSim sim = new CrystalSim(16, 16, size, 5 * scale, 1.0, new double[] {a[0], a[1], b[0], b[1]}, true, 400, 3000, 2, 0, 3e-3, 0.4);
            Harness.MemoryDataset ds = sim.sample(1);
            Parameters p = Parameters.of(Map.of(DiskFitter.P_RADIUS, Double.toString(5 * scale)));
            DiskFitter.Setup setup = DiskFitter.createSetup(ds, p);
            for (int t : threads == 1 ? new int[] {1} : new int[] {1, threads}) {
                double fps = measure(setup, ds, t, seconds);
                System.out.printf("frame %d×%d, %d disks/pattern, %d thread(s): %.0f frames/s%n", size, size, countDisks(setup, ds), t, fps);
            }
        }
    }

    static int countDisks(DiskFitter.Setup s, Harness.MemoryDataset ds) {
        DiskFitter.Processor p = new DiskFitter.Processor(s, new int[12]);
        p.analyse(ds.data, 0);
        return p.fit.indexed;
    }

    static double measure(DiskFitter.Setup s, Harness.MemoryDataset ds, int threads, double seconds) throws InterruptedException {
        int px = ds.rows * ds.cols, nf = ds.ny * ds.nx;
        AtomicLong done = new AtomicLong();
        long warm = System.nanoTime() + (long) (1e9 * Math.min(2, seconds / 2));
        long[] startEnd = new long[2];
        Thread[] th = new Thread[threads];
        long t0 = System.nanoTime();
        long stop = warm + (long) (seconds * 1e9);
        for (int k = 0; k < threads; k++) {
            final int id = k;
            th[k] = new Thread(() -> {
                DiskFitter.Processor p = new DiskFitter.Processor(s, new int[12]);
                // each worker walks its own contiguous block of the scan, as the engine hands out blocks
                int per = nf / threads, first = id * per;
                long i = 0;
                while (true) {
                    long now = System.nanoTime();
                    if (now > stop) break;
                    p.analyse(ds.data, (int) (first + i % per) * px);
                    if (now > warm) done.incrementAndGet();
                    i++;
                }
            });
            th[k].start();
        }
        for (Thread t : th) t.join();
        startEnd[0] = t0;
        return done.get() / seconds;
    }
}
