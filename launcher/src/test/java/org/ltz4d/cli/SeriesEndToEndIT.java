package org.ltz4d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ltz4d analyze-series} end to end: three simulated steps of a uniform field (0, 0.5 T at
 * 0°, 1 T at 90°) analysed with one shared descan (a parabola fitted to the field-free first step) and one
 * shared strain reference; the difference maps must equal the known field differences within the
 * propagated standard errors; series.json records the sharing, and {@code --per-step-descan} fits the
 * descan per step (which then takes up a uniform field change).
 */
class SeriesEndToEndIT {
    private static final int ROWS = 8;
    private static final int COLS = 10;
    /** Field of each step: magnitude (T) and direction (deg from +x towards +y). */
    private static final double[][] FIELD = {{0, 0}, {0.5, 0}, {1.0, 90}};

    @TempDir
    Path dir;

    private Map<String, String> home() {
        return Map.of("LTZ4D_HOME", dir.resolve("home").toString());
    }

    private Path simulate(String name, int rows, double tesla, double angleDeg, int seed) throws Exception {
        Path sim = dir.resolve(name);
        Cli.Result s = Cli.run(dir, home(), List.of(), "simulate", "--out", sim.toString(), "--scan", rows + "," + COLS,
                "--detector", "128,128", "--ring-radius-px", "40", "--dose", "2e6", "--field", "uniform", "--field-tesla",
                Double.toString(tesla), "--field-angle-deg", Double.toString(angleDeg), "--strain", "none", "--density", "uniform",
                "--seed", Integer.toString(seed), "--no-vacuum", "--quiet");
        assertEquals(0, s.exit(), s.toString());
        return sim.resolve("data.npy");
    }

    private List<String> analyzeSeries(Path out, List<Path> files) {
        List<String> a = new ArrayList<>(List.of("analyze-series"));
        files.forEach(f -> a.add(f.toString()));
        a.addAll(List.of("--pipeline", "amorphous", "--beam-kv", "300", "--pixel-mrad", "0.16", "--thickness-nm", "60",
                "--descan", "parabola", "--reference-roi", "0:" + ROWS + ",0:3", "--ring-envelope-slope", "0", "--quiet", "--out", out.toString()));
        return a;
    }

