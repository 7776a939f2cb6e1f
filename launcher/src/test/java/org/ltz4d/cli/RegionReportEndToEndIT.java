package org.ltz4d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ltz4d report DIR --region NAME=SPEC --roi … --mask …} end to end: a simulated scan of
 * magnetic domains (B_y = +1 T, −1 T, +1 T, −1 T across four column bands, walls between, no
 * strain) is analysed with its vacuum reference; the report compares three regions inside
 * different domains. Each region's mean B (region-stats, the same correlator as {@code correlate
 * --roi}) must equal the mean of the simulation's truth over the region within 3 standard errors
 * (SEM from the {@code /uncertainty} maps), the domains must be told apart, and a wrong region
 * must give the same error as {@code correlate}.
 */
class RegionReportEndToEndIT {
    private static final int ROWS = 8;
    private static final int COLS = 16;

    @TempDir
    Path dir;

    private Map<String, String> home() {
        return Map.of("LTZ4D_HOME", dir.resolve("home").toString());
    }

    @Test
    void regionTableMeansEqualTheTruthWithinTheirStandardErrors() throws Exception {
        Path sim = dir.resolve("sim");
        Cli.Result s = Cli.run(dir, home(), List.of(), "simulate", "--out", sim.toString(), "--scan", ROWS + "," + COLS, "--detector", "128,128",
                "--ring-radius-px", "40", "--dose", "2e6", "--field", "domains", "--field-tesla", "1", "--strain", "none", "--density", "uniform",
                "--seed", "23", "--quiet");
        assertEquals(0, s.exit(), s.toString());
        Path out = dir.resolve("analysis");
        Cli.Result a = Cli.run(dir, home(), List.of(), "analyze", sim.resolve("data.npy").toString(), "--pipeline", "amorphous", "--beam-kv", "300",
                "--pixel-mrad", "0.16", "--thickness-nm", "60", "--vacuum", sim.resolve("vacuum.npy").toString(), "--reference-roi", "0:" + ROWS + ",0:" + COLS, "--ring-envelope-slope", "0",
                "--quiet", "--out", out.toString());
        assertEquals(0, a.exit(), a.toString());

        // a mask file for the third region: domain 3 (columns 9–10)
        Path mask = dir.resolve("third.npy");
        writeMask(mask, 9, 11);
        Cli.Result r = Cli.run(dir, home(), List.of(), "report", out.toString(), "--region", "up=0:8,1:3", "--region", "down=0:8,5:7",
                "--mask", mask.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("report: " + out.resolve("report.html")), r.toString());
        float[] tx = Arrays2.npy(sim.resolve("truth_Bx_T.npy"), ROWS, COLS);
        float[] ty = Arrays2.npy(sim.resolve("truth_By_T.npy"), ROWS, COLS);
        double[][] want = new double[3][];
        String[] names = {"up", "down", "mask1"};
        int[][] cols = {{1, 3}, {5, 7}, {9, 11}};
        double[][] got = new double[3][];
        for (int k = 0; k < 3; k++) {
            want[k] = new double[] {mean(tx, cols[k]), mean(ty, cols[k])};
            JsonNode sum = summary(out.resolve("regions").resolve(names[k]).resolve("correlation.h5"));
            got[k] = new double[2];
            String[] comp = {"Bx", "By"};
            for (int c = 0; c < 2; c++) {
                String key = "region-stats.magnetic/" + comp[c];
                double m = sum.get(key + ".mean").asDouble(), sem = sum.get(key + ".sem").asDouble();
                assertEquals(ROWS * 2, sum.get(key + ".n").asLong(), names[k]);
                assertEquals("/uncertainty/" + comp[c], sum.get(key + ".sem_source").asText(), "SEM from the uncertainty map");
                double z = (m - want[k][c]) / sem;
                System.out.printf("region %s %s: mean %.4f T, truth %.4f T, SEM %.4f T, std %.4f T, z %.2f%n", names[k], comp[c], m,
                        want[k][c], sem, sum.get(key + ".std").asDouble(), z);
                assertTrue(sem > 0 && Math.abs(z) < 3, names[k] + " " + comp[c] + ": mean " + m + " vs truth " + want[k][c] + ", SEM " + sem);
                got[k][c] = m;
            }
        }
        assertTrue(got[0][1] > 0.5 && got[1][1] < -0.5 && got[2][1] > 0.5, "the domains told apart: " + got[0][1] + ", " + got[1][1] + ", " + got[2][1]);
        String html = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
        for (String n : names) {
            assertTrue(html.contains("id=\"region-" + n + "\""), n);
            assertTrue(html.contains("alt=\"histogram of /magnetic/By in " + n + "\""), n);
        }
        assertTrue(html.contains("Comparison (region-stats)") && html.contains("roi 0:8,1:3") && html.contains("mask " + mask), "table and specs");

        // the same parser and message as correlate --roi
        Cli.Result bad = Cli.run(dir, home(), List.of(), "report", out.toString(), "--roi", "0:99,0:2");
        Cli.Result badCorr = Cli.run(dir, home(), List.of(), "correlate", out.resolve("results.h5").toString(), "--roi", "0:99,0:2", "--out",
                dir.resolve("c").toString());
        assertNotEquals(0, bad.exit(), bad.toString());
        assertNotEquals(0, badCorr.exit(), badCorr.toString());
        assertEquals(badCorr.err().strip(), bad.err().strip());
        Cli.Result badName = Cli.run(dir, home(), List.of(), "report", out.toString(), "--region", "=0:2,0:2");
        assertNotEquals(0, badName.exit(), badName.toString());
        assertTrue(badName.err().contains("region") && badName.err().contains("NAME=SPEC"), badName.toString());
    }

    private static double mean(float[] v, int[] cols) {
        double s = 0;
        int n = 0;
        for (int r = 0; r < ROWS; r++) for (int c = cols[0]; c < cols[1]; c++) {
            s += v[r * COLS + c];
            n++;
        }
        return s / n;
    }

    private static JsonNode summary(Path h5) throws Exception {
        try (HdfFile f = new HdfFile(h5)) {
            return new ObjectMapper().readTree(f.getAttribute("provenance").getData().toString()).get("summary");
        }
    }

    /** A uint8 .npy mask (1 in columns c0..c1−1 of every row). */
    private static void writeMask(Path file, int c0, int c1) throws Exception {
        String header = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + ROWS + ", " + COLS + "), }";
        StringBuilder h = new StringBuilder(header);
        while ((10 + h.length() + 1) % 64 != 0) h.append(' ');
        h.append('\n');
        byte[] hb = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[10 + hb.length + ROWS * COLS];
        all[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.ISO_8859_1), 0, all, 1, 5);
        all[6] = 1;
        all[8] = (byte) (hb.length & 0xff);
        all[9] = (byte) (hb.length >> 8);
        System.arraycopy(hb, 0, all, 10, hb.length);
        for (int r = 0; r < ROWS; r++) for (int c = c0; c < c1; c++) all[10 + hb.length + r * COLS + c] = 1;
        Files.write(file, all);
    }
}
