package org.ltz4d.engine.results;

import io.jhdf.api.WritableDataset;
import io.jhdf.api.WritableGroup;
import io.jhdf.api.WritableNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.data.Calibration;

/**
 * The NeXus side of a results file, added without moving any map (jHDF 0.13 writes no HDF5
 * links, and map paths are a contract):
 * <ul>
 * <li>the root is {@code NXroot} ({@code file_name}, {@code file_time}, {@code creator},
 * {@code default} = the entry);</li>
 * <li>every group holding maps is an {@code NXdata} in place: {@code signal} (its first 2-D map),
 * {@code auxiliary_signals} (its other maps of that shape), {@code axes} = {@code scan_y, scan_x}
 * (coordinate datasets added to the group, in nm when the scan step is known, else in scan
 * pixels) with {@code AXIS_indices}, except 2-D histograms (a group with {@code x_edges} and
 * {@code y_edges} of n + 1 values), whose axes are those bin boundaries; groups of 1-D or 3-D maps have {@code "."} axes; other
 * groups are {@code NXcollection}. Every map also gets {@code units} (the NeXus name of its
 * {@code unit}) and {@code long_name};</li>
 * <li>{@code /entry} ({@code NXentry}) carries what NXem calls the experiment context: program,
 * times, {@code sample} (NXsample), {@code user} (NXuser), {@code instrument} (NXinstrument with
 * {@code electron_source} NXsource, {@code detector} NXdetector and the {@code scan} geometry),
 * {@code session}/{@code identifiers}, one {@code NXnote} per input file (name, size, SHA-256,
 * the reader's metadata) and the provenance JSON as an {@code NXnote}.</li>
 * </ul>
 * Departure from NXroot's content model: the maps' groups are NXdata children of the root, not of
 * the entry (the only way to keep their paths without links).
 */
final class NexusLayout {
    /** Names of the coordinate datasets added to map groups (marked with ResultsFile.AXIS_ATTRIBUTE: not maps). */
    static final String AXIS_Y = "scan_y";
    static final String AXIS_X = "scan_x";
    /** Bin boundaries of a 2-D histogram group (its counts' axes). */
    static final String EDGES_Y = "y_edges";
    static final String EDGES_X = "x_edges";

    private NexusLayout() {
    }

    /** Root attributes of NXroot. */
    static void root(WritableGroup h5, String fileName, String entryName) {
        h5.putAttribute("NX_class", "NXroot");
        h5.putAttribute("file_name", fileName);
        h5.putAttribute("file_time", Instant.now().toString());
        h5.putAttribute("creator", "ltz4d");
        h5.putAttribute("default", entryName);
    }

    /** The NeXus attributes of a map dataset. */
    static void mapAttributes(WritableNode ds, DataMap m) {
        ds.putAttribute("units", m.unit().symbol());
        ds.putAttribute("long_name", m.description().isEmpty() ? m.path() : m.description() + " [" + m.unit().symbol() + "]");
    }

    /**
     * Tags every group of {@code groups} (path with leading slash → group): NXdata with signal
     * and axes for groups holding maps directly, NXcollection otherwise.
     */
    static void mapGroups(Map<String, WritableGroup> groups, java.util.Collection<DataMap> maps, Calibration cal) {
        for (Map.Entry<String, WritableGroup> g : groups.entrySet()) {
            String prefix = g.getKey().substring(1) + "/";
            List<DataMap> direct = new ArrayList<>();
            for (DataMap m : maps) {
                if (m.path().startsWith(prefix) && m.path().indexOf('/', prefix.length()) < 0) direct.add(m);
            }
            if (direct.isEmpty()) {
                g.getValue().putAttribute("NX_class", "NXcollection");
            } else {
                nxdata(g.getValue(), prefix, direct, cal);
            }
        }
    }

    private static String name(DataMap m, String prefix) {
        return m.path().substring(prefix.length());
    }

    private static void nxdata(WritableGroup g, String prefix, List<DataMap> direct, Calibration cal) {
        DataMap signal = direct.stream().filter(m -> m.shape().rank() == 2).findFirst().orElse(direct.get(0));
        List<String> aux = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (DataMap m : direct) {
            names.add(name(m, prefix));
            if (m != signal && m.shape().equals(signal.shape())) aux.add(name(m, prefix));
        }
        g.putAttribute("NX_class", "NXdata");
        g.putAttribute("signal", name(signal, prefix));
        if (!aux.isEmpty()) g.putAttribute("auxiliary_signals", aux.toArray(String[]::new));
        int[] dims = signal.shape().toArray();
        String[] axes = new String[dims.length];
        java.util.Arrays.fill(axes, ".");
        if (dims.length == 2 && edges(direct, prefix, EDGES_Y, dims[0]) && edges(direct, prefix, EDGES_X, dims[1])) {
            // a 2-D histogram: its axes are the bin boundaries (NeXus allows n + 1 values for n bins), not scan positions
            axes[0] = EDGES_Y;
            axes[1] = EDGES_X;
            g.putAttribute(EDGES_Y + "_indices", 0);
            g.putAttribute(EDGES_X + "_indices", 1);
        } else if (dims.length == 2 && !names.contains(AXIS_Y) && !names.contains(AXIS_X)) {
            axes[0] = AXIS_Y;
            axes[1] = AXIS_X;
            axis(g, AXIS_Y, dims[0], cal == null ? java.util.OptionalDouble.empty() : cal.scanStepYNm(), "scan y (rows)");
            axis(g, AXIS_X, dims[1], cal == null ? java.util.OptionalDouble.empty() : cal.scanStepXNm(), "scan x (columns)");
            g.putAttribute(AXIS_Y + "_indices", 0);
            g.putAttribute(AXIS_X + "_indices", 1);
        }
        g.putAttribute("axes", axes);
    }

