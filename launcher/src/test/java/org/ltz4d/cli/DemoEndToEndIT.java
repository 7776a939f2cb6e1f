package org.ltz4d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ltz4d demo} end to end: simulation with known fields → amorphous pipeline (vacuum
 * reference, thickness, reference ROI) → results.h5 with the contract's maps → figures. The test
 * reads the written maps (jHDF) and the written ground truth (.npy) itself and requires the
 * precision the dose allows; every other file it checks must hold values of the right shape.
 */
class DemoEndToEndIT {
    @TempDir
    Path dir;

    /** The demo's default (glass) patterns and the ring model both recover the truth within the same bounds. */
    @ParameterizedTest
    @ValueSource(strings = {"glass", "ring"})
    void demoWritesContractMapsFiguresAndRecoversTheTruth(String pattern) throws Exception {
        Path out = dir.resolve("demo");
        Cli.Result r = Cli.run(dir, Map.of("LTZ4D_HOME", dir.resolve("home").toString()), List.of(), "demo", "--out", out.toString(),
                "--scan", "24,30", "--pattern", pattern);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(Files.exists(out.resolve("results.h5")), r.toString());
        for (String png : List.of("B_colorwheel.png", "strain_orientation.png", "density.png")) {
            BufferedImage img = ImageIO.read(out.resolve(png).toFile());
            assertTrue(img.getWidth() >= 600 && img.getHeight() >= 600, png + " " + img.getWidth() + "×" + img.getHeight());
        }
        // the test compares the written maps with the written ground truth itself (the demo's own printout is not trusted)
        int ny = 24;
        int nx = 30;
        try (io.jhdf.HdfFile h5 = new io.jhdf.HdfFile(out.resolve("results.h5"))) {
            // at 2e6 e⁻/pattern, 60 nm and 300 kV the centre precision (~0.01 px) is ~0.1 T; strain ~1e-4..1e-3
            assertRecovered(h5, out, "magnetic/Bx", "Bx_T", 0.25, ny, nx);
            assertRecovered(h5, out, "magnetic/By", "By_T", 0.25, ny, nx);
            assertRecovered(h5, out, "strain/exx", "exx", 1.5e-3, ny, nx);
            assertRecovered(h5, out, "strain/eyy", "eyy", 1.5e-3, ny, nx);
            assertRecovered(h5, out, "strain/exy", "exy", 1.5e-3, ny, nx);
            assertRecovered(h5, out, "density/relative", "density_relative", 3e-3, ny, nx);
        }
        for (String map : List.of("magnetic/Bx", "magnetic/By", "strain/exx", "density/relative")) {
            assertTrue(r.out().contains(map + " "), "the demo reports its comparison for " + map + "\n" + r.out());
        }
        assertTrue(r.out().contains("failed positions: 0"), r.out());
        assertTrue(Files.exists(out.resolve("correlation.h5")), r.toString());
        try (io.jhdf.HdfFile h5 = new io.jhdf.HdfFile(out.resolve("correlation.h5"))) {
            float[] mis = Arrays2.read(h5, "/correlation/misorientation_deg", ny, nx);
            assertTrue(Arrays2.finite(mis) > 0, "misorientation has values");
            for (float a : mis) assertTrue(!Float.isFinite(a) || (a >= 0 && a <= 90), "misorientation in [0°, 90°]: " + a);
            assertTrue(Arrays2.finite(Arrays2.read(h5, "/correlation/e_me", ny, nx)) > 0, "e_ME has values");
            java.util.Set<Integer> groups = new java.util.TreeSet<>();
            for (float c : Arrays2.read(h5, "/correlation/cluster", ny, nx)) {
                assertTrue(c == -1 || c == 0 || c == 1, "a cluster label of the default 2 clusters, or -1: " + c);
                if (c >= 0) groups.add((int) c);
            }
            assertEquals(java.util.Set.of(0, 1), groups, "both clusters are populated");
        }
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("magnetic/Bx") && html.contains("data:image/png;base64"), "report embeds maps and figures");

        // the correlate command with its own options
        Cli.Result corr = Cli.run(dir, Map.of("LTZ4D_HOME", dir.resolve("home").toString()), List.of(), "correlate",
                out.resolve("results.h5").toString(), "--clusters", "3", "--direction-deg", "90", "--hist2d", "strain/exx,density/relative",
                "--out", dir.resolve("corr").toString());
        assertEquals(0, corr.exit(), corr.toString());
        int pairs;
        try (io.jhdf.HdfFile h5 = new io.jhdf.HdfFile(out.resolve("results.h5"))) {
            float[] exx = Arrays2.read(h5, "/strain/exx", 24, 30);
            float[] rho = Arrays2.read(h5, "/density/relative", 24, 30);
            pairs = 0;
            for (int i = 0; i < exx.length; i++) if (Float.isFinite(exx[i]) && Float.isFinite(rho[i])) pairs++;
        }
        try (io.jhdf.HdfFile h5 = new io.jhdf.HdfFile(dir.resolve("corr/correlation.h5"))) {
            io.jhdf.api.Dataset counts = h5.getDatasetByPath("/histograms/strain_exx_vs_density_relative/counts");
            float[] c = Arrays2.read(h5, counts.getPath(), counts.getDimensions());
            double total = 0;
            for (float v : c) {
                assertTrue(v >= 0 && v == Math.rint(v), "a count: " + v);
                total += v;
            }
            assertTrue(pairs > 0 && total > 0.9 * pairs && total <= pairs, "the histogram counts the positions where both maps have a value: "
                    + total + " of " + pairs);
        }
        Cli.Result rep = Cli.run(dir, Map.of("LTZ4D_HOME", dir.resolve("home").toString()), List.of(), "report", dir.resolve("corr").toString());
        assertEquals(0, rep.exit(), rep.toString());
        assertTrue(Files.exists(dir.resolve("corr/report.html")));

