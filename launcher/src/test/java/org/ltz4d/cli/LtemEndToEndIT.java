package org.ltz4d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ltz4d ltem tie} end to end: three images (under, in, over focus) of a known phase made
 * with the transport-of-intensity equation, read through the readers, reconstructed through the
 * engine and the ltem bundle; the phase written to results.h5 must match the truth.
 */
class LtemEndToEndIT {
    @TempDir
    Path dir;

    static final int N = 128;
    static final double PIXEL_NM = 4;
    static final double DEFOCUS_NM = 50_000;
    static final double LAMBDA_NM = 1.96876e-3; // 300 kV

    /** A Gaussian phase bump of 1 rad, σ = 12 px. */
    static double phase(int y, int x) {
        double dx = x - N / 2.0;
        double dy = y - N / 2.0;
        return Math.exp(-(dx * dx + dy * dy) / (2 * 12.0 * 12.0));
    }

    static void writeImage(Path f, double z) throws IOException {
        // TIE at uniform intensity: I(z) = 1 − (λz/2π)·∇²φ, ∇² by finite differences (nm⁻²)
        float[] v = new float[N * N];
        for (int y = 0; y < N; y++) {
            for (int x = 0; x < N; x++) {
                double lap = (phase(y, Math.min(N - 1, x + 1)) + phase(y, Math.max(0, x - 1)) + phase(Math.min(N - 1, y + 1), x)
                        + phase(Math.max(0, y - 1), x) - 4 * phase(y, x)) / (PIXEL_NM * PIXEL_NM);
                v[y * N + x] = (float) (1 - LAMBDA_NM * z / (2 * Math.PI) * lap);
            }
        }
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + N + ", " + N + "), }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (float f1 : v) b.putFloat(f1);
        Files.write(f, b.array());
    }

    @Test
    void tieRecoversAKnownPhase() throws Exception {
        Path under = dir.resolve("under.npy");
        Path in = dir.resolve("in.npy");
        Path over = dir.resolve("over.npy");
        writeImage(under, -DEFOCUS_NM);
        writeImage(in, 0);
        writeImage(over, DEFOCUS_NM);
        Path out = dir.resolve("tie");
        Cli.Result r = Cli.run(dir, Map.of("LTZ4D_HOME", dir.resolve("home").toString()), List.of(), "ltem", "tie", "--images",
                under.toString(), in.toString(), over.toString(), "--defocus-nm", Double.toString(DEFOCUS_NM), "--pixel-nm",
                Double.toString(PIXEL_NM), "--beam-kv", "300", "--out", out.toString());
        assertEquals(0, r.exit(), r.toString());
        float[] phi;
        try (HdfFile h5 = new HdfFile(out.resolve("results.h5"))) {
            float[][] p = (float[][]) h5.getDatasetByPath("/ltem/phase").getData();
            phi = new float[N * N];
            for (int y = 0; y < N; y++) System.arraycopy(p[y], 0, phi, y * N, N);
            assertTrue(Arrays2.finite(Arrays2.read(h5, "/magnetic/Bt_x", N, N)) > 0.95 * N * N, "B·t_x has values");
        }
        // correlation with the truth (both mean-free)
        double mt = 0;
        double mp = 0;
        for (int i = 0; i < N * N; i++) {
            mt += phase(i / N, i % N);
            mp += phi[i];
        }
        mt /= N * N;
        mp /= N * N;
        double stp = 0;
        double stt = 0;
        double spp = 0;
        for (int i = 0; i < N * N; i++) {
            double t = phase(i / N, i % N) - mt;
            double p = phi[i] - mp;
            stp += t * p;
            stt += t * t;
            spp += p * p;
        }
        double corr = stp / Math.sqrt(stt * spp);
        assertTrue(corr > 0.95, "phase correlation with the truth " + corr);
        assertTrue(Files.list(out).anyMatch(p -> p.toString().endsWith(".png")), "figures written");
    }
}
