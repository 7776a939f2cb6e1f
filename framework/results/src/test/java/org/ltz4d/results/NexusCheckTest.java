package org.ltz4d.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each structure rule catches its own breakage, and a well-formed file passes. */
class NexusCheckTest {
    @TempDir
    Path tmp;

    /** What to break in an otherwise valid file. */
    record Breakage(String root, String entry, String dataClass, String signal, String[] axes, int axisLength, boolean units,
            String aux, String extraGroupClass) {
        static Breakage none() {
            return new Breakage("NXroot", "NXentry", "NXdata", "bx", new String[] {"scan_y", "scan_x"}, 3, true, "by", "NXcollection");
        }
    }

    private Path file(String name, Consumer<Breakage[]> change) {
        Breakage[] b = {Breakage.none()};
        change.accept(b);
        Breakage k = b[0];
        Path f = tmp.resolve(name + ".h5");
        try (WritableHdfFile h = HdfFile.write(f)) {
            if (k.root() != null) h.putAttribute("NX_class", k.root());
            h.putAttribute("file_name", name + ".h5");
            h.putAttribute("file_time", "2026-12-06T20:00:00Z");
            h.putAttribute("default", "entry");
            WritableGroup e = h.putGroup("entry");
            e.putAttribute("NX_class", k.entry());
            e.putDataset("title", "t");
            WritableGroup g = h.putGroup("magnetic");
            g.putAttribute("NX_class", k.dataClass());
            g.putAttribute("signal", k.signal());
            g.putAttribute("auxiliary_signals", new String[] {k.aux()});
            g.putAttribute("axes", k.axes());
            var bx = g.putDataset("bx", new float[][] {{1, 2, 3}, {4, 5, 6}});
            if (k.units()) bx.putAttribute("units", "T");
            g.putDataset("by", new float[][] {{1, 2, 3}, {4, 5, 6}}).putAttribute("units", "T");
            g.putDataset("other", new float[] {1, 2, 3, 4}).putAttribute("units", "T");
            g.putDataset("scan_y", new double[] {0, 1}).putAttribute("units", "nm");
            g.putDataset("scan_x", new double[k.axisLength()]).putAttribute("units", "nm");
            WritableGroup x = h.putGroup("extra");
            if (k.extraGroupClass() != null) x.putAttribute("NX_class", k.extraGroupClass());
            x.putDataset("bad name", 1.0);
        }
        return f;
    }

    private static List<String> errors(Path f) {
        List<String> l = new ArrayList<>();
        for (NexusCheck.Problem p : NexusCheck.errors(f)) l.add(p.toString());
        return l;
    }

    @Test
    void aWellFormedFilePassesWithOnlyTheNameWarning() {
        Path f = file("good", b -> { });
        assertEquals(List.of(), errors(f));
        List<NexusCheck.Problem> all = NexusCheck.check(f);
        assertEquals(1, all.size(), all.toString());
        assertEquals("/extra/bad name", all.get(0).path());
    }

    @Test
    void eachRuleCatchesItsBreakage() {
        record Case(String name, Consumer<Breakage[]> change, String expected) {
        }
        Breakage n = Breakage.none();
        List<Case> cases = List.of(
                new Case("root", b -> b[0] = new Breakage(null, n.entry(), n.dataClass(), n.signal(), n.axes(), 3, true, "by", "NXcollection"),
                        "expected NXroot"),
                new Case("entry", b -> b[0] = new Breakage(n.root(), "NXcollection", n.dataClass(), n.signal(), n.axes(), 3, true, "by",
                        "NXcollection"), "no NXentry"),
                new Case("class", b -> b[0] = new Breakage(n.root(), n.entry(), n.dataClass(), n.signal(), n.axes(), 3, true, "by", null),
                        "group without a NeXus class"),
                new Case("signal", b -> b[0] = new Breakage(n.root(), n.entry(), n.dataClass(), "bz", n.axes(), 3, true, "by", "NXcollection"),
                        "without a signal"),
                new Case("rank", b -> b[0] = new Breakage(n.root(), n.entry(), n.dataClass(), n.signal(), new String[] {"scan_y"}, 3, true, "by",
                        "NXcollection"), "1 names for a signal of rank 2"),
                new Case("length", b -> b[0] = new Breakage(n.root(), n.entry(), n.dataClass(), n.signal(), n.axes(), 5, true, "by",
                        "NXcollection"), "does not index dimension 1"),
                new Case("units", b -> b[0] = new Breakage(n.root(), n.entry(), n.dataClass(), n.signal(), n.axes(), 3, false, "by",
                        "NXcollection"), "no units"),
                new Case("aux", b -> b[0] = new Breakage(n.root(), n.entry(), n.dataClass(), n.signal(), n.axes(), 3, true, "other",
                        "NXcollection"), "auxiliary signal of shape [4]"),
                new Case("axis", b -> b[0] = new Breakage(n.root(), n.entry(), n.dataClass(), n.signal(), new String[] {"scan_y", "nope"}, 3,
                        true, "by", "NXcollection"), "axis 'nope' is not a child"),
                new Case("default", b -> b[0] = new Breakage(n.root(), "NXsample", n.dataClass(), n.signal(), n.axes(), 3, true, "by",
                        "NXcollection"), "default = 'entry'"));
        for (Case c : cases) {
            List<String> e = errors(file(c.name(), c.change()));
            assertTrue(e.stream().anyMatch(s -> s.contains(c.expected())), c.name() + ": " + e);
        }
    }

    /** An axis of n + 1 values for a dimension of n: the bin boundaries of a histogram, which NXdata allows. */
    @Test
    void binBoundariesAreAValidAxis() {
        Breakage n = Breakage.none();
        assertEquals(List.of(), errors(file("edges", b -> b[0] = new Breakage(n.root(), n.entry(), n.dataClass(), n.signal(), n.axes(), 4, true,
                "by", "NXcollection"))));
    }

    @Test
    void theResultsReaderSkipsTheEntryAndTheAxes() {
        Path f = file("skip", b -> { });
        try (WritableHdfFile h = HdfFile.write(tmp.resolve("axes.h5"))) {
            WritableGroup e = h.putGroup("entry");
            e.putAttribute("NX_class", "NXentry");
            e.putDataset("numbers", new double[] {1, 2});
            WritableGroup g = h.putGroup("m");
            g.putDataset("a", new float[] {1, 2});
            g.putDataset("scan_x", new double[] {0, 1}).putAttribute(ResultsFile.AXIS_ATTRIBUTE, 1);
        }
        List<String> paths = new ArrayList<>();
        ResultsFile.read(tmp.resolve("axes.h5"), ResultsFile.STRICT, d -> paths.add(d.path()));
        assertEquals(List.of("/m/a"), paths);
        List<String> all = new ArrayList<>();
        ResultsFile.read(f, ResultsFile.STRICT, d -> all.add(d.path()));
        assertTrue(all.contains("/magnetic/scan_x"), "an axis without the marker is read like any dataset: " + all);
    }
}
