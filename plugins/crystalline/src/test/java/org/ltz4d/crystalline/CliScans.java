package org.ltz4d.crystalline;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes simulated crystalline scans as 4D {@code .npy} files for the CLI ({@code ltz4d analyze ...
 * --pipeline crystalline}): not a unit test, run by hand (see README.md). Arguments: output folder,
 * [scan side of the two-grain scan, default 32]. Writes {@code two-grain.npy} (realistic CBED as in
 * {@code LatticeStrainTest.realisticThreeGrainScan}: grains turned by 0°, 17°, 40°, 1 % disks, band,
 * halo, ≈ 4.9·10⁵ e⁻/pattern, 192²), {@code two-phase.npy} (16×16, 192²: SmCo5 [0001] on the left half,
 * bcc Fe [111] on the right, realistic disks, pixel {@link #S_PER_PX} Å⁻¹) and the two CIFs.
 */
public final class CliScans {
    /** Detector pixel of the two-phase scan, Å⁻¹: SmCo5's g(100) at 24 px. */
    static final double S_PER_PX = 2 / (Math.sqrt(3) * 4.99) / 24;

    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        double[] a = LatticeStrainTest.polar(24, 10), b = LatticeStrainTest.polar(24, 70);
        CrystalSim grains = CrystalSim.realistic(n, 192, 5.0, new double[] {a[0], a[1], b[0], b[1]}, true, 4000, 0.01, new double[] {0, 17, 40}, 3e-3, 0.4);
        write(dir.resolve("two-grain.npy"), n, n, 192, i -> grains);
        double g110 = Math.sqrt(2) / 2.8665 / S_PER_PX;
        double[] c = LatticeStrainTest.polar(g110, 10), d = LatticeStrainTest.polar(g110, 70);
        CrystalSim smco5 = CrystalSim.realistic(16, 192, 5.0, new double[] {a[0], a[1], b[0], b[1]}, true, 4000, 0.01, new double[] {0, 17}, 2e-3, 0.4);
        CrystalSim fe = CrystalSim.realistic(16, 192, 5.0, new double[] {c[0], c[1], d[0], d[1]}, true, 4000, 0.01, new double[] {0, 17}, 2e-3, 0.4);
        write(dir.resolve("two-phase.npy"), 16, 16, 192, i -> i % 16 < 8 ? smco5 : fe);
        Files.writeString(dir.resolve("SmCo5.cif"), PhaseScanTest.SMCO5);
        Files.writeString(dir.resolve("Fe.cif"), PhaseScanTest.FE);
        System.out.printf("wrote %s: two-grain.npy (%d×%d), two-phase.npy (16×16, left SmCo5, right Fe; --pixel-inv-angstrom %.6f)%n",
                dir, n, n, S_PER_PX);
    }

    private static void write(Path file, int ny, int nx, int size, java.util.function.IntFunction<CrystalSim> simOf) throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + ny + ", " + nx + ", " + size + ", " + size + "), }";
        int total = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - total % 64) % 64) + "\n";
        int px = size * size;
        double[] lam = new double[px];
        ByteBuffer frame = ByteBuffer.allocate(4 * px).order(ByteOrder.LITTLE_ENDIAN);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            ByteBuffer h = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
            h.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) header.length());
            out.write(h.array());
            out.write(header.getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < ny * nx; i++) {
                CrystalSim sim = simOf.apply(i);
                sim.expected(i, lam);
                java.util.SplittableRandom rnd = new java.util.SplittableRandom(7 * 1000003L + i);
                frame.clear();
                for (int j = 0; j < px; j++) frame.putFloat(CrystalSim.poisson(rnd, lam[j]));
                out.write(frame.array());
            }
        }
    }
}
