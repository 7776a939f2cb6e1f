package org.ltz4d.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.ltz4d.api.analysis.Correlation;
import org.ltz4d.api.analysis.Correlator;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.Figure;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.units.Unit;
import org.ltz4d.correlation.report.HtmlReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end from simulated maps: an analysis folder (results.h5 as the engine writes it), all
 * correlators in their run order, correlation.h5 and the figures, then the report.
 */
class HtmlReportTest {

    @TempDir
    Path dir;

    @Test
    void reportHoldsEveryMapFigureAndNumber() throws Exception {
        int rows = 20, cols = 30;
        Sim sim = new Sim(rows, cols);
        sim.density = new float[rows * cols];
        sim.mask = new float[rows * cols];
        Random rnd = new Random(3);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                boolean a = c < cols / 2;
                sim.set(i, a ? 0.9 + 0.05 * rnd.nextGaussian() : 0.5 + 0.05 * rnd.nextGaussian(), 20 * r + 3 * c, -0.01, 0.004,
                        (20 * r + 3 * c + (a ? 10 : 80)) % 180);
                sim.density[i] = (float) (0.01 * rnd.nextGaussian());
            }
        }
        sim.setNaN(7);
        sim.setNaN(100);
        sim.setNaN(555);
        MapSet results = sim.maps().with(DataMap.of("fit/chi2_reduced", sim.shape(), chi2(rows * cols, rnd), Unit.DIMENSIONLESS,
                "reduced chi-squared of the ring fit"));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("software", "ltz4d");
        root.put("ltz4d_version", "0.1.0-test");
        root.put("provenance", "{\n  \"metadata\": {\"sample\": {\"name\": \"ribbon-7\"}, \"input_file\": {\"detector\": \"Merlin\"}},\n"
                + "  \"parameters\": {\"beam-kv\": \"300\", \"thickness-nm\": \"40\"},\n"
                + "  \"calibration\": {\"scan_step_x_nm\": 2.5, \"beam_kv\": 300.0},\n"
                + "  \"bundles\": [{\"kind\": \"fitter\", \"name\": \"ring\", \"version\": \"0.1.0\"}],\n"
                + "  \"summary\": {\"frames\": 600, \"failed_positions\": 3, \"ratio\": NaN},\n  \"warnings\": [\"a test warning\"]\n}");
        root.put("calibration_scan_step_x_nm", 2.5);
        org.ltz4d.engine.results.Hdf5Results.write(dir.resolve("results.h5"), results, root);

        // the correlate run, in the order the lead's CLI runs the correlators
        Map<String, String> params = Map.of("lambda-s", "40e-6", "young-gpa", "150", "poisson", "0.3", "clusters", "2",
                "hist2d", "strain/e_com,density/relative", "hist-bins", "32");
        TestContext ctx = new TestContext(sim.shape(), params, 2.5);
        List<Correlator> order = List.of(new MisorientationCorrelator(), new MagnetoelasticCorrelator(),
                new OrientationBinariseCorrelator(), new Histogram2dCorrelator(), new ClusterCorrelator(), new FieldFiguresCorrelator());
        MapSet produced = MapSet.empty();
        List<Figure> figures = new ArrayList<>();
        Map<String, Object> stats = new LinkedHashMap<>();
        for (Correlator c : order) {
            Correlation r = c.correlate(results.plus(produced), ctx);
            produced = produced.plus(r.maps());
            figures.addAll(r.figures());
            r.statistics().forEach((k, v) -> stats.put(c.name() + "." + k, v));
        }
        StringBuilder summary = new StringBuilder("{\"parameters\": {");
        params.forEach((k, v) -> summary.append('"').append(k).append("\": \"").append(v).append("\", "));
        summary.setLength(summary.length() - 2);
        summary.append("}, \"summary\": {\"cluster.k\": 2, \"histogram2d.B_components.pearson\": ")
                .append(stats.get("histogram2d.B_components.pearson")).append("}, \"warnings\": []}");
        org.ltz4d.engine.results.Hdf5Results.write(dir.resolve("correlation.h5"), produced, Map.of("ltz4d_version", "0.1.0-test", "provenance", summary.toString()));
        for (Figure f : figures) Files.write(dir.resolve(f.fileName()), f.content());
        assertEquals(14, figures.size(), figures.stream().map(Figure::fileName).toList().toString());

        Path report = HtmlReport.write(dir);
        assertEquals(dir.resolve("report.html"), report);
        String html = Files.readString(report, StandardCharsets.UTF_8);
        for (DataMap m : results.plus(produced).maps()) assertTrue(html.contains("/" + m.path() + "<"), "map /" + m.path());
        for (String required : List.of("/correlation/misorientation_deg", "/correlation/e_me", "/correlation/cluster",
                "/correlation/B_parallel", "/correlation/eten_parallel", "/histograms/B_components/counts",
                "/histograms/eten_components/x_edges", "/histograms/B_misorientation/y_edges",
                "/histograms/strain_e_com_vs_density_relative/counts")) {
            assertTrue(html.contains(required), required);
        }
        for (Figure f : figures) {
            assertTrue(html.contains("data:image/png;base64," + Base64.getEncoder().encodeToString(f.content())), "figure " + f.fileName());
        }
        int thumbs = html.split("class=\"thumb\"", -1).length - 1;
        long maps2d = results.plus(produced).maps().stream().filter(m -> m.shape().rank() == 2).count();
        assertEquals(maps2d, thumbs, "a thumbnail per 2D map");
        assertTrue(html.contains("failed positions (/fit/mask ≠ 0, results.h5)</th><td>3 of 600 (0.5 %)"), "failed positions");
        assertTrue(html.contains("/fit/chi2_reduced (results.h5)"), "fit statistics");
        assertTrue(html.contains("thickness-nm") && html.contains("young-gpa") && html.contains("150"), "parameters");
        assertTrue(html.contains("scan_step_x_nm") && html.contains("2.5"), "calibration");
        assertTrue(html.contains("a test warning"), "warnings");
        assertTrue(html.contains("<h3>Metadata (") && html.contains("ribbon-7") && html.contains("Merlin"), "metadata");
        assertTrue(html.contains("0.1.0-test"), "version");
        assertTrue(html.contains("J/m³"), "units");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(), "no temporary file left");
        }
        assertTrue(!html.contains("src=\"file:") && !html.contains("src=\"corr_"), "self-contained");
        // written again: replaced atomically
        HtmlReport.write(dir);
        assertTrue(Files.size(report) > 100_000);
    }

    @Test
    void aFolderWithoutResultsIsNamed() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> HtmlReport.write(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("nope"));
        InvalidInputException e2 = assertThrows(InvalidInputException.class, () -> HtmlReport.write(dir));
        assertTrue(e2.getMessage().contains("results.h5"));
    }

    private static float[] chi2(int n, Random rnd) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) (1 + 0.1 * rnd.nextGaussian());
        return f;
    }
}
