package org.ltz4d.crystalline;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.ltz4d.api.param.Parameters;

/**
 * Frames/s of the {@code disks} fitter (correlation, peaks, ML refinement, lattice fit) on
 * simulated hexagonal patterns (one grain, strain and rotation fields, beam shift; the lattice of
 * the previous pattern seeds the next, so most patterns are tracked and the FFT search runs when tracking fails), per frame size, on 1 and N threads (each with its own processor,
 * as the engine runs it). Not a unit test: run it by hand (see README.md).
 * Arguments: [seconds per measurement, default 5] [threads, default all cores]; {@code -Dbench.warm=S} seconds of warm-up
 * (default min(2, half the measurement); longer on a loaded machine, where the JIT compiler gets little CPU); {@code -Dbench.search=true}
 * turns tracking off, so that every pattern takes the full FFT search. Reports the CPU time per
 * frame (ThreadMXBean) besides the wall-clock rate, which a loaded machine makes meaningless.
 */
public final class CrystallineBenchmark {
    public static void main(String[] args) throws Exception {
        if (Boolean.getBoolean("fft.single")) pl.edu.icm.jlargearrays.ConcurrencyUtils.setNumberOfThreads(1);
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        // -Dbench.sizes=192 (comma-separated): only these frame sizes
        int[] sizes = java.util.Arrays.stream(System.getProperty("bench.sizes", "128,192,256").split(",")).mapToInt(Integer::parseInt).toArray();
        for (int size : sizes) {
            double scale = size / 128.0;
            double[] a = LatticeStrainTest.polar(24 * scale, 10), b = LatticeStrainTest.polar(24 * scale, 70);
            // -Dbench.realistic=true: the realistic CBED of LatticeStrainTest.realisticThreeGrainScan (1 % disks, inner contrast,
            // halo, three grains, 4.9e5 e⁻/pattern) at defaults (auto → gradient model, contrast labels)
            boolean realistic = Boolean.getBoolean("bench.realistic");
            CrystalSim sim = realistic
                    ? CrystalSim.realistic(16, size, 5 * scale, new double[] {a[0], a[1], b[0], b[1]}, true, 4000, 0.01, new double[] {0, 17, 40}, 3e-3, 0.4)
                    : new CrystalSim(16, 16, size, 5 * scale, 1.0, new double[] {a[0], a[1], b[0], b[1]}, true, 400, 3000, 2, 0, 3e-3, 0.4);
            Harness.MemoryDataset ds = sim.sample(1);
            Parameters p = realistic ? Parameters.empty() : Parameters.of(Map.of(DiskFitter.P_RADIUS, Double.toString(5 * scale)));
            if (Boolean.parseBoolean(System.getProperty("bench.rowAbove", "true"))) p = p.with(DiskFitter.P_ROW_MEMORY, "true");
            DiskFitter.Setup setup = DiskFitter.createSetup(ds, p);
            for (int t : threads == 1 ? new int[] {1} : new int[] {1, threads}) {
                double fps = measure(setup, ds, t, seconds);
                double cpuMs = cpuNanos.get() / 1e6 / Math.max(1, cpuFrames.get());
                System.out.printf("frame %d×%d, %d disks/pattern, %s model, %d thread(s): %.0f frames/s wall; CPU %.3f ms/frame "
                        + "→ %.0f frames/s per core, %.0f on %d cores (load average %.1f)%n", size, size, countDisks(setup, ds),
                        setup.gradient() ? "gradient" : "uniform", t, fps, cpuMs, 1000 / cpuMs, 1000 * Runtime.getRuntime().availableProcessors() / cpuMs,
                        Runtime.getRuntime().availableProcessors(), java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
        }
    }

    static int countDisks(DiskFitter.Setup s, Harness.MemoryDataset ds) {
        DiskFitter.Processor p = new DiskFitter.Processor(s, new int[12]);
        p.analyse(ds.data, 0);
        return p.fit.indexed;
    }

    static final AtomicLong cpuNanos = new AtomicLong(), cpuFrames = new AtomicLong();

    /** Frames/s (wall clock); the CPU time per frame of the measured frames goes to {@link #cpuNanos}/{@link #cpuFrames}. */
    static double measure(DiskFitter.Setup s, Harness.MemoryDataset ds, int threads, double seconds) throws InterruptedException {
        cpuNanos.set(0);
        cpuFrames.set(0);
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        boolean rowAbove = Boolean.parseBoolean(System.getProperty("bench.rowAbove", "true"));
        int px = ds.rows * ds.cols, nf = ds.ny * ds.nx;
        AtomicLong done = new AtomicLong();
        long warm = System.nanoTime() + (long) (1e9 * Double.parseDouble(System.getProperty("bench.warm", Double.toString(Math.min(2, seconds / 2))))); // -Dbench.warm=S on a loaded machine
        long[] startEnd = new long[2];
        Thread[] th = new Thread[threads];
        long t0 = System.nanoTime();
        long stop = warm + (long) (seconds * 1e9);
        for (int k = 0; k < threads; k++) {
            final int id = k;
            th[k] = new Thread(() -> {
                DiskFitter.Processor p = new DiskFitter.Processor(s, new int[12]);
                p.tracking = !Boolean.getBoolean("bench.search");
                // each worker walks its own contiguous block of the scan, as the engine hands out blocks
                int per = nf / threads, first = id * per;
                long i = 0, cpu0 = -1, frames = 0;
                while (true) {
                    long now = System.nanoTime();
                    if (now > stop) break;
                    if (now > warm && cpu0 < 0) cpu0 = mx.getCurrentThreadCpuTime();
                    // the scan position lets tracking start from the pattern one row above (-Dbench.rowAbove=false: only the previous one)
                    p.analyse(ds.data, (int) (first + i % per) * px, rowAbove ? first + i % per : -1);
                    if (now > warm) {
                        done.incrementAndGet();
                        frames++;
                    }
                    i++;
                }
                if (id == 0) System.out.printf("worker 0: %d patterns, %d searched, %.2f passes per profile fit%n", i, p.searches,
                        p.finder.passCount / (double) Math.max(1, p.finder.profileFits));
                if (cpu0 >= 0) {
                    cpuNanos.addAndGet(mx.getCurrentThreadCpuTime() - cpu0);
                    cpuFrames.addAndGet(frames);
                }
            });
            th[k].start();
        }
        for (Thread t : th) t.join();
        startEnd[0] = t0;
        return done.get() / seconds;
    }
}
