package org.ltz4d.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 1 through the CLI: {@code calibrate distortion} on an unstrained glass scan of a
 * detector with 0.3 % 3-fold and 0.2 % 6-fold radial distortion measures both (the amorphous
 * module's DistortionCorrectionTest shows that these coefficients remove the strain bias), then
 * {@code analyze --distortion-file} on a strained scan records the file, its SHA-256 and the
 * coefficients on the ring outputs; a truncated file is a one-line error naming file and field.
 */
class DistortionEndToEndIT {
    @TempDir
    Path dir;

    private Map<String, String> home() {
        return Map.of("LTZ4D_HOME", dir.resolve("home").toString());
    }

    private static final List<String> DETECTOR = List.of("--pattern", "glass", "--dose", "2e6", "--distortion-3fold", "0.003",
            "--distortion-3fold-angle-deg", "10", "--distortion-6fold", "0.002", "--distortion-6fold-angle-deg", "5", "--quiet");

    private Cli.Result simulate(Path out, String... more) throws Exception {
        List<String> a = new java.util.ArrayList<>(List.of("simulate", "--out", out.toString()));
        a.addAll(DETECTOR);
        a.addAll(List.of(more));
        return Cli.run(dir, home(), List.of(), a.toArray(String[]::new));
    }

    @Test
    void theCalibrationMeasuresTheHarmonicsAndAnalyzeRecordsIt() throws Exception {
        // the calibration scan: unstrained, no field, no descan (its mean ring is centred on the optical axis)
        Path calScan = dir.resolve("calscan");
        Cli.Result s = simulate(calScan, "--scan", "8,8", "--strain", "none", "--field", "none", "--descan-px", "0");
        assertEquals(0, s.exit(), s.toString());
        Path cal = dir.resolve("cal.json");
        Cli.Result c = Cli.run(dir, home(), List.of(), "calibrate", "distortion", calScan.resolve("data.npy").toString(), "--out", cal.toString());
        assertEquals(0, c.exit(), c.toString());
        JsonNode j = new ObjectMapper().readTree(cal.toFile());
        double[] amp = new double[7], ang = new double[7], sig = new double[7];
        for (JsonNode h : j.get("harmonics")) {
            int n = h.get("n").asInt();
            amp[n] = h.get("amplitude").asDouble();
            ang[n] = h.get("angle_deg").asDouble();
            sig[n] = Math.hypot(h.get("a_sigma").asDouble(), h.get("b_sigma").asDouble());
        }
        String got = c.out();
        System.out.println("calibrate distortion: " + got);
        assertEquals(0.003, amp[3], Math.max(3e-4, 3 * sig[3]), got);
        assertEquals(0.002, amp[6], Math.max(2e-4, 3 * sig[6]), got);
        assertEquals(10, ang[3], 5, got);
        assertEquals(5, ang[6], 3, got);

        // the strained scan analysed with the calibration
        Path sim = dir.resolve("sim");
        s = simulate(sim, "--scan", "6,8");
        assertEquals(0, s.exit(), s.toString());
        Path out = dir.resolve("res");
        Cli.Result r = Cli.run(dir, home(), List.of(), "analyze", sim.resolve("data.npy").toString(), "--pipeline", "amorphous",
                "--beam-kv", "300", "--pixel-mrad", "0.16", "--reference-roi", "0:6,0:2", "--distortion-file", cal.toString(),
                "--quiet", "--out", out.toString());
        assertEquals(0, r.exit(), r.toString());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(cal)));
        try (io.jhdf.HdfFile h5 = new io.jhdf.HdfFile(out.resolve("results.h5"))) {
            var q11 = h5.getDatasetByPath("/ring/q11");
            assertEquals(sha, q11.getAttribute("distortion_file_sha256").getData().toString());
            assertEquals(cal.toAbsolutePath().toString(), q11.getAttribute("distortion_file").getData().toString());
            double[] a = (double[]) q11.getAttribute("distortion_a").getData();
            assertEquals(j.get("harmonics").get(1).get("a").asDouble(), a[1], 1e-15);
            assertArrayEquals(new int[] {3, 4, 6}, (int[]) q11.getAttribute("distortion_removed_orders").getData());
            String prov = h5.getAttribute("provenance").getData().toString();
            assertTrue(prov.contains("distortion-file"), prov);
        }

        // a truncated calibration: one line naming the file and the field, no stack trace
        Path bad = dir.resolve("bad.json");
        String text = Files.readString(cal);
        Files.writeString(bad, text.substring(0, text.length() / 2));
        Cli.Result e = Cli.run(dir, home(), List.of(), "analyze", sim.resolve("data.npy").toString(), "--pipeline", "amorphous",
                "--beam-kv", "300", "--pixel-mrad", "0.16", "--reference-roi", "0:6,0:2", "--distortion-file", bad.toString(),
                "--quiet", "--out", dir.resolve("bad").toString());
        assertNotEquals(0, e.exit(), e.toString());
        assertTrue(e.err().contains("bad.json") && e.err().contains("JSON"), e.toString());
        assertTrue(!e.err().contains("\tat "), e.toString());
    }
}
