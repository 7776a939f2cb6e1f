package org.ltz4d.engine.results;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import io.jhdf.api.WritableNode;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.units.Unit;
import org.ltz4d.results.ResultsFile;

/**
 * Writes and reads result files: one HDF5 file per analysis, each map a float32 (or int32 for
 * labels) dataset at its path with attributes {@code unit}, {@code quantity}, {@code description}
 * and its own; the file's root carries provenance and calibration attributes. Readable with h5py.
 * The file is also NeXus ({@link NexusLayout}): maps keep their paths, their groups become
 * {@code NXdata}, and {@code /entry} ({@code NXentry}) holds the metadata and provenance.
 */
public final class Hdf5Results {
    private static final Unit[] KNOWN_UNITS = {Unit.DIMENSIONLESS, Unit.COUNTS, Unit.PIXEL, Unit.NANOMETRE, Unit.ANGSTROM,
        Unit.MILLIMETRE, Unit.MILLIRADIAN, Unit.INVERSE_ANGSTROM, Unit.KILOVOLT, Unit.PICOMETRE, Unit.DEGREE, Unit.RADIAN,
        Unit.TESLA, Unit.TESLA_NANOMETRE, Unit.JOULE_PER_CUBIC_METRE, Unit.GIGAPASCAL, Unit.SECOND, Unit.LABEL};

    private Hdf5Results() {
    }

    /** What the NeXus entry is made of: the provenance as a map and as JSON, the calibration (may be null), the version. */
    public record Nexus(Map<String, Object> provenance, String provenanceJson, Calibration calibration, String version) {
        /** An entry with the program name only. */
        public static Nexus minimal() {
            return new Nexus(Map.of(), null, null, null);
        }
    }

    /** Writes {@code maps} and root attributes to {@code file} (which must not be the final name: see AtomicOutput). */
    public static void write(Path file, MapSet maps, Map<String, Object> rootAttributes) {
        write(file, maps, rootAttributes, Nexus.minimal());
    }

    /** As {@link #write(Path, MapSet, Map)}, with the NeXus entry made of {@code nexus}. */
    public static void write(Path file, MapSet maps, Map<String, Object> rootAttributes, Nexus nexus) {
        List<DataMap> streamed = new ArrayList<>();
        try (WritableHdfFile h5 = HdfFile.write(file)) {
            for (Map.Entry<String, Object> a : rootAttributes.entrySet()) putAttribute(h5, a.getKey(), a.getValue());
            Map<String, WritableGroup> groups = new HashMap<>();
            for (DataMap m : maps.maps()) {
                String[] parts = m.path().split("/");
                WritableGroup g = h5;
                StringBuilder p = new StringBuilder();
                for (int i = 0; i < parts.length - 1; i++) {
                    p.append('/').append(parts[i]);
                    WritableGroup parent = g;
                    String name = parts[i];
                    g = groups.computeIfAbsent(p.toString(), k -> parent.putGroup(name));
                }
                boolean stream = !m.integer() && m.size() > STREAM_VALUES;
                if (stream) streamed.add(m);
                WritableNode ds = g.putDataset(parts[parts.length - 1], stream ? placeholder(m.shape().toArray(), 0) : toArray(m));
                putAttribute(ds, "unit", m.unit().symbol());
                putAttribute(ds, "quantity", m.unit().quantity());
                if (!m.description().isEmpty()) putAttribute(ds, "description", m.description());
                NexusLayout.mapAttributes(ds, m);
                for (Map.Entry<String, Object> a : m.attributes().entrySet()) putAttribute(ds, a.getKey(), a.getValue());
            }
            NexusLayout.mapGroups(groups, maps.maps(), nexus.calibration());
            String entry = groups.containsKey("/entry") ? "ltz4d_entry" : "entry";
            NexusLayout.root(h5, file.getFileName().toString(), entry);
            NexusLayout.entry(h5, entry, nexus.provenance(), nexus.provenanceJson(), nexus.calibration(), scanShape(maps), nexus.version());
        }
        if (!streamed.isEmpty()) fillStreamed(file, streamed);
    }

    /**
     * Maps above this many values are not copied into a Java array for jHDF (a per-position stack
     * may be larger than the heap): jHDF writes a placeholder of the right shape whose rows are all
     * one shared row, then the values are streamed into the dataset's contiguous storage.
     */
    static final long STREAM_VALUES = 1L << 22;

    /** A float array of shape {@code dims[axis..]} whose sub-arrays are all one shared instance (a few KB whatever the shape). */
    private static Object placeholder(int[] dims, int axis) {
        if (axis == dims.length - 1) return new float[dims[axis]];
        Object sub = placeholder(dims, axis + 1);
        Object arr = Array.newInstance(sub.getClass(), dims[axis]);
        for (int i = 0; i < dims[axis]; i++) Array.set(arr, i, sub);
        return arr;
    }