    @Test
    void differenceMapsEqualTheKnownFieldStepsWithinTheirStandardErrorsAndTheAnimationHasAFrameAStep() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < FIELD.length; i++) files.add(simulate("step" + i, ROWS, FIELD[i][0], FIELD[i][1], 11 + i));

        // a step of another scan shape: a typed error naming the file and the field, before any analysis
        Path odd = simulate("odd", ROWS - 2, 0.5, 0, 7);
        Path badOut = dir.resolve("bad");
        Cli.Result bad = Cli.run(dir, home(), List.of(), analyzeSeries(badOut, List.of(files.get(0), odd)).toArray(String[]::new));
        assertNotEquals(0, bad.exit(), bad.toString());
        assertTrue(bad.err().contains(odd.toString()) && bad.err().contains("scan shape") && bad.err().contains("[" + ROWS + ", " + COLS + "]"),
                bad.toString());
        assertFalse(Files.exists(badOut.resolve("step-000").resolve("results.h5")), "nothing analysed");

        Path out = dir.resolve("series");
        Cli.Result r = Cli.run(dir, home(), List.of(), analyzeSeries(out, files).toArray(String[]::new));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("shared reference: the descan surface of step 0"), r.toString());
        assertTrue(r.out().contains("shared reference: the ring form of step 0"), r.toString());
        for (int i = 0; i < FIELD.length; i++) {
            assertTrue(Files.exists(out.resolve(String.format("step-%03d", i)).resolve("results.h5")), "step " + i);
        }

        int n = ROWS * COLS;
        try (HdfFile h5 = new HdfFile(out.resolve("series").resolve("results.h5"))) {
            for (int i = 1; i < FIELD.length; i++) {
                String step = String.format("step_%03d/", i);
                double[] want = {
                    FIELD[i][0] * Math.cos(Math.toRadians(FIELD[i][1])) - FIELD[0][0] * Math.cos(Math.toRadians(FIELD[0][1])),
                    FIELD[i][0] * Math.sin(Math.toRadians(FIELD[i][1])) - FIELD[0][0] * Math.sin(Math.toRadians(FIELD[0][1]))};
                String[] comp = {"Bx", "By"};
                for (int c = 0; c < 2; c++) {
                    float[] d = Arrays2.read(h5, step + "magnetic/" + comp[c], ROWS, COLS);
                    float[] s = Arrays2.read(h5, step + "uncertainty/" + comp[c], ROWS, COLS);
                    assertEquals("T", h5.getDatasetByPath(step + "magnetic/" + comp[c]).getAttribute("unit").getData().toString());
                    double err2 = 0;
                    double sig2 = 0;
                    for (int k = 0; k < n; k++) {
                        err2 += (d[k] - want[c]) * (d[k] - want[c]);
                        sig2 += s[k] * (double) s[k];
                    }
                    double rmsErr = Math.sqrt(err2 / n);
                    double rmsSig = Math.sqrt(sig2 / n);
                    System.out.printf("series step %d Δ%s: want %.4f T, RMS error %.4g T, RMS standard error %.4g T%n", i, comp[c], want[c],
                            rmsErr, rmsSig);
                    assertTrue(rmsSig > 0 && rmsErr < 2 * rmsSig, step + comp[c] + ": RMS error " + rmsErr + " T vs standard error " + rmsSig + " T");
                }
                // no strain change was simulated: the strain differences are noise about zero
                float[] exx = Arrays2.read(h5, step + "strain/exx", ROWS, COLS);
                float[] sexx = Arrays2.read(h5, step + "uncertainty/exx", ROWS, COLS);
                double err2 = 0;
                double sig2 = 0;
                for (int k = 0; k < n; k++) {
                    err2 += exx[k] * (double) exx[k];
                    sig2 += sexx[k] * (double) sexx[k];
                }
                assertTrue(Math.sqrt(err2 / n) < 2 * Math.sqrt(sig2 / n), "Δexx " + Math.sqrt(err2 / n) + " vs " + Math.sqrt(sig2 / n));
            }
        }

        try (ImageInputStream in = ImageIO.createImageInputStream(out.resolve("B_series.gif").toFile())) {
            ImageReader gif = ImageIO.getImageReaders(in).next();
            gif.setInput(in);
            assertEquals(FIELD.length, gif.getNumImages(true), "one frame a step");
            String meta = new String(Files.readAllBytes(out.resolve("B_series.gif")), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(meta.contains("NETSCAPE2.0"), "loops");
        }

        JsonNode json = new ObjectMapper().readTree(out.resolve("series.json").toFile());
        assertEquals(FIELD.length, json.get("steps").size());
        for (int i = 0; i < FIELD.length; i++) {
            JsonNode st = json.get("steps").get(i);
            assertEquals("T", st.get("B_unit").asText());
            // the mean over 80 positions: σ/√80 ≈ 0.01 T of noise, and the shared descan surface's error
            assertEquals(FIELD[i][0] * Math.cos(Math.toRadians(FIELD[i][1])), st.get("mean_Bx").asDouble(), 0.05, "mean Bx of step " + i);
            assertEquals(FIELD[i][0] * Math.sin(Math.toRadians(FIELD[i][1])), st.get("mean_By").asDouble(), 0.05, "mean By of step " + i);
            assertTrue(st.get("mean_abs_B").asDouble() >= Math.hypot(st.get("mean_Bx").asDouble(), st.get("mean_By").asDouble()), "mean |B| ≥ |mean B|");
            assertTrue(r.out().contains("step " + i + ": mean |B| "), r.toString());
        }
        JsonNode cal = json.get("calibration");
        assertEquals("shared: the surface of step 0 for every step", cal.get("descan").asText(), json.toString());
        assertFalse(cal.get("per_step_descan").asBoolean());
        assertTrue(cal.get("reference").asText().startsWith("shared: the ring form of step 0"), cal.toString());

        // --per-step-descan: each step's parabola takes up its own uniform field, so the 0.5 T step reads ≈ 0 T
        Path per = dir.resolve("per-step");
        List<String> args = analyzeSeries(per, files.subList(0, 2));
        args.add("--per-step-descan");
        Cli.Result p = Cli.run(dir, home(), List.of(), args.toArray(String[]::new));
        assertEquals(0, p.exit(), p.toString());
        assertFalse(p.out().contains("shared reference: the descan surface"), p.toString());
        JsonNode pj = new ObjectMapper().readTree(per.resolve("series.json").toFile());
        assertEquals("per step (--per-step-descan)", pj.get("calibration").get("descan").asText());
        assertTrue(pj.get("calibration").get("per_step_descan").asBoolean());
        assertEquals(0.0, pj.get("steps").get(1).get("mean_Bx").asDouble(), 0.05, "the per-step descan removes the uniform 0.5 T");
        assertFalse(pj.get("parameters_other_steps").has("descan-coefficients"), pj.toString());
    }

    @Test
    void anAutoScanRotationIsSolvedOnTheReferenceStepAndSharedWithEveryStep() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path sim = dir.resolve("vortex" + i);
            Cli.Result s = Cli.run(dir, home(), List.of(), "simulate", "--out", sim.toString(), "--scan", ROWS + "," + COLS,
                    "--detector", "128,128", "--ring-radius-px", "40", "--dose", "2e6", "--field", "vortex", "--field-tesla", "1",
                    "--strain", "none", "--density", "uniform", "--seed", Integer.toString(31 + i), "--no-vacuum", "--quiet");
            assertEquals(0, s.exit(), s.toString());
            files.add(sim.resolve("data.npy"));
        }
        Path out = dir.resolve("auto");
        List<String> args = analyzeSeries(out, files);
        args.addAll(List.of("--scan-rotation-deg", "auto"));
        Cli.Result r = Cli.run(dir, home(), List.of(), args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("shared calibration: the scan rotation solved on step 0"), r.toString());
        JsonNode cal = new ObjectMapper().readTree(out.resolve("series.json").toFile()).get("calibration");
        assertTrue(cal.get("scan_rotation").asText().startsWith("shared: solved on step 0"), cal.toString());
        // every step in the reference step's frame: the same rotation, not one solved again on each step's own noise
        Object a0 = org.ltz4d.engine.results.Hdf5Results.read(out.resolve("step-000/results.h5")).get("magnetic/Bx").orElseThrow()
                .attributes().get("scan_rotation_deg");
        Object a1 = org.ltz4d.engine.results.Hdf5Results.read(out.resolve("step-001/results.h5")).get("magnetic/Bx").orElseThrow()
                .attributes().get("scan_rotation_deg");
        double d0 = Double.parseDouble(String.valueOf(a0)), d1 = Double.parseDouble(String.valueOf(a1));
        assertEquals(d0, d1, 1e-9, "step 1's scan rotation");
        assertEquals(d0, cal.get("scan_rotation_deg").asDouble(), 1e-9, cal.toString());
    }
}
