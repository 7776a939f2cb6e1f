package org.ltz4d.reader.hdf5;

import org.ltz4d.io.MappedFile;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.api.dataset.ContiguousDataset;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.Ltz4dException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.error.UnsupportedFormatException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.io.FormatReader;
import org.osgi.service.component.annotations.Component;

/**
 * HDF5 family through jHDF: EMD 1.0 (emdfile/py4DSTEM), Berkeley EMD 0.x / Prismatic, Thermo Fisher
 * Velox EMD, DECTRIS Arina/NeXus master files (external links to data_NNNNNN files, bitshuffle/LZ4
 * chunks), and any 2D/3D/4D dataset named by {@code dataset-path} (else the largest 4D, then 3D,
 * then 2D numeric dataset). Axis convention: the file's array order, no flips; a 4D dataset is
 * (scan_y, scan_x, det_y, det_x) = its axes (0, 1, 2, 3); a 3D stack (n, h, w) is nav (n, 1); Velox
 * (h, w, n) is nav (n, 1); a 2D image is nav (1, 1).
 */
@Component(service = DatasetReader.class)
public final class Hdf5Reader extends FormatReader {
    static final String DATASET_PATH = "dataset-path";
    static final String SCAN_SHAPE = "scan-shape";
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final Pattern DECTRIS_DATA = Pattern.compile("data_\\d{6}");

    private static final List<ParameterSpec> PARAMS = List.of(
            ParameterSpec.text(DATASET_PATH, "HDF5 path of the 2D/3D/4D dataset to read (default: found from the file's layout)", null),
            new ParameterSpec(SCAN_SHAPE, ParameterSpec.Type.INT_LIST,
                    "scan shape Y,X for a 3D stack of frames (default: companion metadata, else (frames, 1))",
                    null, null, 1, Integer.MAX_VALUE, null));

    /** Per-thread budget for decompressed chunks; lowered by tests to check the bound. */
    long cacheBytes = Hdf5Dataset.CACHE_BYTES;


    public Hdf5Reader() {
        super("hdf5", "h5", "hdf5", "hdf", "emd", "nxs");
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMS;
    }

    @Override
    protected double confidence(Probe p) {
        boolean suffix = p.hasSuffix();
        for (int at = 0; at + SIGNATURE.length <= p.headBytes(); at = at == 0 ? 512 : at * 2) {
            if (p.bytesAt(at, SIGNATURE)) return suffix ? 1.0 : 0.9;
        }
        return suffix ? 0.1 : 0.0;
    }

    private static boolean signatureAt(ByteBuffer b, int at) {
        for (int i = 0; i < SIGNATURE.length; i++) if (b.get(at + i) != SIGNATURE[i]) return false;
        return true;
    }

    @Override
    public Dataset open(Path file, Parameters options) {
        Parameters opts = options == null ? Parameters.empty() : options;
        checkContainer(file);
        HdfFile hdf;
        try {
            hdf = new HdfFile(file);
        } catch (RuntimeException e) {
            throw new CorruptFileException(file, "superblock", "a readable HDF5 file", e.getMessage(), e);
        }
        try {
            return open(file, hdf, opts);
        } catch (Ltz4dException e) {
            hdf.close();
            throw e;
        } catch (RuntimeException e) {
            hdf.close();
            throw new CorruptFileException(file, "structure", "a readable HDF5 layout", e.toString(), e);
        }
    }