    /** Whether {@code direct} holds a 1-D map {@code name} of {@code n + 1} values (bin boundaries of n bins). */
    private static boolean edges(List<DataMap> direct, String prefix, String name, int n) {
        for (DataMap m : direct) {
            if (name(m, prefix).equals(name) && m.shape().rank() == 1 && m.shape().toArray()[0] == n + 1) return true;
        }
        return false;
    }

    private static void axis(WritableGroup g, String name, int n, java.util.OptionalDouble stepNm, String what) {
        double step = stepNm.orElse(1.0);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = i * step;
        WritableDataset d = g.putDataset(name, v);
        d.putAttribute("units", stepNm.isPresent() ? "nm" : "pixel");
        d.putAttribute("long_name", what + (stepNm.isPresent() ? " [nm], pixel centres from 0" : " [scan pixels], scan step unknown"));
        d.putAttribute(org.ltz4d.results.ResultsFile.AXIS_ATTRIBUTE, 1);
    }

    /**
     * The NXentry from the provenance (as {@link Provenance#toMap()} gives it; may be empty) and
     * the calibration (may be null).
     */
    @SuppressWarnings("unchecked")
    static void entry(WritableGroup h5, String entryName, Map<String, Object> prov, String provenanceJson, Calibration cal,
            int[] scanShape, String version) {
        WritableGroup e = h5.putGroup(entryName);
        e.putAttribute("NX_class", "NXentry");
        Object pipeline = prov.get("pipeline");
        Map<String, Object> input = prov.get("input") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        String title = "ltz4d " + (pipeline != null ? pipeline + " " : "") + "results"
                + (input.get("name") != null ? " of " + input.get("name") : "");
        e.putDataset("title", title);
        WritableDataset prog = e.putDataset("program_name", "ltz4d");
        prog.putAttribute("version", version == null ? "unknown" : version);
        if (prov.get("started") != null) e.putDataset("start_time", String.valueOf(prov.get("started")));
        if (prov.get("finished") != null) e.putDataset("end_time", String.valueOf(prov.get("finished")));
        Map<String, Object> meta = prov.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Object session = meta.get("session");
        if (session instanceof Map<?, ?> s && s.get("id") != null) e.putDataset("experiment_identifier", String.valueOf(s.get("id")));
        if (meta.get("sample") instanceof Map<?, ?> s) fields(group(e, "sample", "NXsample"), (Map<String, Object>) s);
        if (meta.get("user") instanceof Map<?, ?> s) fields(group(e, "user", "NXuser"), (Map<String, Object>) s);
        if (session instanceof Map<?, ?> s) fields(group(e, "session", "NXcollection"), (Map<String, Object>) s);
        if (meta.get("identifiers") instanceof Map<?, ?> s) fields(group(e, "identifiers", "NXcollection"), (Map<String, Object>) s);
        instrument(e, meta.get("instrument") instanceof Map<?, ?> s ? (Map<String, Object>) s : Map.of(),
                meta.get("input_file") instanceof Map<?, ?> s ? (Map<String, Object>) s : Map.of(), cal, scanShape);
        Map<String, Object> other = new LinkedHashMap<>();
        for (Map.Entry<String, Object> m : meta.entrySet()) {
            if (!MetadataSidecar.SECTIONS.contains(m.getKey()) && !m.getKey().equals("input_file")) other.put(m.getKey(), m.getValue());
        }
        if (!other.isEmpty()) fields(group(e, "metadata", "NXcollection"), other);
        for (Map.Entry<String, Object> p : prov.entrySet()) {
            if (p.getValue() instanceof Map<?, ?> in && in.containsKey("header_sha256")) {
                WritableGroup note = group(e, safe(p.getKey()), "NXnote");
                note.putDataset("description", "input file '" + p.getKey() + "' of this result; " + (in.containsKey("sha256")
                        ? "sha256 is of the whole file" : "sha256_sampled is of 65 blocks of 1 MiB spread over it (see sha256_policy)"));
                note.putDataset("type", "application/octet-stream");
                Map<String, Object> rec = new LinkedHashMap<>();
                for (Map.Entry<?, ?> f : in.entrySet()) rec.put(String.valueOf(f.getKey()).equals("name") ? "file_name" : String.valueOf(f.getKey()), f.getValue());
                fields(note, rec);
                if (p.getKey().equals("input") && meta.get("input_file") instanceof Map<?, ?> rm) {
                    fields(group(note, "metadata", "NXcollection"), (Map<String, Object>) rm);
                }
            }
        }
        if (provenanceJson != null) {
            WritableGroup note = group(e, "provenance", "NXnote");
            note.putDataset("type", "application/json");
            note.putDataset("description", "ltz4d provenance: inputs with checksums, parameters, plugins and versions, calibration, times");
            note.putDataset("data", provenanceJson);
        }
    }

