package org.ltz4d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ltz4d demo} end to end: simulation with known fields → amorphous pipeline (vacuum
 * reference, thickness, reference ROI) → results.h5 with the contract's maps → figures; the demo's
 * comparison with the ground truth must reach the precision the dose allows.
 */
class DemoEndToEndIT {
    @TempDir
    Path dir;

    @Test
    void demoWritesContractMapsFiguresAndRecoversTheTruth() throws Exception {
        Path out = dir.resolve("demo");
        Cli.Result r = Cli.run(dir, Map.of("LTZ4D_HOME", dir.resolve("home").toString()), List.of(), "demo", "--out", out.toString(),
                "--scan", "24,30", "--pattern", "ring");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(Files.exists(out.resolve("results.h5")), r.toString());
        for (String png : List.of("B_colorwheel.png", "strain_orientation.png", "density.png")) {
            BufferedImage img = ImageIO.read(out.resolve(png).toFile());
            assertTrue(img.getWidth() >= 600 && img.getHeight() >= 600, png + " " + img.getWidth() + "×" + img.getHeight());
        }
        // the demo prints the RMS error of each map against the ground truth
        double bx = rms(r.out(), "magnetic/Bx");
        double by = rms(r.out(), "magnetic/By");
        double exx = rms(r.out(), "strain/exx");
        // at 2e6 e⁻/pattern, 60 nm and 300 kV the centre precision (~0.01 px) is ~0.1 T; strain ~1e-4..1e-3
        assertTrue(bx < 0.25 && by < 0.25, "B RMS error " + bx + ", " + by + " T\n" + r.out());
        assertTrue(exx < 2e-3, "strain RMS error " + exx + "\n" + r.out());
        assertTrue(r.out().contains("failed positions: 0"), r.out());
        assertTrue(Files.exists(out.resolve("correlation.h5")), r.toString());
        try (io.jhdf.HdfFile h5 = new io.jhdf.HdfFile(out.resolve("correlation.h5"))) {
            for (String p : List.of("/correlation/misorientation_deg", "/correlation/e_me", "/correlation/cluster")) {
                assertTrue(h5.getDatasetByPath(p) != null, p);
            }
        }
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("magnetic/Bx") && html.contains("data:image/png;base64"), "report embeds maps and figures");

        // the correlate command with its own options
        Cli.Result corr = Cli.run(dir, Map.of("LTZ4D_HOME", dir.resolve("home").toString()), List.of(), "correlate",
                out.resolve("results.h5").toString(), "--clusters", "3", "--direction-deg", "90", "--hist2d", "strain/exx,density/relative",
                "--out", dir.resolve("corr").toString());
        assertEquals(0, corr.exit(), corr.toString());
        try (io.jhdf.HdfFile h5 = new io.jhdf.HdfFile(dir.resolve("corr/correlation.h5"))) {
            assertTrue(h5.getDatasetByPath("/histograms/strain_exx_vs_density_relative/counts") != null);
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
            for (String p : List.of("/sq/q", "/sq/S", "/pdf/r", "/pdf/G", "/pdf/r_first_peak", "/pdf/G_first_peak", "/pdf/coordination",
                    "/magnetic/Bt_x", "/strain/e_ten", "/density/relative", "/fit/mask")) {
                assertTrue(h5.getDatasetByPath(p) != null, p);
            }
            int[] dims = h5.getDatasetByPath("/sq/S").getDimensions();
            assertEquals(3, dims.length);
            assertEquals(24, dims[0]);
            assertEquals(30, dims[1]);
        }

        // the deflection map integrates into a phase (DPC), written as DIR/results.h5
        Cli.Result dpc = Cli.run(dir, Map.of("LTZ4D_HOME", dir.resolve("home").toString()), List.of(), "dpc-phase",
                out.resolve("results.h5").toString(), "--out", dir.resolve("dpc").toString());
        assertEquals(0, dpc.exit(), dpc.toString());
        try (io.jhdf.HdfFile h5 = new io.jhdf.HdfFile(dir.resolve("dpc/results.h5"))) {
            float[][] phase = (float[][]) h5.getDatasetByPath("/dpc/phase").getData();
            assertEquals(24, phase.length);
            assertEquals(30, phase[0].length);
        }
    }

    private static double rms(String out, String map) {
        Matcher m = Pattern.compile(Pattern.quote(map) + "\\s+RMS error ([0-9.eE+-]+)").matcher(out);
        assertTrue(m.find(), map + " not compared:\n" + out);
        return Double.parseDouble(m.group(1));
    }
}