    /** Writes the values of the {@code streamed} maps over their placeholders, in parts of 1 Mi values. */
    private static void fillStreamed(Path file, List<DataMap> streamed) {
        Map<String, long[]> where = new HashMap<>(); // path → {address, byte order: 1 big endian}
        try (HdfFile h5 = new HdfFile(file)) {
            for (DataMap m : streamed) {
                io.jhdf.api.Dataset d = h5.getDatasetByPath("/" + m.path());
                if (!(d instanceof io.jhdf.api.dataset.ContiguousDataset c) || d.getSizeInBytes() != (long) m.size() * Float.BYTES) {
                    throw new IllegalStateException("dataset /" + m.path() + " was not written as contiguous float32 storage");
                }
                boolean big = d.getDataType() instanceof io.jhdf.object.datatype.OrderedDataType o && o.getByteOrder() == java.nio.ByteOrder.BIG_ENDIAN;
                where.put(m.path(), new long[] {c.getDataAddress(), big ? 1 : 0});
            }
        }
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(4 << 20);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            for (DataMap m : streamed) {
                long[] w = where.get(m.path());
                bytes.order(w[1] == 1 ? java.nio.ByteOrder.BIG_ENDIAN : java.nio.ByteOrder.LITTLE_ENDIAN);
                java.nio.FloatBuffer src = m.values();
                long pos = w[0];
                while (src.hasRemaining()) {
                    bytes.clear();
                    java.nio.FloatBuffer f = bytes.asFloatBuffer();
                    int n = Math.min(f.capacity(), src.remaining());
                    java.nio.FloatBuffer part = src.slice().limit(n);
                    f.put(part);
                    src.position(src.position() + n);
                    bytes.limit(n * Float.BYTES);
                    while (bytes.hasRemaining()) pos += ch.write(bytes, pos);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("writing the stacks into " + file + ": " + e.getMessage(), e);
        }
    }

    /** The shape of the first 2-D map (the scan), or null. */
    private static int[] scanShape(MapSet maps) {
        for (DataMap m : maps.maps()) if (m.shape().rank() == 2) return m.shape().toArray();
        return null;
    }

    private static void putAttribute(WritableNode node, String key, Object value) {
        if (value == null) return;
        Object v = value;
        if (v instanceof Boolean b) v = b ? 1 : 0;
        else if (v instanceof Float f) v = f.doubleValue();
        else if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) v = l.intValue();
        else if (v instanceof float[] fa) {
            double[] d = new double[fa.length];
            for (int i = 0; i < fa.length; i++) d[i] = fa[i];
            v = d;
        } else if (!(v instanceof String || v instanceof Integer || v instanceof Double || v instanceof Long
                || v instanceof double[] || v instanceof int[])) {
            v = String.valueOf(v);
        }
        node.putAttribute(key, v);
    }

    private static Object toArray(DataMap m) {
        int[] dims = m.shape().toArray();
        java.nio.FloatBuffer src = m.values();
        if (m.integer()) {
            Object arr = Array.newInstance(int.class, dims);
            fill(arr, dims, 0, src, true);
            return arr;
        }
        Object arr = Array.newInstance(float.class, dims);
        fill(arr, dims, 0, src, false);
        return arr;
    }

    private static void fill(Object arr, int[] dims, int axis, java.nio.FloatBuffer src, boolean integer) {
        if (axis == dims.length - 1) {
            if (integer) {
                int[] a = (int[]) arr;
                for (int i = 0; i < a.length; i++) {
                    float f = src.get();
                    a[i] = Float.isNaN(f) ? -1 : Math.round(f);
                }
            } else {
                src.get((float[]) arr);
            }
            return;
        }
        for (int i = 0; i < dims[axis]; i++) fill(Array.get(arr, i), dims, axis + 1, src, integer);
    }

    /** Reads every numeric dataset of rank 1–3 of a results file as a map (through the shared {@link ResultsFile}). */
    public static MapSet read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file, "file", "an existing HDF5 results file", "no such file");
        }
        try {
            List<DataMap> maps = new ArrayList<>();
            ResultsFile.read(file, ResultsFile.STRICT, e -> {
                DataMap m = map(e);
                if (m != null) maps.add(m);
            });
            return MapSet.of(maps);
        } catch (InvalidInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CorruptFileException(file, "HDF5 structure", "a readable HDF5 file", e.getMessage(), e);
        }
    }

    /** Root attributes of a results file (provenance, calibration), as Java values. */
    public static Map<String, Object> rootAttributes(Path file) {
        try {
            return ResultsFile.rootAttributes(file, ResultsFile.STRICT);
        } catch (RuntimeException e) {
            throw new CorruptFileException(file, "HDF5 root attributes", "a readable HDF5 file", e.getMessage(), e);
        }
    }

    /** A numeric dataset of rank 1–3 as a map (integer types as labels); null for anything else. */
    private static DataMap map(ResultsFile.Entry ds) {
        if (ds.isScalar() || ds.isEmpty() || ds.isCompound()) return null;
        int[] dims = ds.dims();
        Class<?> t = ds.javaType();
        if (dims.length < 1 || dims.length > 3 || !(t.isPrimitive() && t != boolean.class && t != char.class)) return null;
        Object flat = ds.values();
        int len = Array.getLength(flat);
        float[] v = new float[len];
        for (int i = 0; i < len; i++) v[i] = ((Number) Array.get(flat, i)).floatValue();
        Map<String, Object> attrs = ds.attributes(ResultsFile.STRICT);
        Unit unit = unitOf(text(attrs.get("unit")), text(attrs.get("quantity")));
        String desc = text(attrs.get("description"));
        String path = ds.path().startsWith("/") ? ds.path().substring(1) : ds.path();
        boolean integer = t == int.class || t == long.class || t == short.class || t == byte.class;
        DataMap m = integer ? DataMap.labels(path, Shape.of(dims), v, unit, desc) : DataMap.of(path, Shape.of(dims), v, unit, desc);
        for (Map.Entry<String, Object> a : attrs.entrySet()) {
            String k = a.getKey();
            if (k.equals("unit") || k.equals("quantity") || k.equals("description") || k.equals("units") || k.equals("long_name")) continue;
            m = m.withAttribute(k, a.getValue());
        }
        return m;
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }

    static Unit unitOf(String symbol, String quantity) {
        if (symbol == null) return Unit.DIMENSIONLESS;
        for (Unit u : KNOWN_UNITS) if (u.symbol().equals(symbol)) return u;
        return Unit.of(symbol, quantity == null ? "" : quantity);
    }
}
