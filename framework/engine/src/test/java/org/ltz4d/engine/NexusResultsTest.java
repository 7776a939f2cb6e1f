package org.ltz4d.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.analysis.Plan;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.engine.AnalysisRequest;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.engine.RunSummary;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.units.Unit;
import org.ltz4d.engine.results.Hdf5Results;
import org.ltz4d.engine.results.Provenance;
import org.ltz4d.results.NexusCheck;

/** results.h5 as NeXus: structure, metadata from the reader and the sidecar, checksums, maps unchanged. */
class NexusResultsTest {
    @TempDir
    Path dir;

    LocalEngine engine;

    @BeforeEach
    void setUp() {
        engine = TestPlugins.engineWithTestPlugins();
        engine.register(TestPlugins.pipeline("basic", new Plan(List.of(List.of("sum", "double")), List.of("scale"), List.of("fig"))),
                "test.pipelines", "1.0.0");
    }

    private RunSummary run(Path input, Map<String, String> params) {
        return engine.analyze(new AnalysisRequest(input, "basic", Parameters.of(params), dir.resolve("out")), ProgressListener.NONE,
                new Cancellation());
    }

    private static Object value(HdfFile h, String path) {
        Object v = ((Dataset) h.getByPath(path)).getData();
        return v != null && v.getClass().isArray() && Array.getLength(v) == 1 ? Array.get(v, 0) : v;
    }

    private static Object attr(Node n, String name) {
        Object v = n.getAttribute(name).getData();
        return v != null && v.getClass().isArray() && Array.getLength(v) == 1 ? Array.get(v, 0) : v;
    }

