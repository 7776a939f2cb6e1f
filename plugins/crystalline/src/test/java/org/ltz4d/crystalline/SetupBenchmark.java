package org.ltz4d.crystalline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ltz4d.api.analysis.FitSetup;
import org.ltz4d.api.param.Parameters;

/**
 * What the {@code disks} set-up ships and what decoding it costs (issue 14): per frame size, on the realistic
 * two-grain CBED scan (defaults: {@code --disk-model auto} takes the gradient model, contrast signature), with the
 * synthetic template and with {@code --probe FILE}: {@link FitSetup#bytes()}, the bytes of its Java serialisation
 * (what Spark broadcasts), the time of {@link DiskFitter#setup} (reads the sampled frames) and of
 * {@link DiskFitter.Setup#from} (template FFT and disk-model tables, per executor and set-up), median of repeats.
 * Not a unit test: run it by hand (see README.md). Arguments: frame sizes, default 192 512.
 */
public final class SetupBenchmark {
    public static void main(String[] args) throws Exception {
        int[] sizes = args.length > 0 ? java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray() : new int[] {192, 512};
        Path dir = Files.createTempDirectory("setup-bench");
        for (int size : sizes) {
            double scale = size / 128.0;
            double[] a = LatticeStrainTest.polar(24 * scale, 10), b = LatticeStrainTest.polar(24 * scale, 70);
            Harness.MemoryDataset ds = CrystalSim.realistic(8, size, 5 * scale, new double[] {a[0], a[1], b[0], b[1]}, true, 4000, 0.01,
                    new double[] {0, 17}, 3e-3, 0.4).sample(1);
            DiskModel m = new DiskModel(5 * scale, 1.0);
            float[] vacuum = new float[size * size];
            for (int r = 0; r < size; r++) for (int c = 0; c < size; c++) vacuum[r * size + c] = (float) (1000 * m.exact(Math.hypot(c - size / 2.0, r - size / 2.0)) + 1);
            Path npy = ProbeTemplateTest.writeNpy(dir.resolve("vacuum" + size + ".npy"), vacuum, size, size);
            for (Parameters p : new Parameters[] {Parameters.empty(), Parameters.of(Map.of(DiskFitter.P_PROBE, npy.toString()))}) {
                DiskFitter f = new DiskFitter();
                long t0 = System.nanoTime();
                FitSetup s = f.setup(ShippedDiskSetupTest.context(ds, p, FitSetup.NONE));
                double setupMs = (System.nanoTime() - t0) / 1e6;
                int serialised = serialisedBytes(s);
                for (int i = 0; i < 5; i++) DiskFitter.Setup.from(s, ds.source(), ds.sigShape()); // warm-up
                double[] ms = new double[21];
                for (int i = 0; i < ms.length; i++) {
                    long t = System.nanoTime();
                    DiskFitter.Setup.from(s, ds.source(), ds.sigShape());
                    ms[i] = (System.nanoTime() - t) / 1e6;
                }
                java.util.Arrays.sort(ms);
                System.out.printf("frame %d², %s template, %s model: FitSetup.bytes() %,d, serialised %,d bytes; set-up %.0f ms (sampled frames read and fitted); "
                        + "decode %.1f ms (median of %d, min %.1f)%n", size, p.has(DiskFitter.P_PROBE) ? "probe" : "synthetic",
                        s.flag(DiskFitter.K_GRADIENT) ? "gradient" : "uniform", s.bytes(), serialised, setupMs, ms[ms.length / 2], ms.length, ms[0]);
            }
        }
    }

    static int serialisedBytes(FitSetup s) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        return bytes.size();
    }
}
