package org.ltz4d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.units.Unit;

/**
 * {@code ltz4d register MAP --to results.h5 [--landmarks FILE] --out DIR} through the runnable jar:
 * one JSON object on stdout with rotation_deg, scale, shift_px [x, y] and residual_px, the same in
 * DIR/registration.json, the map resampled in DIR/registration.h5 (a valid NeXus file).
 */
class RegisterEndToEndIT {
    @TempDir
    Path dir;

    /** A smooth field of a few Gaussian blobs, in map pixel coordinates. */
    private static double field(double x, double y) {
        double[][] blobs = {{20, 30, 6, 1}, {70, 20, 8, 0.8}, {50, 60, 5, 1.2}, {90, 80, 9, 0.7}, {30, 90, 7, 0.9}, {60, 40, 4, 0.6},
            {85, 45, 5, 1.0}, {15, 65, 6, 0.8}, {45, 15, 5, 0.9}, {75, 100, 6, 1.1}};
        double v = 0;
        for (double[] b : blobs) v += b[3] * Math.exp(-((x - b[0]) * (x - b[0]) + (y - b[1]) * (y - b[1])) / (2 * b[2] * b[2]));
        return v;
    }

    @Test
    void registerPrintsTheTransformAsOneJsonObjectAndWritesTheResampledMap() throws Exception {
        int n = 112, scan = 48;
        BufferedImage img = new BufferedImage(n, n, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < n; y++) for (int x = 0; x < n; x++) img.getRaster().setSample(x, y, 0, (int) Math.round(field(x, y) * 30000));
        Path png = dir.resolve("sem.png");
        assertTrue(ImageIO.write(img, "png", png.toFile()));
        // the scan: 48² positions at 10 nm; the SEM image has 8 nm pixels; rotated by -20°, scale 0.8
        double theta = -20, scale = 0.8, tx = -10.0, ty = 20.5;
        double c = Math.cos(Math.toRadians(theta)) * scale, s = Math.sin(Math.toRadians(theta)) * scale;
        float[] v = new float[scan * scan];
        double det = c * c + s * s;
        for (int r = 0; r < scan; r++) for (int q = 0; q < scan; q++) {
            double dx = q - tx, dy = r - ty; // inverse of xs = c·x − s·y + tx, ys = s·x + c·y + ty
            v[r * scan + q] = (float) field((c * dx + s * dy) / det, (-s * dx + c * dy) / det);
        }
        Path results = dir.resolve("results.h5");
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("calibration_scan_step_y_nm", 10.0);
        root.put("calibration_scan_step_x_nm", 10.0);
        org.ltz4d.engine.results.Hdf5Results.write(results, MapSet.of(List.of(DataMap.of("virtual/adf", Shape.of(scan, scan), v, Unit.COUNTS,
                "ADF"))), root);
        Path out = dir.resolve("reg");
        Cli.Result r = Cli.run(dir, Map.of("LTZ4D_HOME", dir.resolve("home").toString()), List.of(), "register", png.toString(), "--to",
                results.toString(), "--map-pixel-nm", "8", "--out", out.toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals(1, r.out().strip().lines().count(), "one JSON line on stdout: " + r.out());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(theta, j.get("rotation_deg").asDouble(), 0.05, r.out());
        assertEquals(scale, j.get("scale").asDouble(), 1e-3, r.out());
        assertEquals(tx, j.get("shift_px").get(0).asDouble(), 0.2, r.out());
        assertEquals(ty, j.get("shift_px").get(1).asDouble(), 0.2, r.out());
        assertTrue(j.get("residual_px").asDouble() < 0.2, r.out());
        assertEquals(j, new ObjectMapper().readTree(out.resolve("registration.json").toFile()));
        assertEquals(List.of(), org.ltz4d.results.NexusCheck.errors(out.resolve("registration.h5")));
        try (io.jhdf.HdfFile h5 = new io.jhdf.HdfFile(out.resolve("registration.h5"))) {
            float[][] m = (float[][]) h5.getDatasetByPath("/registered/sem").getData();
            assertEquals(v[24 * scan + 24] * 30000, m[24][24], 0.01 * 30000, "resampled map at the scan centre");
        }
        // landmarks instead: exact pairs give the same transform with zero residual
        Path lm = dir.resolve("lm.txt");
        StringBuilder b = new StringBuilder();
        for (double[] p : new double[][] {{10, 10}, {100, 12}, {50, 90}, {90, 100}}) {
            b.append(p[0]).append(' ').append(p[1]).append(' ').append(c * p[0] - s * p[1] + tx).append(' ').append(s * p[0] + c * p[1] + ty).append('\n');
        }
        Files.writeString(lm, b);
        Cli.Result l = Cli.run(dir, Map.of("LTZ4D_HOME", dir.resolve("home").toString()), List.of(), "register", png.toString(), "--to",
                results.toString(), "--landmarks", lm.toString(), "--out", dir.resolve("reg2").toString());
        assertEquals(0, l.exit(), l.toString());
        JsonNode k = new ObjectMapper().readTree(l.out());
        assertEquals(theta, k.get("rotation_deg").asDouble(), 1e-6);
        assertEquals(0, k.get("residual_px").asDouble(), 1e-6);
        assertEquals("landmarks-similarity", k.get("method").asText());
    }
}