    @Test
    void resultsAreValidNexusWithMetadataFromTheFileAndTheSidecarAndWholeFileChecksums() throws Exception {
        Path input = TestPlugins.memFile(dir, "4x5");
        Files.writeString(input, "some bytes of the input file");
        Path yaml = Files.writeString(dir.resolve("meta.yaml"), String.join("\n",
                "sample:", "  name: FeSiBCuP ribbon", "  thickness_nm: 60", "operator:", "  name: A. Person", "  orcid: 0000-0002-1825-0097",
                "instrument:", "  name: TEAM 0.5", "session:", "  id: S-2026-12", "identifiers:", "  doi: 10.1234/x", "notes: [one, two]", ""));
        RunSummary s = run(input, Map.of("beam-kv", "300", "metadata", yaml.toString()));
        Path results = s.results();
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(input)));
        assertEquals(List.of(), NexusCheck.errors(results), "NeXus structure errors");
        try (HdfFile h = new HdfFile(results)) {
            assertEquals("NXroot", attr(h, "NX_class"));
            assertEquals("entry", attr(h, "default"));
            assertEquals("results.h5", attr(h, "file_name"));
            assertEquals("NXentry", attr(h.getByPath("/entry"), "NX_class"));
            assertEquals("FeSiBCuP ribbon", value(h, "/entry/sample/name"));
            assertEquals(60L, ((Number) value(h, "/entry/sample/thickness_nm")).longValue());
            assertEquals("NXuser", attr(h.getByPath("/entry/user"), "NX_class"));
            assertEquals("A. Person", value(h, "/entry/user/name"));
            assertEquals("TEAM 0.5", value(h, "/entry/instrument/name"));
            assertEquals("S-2026-12", value(h, "/entry/experiment_identifier"));
            assertEquals("10.1234/x", value(h, "/entry/identifiers/doi"));
            assertEquals("one; two", value(h, "/entry/metadata/notes"));
            // the reader's own metadata
            assertEquals("MemCam 8x8", value(h, "/entry/input/metadata/detector"));
            assertEquals("MemCam 8x8", value(h, "/entry/instrument/detector/description"));
            assertEquals(300.0, ((Number) value(h, "/entry/instrument/electron_source/voltage")).doubleValue(), 0);
            assertEquals("kV", attr(h.getByPath("/entry/instrument/electron_source/voltage"), "units"));
            assertEquals(2.0, ((Number) value(h, "/entry/instrument/scan/step_x")).doubleValue(), 0);
            // the whole file's SHA-256, computed independently
            assertEquals(sha, value(h, "/entry/input/sha256"));
            // maps as NXdata in place: signal, aux signals of its shape, axes in nm from the scan step
            Node g = h.getByPath("/virtual");
            assertEquals("NXdata", attr(g, "NX_class"));
            assertEquals("total", attr(g, "signal"));
            assertArrayEquals(new String[] {"scan_y", "scan_x"}, (String[]) g.getAttribute("axes").getData());
            assertArrayEquals(new double[] {0, 2, 4, 6, 8}, (double[]) ((Dataset) h.getByPath("/virtual/scan_x")).getData(), 0);
            assertEquals("nm", attr(h.getByPath("/virtual/scan_x"), "units"));
            assertEquals("counts", attr(h.getByPath("/virtual/total"), "units"));
            assertEquals("NXdata", attr(h.getByPath("/fit"), "NX_class"));
        }
        String prov = Hdf5Results.rootAttributes(results).get("provenance").toString();
        Map<?, ?> pm = new ObjectMapper().readValue(prov, Map.class);
        assertEquals(sha, ((Map<?, ?>) pm.get("input")).get("sha256"));
        assertEquals("FeSiBCuP ribbon", ((Map<?, ?>) ((Map<?, ?>) pm.get("metadata")).get("sample")).get("name"));
        // the maps read back are exactly the results: no axes, nothing of the entry
        MapSet back = Hdf5Results.read(results);
        assertEquals(new TreeSet<>(List.of("fit/mask", "virtual/double", "virtual/first2", "virtual/frames", "virtual/scaled",
                "virtual/sum_pattern", "virtual/total")), new TreeSet<>(back.paths()));
        assertFalse(back.require("virtual/total").attributes().containsKey("units"), "NeXus attributes are not map attributes");
        // a correlation of these results keeps the sample and session
        RunSummary c = engine.correlate(results, List.of("fig"), Parameters.empty(), dir.resolve("corr"), ProgressListener.NONE);
        assertEquals(List.of(), NexusCheck.errors(c.results()));
        try (HdfFile h = new HdfFile(c.results())) {
            assertEquals("FeSiBCuP ribbon", value(h, "/entry/sample/name"));
            assertEquals("MemCam 8x8", value(h, "/entry/instrument/detector/description"), "the data file's metadata carried over");
            assertEquals("results.h5", value(h, "/entry/input/file_name"));
        }
    }

    @Test
    void jsonSidecarAndBadSidecarsAreTypedErrorsNamingTheFile() throws Exception {
        Path input = TestPlugins.memFile(dir, "2x3");
        Path json = Files.writeString(dir.resolve("m.json"), "{\"sample\": {\"name\": \"S1\"}, \"user\": {\"name\": \"B\"}}");
        RunSummary s = run(input, Map.of("metadata", json.toString()));
        try (HdfFile h = new HdfFile(s.results())) {
            assertEquals("S1", value(h, "/entry/sample/name"));
        }
        Path list = Files.writeString(dir.resolve("l.yaml"), "- a\n- b\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(input, Map.of("metadata", list.toString())));
        assertEquals(list, e.file());
        Path broken = Files.writeString(dir.resolve("b.yaml"), "sample: {name: [unclosed\n");
        assertEquals(broken, assertThrows(CorruptFileException.class, () -> run(input, Map.of("metadata", broken.toString()))).file());
        Path txt = Files.writeString(dir.resolve("m.txt"), "sample: x");
        assertThrows(InvalidInputException.class, () -> run(input, Map.of("metadata", txt.toString())));
        assertThrows(InvalidInputException.class, () -> run(input, Map.of("metadata", dir.resolve("none.yaml").toString())));
    }

    @Test
    void aFileAboveTheHashLimitKeepsItsHeaderHashAndSaysWhy() throws Exception {
        Path f = Files.write(dir.resolve("big.bin"), new byte[3000]);
        String old = System.getProperty(Provenance.FULL_HASH_LIMIT_PROPERTY);
        System.setProperty(Provenance.FULL_HASH_LIMIT_PROPERTY, "1000");
        try {
            Map<?, ?> in = (Map<?, ?>) new Provenance("t").input("input", f).toMap().get("input");
            assertFalse(in.containsKey("sha256"));
            assertTrue(in.get("sha256_skipped").toString().contains("3000 bytes"), in.toString());
            assertEquals(Provenance.headerSha256(f), in.get("header_sha256"));
            assertTrue(in.get("sha256_policy").toString().startsWith("sampled"), in.toString());
            assertEquals(65L * 3000, ((Number) in.get("sha256_sampled_bytes")).longValue());
            // the sampled hash sees a change in a block, a truncation and an extension, and not a change between blocks
            Path big = dir.resolve("big2.bin");
            long size = 72L << 20; // blocks of 1 MiB every (71 MiB / 64) ≈ 1.11 MiB: gaps of ~0.11 MiB between them
            try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(big.toFile(), "rw")) {
                raf.setLength(size);
            }
            String h0 = Provenance.sampledSha256(big, size);
            assertEquals(h0, ((Map<?, ?>) new Provenance("t").input("input", big).toMap().get("input")).get("sha256_sampled"));
            long step = (size - (1 << 20)) / 64;
            assertTrue(step > (1 << 20) + 1000);
            poke(big, 3 * step + 100);
            assertFalse(h0.equals(Provenance.sampledSha256(big, size)), "a changed byte inside block 3");
            poke(big, 3 * step + 100);
            assertEquals(h0, Provenance.sampledSha256(big, size), "restored");
            poke(big, 3 * step + (1 << 20) + 500);
            assertEquals(h0, Provenance.sampledSha256(big, size), "a change between blocks 3 and 4 goes unseen (the policy says so)");
            try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(big.toFile(), "rw")) {
                raf.setLength(size - 1);
            }
            assertFalse(h0.equals(Provenance.sampledSha256(big, size - 1)), "truncated by one byte");
        } finally {
            if (old == null) System.clearProperty(Provenance.FULL_HASH_LIMIT_PROPERTY);
            else System.setProperty(Provenance.FULL_HASH_LIMIT_PROPERTY, old);
        }
    }

    /** Flips the lowest bit of the byte at {@code at}. */
    private static void poke(Path f, long at) throws java.io.IOException {
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(at);
            int v = raf.read();
            raf.seek(at);
            raf.write(v ^ 1);
        }
    }

    /** {@code with}: maps registered from another instrument join the correlation; a map of another shape is refused. */
    @Test
    void correlateTakesRegisteredMapsFromOtherFiles() throws Exception {
        engine.register(new org.ltz4d.api.analysis.Correlator() {
            @Override public String name() { return "fe-mean"; }
            @Override public List<String> requires() { return List.of("registered/fe", "virtual/total"); }
            @Override public org.ltz4d.api.analysis.Correlation correlate(MapSet maps, org.ltz4d.api.analysis.AnalysisContext ctx) {
                DataMap fe = maps.require("registered/fe");
                double s = 0;
                for (int i = 0; i < fe.size(); i++) s += fe.get(i);
                return new org.ltz4d.api.analysis.Correlation(MapSet.empty(), List.of(), Map.of("mean", s / fe.size()));
            }
        }, "test.correlators", "1.0.0");
        RunSummary s = run(TestPlugins.memFile(dir, "4x5"), Map.of());
        Path reg = dir.resolve("registration.h5");
        float[] v = new float[20];
        for (int i = 0; i < 20; i++) v[i] = i;
        Hdf5Results.write(reg, MapSet.of(List.of(DataMap.of("registered/fe", Shape.of(4, 5), v, Unit.DIMENSIONLESS, "EDS Fe"))), Map.of());
        RunSummary c = engine.correlate(s.results(), List.of("fe-mean"), Parameters.of(Map.of("with", reg.toString())), dir.resolve("c"),
                ProgressListener.NONE);
        assertEquals(9.5, ((Number) c.statistics().get("fe-mean.mean")).doubleValue(), 1e-9);
        assertTrue(Hdf5Results.rootAttributes(c.results()).get("provenance").toString().contains("registration.h5"), "with is recorded");
        Path wrong = dir.resolve("wrong.h5");
        Hdf5Results.write(wrong, MapSet.of(List.of(DataMap.of("registered/fe", Shape.of(5, 4), v, Unit.DIMENSIONLESS, "EDS Fe"))), Map.of());
        var e = assertThrows(org.ltz4d.api.error.ShapeMismatchException.class, () -> engine.correlate(s.results(), List.of("fe-mean"),
                Parameters.of(Map.of("with", wrong.toString())), dir.resolve("d"), ProgressListener.NONE));
        assertEquals(wrong, e.file());
    }

    @Test
    void groupsOfOtherShapesGetDotAxesAndAMapNamedLikeAnAxisIsKept() {
        Path f = dir.resolve("r.h5");
        float[] v = new float[6];
        Hdf5Results.write(f, MapSet.of(List.of(
                DataMap.of("sq/q", Shape.of(3), new float[] {1, 2, 3}, Unit.INVERSE_ANGSTROM, "q"),
                DataMap.of("pos/scan_x", Shape.of(2, 3), v, Unit.PIXEL, "a map called scan_x"),
                DataMap.of("a/b/c", Shape.of(2, 3), v, Unit.TESLA, "nested"))), Map.of());
        assertEquals(List.of(), NexusCheck.errors(f));
        assertEquals(new TreeSet<>(List.of("sq/q", "pos/scan_x", "a/b/c")), new TreeSet<>(Hdf5Results.read(f).paths()));
    }

    /** A 2-D histogram group (counts with x_edges, y_edges): its axes are the bin boundaries, with units, not scan positions. */
    @Test
    void histogramGroupsUseTheirBinBoundariesAsAxes() throws Exception {
        Path f = dir.resolve("h.h5");
        Hdf5Results.write(f, MapSet.of(List.of(
                DataMap.labels("histograms/a_vs_b/counts", Shape.of(2, 3), new float[6], Unit.COUNTS, "counts"),
                DataMap.of("histograms/a_vs_b/x_edges", Shape.of(4), new float[] {0, 1, 2, 3}, Unit.TESLA, "x edges"),
                DataMap.of("histograms/a_vs_b/y_edges", Shape.of(3), new float[] {5, 6, 7}, Unit.DEGREE, "y edges"),
                DataMap.of("virtual/adf", Shape.of(5, 5), new float[25], Unit.COUNTS, "adf"))), Map.of());
        assertEquals(List.of(), NexusCheck.errors(f));
        try (HdfFile h = new HdfFile(f)) {
            io.jhdf.api.Group g = (io.jhdf.api.Group) h.getByPath("/histograms/a_vs_b");
            assertEquals("counts", attr(g, "signal"));
            assertArrayEquals(new String[] {"y_edges", "x_edges"}, (String[]) g.getAttribute("axes").getData());
            assertEquals(null, g.getChild("scan_x"), "no scan axes for histogram bins");
            assertEquals("T", attr(h.getByPath("/histograms/a_vs_b/x_edges"), "units"));
        }
    }
}
