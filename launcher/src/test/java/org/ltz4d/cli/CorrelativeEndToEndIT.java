package org.ltz4d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.units.Unit;

/**
 * Correlative characterization end to end through the runnable jar. A scan's maps are simulated
 * with known fields (48² positions at 10 nm): Fe-rich particles (a smooth step s of a sum of
 * Gaussian blobs G) with |B| = 0.5 + 0.4 s T (+ 0.03 T noise), an ADF image that brightens with
 * the Fe content (1000 + 20 (Fe − 10 at.%) counts + 5 noise), and a tensile strain axis that follows the crystal's [100] within 3° (rms). An EDS Fe
 * map (HDF5 dataset, 80² pixels of 8 nm, Fe = 10 + 12 s at.% + 0.3 noise) is written through a
 * known similarity (12°, scale 0.8, shifted), and an EBSD .ang map (80² points of 8 nm, [100] at
 * 40° + 1.5°/px·x + 0.5°/px·y) through another (−7°). Then:
 * <ol>
 * <li>{@code ltz4d register eds.h5 --to results.h5} registers automatically against the ADF image:
 * the JSON line has rotation_deg, scale, shift_px, residual_px and the transform is recovered to
 * 0.05° and 0.2 px;</li>
 * <li>{@code ltz4d register ebsd.ang --landmarks} registers the EBSD map by landmark pairs;</li>
 * <li>{@code ltz4d correlate --with eds,ebsd --hist2d |B|,Fe;θ_ten,EBSD --cluster-features B,registered/Fe
 * --roi ...} gives the known Pearson coefficients, clusters that find the particles (wherever the
 * phase is clear: s &gt; 0.9 or s &lt; 0.02), the ROI's
 * mean Fe content, and the overlay figures of the registered maps.</li>
 * </ol>
 */
class CorrelativeEndToEndIT {
    @TempDir
    Path dir;

    static final int N = 48;
    static final int MAP = 80;
    /** Blobs {x, y, sigma, amplitude} in scan positions. */
    static final double[][] BLOBS = {{8, 12, 3, 1}, {30, 8, 3.5, 0.8}, {22, 26, 2.5, 1.2}, {40, 36, 4, 0.7}, {12, 40, 3, 0.9},
        {27, 17, 2, 0.6}, {38, 20, 2.5, 1.0}, {6, 28, 3, 0.8}, {20, 6, 2.5, 0.9}, {33, 44, 3, 1.1}};

    static double g(double x, double y) {
        double v = 0;
        for (double[] b : BLOBS) v += b[3] * Math.exp(-((x - b[0]) * (x - b[0]) + (y - b[1]) * (y - b[1])) / (2 * b[2] * b[2]));
        return v;
    }

    /** The particles: a smooth step of G at 0.5. */
    static double s(double x, double y) {
        return 1 / (1 + Math.exp(-(g(x, y) - 0.5) / 0.08));
    }

    static double fe(double x, double y) {
        return 10 + 12 * s(x, y);
    }

    static double inplane(double x, double y) {
        return 40 + 1.5 * x + 0.5 * y;
    }

    /** A similarity map pixel → scan position: rotation θ, scale k, centred map pixel c onto the scan's centre. */
    record Similarity(double thetaDeg, double k, double tx, double ty) {
        static Similarity centred(double thetaDeg, double k) {
            double c = Math.cos(Math.toRadians(thetaDeg)) * k, s = Math.sin(Math.toRadians(thetaDeg)) * k;
            double m = (MAP - 1) / 2.0, o = (N - 1) / 2.0 + 0.37;
            return new Similarity(thetaDeg, k, o - (c * m - s * m), o - 0.21 - (s * m + c * m));
        }

        double[] apply(double x, double y) {
            double c = Math.cos(Math.toRadians(thetaDeg)) * k, s = Math.sin(Math.toRadians(thetaDeg)) * k;
            return new double[] {c * x - s * y + tx, s * x + c * y + ty};
        }
    }

