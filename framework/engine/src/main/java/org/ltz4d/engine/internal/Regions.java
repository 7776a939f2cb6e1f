package org.ltz4d.engine.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.data.Shape;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.InvalidParameterException;
import org.ltz4d.api.error.ShapeMismatchException;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.api.param.Roi;

/**
 * A region of the scan for {@code correlate}: {@code roi} (rows r0:r1, columns c0:c1) and/or
 * {@code mask} ({@code FILE.npy}: non-zero pixels; {@code cluster:N}: /correlation/cluster = N;
 * {@code binarised:NAME}: map NAME ≠ 0). Every scan-shaped map is set to NaN outside the region
 * before the correlators run, so every statistic and histogram is the region's; the region itself
 * is added as the label map {@link #MASK_MAP} (1 inside, 0 outside; attribute {@code region}: the
 * spec), which {@code region-stats} writes out so that reports can outline it.
 */
public final class Regions {
    public static final ParameterSpec ROI = ParameterSpec.roi("roi", "Restrict every statistic and histogram to rows r0:r1, columns c0:c1");
    public static final ParameterSpec MASK = ParameterSpec.text("mask",
            "Restrict to a region: FILE.npy (non-zero), cluster:N (/correlation/cluster = N) or binarised:NAME (map NAME ≠ 0)", null);

    /** The region as a label map (1 inside, 0 outside) among the restricted maps. */
    public static final String MASK_MAP = "region/mask";

    private Regions() {
    }