    private static void instrument(WritableGroup e, Map<String, Object> given, Map<String, Object> reader, Calibration cal, int[] scanShape) {
        WritableGroup ins = group(e, "instrument", "NXinstrument");
        WritableGroup src = group(ins, "electron_source", "NXsource");
        src.putDataset("probe", "electron");
        src.putDataset("type", "Electron Source");
        if (cal != null && cal.beamKv().isPresent()) unit(src.putDataset("voltage", cal.beamKv().getAsDouble()), "kV");
        WritableGroup det = group(ins, "detector", "NXdetector");
        Object detector = reader.get("detector") != null ? reader.get("detector") : reader.get("velox.Detector");
        if (detector != null) det.putDataset("description", String.valueOf(detector));
        if (reader.get("microscope") != null && !given.containsKey("name")) ins.putDataset("name", String.valueOf(reader.get("microscope")));
        if (cal != null) {
            if (cal.cameraLengthMm().isPresent()) unit(det.putDataset("distance", cal.cameraLengthMm().getAsDouble()), "mm")
                    .putAttribute("long_name", "camera length");
            cal.detectorPixel().ifPresent(q -> unit(det.putDataset("angular_pixel_size", q.value()), q.unit().symbol()));
        }
        WritableGroup scan = group(ins, "scan", "NXcollection");
        if (scanShape != null) scan.putDataset("shape", scanShape).putAttribute("long_name", "scan positions (y, x)");
        if (cal != null) {
            if (cal.scanStepYNm().isPresent()) unit(scan.putDataset("step_y", cal.scanStepYNm().getAsDouble()), "nm");
            if (cal.scanStepXNm().isPresent()) unit(scan.putDataset("step_x", cal.scanStepXNm().getAsDouble()), "nm");
            unit(scan.putDataset("rotation", cal.scanRotationDeg()), "degree")
                    .putAttribute("long_name", "detector axes against scan axes, from +x towards +y");
            scan.putDataset("transpose", cal.transpose() ? 1 : 0);
        }
        fields(ins, given); // after the fixed groups: a given key of the same name is not written twice
    }

    private static WritableNode unit(WritableNode n, String units) {
        n.putAttribute("units", units);
        return n;
    }

    private static WritableGroup group(WritableGroup parent, String name, String nxClass) {
        WritableGroup g = parent.putGroup(name);
        g.putAttribute("NX_class", nxClass);
        return g;
    }

    /** Writes a mapping as fields: nested mappings become NXcollection groups, lists arrays or text. */
    @SuppressWarnings("unchecked")
    private static void fields(WritableGroup g, Map<String, Object> values) {
        Set<String> used = new HashSet<>(g.getChildren().keySet());
        for (Map.Entry<String, Object> f : values.entrySet()) {
            String n = safe(f.getKey());
            Object v = f.getValue();
            if (v == null || !used.add(n)) continue;
            if (v instanceof Map<?, ?> sub) {
                fields(group(g, n, "NXcollection"), (Map<String, Object>) sub);
            } else if (v instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(x -> x instanceof Number)) {
                g.putDataset(n, l.stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray());
            } else if (v instanceof List<?> l) {
                g.putDataset(n, l.isEmpty() ? "" : String.join("; ", l.stream().map(String::valueOf).toList()));
            } else if (v instanceof Integer || v instanceof Long || v instanceof Short) {
                g.putDataset(n, ((Number) v).longValue());
            } else if (v instanceof Number num) {
                g.putDataset(n, num.doubleValue());
            } else if (v instanceof int[] || v instanceof double[]) {
                g.putDataset(n, v);
            } else {
                g.putDataset(n, String.valueOf(v));
            }
        }
    }

    /** An HDF5 link name from any key: no '/', not empty, not '.'. */
    static String safe(String key) {
        String s = key.replace('/', '_').strip();
        return s.isEmpty() || s.equals(".") || s.equals("..") ? "_" + s.replace('.', '_') : s;
    }
}