    @Test
    void registerThenCorrelateAcrossModalitiesRecoversTheKnownCorrelation() throws Exception {
        Random rnd = new Random(2026);
        int n = N * N;
        float[] adf = new float[n], bx = new float[n], by = new float[n], bm = new float[n], ten = new float[n], eten = new float[n],
                ecom = new float[n];
        for (int r = 0; r < N; r++) {
            for (int c = 0; c < N; c++) {
                int i = r * N + c;
                adf[i] = (float) (1000 + 20 * (fe(c, r) - 10) + 5 * rnd.nextGaussian()); // denser where Fe-rich
                double m = 0.5 + 0.4 * s(c, r) + 0.03 * rnd.nextGaussian();
                double phi = 360 * rnd.nextDouble();
                bx[i] = (float) (m * Math.cos(Math.toRadians(phi)));
                by[i] = (float) (m * Math.sin(Math.toRadians(phi)));
                bm[i] = (float) Math.hypot(bx[i], by[i]);
                ten[i] = (float) (inplane(c, r) + 3 * rnd.nextGaussian());
                eten[i] = 0.01f;
                ecom[i] = -0.01f;
            }
        }
        Shape sh = Shape.of(N, N);
        Path results = dir.resolve("results.h5");
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("calibration_scan_step_y_nm", 10.0);
        root.put("calibration_scan_step_x_nm", 10.0);
        org.ltz4d.engine.results.Hdf5Results.write(results, MapSet.of(List.of(
                DataMap.of("virtual/adf", sh, adf, Unit.COUNTS, "ADF"), DataMap.of("magnetic/Bx", sh, bx, Unit.TESLA, "Bx"),
                DataMap.of("magnetic/By", sh, by, Unit.TESLA, "By"), DataMap.of("magnetic/B_magnitude", sh, bm, Unit.TESLA, "|B|"),
                DataMap.of("strain/angle_ten_deg", sh, ten, Unit.DEGREE, "tensile axis"),
                DataMap.of("strain/e_ten", sh, eten, Unit.DIMENSIONLESS, "e_ten"),
                DataMap.of("strain/e_com", sh, ecom, Unit.DIMENSIONLESS, "e_com"))), root);

        // EDS Fe map through a known similarity (map pixel → scan position), 8 nm pixels
        Similarity eds = Similarity.centred(12, 0.8);
        float[][] feMap = new float[MAP][MAP];
        for (int y = 0; y < MAP; y++) {
            for (int x = 0; x < MAP; x++) {
                double[] p = eds.apply(x, y);
                feMap[y][x] = (float) (fe(p[0], p[1]) + 0.3 * rnd.nextGaussian());
            }
        }
        Path edsFile = dir.resolve("eds.h5");
        try (io.jhdf.WritableHdfFile w = io.jhdf.HdfFile.write(edsFile)) {
            w.putGroup("eds").putDataset("Fe", feMap);
        }
        // EBSD .ang through another similarity, with landmark pairs
        Similarity ebsd = Similarity.centred(-7, 0.8);
        StringBuilder ang = new StringBuilder("# TEM_PIXperUM 1.0\n# XSTEP: 0.008\n# YSTEP: 0.008\n# GRID: SqrGrid\n");
        for (int y = 0; y < MAP; y++) {
            for (int x = 0; x < MAP; x++) {
                double[] p = ebsd.apply(x, y);
                ang.append(String.format(Locale.ROOT, "%.6f 0 0 %.4f %.4f %.1f 0.9 1%n", Math.toRadians(inplane(p[0], p[1])), x * 0.008,
                        y * 0.008, 100 * g(p[0], p[1])));
            }
        }
        Path angFile = Files.writeString(dir.resolve("ebsd.ang"), ang);
        StringBuilder lm = new StringBuilder();
        for (double[] q : new double[][] {{5, 5}, {75, 8}, {40, 70}, {70, 72}, {10, 60}}) {
            double[] p = ebsd.apply(q[0], q[1]);
            lm.append(q[0]).append(' ').append(q[1]).append(' ').append(p[0]).append(' ').append(p[1]).append('\n');
        }
        Path landmarks = Files.writeString(dir.resolve("ebsd_landmarks.txt"), lm);

        Map<String, String> env = Map.of("LTZ4D_HOME", dir.resolve("home").toString());
        Cli.Result r1 = Cli.run(dir, env, List.of(), "register", edsFile.toString(), "--map-dataset", "/eds/Fe", "--to", results.toString(),
                "--map-pixel-nm", "8", "--out", dir.resolve("reg_eds").toString());
        assertEquals(0, r1.exit(), r1.toString());
        assertEquals(1, r1.out().strip().lines().count(), "one JSON line: " + r1.out());
        JsonNode j = new ObjectMapper().readTree(r1.out());
        for (String k : List.of("rotation_deg", "scale", "shift_px", "residual_px")) assertTrue(j.has(k), k + " in " + r1.out());
        System.out.println("EDS registration: " + r1.out().strip() + " (truth: rotation 12°, scale 0.8, shift [" + eds.tx() + ", " + eds.ty() + "])");
        assertEquals(12, j.get("rotation_deg").asDouble(), 0.05, r1.out());
        assertEquals(0.8, j.get("scale").asDouble(), 3e-3, r1.out());
        // position error at the map's corners and centre
        double[] m = new double[6];
        for (int k = 0; k < 6; k++) m[k] = j.get("transform_matrix").get(k).asDouble();
        for (double[] q : new double[][] {{0, 0}, {MAP - 1, 0}, {0, MAP - 1}, {MAP - 1, MAP - 1}, {MAP / 2.0, MAP / 2.0}}) {
            double[] truth = eds.apply(q[0], q[1]);
            double ex = m[0] * q[0] + m[1] * q[1] + m[2] - truth[0], ey = m[3] * q[0] + m[4] * q[1] + m[5] - truth[1];
            assertTrue(Math.hypot(ex, ey) < 0.2, "position error " + Math.hypot(ex, ey) + " px at " + q[0] + "," + q[1] + ": " + r1.out());
        }
        Cli.Result r2 = Cli.run(dir, env, List.of(), "register", angFile.toString(), "--landmarks", landmarks.toString(), "--to",
                results.toString(), "--out", dir.resolve("reg_ebsd").toString());
        assertEquals(0, r2.exit(), r2.toString());
        JsonNode k2 = new ObjectMapper().readTree(r2.out());
        assertEquals(-7, k2.get("rotation_deg").asDouble(), 1e-6, r2.out());
        assertEquals(0, k2.get("residual_px").asDouble(), 1e-4, r2.out());

        // correlate in a region inside both maps' reach
        int r0 = 4, r1e = 44, c0 = 4, c1 = 44;
        Path out = dir.resolve("corr");
        Cli.Result c = Cli.run(dir, env, List.of(), "correlate", results.toString(), "--with",
                dir.resolve("reg_eds/registration.h5") + "," + dir.resolve("reg_ebsd/registration.h5"),
                "--hist2d", "magnetic/B_magnitude,registered/Fe;strain/angle_ten_deg,registered/inplane_deg",
                "--cluster-features", "B,registered/Fe", "--clusters", "2",
                "--roi", r0 + ":" + r1e + "," + c0 + ":" + c1, "--out", out.toString());
        assertEquals(0, c.exit(), c.toString());
        Map<String, String> st = new LinkedHashMap<>();
        for (String line : c.out().lines().toList()) {
            int colon = line.lastIndexOf(": ");
            if (colon > 0) st.put(line.substring(0, colon), line.substring(colon + 2));
        }
        // the known values over the region, from the fields on the scan grid
        List<Double> bl = new ArrayList<>(), fl = new ArrayList<>(), tl = new ArrayList<>(), il = new ArrayList<>();
        for (int r = r0; r < r1e; r++) {
            for (int q = c0; q < c1; q++) {
                bl.add((double) bm[r * N + q]);
                fl.add(fe(q, r));
                tl.add((double) ten[r * N + q]);
                il.add(inplane(q, r));
            }
        }
        double knownFe = pearson(bl, fl), knownAngle = pearson(tl, il);
        double meanFe = fl.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double gotFe = Double.parseDouble(st.get("histogram2d.magnetic_B_magnitude_vs_registered_Fe.pearson"));
        double gotAngle = Double.parseDouble(st.get("histogram2d.strain_angle_ten_deg_vs_registered_inplane_deg.pearson"));
        double gotMean = Double.parseDouble(st.get("region-stats.registered/Fe.mean"));
        System.out.printf(Locale.ROOT, "|B| vs Fe: Pearson %.4f (known %.4f); θ_ten vs EBSD [100]: %.4f (known %.4f); ROI mean Fe %.3f at.%% "
                + "(known %.3f)%n", gotFe, knownFe, gotAngle, knownAngle, gotMean, meanFe);
        assertEquals(knownFe, gotFe, 0.02, c.toString());
        assertEquals(knownAngle, gotAngle, 0.01, c.toString());
        assertEquals(meanFe, gotMean, 0.1, "region mean of the registered Fe (at.%)");
        assertEquals((r1e - r0) * (c1 - c0), Long.parseLong(st.get("region-stats.registered/Fe.n")));
        double misfit = Double.parseDouble(st.get("registered-figures.registered_inplane_vs_eten_mean_angle_deg"));
        assertEquals(3 * Math.sqrt(2 / Math.PI), misfit, 0.6, "mean |θ_ten − θ_EBSD| of 3° rms noise");
        // clusters of (|B|, registered Fe) find the particles: label 1 (higher |B|) where s > 0.9, label 0 where s < 0.02
        assertEquals("B,registered/Fe", st.get("cluster.features"));
        int right = 0, all = 0;
        Map<String, Integer> table = new java.util.TreeMap<>();
        try (io.jhdf.HdfFile h5 = new io.jhdf.HdfFile(out.resolve("correlation.h5"))) {
            Object labels = h5.getDatasetByPath("/correlation/cluster").getDataFlat();
            for (int r = r0; r < r1e; r++) {
                for (int q = c0; q < c1; q++) {
                    int label = ((Number) java.lang.reflect.Array.get(labels, r * N + q)).intValue();
                    double phase = s(q, r);
                    String where = phase > 0.9 ? "particle" : phase < 0.02 ? "matrix" : "boundary";
                    table.merge("label " + label + " " + where, 1, Integer::sum);
                    if (where.equals("boundary")) continue; // Fe and |B| between the phases: either cluster is right
                    all++;
                    if ((label == 1) == where.equals("particle")) right++;
                }
            }
        }
        StringBuilder cl = new StringBuilder();
        st.forEach((k, v) -> {
            if (k.startsWith("cluster.")) cl.append(k).append('=').append(v).append("; ");
        });
        System.out.println("clusters of (|B|, registered Fe) vs the particles: accuracy " + right / (double) all + ", " + table + "; " + cl);
        assertTrue(all >= 0.6 * (r1e - r0) * (c1 - c0), "positions clearly in one phase: " + all);
        assertTrue(right >= 0.97 * all, "cluster accuracy " + right + " of " + all + ": " + table + "; " + cl);
        assertEquals(10, Double.parseDouble(st.get("cluster.cluster_0.mean_registered_Fe")), 0.5, "matrix cluster's Fe (at.%)");
        assertEquals(0.5, Double.parseDouble(st.get("cluster.cluster_0.mean_B_T")), 0.02, "matrix cluster's |B| (T)");
        for (String f : List.of("registered_Fe_overlay.png", "registered_inplane_deg_overlay.png", "registered_inplane_vs_strain.png",
                "corr_hist_magnetic_B_magnitude_vs_registered_Fe.png", "corr_cluster.png")) {
            assertTrue(Files.size(out.resolve(f)) > 1000, f);
        }
    }

    static double pearson(List<Double> a, List<Double> b) {
        double ma = a.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double mb = b.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.size(); i++) {
            double x = a.get(i) - ma, y = b.get(i) - mb;
            sab += x * y;
            saa += x * x;
            sbb += y * y;
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