        // the same data with S(q) and G(r) at every position (--pdf): the contract's datasets
        Cli.Result pdf = Cli.run(dir, Map.of("LTZ4D_HOME", dir.resolve("home").toString()), List.of(), "analyze",
                out.resolve("data.npy").toString(), "--pipeline", "amorphous", "--pdf", "--composition", "Fe85.2Si0.5B9.5P4Cu0.8",
                "--beam-kv", "300", "--pixel-mrad", "0.16", "--descan", "plane", "--reference-roi", "0:24,0:6", "--out",
                dir.resolve("pdf").toString());
        assertEquals(0, pdf.exit(), pdf.toString());
        try (io.jhdf.HdfFile h5 = new io.jhdf.HdfFile(dir.resolve("pdf/results.h5"))) {
            // per-position maps: the scan's shape and values; S(q) and G(r): one curve per position on a shared axis
            for (String p : List.of("/pdf/r_first_peak", "/pdf/G_first_peak", "/magnetic/Bt_x", "/strain/e_ten", "/density/relative")) {
                assertTrue(Arrays2.finite(Arrays2.read(h5, p, 24, 30)) > 0.95 * 24 * 30, p + " has a value at (nearly) every position");
            }
            assertEquals(0, Arrays2.finite(Arrays2.read(h5, "/pdf/coordination", 24, 30)),
                    "the coordination number needs --number-density, which this run does not give: NaN everywhere, as documented");
            assertEquals(24 * 30, Arrays2.finite(Arrays2.read(h5, "/fit/mask", 24, 30)), "the mask is defined everywhere");
            int nq = h5.getDatasetByPath("/sq/q").getDimensions()[0];
            int nr = h5.getDatasetByPath("/pdf/r").getDimensions()[0];
            assertTrue(Arrays2.finite(Arrays2.read(h5, "/sq/q", nq)) == nq && Arrays2.finite(Arrays2.read(h5, "/pdf/r", nr)) == nr);
            float[] sq = Arrays2.read(h5, "/sq/S", 24, 30, nq);
            float[] g = Arrays2.read(h5, "/pdf/G", 24, 30, nr);
            assertTrue(Arrays2.finite(sq) > 0.95 * sq.length && Arrays2.finite(g) > 0.95 * g.length, "S(q) and G(r) have values");
        }

        // the deflection map integrates into a phase (DPC), written as DIR/results.h5
        Cli.Result dpc = Cli.run(dir, Map.of("LTZ4D_HOME", dir.resolve("home").toString()), List.of(), "dpc-phase",
                out.resolve("results.h5").toString(), "--out", dir.resolve("dpc").toString());
        assertEquals(0, dpc.exit(), dpc.toString());
        try (io.jhdf.HdfFile h5 = new io.jhdf.HdfFile(dir.resolve("dpc/results.h5"))) {
            assertTrue(Arrays2.finite(Arrays2.read(h5, "/dpc/phase", 24, 30)) == 24 * 30, "a phase at every position");
        }
    }

    /**
     * The map at {@code path} of results.h5 against {@code truth_NAME.npy}: values at 95 % of the
     * positions at least, an RMS error over them below {@code bound} and below half the truth's own
     * RMS (so a map of zeros or of noise fails).
     */
    private static void assertRecovered(io.jhdf.HdfFile h5, Path out, String path, String truth, double bound, int ny, int nx)
            throws java.io.IOException {
        float[] m = Arrays2.read(h5, "/" + path, ny, nx);
        float[] t = Arrays2.npy(out.resolve("truth_" + truth + ".npy"), ny, nx);
        double se = 0;
        double st = 0;
        int n = 0;
        for (int i = 0; i < m.length; i++) {
            assertTrue(Float.isFinite(t[i]), "truth " + truth + " at " + i);
            if (!Float.isFinite(m[i])) continue;
            se += (m[i] - t[i]) * (double) (m[i] - t[i]);
            st += t[i] * (double) t[i];
            n++;
        }
        assertTrue(n > 0, path + " has no finite value");
        assertTrue(n >= 0.95 * m.length, path + " has values at only " + n + " of " + m.length + " positions");
        double rms = Math.sqrt(se / n);
        double truthRms = Math.sqrt(st / n);
        assertTrue(rms < bound, path + " RMS error " + rms + " ≥ " + bound + " (truth RMS " + truthRms + ")");
        assertTrue(rms < 0.5 * truthRms, path + " RMS error " + rms + " is not small against the truth's RMS " + truthRms);
    }
}
