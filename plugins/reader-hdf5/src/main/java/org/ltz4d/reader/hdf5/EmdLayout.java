package org.ltz4d.reader.hdf5;

import static org.ltz4d.reader.hdf5.H5.attr;
import static org.ltz4d.reader.hdf5.H5.number;
import static org.ltz4d.reader.hdf5.H5.scalarDataset;
import static org.ltz4d.reader.hdf5.H5.text;

import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ltz4d.api.data.Calibration;
import org.ltz4d.api.error.ShapeMismatchException;

/**
 * EMD 1.0 (emdfile/py4DSTEM), Berkeley EMD 0.x / Prismatic, and any other HDF5 file ("generic"):
 * the largest numeric 4D dataset (else 3D, else 2D), not following links into other files;
 * calibration from the EMD dim vectors beside it (step = v[1] − v[0], {@code units} attribute), else
 * emdfile's {@code metadatabundle/calibration} group.
 */
final class EmdLayout implements Layout {
    private final String family;

    private EmdLayout(String family) {
        this.family = family;
    }

    static EmdLayout of(HdfFile hdf) {
        String t = text(attr(hdf, "emd_group_type"));
        String major = text(attr(hdf, "version_major"));
        if ("file".equals(t) && "1".equals(major)) return new EmdLayout("emd-1.0");
        for (Node c : hdf.getChildren().values()) {
            if (attr(c, "emd_group_type") != null && "0".equals(text(attr(c, "version_major")))) return new EmdLayout("emd-0.x");
        }
        if (attr(hdf, "version_major") != null) return new EmdLayout("emd-0.x");
        return new EmdLayout("generic");
    }

    @Override
    public String family() {
        return family;
    }

    @Override
    public List<io.jhdf.api.Dataset> frames(Path file, HdfFile hdf, Map<String, String> meta) {
        List<io.jhdf.api.Dataset> all = new ArrayList<>();
        collect(hdf, all, 0, new java.util.HashSet<>());
        io.jhdf.api.Dataset best = null;
        for (io.jhdf.api.Dataset d : all) {
            if (best == null || score(d) > score(best)) best = d;
        }
        if (best == null) {
            throw new ShapeMismatchException(file, "datasets", "a numeric 2D, 3D or 4D dataset", "none in the file");
        }
        int bestRank = best.getDimensions().length;
        if (all.size() > 1) {
            meta.put("hdf5.candidates", String.valueOf(all.stream().filter(d -> d.getDimensions().length == bestRank)
                    .map(Node::getPath).limit(20).toList()));
        }
        return List.of(best);
    }

    /**
     * Numeric datasets of rank 2-4 (or more with leading ones), walking groups but not following links
     * into other files, and each group once: hard links may make the group graph cyclic or let two
     * paths reach one group, which without {@code seen} (object header addresses) is a walk of
     * exponential length (a hang on a damaged or crafted file).
     */
    private static void collect(Group g, List<io.jhdf.api.Dataset> out, int depth, java.util.Set<Long> seen) {
        if (depth > 32 || !seen.add(g.getAddress())) return;
        for (Node n : g.getChildren().values()) {
            if (n.isLink() && n instanceof io.jhdf.api.Link) continue;
            if (n instanceof Group sub) {
                collect(sub, out, depth + 1, seen);
            } else if (n instanceof io.jhdf.api.Dataset d && !d.isScalar() && !d.isEmpty() && H5.numeric(d)) {
                int[] dims = d.getDimensions();
                int rank = Parts.effectiveRank(dims);
                if (rank >= 2 && rank <= 4 && dims[dims.length - 1] > 1 && dims[dims.length - 2] > 1) out.add(d);
            }
        }
    }

    private static double score(io.jhdf.api.Dataset d) {
        int rank = Parts.effectiveRank(d.getDimensions());
        return rank * 1e30 + d.getSize();
    }

    /** Root attributes kept as metadata {@code emd.NAME} (sample/user identity for the NeXus entry). */
    static final List<String> ROOT_ATTRIBUTES = List.of("UUID", "authoring_program", "authoring_user", "version_major", "version_minor",
            "emd_group_type", "filename", "user", "microscope", "sample", "comments");

    /** EMD 1.0 dim0..dim3 / EMD 0.x dim1..dim4 vectors (step = v[1] - v[0], unit attribute), else emdfile's calibration group. */
    @Override
    public int[] describe(Path file, HdfFile hdf, io.jhdf.api.Dataset d, Hdf5Dataset.Part p, Calibration.Builder cal,
            Map<String, String> meta) {
        // the file's own identity (emdfile writes UUID, authoring program and user, EMD version on the root)
        for (String k : ROOT_ATTRIBUTES) {
            io.jhdf.api.Attribute a = hdf.getAttribute(k);
            String v = a == null ? null : H5.text(a.getData());
            if (v != null && !v.isBlank()) meta.put("emd." + k, v.strip());
        }
        Group parent = d.getParent();
        if (parent == null) return null;
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
        return null;
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
}
