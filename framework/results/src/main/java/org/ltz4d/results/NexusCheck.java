package org.ltz4d.results;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The NeXus structure rules a results file must keep (no NeXus validator is packaged for Maven
 * Central or Debian: Debian's {@code nexus-tools} 4.4 has no {@code nxvalidate}, and
 * {@code cnxvalidate}/{@code punx} are not packaged). Errors: the root is {@code NXroot}; it has
 * an {@code NXentry} child; every group has an {@code NX_class} naming a class ({@code NX…});
 * a {@code default} attribute names an existing child of the right class (NXentry under the
 * root, NXdata or NXentry/NXsubentry below); every {@code NXdata} has a {@code signal} naming a
 * child dataset, {@code auxiliary_signals} naming datasets of the signal's shape, {@code axes}
 * with one name per signal dimension, each {@code "."} or a 1-D child dataset whose length is the
 * size of the dimension it indexes or one more (bin boundaries of a histogram) ({@code NAME_indices} if given, else its position), and
 * {@code units} on the signal, the auxiliary signals and the axes. Warnings: names outside
 * NeXus's recommended {@code [A-Za-z0-9_.]} form, a root without {@code file_name}/{@code file_time}.
 */
public final class NexusCheck {
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_]([A-Za-z0-9_.]*[A-Za-z0-9_])?$");

    private NexusCheck() {
    }

    /** One finding: an error breaks the NeXus structure, a warning only a recommendation. */
    public record Problem(boolean error, String path, String message) {
        @Override
        public String toString() {
            return (error ? "error " : "warning ") + path + ": " + message;
        }
    }

    /** Every problem of {@code file} (empty: a valid NeXus file by these rules). Library errors pass through. */
    public static List<Problem> check(Path file) {
        List<Problem> out = new ArrayList<>();
        try (HdfFile h = new HdfFile(file)) {
            if (!"NXroot".equals(text(h, "NX_class"))) out.add(new Problem(true, "/", "NX_class is " + text(h, "NX_class") + ", expected NXroot"));
            for (String a : List.of("file_name", "file_time")) {
                if (h.getAttribute(a) == null) out.add(new Problem(false, "/", "no " + a + " attribute"));
            }
            boolean entry = h.getChildren().values().stream().anyMatch(n -> n instanceof Group g && "NXentry".equals(text(g, "NX_class")));
            if (!entry) out.add(new Problem(true, "/", "no NXentry group under the root"));
            defaults(h, true, out);
            walk(h, out);
        }
        return out;
    }

    /** The errors only. */
    public static List<Problem> errors(Path file) {
        return check(file).stream().filter(Problem::error).toList();
    }

    private static void walk(Group g, List<Problem> out) {
        for (Node n : g.getChildren().values()) {
            if (!NAME.matcher(n.getName()).matches()) out.add(new Problem(false, n.getPath(), "name is not of the recommended form [A-Za-z0-9_.]"));
            if (!(n instanceof Group sub)) continue;
            String cls = text(sub, "NX_class");
            if (cls == null || !cls.startsWith("NX") || cls.length() < 3) {
                out.add(new Problem(true, sub.getPath(), "group without a NeXus class (NX_class = " + cls + ")"));
            }
            if ("NXdata".equals(cls)) nxdata(sub, out);
            defaults(sub, false, out);
            walk(sub, out);
        }
    }

    private static void defaults(Group g, boolean root, List<Problem> out) {
        String d = text(g, "default");
        if (d == null) return;
        Node c = g.getChildren().get(d);
        String cls = c instanceof Group cg ? text(cg, "NX_class") : null;
        List<String> allowed = root ? List.of("NXentry") : List.of("NXdata", "NXentry", "NXsubentry");
        if (cls == null || !allowed.contains(cls)) {
            out.add(new Problem(true, g.getPath(), "default = '" + d + "' is not a child group of class " + String.join("/", allowed)));
        }
    }

    private static void nxdata(Group g, List<Problem> out) {
        String p = g.getPath();
        String signal = text(g, "signal");
        Dataset s = signal == null ? null : dataset(g, signal);
        if (s == null) {
            out.add(new Problem(true, p, "NXdata without a signal attribute naming a child dataset (signal = " + signal + ")"));
            return;
        }
        int[] dims = s.isScalar() ? new int[0] : s.getDimensions();
        units(s, out);
        for (String a : strings(g, "auxiliary_signals")) {
            Dataset d = dataset(g, a);
            if (d == null) out.add(new Problem(true, p, "auxiliary signal '" + a + "' is not a child dataset"));
            else if (!Arrays.equals(dims, d.getDimensions())) {
                out.add(new Problem(true, d.getPath(), "auxiliary signal of shape " + Arrays.toString(d.getDimensions())
                        + ", the signal is " + Arrays.toString(dims)));
            } else units(d, out);
        }
        List<String> axes = strings(g, "axes");
        if (axes.isEmpty()) return; // axes are optional
        if (axes.size() != dims.length) {
            out.add(new Problem(true, p, "axes has " + axes.size() + " names for a signal of rank " + dims.length));
            return;
        }
        for (int i = 0; i < axes.size(); i++) {
            String a = axes.get(i);
            if (a.equals(".")) continue;
            Dataset d = dataset(g, a);
            if (d == null) {
                out.add(new Problem(true, p, "axis '" + a + "' is not a child dataset"));
                continue;
            }
            int index = i;
            Attribute ia = g.getAttribute(a + "_indices");
            if (ia != null) index = ((Number) first(ia.getData())).intValue();
            int[] ad = d.isScalar() ? new int[0] : d.getDimensions();
            // bin centres (n values) or, for histograms, bin boundaries (n + 1 values), as NXdata allows
            if (ad.length != 1 || index < 0 || index >= dims.length || (ad[0] != dims[index] && ad[0] != dims[index] + 1)) {
                out.add(new Problem(true, d.getPath(), "axis of shape " + Arrays.toString(ad) + " does not index dimension " + index
                        + " of the signal " + Arrays.toString(dims)));
            }
            units(d, out);
        }
    }

    private static void units(Dataset d, List<Problem> out) {
        if (text(d, "units") == null) out.add(new Problem(true, d.getPath(), "no units attribute"));
    }

    private static Dataset dataset(Group g, String name) {
        return g.getChildren().get(name) instanceof Dataset d ? d : null;
    }

    private static Object first(Object v) {
        return v != null && v.getClass().isArray() ? (Array.getLength(v) > 0 ? Array.get(v, 0) : null) : v;
    }

    private static String text(Node n, String attribute) {
        Attribute a = n.getAttribute(attribute);
        if (a == null) return null;
        Object v = first(a.getData());
        return v == null ? null : v.toString();
    }

    private static List<String> strings(Node n, String attribute) {
        Attribute a = n.getAttribute(attribute);
        if (a == null) return List.of();
        Object v = a.getData();
        if (v == null) return List.of();
        if (!v.getClass().isArray()) return List.of(v.toString());
        List<String> l = new ArrayList<>();
        for (int i = 0; i < Array.getLength(v); i++) l.add(String.valueOf(Array.get(v, i)));
        return l;
    }
}