    /** Empty, not HDF5, or shorter than the end-of-file address its superblock records. */
    static void checkContainer(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) throw new TruncatedFileException(file, "superblock", "an HDF5 file", "an empty file (0 bytes)");
            ByteBuffer b = ByteBuffer.allocate(96).order(ByteOrder.LITTLE_ENDIAN);
            long base = -1;
            for (long at = 0; at + 8 <= size && at <= (1 << 20); at = at == 0 ? 512 : at * 2) {
                b.clear();
                ch.read(b, at);
                if (b.position() >= 8 && signatureAt(b, 0)) {
                    base = at;
                    break;
                }
            }
            if (base < 0) {
                b.clear();
                ch.read(b, 0);
                byte[] first = Arrays.copyOf(b.array(), Math.min(8, b.position()));
                throw new CorruptFileException(file, "signature", "the HDF5 signature \\x89HDF\\r\\n\\x1a\\n",
                        "bytes " + hex(first));
            }
            int version = b.get(8) & 0xFF;
            int so = version <= 1 ? b.get(13) & 0xFF : b.get(9) & 0xFF;
            int eofAt = version == 0 ? 24 + 2 * so : version == 1 ? 28 + 2 * so : 12 + 2 * so;
            if (b.position() < eofAt + so || (so != 4 && so != 8)) {
                throw new TruncatedFileException(file, "superblock", "a complete HDF5 superblock", size + " bytes");
            }
            long eof = so == 8 ? b.getLong(eofAt) : b.getInt(eofAt) & 0xFFFFFFFFL;
            if (eof != -1 && base + eof > size) {
                throw new TruncatedFileException(file, "end of file address", (base + eof) + " bytes (superblock)", size + " bytes");
            }
        } catch (IOException e) {
            throw new InvalidInputException(file, "file", "a readable file", MappedFile.describe(e), e);
        }
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(String.format("%02x", x & 0xFF));
        return sb.toString();
    }

    private Dataset open(Path file, HdfFile hdf, Parameters opts) {
        Map<String, String> meta = new LinkedHashMap<>();
        Calibration.Builder cal = Calibration.builder();
        List<io.jhdf.api.Dataset> chosen = new ArrayList<>();
        String family = family(hdf);
        Optional<String> userPath = opts.string(DATASET_PATH).filter(s -> !s.isBlank());
        if (userPath.isPresent()) {
            Node n;
            try {
                n = hdf.getByPath(userPath.get());
            } catch (RuntimeException e) {
                n = null;
            }
            if (!(n instanceof io.jhdf.api.Dataset d)) {
                throw new InvalidInputException(file, DATASET_PATH, "a dataset at " + userPath.get(),
                        n == null ? "no such path" : "a " + n.getType().toString().toLowerCase(Locale.ROOT));
            }
            chosen.add(d);
        } else if (family.equals("velox")) {
            Group images = (Group) node(hdf, "Data/Image");
            io.jhdf.api.Dataset best = null;
            for (Node g : images.getChildren().values()) {
                if (g instanceof Group gg && gg.getChild("Data") instanceof io.jhdf.api.Dataset d && numeric(d)
                        && (best == null || d.getSize() > best.getSize())) {
                    best = d;
                }
            }
            if (best == null) throw new ShapeMismatchException(file, "/Data/Image", "a Velox image group with a Data dataset", "none");
            chosen.add(best);
        } else if (family.equals("dectris-nexus")) {
            Group nx = (Group) node(hdf, "entry/data");
            List<String> names = new ArrayList<>(nx.getChildren().keySet());
            names.removeIf(k -> !DECTRIS_DATA.matcher(k).matches());
            names.sort(null);
            for (String k : names) {
                Node d;
                try {
                    d = nx.getChild(k);
                    if (d instanceof io.jhdf.api.Link l) d = l.getTarget();
                } catch (RuntimeException e) {
                    throw new TruncatedFileException(file, "/entry/data/" + k, "the linked data file next to the master file",
                            e.getMessage(), e);
                }
                if (!(d instanceof io.jhdf.api.Dataset ds)) {
                    throw new CorruptFileException(file, "/entry/data/" + k, "a dataset", String.valueOf(d));
                }
                chosen.add(ds);
            }
        } else {
            List<io.jhdf.api.Dataset> all = new ArrayList<>();
            collect(hdf, all, 0);
            io.jhdf.api.Dataset best = null;
            for (io.jhdf.api.Dataset d : all) {
                if (best == null || score(d) > score(best)) best = d;
            }
            if (best == null) {
                throw new ShapeMismatchException(file, "datasets", "a numeric 2D, 3D or 4D dataset", "none in the file");
            }
            chosen.add(best);
            int bestRank = best.getDimensions().length;
            if (all.size() > 1) {
                meta.put("hdf5.candidates", String.valueOf(all.stream().filter(d -> d.getDimensions().length == bestRank)
                        .map(Node::getPath).limit(20).toList()));
            }
        }
        meta.put("hdf5.family", family);
        meta.put("hdf5.dataset_path", chosen.get(0).getPath() + (chosen.size() > 1 ? " (+" + (chosen.size() - 1) + " more)" : ""));

        boolean velox = family.equals("velox") && chosen.get(0).getPath().matches("/?Data/Image/[^/]+/Data") && chosen.get(0).getDimensions().length == 3;
        List<Hdf5Dataset.Part> parts = new ArrayList<>();
        for (io.jhdf.api.Dataset d : chosen) parts.add(part(file, d, velox));
        Hdf5Dataset.Part p0 = parts.get(0);
        for (Hdf5Dataset.Part p : parts) {
            if (p.rows != p0.rows || p.cols != p0.cols || !p.type.equals(p0.type)) {
                throw new CorruptFileException(file, p.path, "frames of " + p0.rows + "x" + p0.cols + " " + p0.type.dtype(),
                        p.rows + "x" + p.cols + " " + p.type.dtype());
            }
        }
        long frames = 0;
        for (Hdf5Dataset.Part p : parts) frames += p.frames;
        ChunkedDataset chunked = chosen.get(0) instanceof ChunkedDataset c ? c : null;
        meta.put("hdf5.shape", Arrays.toString(chosen.get(0).getDimensions()));
        meta.put("hdf5.layout", String.valueOf(chosen.get(0).getDataLayout()));
        if (chunked != null) {
            meta.put("hdf5.chunks", Arrays.toString(chunked.getChunkDimensions()));
            meta.put("hdf5.filters", String.valueOf(chosen.get(0).getFilters()));
        }

        int[] companionScan = null;
        switch (family) {
            case "velox" -> veloxMetadata(file, chosen.get(0), cal, meta);
            case "dectris-nexus" -> companionScan = dectrisMetadata(file, hdf, cal, meta);
            case "emd-1.0", "emd-0.x" -> emdCalibration(chosen.get(0), p0, cal, meta);
            default -> emdCalibration(chosen.get(0), p0, cal, meta);
        }
        Shape nav = navShape(file, opts, p0, frames, parts.size(), companionScan, meta);
        List<HdfFile> files = List.of(hdf);
        return new Hdf5Dataset(file, files, parts, nav, cal.build(), Map.copyOf(meta), cacheBytes);
    }

    private static Node node(Group g, String path) {
        try {
            return g.getByPath(path);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Which layout family the file follows, from its structure (not its name). */
    static String family(HdfFile hdf) {
        if (hdf.getChildren().containsKey("Data") && node(hdf, "Data/Image") instanceof Group) return "velox";
        if (node(hdf, "entry/data") instanceof Group nx && nx.getChildren().keySet().stream().anyMatch(k -> DECTRIS_DATA.matcher(k).matches())) {
            return "dectris-nexus";
        }
        String t = text(attr(hdf, "emd_group_type"));
        String major = text(attr(hdf, "version_major"));
        if ("file".equals(t) && "1".equals(major)) return "emd-1.0";
        for (Node c : hdf.getChildren().values()) {
            if (attr(c, "emd_group_type") != null && "0".equals(text(attr(c, "version_major")))) return "emd-0.x";
        }
        if (attr(hdf, "version_major") != null) return "emd-0.x";
        return "generic";
    }

    private static boolean numeric(io.jhdf.api.Dataset d) {
        try {
            ElementType.of(null, d.getPath(), d.getDataType());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Numeric datasets of rank 2-4 (or more with leading ones), walking groups but not following links into other files. */
    private static void collect(Group g, List<io.jhdf.api.Dataset> out, int depth) {
        if (depth > 32) return;
        for (Node n : g.getChildren().values()) {
            if (n.isLink() && n instanceof io.jhdf.api.Link) continue;
            if (n instanceof Group sub) {
                collect(sub, out, depth + 1);
            } else if (n instanceof io.jhdf.api.Dataset d && !d.isScalar() && !d.isEmpty() && numeric(d)) {
                int[] dims = d.getDimensions();
                int rank = effectiveRank(dims);
                if (rank >= 2 && rank <= 4 && dims[dims.length - 1] > 1 && dims[dims.length - 2] > 1) out.add(d);
            }
        }
    }

    static int effectiveRank(int[] dims) {
        int lead = 0;
        while (lead < dims.length - 4 && dims[lead] == 1) lead++;
        return dims.length - lead;
    }

    private static double score(io.jhdf.api.Dataset d) {
        int rank = effectiveRank(d.getDimensions());
        return rank * 1e30 + d.getSize();
    }

    private Hdf5Dataset.Part part(Path file, io.jhdf.api.Dataset d, boolean velox) {
        int[] dims = d.getDimensions();
        String path = d.getPath();
        int rank = dims.length;
        int[] nav;
        int row, col;
        ElementType type = ElementType.of(file, path, d.getDataType());
        if (rank < 2) {
            throw new ShapeMismatchException(file, path, "a 2D image, 3D stack or 4D dataset", "rank " + rank + " shape " + Arrays.toString(dims));
        }
        if (velox && rank == 3) {
            nav = new int[] {2};
            row = 0;
            col = 1;
        } else {
            int eff = effectiveRank(dims);
            if (eff > 4) {
                throw new UnsupportedFormatException(file, path, "a dataset of at most 4 dimensions (leading ones allowed)",
                        "shape " + Arrays.toString(dims));
            }
            row = rank - 2;
            col = rank - 1;
            nav = eff == 4 ? new int[] {rank - 4, rank - 3} : eff == 3 ? new int[] {rank - 3} : new int[0];
        }
        Path holder = d.getFileAsPath() != null ? d.getFileAsPath() : file;
        if (d instanceof ChunkedDataset c) {
            return new Hdf5Dataset.ChunkedPart(holder, path, dims, nav, row, col, type, c, bitshuffleMode(file, d));
        }
        if (d instanceof ContiguousDataset c) {
            long address = c.getDataAddress();
            long bytes = d.getSize() * type.size();
            if (address < 0) { // undefined address: storage never allocated
                return new Hdf5Dataset.ContiguousPart(holder, path, dims, nav, row, col, type, null, 0);
            }
            long absolute = address + d.getHdfFile().getUserBlockSize();
            long size = holderSize(holder);
            if (absolute + bytes > size) {
                throw new TruncatedFileException(holder, path, (absolute + bytes) + " bytes for the data of " + path, size + " bytes");
            }
            long record = Hdf5Dataset.ContiguousPart.recordBytes(dims, row, col, type.size());
            MappedFile map = new MappedFile(holder, type.order(), record);
            return new Hdf5Dataset.ContiguousPart(holder, path, dims, nav, row, col, type, map, absolute);
        }
        if (d.getSizeInBytes() > (64L << 20)) {
            throw new UnsupportedFormatException(file, path, "a contiguous, chunked or small compact dataset", String.valueOf(d.getDataLayout()));
        }
        float[] values = Hdf5Dataset.MemoryPart.flatten(d.getDataFlat());
        return new Hdf5Dataset.MemoryPart(holder, path, dims, nav, row, col, type, values);
    }

    /** 1 or 2 when the only filter is bitshuffle (without / with LZ4), else 0 (jHDF decodes). */
    static int bitshuffleMode(Path file, io.jhdf.api.Dataset d) {
        var filters = d.getFilters();
        if (filters.size() != 1 || filters.get(0).getId() != 32008) return 0;
        int[] cd = filters.get(0).getFilterData();
        int comp = cd.length > 4 ? cd[4] : 0;
        if (comp == 0) return 1;
        if (comp == 2) return 2;
        throw new UnsupportedFormatException(file, d.getPath(), "bitshuffle without compression or with LZ4 (cd_values[4] 0 or 2)",
                "cd_values[4] = " + comp + (comp == 3 ? " (ZSTD)" : ""));
    }

    private static long holderSize(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    static Shape navShape(Path file, Parameters opts, Hdf5Dataset.Part p0, long frames, int parts, int[] companion, Map<String, String> meta) {
        int[] s = opts.intList(SCAN_SHAPE, 2).orElse(null);
        String origin = "--" + SCAN_SHAPE;
        if (s == null && companion != null && (long) companion[0] * companion[1] <= frames && companion[0] > 0 && companion[1] > 0) {
            s = companion;
            origin = "companion scan metadata";
        }
        if (s == null) {
            if (parts == 1 && p0.navAxes.length == 2) return Shape.of(p0.dims[p0.navAxes[0]], p0.dims[p0.navAxes[1]]);
            if (frames > Integer.MAX_VALUE) throw new UnsupportedFormatException(file, "frames", "at most 2^31-1 frames", Long.toString(frames));
            return Shape.of((int) frames, 1);
        }
        if (s[0] <= 0 || s[1] <= 0 || (long) s[0] * s[1] > frames) {
            throw new ShapeMismatchException(file, SCAN_SHAPE, "a scan of at most " + frames + " frames", s[0] + "," + s[1] + " from " + origin);
        }
        if ((long) s[0] * s[1] < frames) meta.put("unused_trailing_frames", Long.toString(frames - (long) s[0] * s[1]));
        meta.put("scan_shape_from", origin);
        return Shape.of(s[0], s[1]);
    }

    // ---------------------------------------------------------------- calibration per family

    /** EMD 1.0 dim0..dim3 / EMD 0.x dim1..dim4 vectors (step = v[1] - v[0], unit attribute), else emdfile's calibration group. */
    private static void emdCalibration(io.jhdf.api.Dataset d, Hdf5Dataset.Part p, Calibration.Builder cal, Map<String, String> meta) {
        Group parent = d.getParent();
        if (parent == null) return;
        int rank = p.dims.length;
        int base = parent.getChildren().containsKey("dim0") ? 0 : 1;
        double[] step = new double[rank];
        String[] unit = new String[rank];
        boolean any = false;
        for (int a = 0; a < rank; a++) {
            Node n = parent.getChildren().get("dim" + (a + base));
            if (n instanceof io.jhdf.api.Dataset dim && !dim.isScalar() && dim.getSize() >= 2 && dim.getSize() < (1 << 24)) {
                try {
                    Object v = dim.getData(new long[] {0}, new int[] {2});
                    step[a] = ((Number) Array.get(v, 1)).doubleValue() - ((Number) Array.get(v, 0)).doubleValue();
                    unit[a] = text(attr(dim, "units"));
                    String name = text(attr(dim, "name"));
                    meta.put("emd.dim" + (a + base), (name == null ? "" : name + " ") + step[a] + " " + (unit[a] == null ? "" : unit[a]));
                    any = true;
                } catch (RuntimeException e) {
                    step[a] = Double.NaN;
                }
            }
        }
        if (any && p.navAxes.length == 2) {
            double fy = Units.lengthToNm(unit[p.navAxes[0]]), fx = Units.lengthToNm(unit[p.navAxes[1]]);
            double y = Math.abs(step[p.navAxes[0]]) * fy, x = Math.abs(step[p.navAxes[1]]) * fx;
            if (y > 0 && x > 0) cal.scanStepNm(y, x);
        }
        if (any) {
            int a = step[p.colAxis] != 0 ? p.colAxis : p.rowAxis;
            detectorPixel(Math.abs(step[a]), unit[a], cal);
        }
        // emdfile/py4DSTEM: <root>/metadatabundle/calibration/{R,Q}_pixel_{size,units}
        for (Group g = parent; g != null; g = g.getParent()) {
            if (g.getChildren().get("metadatabundle") instanceof Group mb && mb.getChildren().get("calibration") instanceof Group c) {
                Double r = number(scalarDataset(c, "R_pixel_size"));
                String ru = text(scalarDataset(c, "R_pixel_units"));
                Double q = number(scalarDataset(c, "Q_pixel_size"));
                String qu = text(scalarDataset(c, "Q_pixel_units"));
                if (r != null) meta.put("emd.R_pixel_size", r + " " + ru);
                if (q != null) meta.put("emd.Q_pixel_size", q + " " + qu);
                for (String k : List.of("QR_flip", "QR_rotation_degrees", "QR_rotation")) {
                    Object v = scalarDataset(c, k);
                    if (v != null) meta.put("emd." + k, text(v));
                }
                Calibration probe = cal.build();
                if (probe.scanStepXNm().isEmpty() && r != null && r > 0 && p.navAxes.length == 2) {
                    double f = Units.lengthToNm(ru);
                    if (f > 0) cal.scanStepNm(r * f, r * f);
                }
                if (probe.detectorPixel().isEmpty() && q != null && q > 0) detectorPixel(q, qu, cal);
                break;
            }
            if (g.getParent() == g || g instanceof HdfFile) break;
        }
    }

    private static void detectorPixel(double v, String unit, Calibration.Builder cal) {
        if (!(v > 0) || Double.isInfinite(v)) return;
        double r = Units.reciprocalToInvAngstrom(unit);
        if (r > 0) {
            cal.detectorPixelInverseAngstrom(v * r);
            return;
        }
        double m = Units.angleToMrad(unit);
        if (m > 0) cal.detectorPixelMrad(v * m);
    }

    /** Velox: the first frame's JSON metadata (u8 column of /Data/Image/<uuid>/Metadata). */
    private static void veloxMetadata(Path file, io.jhdf.api.Dataset data, Calibration.Builder cal, Map<String, String> meta) {
        Group g = data.getParent();
        Object version = scalarDataset((Group) g.getHdfFile(), "Version");
        if (version != null) meta.put("velox.version", text(version).replaceAll("\\s+", " ").strip());
        if (g.getChildren().get("FrameLookupTable") instanceof io.jhdf.api.Dataset flt && flt.getSize() <= 16) {
            meta.put("velox.frame_lookup_table", text(flt.getData()));
        }
        if (!(g.getChildren().get("Metadata") instanceof io.jhdf.api.Dataset md) || md.getDimensions().length != 2) return;
        int len = md.getDimensions()[0];
        Object col = md.getData(new long[] {0, 0}, new int[] {len, 1});
        byte[] bytes = new byte[len];
        int n = 0;
        for (; n < len; n++) {
            Object row = Array.get(col, n);
            int v = ((Number) Array.get(row, 0)).intValue();
            if (v == 0) break;
            bytes[n] = (byte) v;
        }
        Object json;
        try {
            json = Json.parse(new String(bytes, 0, n, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new CorruptFileException(file, md.getPath(), "a JSON metadata document per frame", e.getMessage(), e);
        }
        String ht = text(Json.find(json, "AccelerationVoltage"));
        Double kv = number(ht);
        if (kv != null && kv > 0) cal.beamKv(kv / 1000.0);
        Double cl = number(text(Json.find(json, "CameraLength")));
        if (cl != null && cl > 0) cal.cameraLengthMm(cl * 1000.0);
        Object br = Json.at(json, "BinaryResult");
        Double px = number(text(Json.at(br, "PixelSize", "width")));
        String ux = text(Json.at(br, "PixelUnitX"));
        if (px != null && px > 0) {
            meta.put("velox.pixel_size", px + " " + ux);
            double r = Units.reciprocalToInvAngstrom(ux);
            if (r > 0) cal.detectorPixelInverseAngstrom(px * r);
        }
        for (String k : List.of("Detector", "ExposureTime", "AccelerationVoltage", "CameraLength")) {
            Object v = k.equals("Detector") ? Json.at(br, "Detector") : Json.find(json, k);
            if (v != null) meta.put("velox." + k, text(v));
        }
        Object dt = Json.find(json, "DateTime");
        if (dt != null) meta.put("velox.DateTime", text(dt));
    }

    /** DECTRIS NXmx master: detector metadata; the scan shape and beam from the companion {@code <name>.h5} of newer Arina software. */
    private static int[] dectrisMetadata(Path file, HdfFile hdf, Calibration.Builder cal, Map<String, String> meta) {
        String det = "entry/instrument/detector/";
        for (String k : List.of("description", "count_time", "frame_time", "saturation_value", "x_pixel_size", "y_pixel_size",
                "detector_distance", "detectorSpecific/compression", "detectorSpecific/nimages", "detectorSpecific/ntrigger",
                "detectorSpecific/data_collection_date", "detectorSpecific/photon_energy", "detectorSpecific/trigger_mode")) {
            if (node(hdf, det + k) instanceof io.jhdf.api.Dataset d && d.isScalar()) {
                try {
                    meta.put("dectris." + k.replace("detectorSpecific/", ""), text(d.getData()));
                } catch (RuntimeException e) {
                    // unreadable optional field: skip
                }
            }
        }
        String name = file.getFileName().toString();
        int m = name.lastIndexOf("_master");
        if (m < 0) return null;
        Path companion = file.resolveSibling(name.substring(0, m) + name.substring(name.lastIndexOf('.')));
        if (!Files.isRegularFile(companion)) return null;
        try (HdfFile c = new HdfFile(companion)) {
            if (!(node(c, "STEM Metadata") instanceof Group g)) return null;
            meta.put("dectris.companion", companion.getFileName().toString());
            for (Map.Entry<String, Attribute> e : g.getAttributes().entrySet()) {
                meta.put("stem." + e.getKey(), text(e.getValue().getData()));
            }
            Double ht = number(attr(g, "High Tension"));
            if (ht != null && ht > 0) cal.beamKv(ht / 1000.0);
            Double cl = number(attr(g, "Camera Length"));
            if (cl != null && cl > 0) cal.cameraLengthMm(cl * 1000.0);
            Double nx = number(attr(g, "NumPixelsX")), ny = number(attr(g, "NumPixelsY"));
            if (nx != null && ny != null && nx >= 1 && ny >= 1) return new int[] {(int) Math.round(ny), (int) Math.round(nx)};
        } catch (RuntimeException e) {
            meta.put("dectris.companion_error", e.toString());
        }
        return null;
    }

    // ---------------------------------------------------------------- small value helpers

    static Object attr(Node n, String name) {
        try {
            Attribute a = n.getAttribute(name);
            return a == null ? null : a.getData();
        } catch (RuntimeException e) {
            return null;
        }
    }

    static Object scalarDataset(Group g, String name) {
        try {
            return g.getChildren().get(name) instanceof io.jhdf.api.Dataset d && d.getSize() <= 16 ? d.getData() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A value as text: arrays of one element unwrapped, other arrays as [a, b, ...]. */
    static String text(Object o) {
        if (o == null) return null;
        if (o.getClass().isArray()) {
            int n = Array.getLength(o);
            if (n == 1) return text(Array.get(o, 0));
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < n; i++) sb.append(i > 0 ? ", " : "").append(text(Array.get(o, i)));
            return sb.append(']').toString();
        }
        return o.toString();
    }

    static Double number(Object o) {
        if (o == null) return null;
        if (o.getClass().isArray()) return Array.getLength(o) == 0 ? null : number(Array.get(o, 0));
        if (o instanceof Number n) return n.doubleValue();
        try {
            return Double.parseDouble(o.toString().strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
