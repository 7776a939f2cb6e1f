package org.ltz4d.scattering;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bundle's embedded tables against the shared CSVs, and f_e(g) against PROVENANCE.md's Fe check. */
class ScatteringTablesTest {

    /**
     * The shared CSV: under {@code ltz4d.shared} (the build sets {@code <repo>/../shared}); in a git
     * worktree one level deeper (e.g. /work/wt/NAME) that folder is absent, so the parents of the
     * configured one are tried too.
     */
    static Path shared(String name) {
        Path configured = Path.of(System.getProperty("ltz4d.shared", "../shared")).toAbsolutePath().normalize();
        for (Path dir = configured; dir != null; dir = dir.getParent()) {
            Path base = dir.equals(configured) ? dir : dir.resolve("shared");
            Path p = base.resolve("data").resolve("scattering").resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        return configured.resolve("data").resolve("scattering").resolve(name);
    }

    @Test
    void embeddedTablesEqualTheSharedCsvValueByValue() throws Exception {
        for (ScatteringFactors.Kind k : ScatteringFactors.Kind.values()) {
            Map<String, double[]> ref;
            try (InputStream in = Files.newInputStream(shared(k.resource))) {
                ref = ScatteringFactors.parse(in, k.columns, k.resource);
            }
            Map<String, double[]> mine;
            try (InputStream in = ScatteringFactors.class.getResourceAsStream(k.resource)) {
                mine = ScatteringFactors.parse(in, k.columns, k.resource);
            }
            assertEquals(103, ref.size(), k + ": elements in the shared CSV");
            assertEquals(ref.keySet(), mine.keySet(), k + ": element symbols");
            for (String sym : ref.keySet()) assertArrayEquals(ref.get(sym), mine.get(sym), 0.0, k + " " + sym);
        }
    }

    @Test
    void ironMatchesTheProvenanceSanityTable() {
        ScatteringFactors l = ScatteringFactors.of(ScatteringFactors.Kind.LOBATO);
        ScatteringFactors k = ScatteringFactors.of(ScatteringFactors.Kind.KIRKLAND);
        double[] g = {0, 0.2, 0.5, 1.0, 2.0, 4.0, 6.0};
        double[] lob = {7.163500, 5.595756, 2.947259, 1.389430, 0.467089, 0.136006, 0.064337};
        double[] kir = {7.163173, 5.560247, 2.927474, 1.387887, 0.465796, 0.136485, 0.064735};
        for (int i = 0; i < g.length; i++) {
            assertEquals(lob[i], l.f("Fe", g[i]), 1e-6, "Lobato Fe at g = " + g[i]);
            assertEquals(kir[i], k.f("Fe", g[i]), 1e-6, "Kirkland Fe at g = " + g[i]);
            assertEquals(lob[i], l.fq("Fe", 2 * Math.PI * g[i]), 1e-6, "q = 2πg");
        }
    }
}
