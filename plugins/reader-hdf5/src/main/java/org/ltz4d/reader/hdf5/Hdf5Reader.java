package org.ltz4d.reader.hdf5;

import io.jhdf.HdfFile;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
import org.ltz4d.io.MappedFile;
import org.osgi.service.component.annotations.Component;

/**
 * HDF5 family through jHDF: EMD 1.0 (emdfile/py4DSTEM), Berkeley EMD 0.x / Prismatic, Thermo Fisher
 * Velox EMD, DECTRIS Arina/NeXus master files (external links to data_NNNNNN files, bitshuffle/LZ4
 * chunks), and any 2D/3D/4D dataset named by {@code dataset-path} (else the largest 4D, then 3D,
 * then 2D numeric dataset). Axis convention: the file's array order, no flips; a 4D dataset is
 * (scan_y, scan_x, det_y, det_x) = its axes (0, 1, 2, 3); a 3D stack (n, h, w) is nav (n, 1); Velox
 * (h, w, n) is nav (n, 1); a 2D image is nav (1, 1).
 *
 * <p>This class checks the container, picks the {@link Layout} (one class per family:
 * {@link VeloxLayout}, {@link DectrisLayout}, {@link EmdLayout} for EMD 1.0, EMD 0.x and any other
 * file), and builds the dataset the same way for all: {@link Parts} per jHDF dataset, the scan shape
 * from {@code --scan-shape}, companion metadata or the dataset's axes.
 */
@Component(service = DatasetReader.class)
public final class Hdf5Reader extends FormatReader {
    static final String DATASET_PATH = "dataset-path";
    static final String SCAN_SHAPE = "scan-shape";
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private static final List<ParameterSpec> PARAMS = List.of(
            ParameterSpec.text(DATASET_PATH, "HDF5 path of the 2D/3D/4D dataset to read (default: found from the file's layout)", null),
            new ParameterSpec(SCAN_SHAPE, ParameterSpec.Type.INT_LIST,
                    "scan shape Y,X for a 3D stack of frames (default: companion metadata, else (frames, 1))",
                    null, null, 1, Integer.MAX_VALUE, null));

    /** Per-thread budget for decompressed chunks; lowered by tests to check the bound. */
    long cacheBytes = Hdf5Dataset.CACHE_BYTES;

    public Hdf5Reader() {
        super("hdf5", PARAMS, "h5", "hdf5", "hdf", "emd", "nxs");
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
        Layout layout = Layout.of(hdf);
        String family = layout.family();
        List<io.jhdf.api.Dataset> chosen;
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
            chosen = List.of(d);
        } else {
            chosen = layout.frames(file, hdf, meta);
        }
        io.jhdf.api.Dataset first = chosen.get(0);
        meta.put("hdf5.family", family);
        meta.put("hdf5.dataset_path", first.getPath() + (chosen.size() > 1 ? " (+" + (chosen.size() - 1) + " more)" : ""));

        boolean framesLast = layout.framesLast(first);
        List<Hdf5Dataset.Part> parts = new ArrayList<>();
        for (io.jhdf.api.Dataset d : chosen) parts.add(Parts.of(file, d, framesLast));
        Hdf5Dataset.Part p0 = parts.get(0);
        for (Hdf5Dataset.Part p : parts) {
            if (p.rows != p0.rows || p.cols != p0.cols || !p.type.equals(p0.type)) {
                throw new CorruptFileException(file, p.path, "frames of " + p0.rows + "x" + p0.cols + " " + p0.type.dtype(),
                        p.rows + "x" + p.cols + " " + p.type.dtype());
            }
        }
        long frames = 0;
        for (Hdf5Dataset.Part p : parts) frames += p.frames;
        meta.put("hdf5.shape", Arrays.toString(first.getDimensions()));
        meta.put("hdf5.layout", String.valueOf(first.getDataLayout()));
        if (first instanceof ChunkedDataset chunked) {
            meta.put("hdf5.chunks", Arrays.toString(chunked.getChunkDimensions()));
            meta.put("hdf5.filters", String.valueOf(first.getFilters()));
        }
        int[] companionScan = layout.describe(file, hdf, first, p0, cal, meta);
        Shape nav = navShape(file, opts, p0, frames, parts.size(), companionScan, meta);
        return new Hdf5Dataset(file, List.of(hdf), parts, nav, cal.build(), Map.copyOf(meta), cacheBytes);
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
}