    /** {@code maps} restricted to the region the parameters give (unchanged without {@code roi} or {@code mask}). */
    public static MapSet restrict(MapSet maps, Parameters p) {
        if (!p.has(ROI.name()) && !p.has(MASK.name())) return maps;
        Shape scan = null;
        for (DataMap m : maps.maps()) if (m.shape().rank() == 2) { scan = m.shape(); break; }
        if (scan == null) throw new InvalidParameterException(ROI.name(), "results with 2-D maps to restrict", "none");
        int rows = scan.toArray()[0];
        int cols = scan.toArray()[1];
        boolean[] in = new boolean[rows * cols];
        java.util.Arrays.fill(in, true);
        if (p.has(ROI.name())) {
            Roi roi = p.roi(ROI.name()).orElseThrow().within(ROI.name(), rows, cols);
            for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) in[r * cols + c] &= roi.contains(r, c);
        }
        if (p.has(MASK.name())) {
            boolean[] m = mask(p.string(MASK.name(), ""), maps, scan);
            for (int i = 0; i < in.length; i++) in[i] &= m[i];
        }
        List<DataMap> out = new ArrayList<>();
        float[] inside = new float[in.length];
        for (int i = 0; i < in.length; i++) inside[i] = in[i] ? 1 : 0;
        String spec = (p.has(ROI.name()) ? "roi " + p.string(ROI.name(), "") : "")
                + (p.has(ROI.name()) && p.has(MASK.name()) ? " and " : "") + (p.has(MASK.name()) ? "mask " + p.string(MASK.name(), "") : "");
        out.add(DataMap.labels(MASK_MAP, scan, inside, org.ltz4d.api.units.Unit.DIMENSIONLESS,
                "the region every statistic was restricted to: 1 inside, 0 outside").withAttribute("region", spec));
        for (DataMap m : maps.maps()) {
            if (m.path().equals(MASK_MAP)) continue; // a region of an earlier run: replaced by this one
            if (!m.shape().equals(scan)) {
                out.add(m);
                continue;
            }
            float[] v = m.toArray();
            for (int i = 0; i < v.length; i++) if (!in[i]) v[i] = Float.NaN;
            DataMap r = m.integer() ? DataMap.labels(m.path(), m.shape(), v, m.unit(), m.description())
                    : DataMap.of(m.path(), m.shape(), v, m.unit(), m.description());
            for (var a : m.attributes().entrySet()) r = r.withAttribute(a.getKey(), a.getValue());
            out.add(r);
        }
        return MapSet.of(out);
    }

    private static boolean[] mask(String spec, MapSet maps, Shape scan) {
        Matcher cl = Pattern.compile("cluster:(\\d+)").matcher(spec);
        if (cl.matches()) {
            int k = Integer.parseInt(cl.group(1));
            DataMap c = maps.get("correlation/cluster").orElseThrow(() -> new InvalidParameterException(MASK.name(),
                    "cluster:N with a /correlation/cluster map (add --with DIR/correlation.h5 of an earlier correlate)", spec));
            boolean[] b = new boolean[c.size()];
            for (int i = 0; i < b.length; i++) b[i] = c.get(i) == k;
            return b;
        }
        if (spec.startsWith("binarised:")) {
            String name = spec.substring("binarised:".length());
            DataMap c = maps.get(name).or(() -> maps.get("correlation/" + name)).orElseThrow(() -> new InvalidParameterException(MASK.name(),
                    "binarised:NAME naming a map of the results", spec));
            if (!c.shape().equals(scan)) throw new InvalidParameterException(MASK.name(), "a map of the scan's shape " + scan, name + " " + c.shape());
            boolean[] b = new boolean[c.size()];
            for (int i = 0; i < b.length; i++) b[i] = c.get(i) != 0 && !Float.isNaN(c.get(i));
            return b;
        }
        if (spec.endsWith(".npy")) return npy(Path.of(spec), scan);
        throw new InvalidParameterException(MASK.name(), "FILE.npy, cluster:N or binarised:NAME", spec);
    }

    /** A 2-D .npy mask (bool, uint8, int32/64, float32/64, little-endian, C order): non-zero = in. */
    static boolean[] npy(Path file, Shape scan) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidInputException(file, "mask", "a readable .npy file", e.getMessage(), e);
        }
        if (all.length < 10 || (all[0] & 0xff) != 0x93 || !new String(all, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
            throw new CorruptFileException(file, "magic", "\\x93NUMPY", "other bytes");
        }
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int major = all[6];
        int hlen = major == 1 ? Short.toUnsignedInt(bb.getShort(8)) : bb.getInt(8);
        int start = (major == 1 ? 10 : 12) + hlen;
        String h = new String(all, major == 1 ? 10 : 12, hlen, StandardCharsets.ISO_8859_1);
        Matcher d = Pattern.compile("'descr':\\s*'([^']+)'").matcher(h);
        Matcher s = Pattern.compile("'shape':\\s*\\((\\d+),\\s*(\\d+)\\)").matcher(h);
        if (!d.find() || !s.find() || h.contains("'fortran_order': True")) {
            throw new CorruptFileException(file, "header", "a 2-D C-order array", h.strip());
        }
        int rows = Integer.parseInt(s.group(1));
        int cols = Integer.parseInt(s.group(2));
        if (!Shape.of(rows, cols).equals(scan)) throw new ShapeMismatchException(file, "shape", "the scan's " + scan, rows + "x" + cols);
        String t = d.group(1);
        int size = switch (t) {
            case "|b1", "|u1", "|i1" -> 1;
            case "<i4", "<f4" -> 4;
            case "<i8", "<f8" -> 8;
            default -> throw new CorruptFileException(file, "descr", "bool, uint8, int32/64 or float32/64 little-endian", t);
        };
        int n = rows * cols;
        if (all.length < start + (long) n * size) throw new org.ltz4d.api.error.TruncatedFileException(file, "data", n * size + " bytes",
                (all.length - start) + " bytes");
        boolean[] b = new boolean[n];
        for (int i = 0; i < n; i++) {
            int o = start + i * size;
            double v = switch (t) {
                case "<i4" -> bb.getInt(o);
                case "<f4" -> bb.getFloat(o);
                case "<i8" -> bb.getLong(o);
                case "<f8" -> bb.getDouble(o);
                default -> all[o];
            };
            b[i] = v != 0 && !Double.isNaN(v);
        }
        return b;
    }
}
