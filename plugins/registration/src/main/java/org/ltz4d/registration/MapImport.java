package org.ltz4d.registration;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.UnsupportedFormatException;

/**
 * 2-D maps from other instruments: images (TIFF, PNG through javax.imageio; colour averaged to
 * grey), an HDF5 dataset ({@code dataset} names it; else the file's only 2-D numeric dataset), and
 * EBSD maps, TSL {@code .ang} (Euler angles in radians, square grid) and Oxford {@code .ctf}
 * (degrees). EBSD channels: {@code phase} (label), {@code phi1_deg}, {@code Phi_deg},
 * {@code phi2_deg} (Bunge), {@code inplane_deg} (the in-plane direction of the crystal's [100]:
 * atan2(g12, g11) of the Bunge matrix, from sample +x towards +y, not reduced by crystal
 * symmetry), and the quality channels ({@code iq}, {@code ci}; {@code bc}, {@code mad}).
 */
public final class MapImport {
    /** The channels (first = the one automatic registration uses), the pixel size in nm (NaN if the file has none), the label channels. */
    public record Imported(Path file, Map<String, Grid> channels, double pixelNm, Set<String> labels) {
        public Grid primary() {
            return channels.values().iterator().next();
        }
    }

    private MapImport() {
    }

    public static Imported read(Path file, String dataset) {
        if (!Files.isRegularFile(file)) throw new InvalidInputException(file, "map", "an existing image, HDF5 or EBSD file", "no such file");
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".ang")) return ang(file);
        if (n.endsWith(".ctf")) return ctf(file);
        if (n.endsWith(".h5") || n.endsWith(".hdf5") || n.endsWith(".emd") || n.endsWith(".nxs")) return hdf5(file, dataset);
        if (n.endsWith(".tif") || n.endsWith(".tiff") || n.endsWith(".png")) return image(file);
        throw new UnsupportedFormatException(file, "file name", "a map as .tif/.tiff/.png, .h5/.hdf5/.emd (dataset), .ang or .ctf", n);
    }

    private static String base(Path file) {
        String s = file.getFileName().toString();
        int dot = s.lastIndexOf('.');
        return (dot > 0 ? s.substring(0, dot) : s).replaceAll("[^A-Za-z0-9_]", "_");
    }

    static Imported image(Path file) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new CorruptFileException(file, "image", "a readable TIFF or PNG", e.getMessage(), e);
        }
        if (img == null) throw new CorruptFileException(file, "image", "a TIFF or PNG that javax.imageio decodes", "no decoder claimed it");
        Raster r = img.getRaster();
        int h = r.getHeight();
        int w = r.getWidth();
        int bands = Math.min(r.getNumBands(), 3); // alpha ignored
        float[] v = new float[h * w];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            float s = 0;
            for (int b = 0; b < bands; b++) s += r.getSampleFloat(x, y, b);
            v[y * w + x] = s / bands;
        }
        return new Imported(file, Map.of(base(file), new Grid(h, w, v)), Double.NaN, Set.of());
    }

    static Imported hdf5(Path file, String dataset) {
        try (HdfFile h = new HdfFile(file)) {
            Dataset d;
            if (dataset != null && !dataset.isBlank()) {
                Node node = h.getByPath(dataset);
                if (!(node instanceof Dataset ds)) throw new InvalidInputException(file, dataset, "a 2-D numeric dataset", "a group");
                d = ds;
            } else {
                List<Dataset> found = new ArrayList<>();
                collect(h, found);
                if (found.size() != 1) {
                    throw new InvalidInputException(file, "map-dataset", "the path of the 2-D dataset to import",
                            found.size() + " 2-D numeric datasets: " + found.stream().map(Dataset::getPath).toList());
                }
                d = found.get(0);
            }
            int[] dims = d.getDimensions();
            if (dims.length != 2 || !d.getJavaType().isPrimitive()) {
                throw new InvalidInputException(file, d.getPath(), "a 2-D numeric dataset", java.util.Arrays.toString(dims) + " " + d.getJavaType());
            }
            Object flat = d.getDataFlat();
            float[] v = new float[dims[0] * dims[1]];
            for (int i = 0; i < v.length; i++) v[i] = ((Number) Array.get(flat, i)).floatValue();
            String name = d.getName().replaceAll("[^A-Za-z0-9_]", "_");
            return new Imported(file, Map.of(name, new Grid(dims[0], dims[1], v)), Double.NaN, Set.of());
        } catch (InvalidInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CorruptFileException(file, "HDF5 structure", "a readable HDF5 file", e.getMessage(), e);
        }
    }

    private static void collect(Group g, List<Dataset> out) {
        for (Node n : g.getChildren().values()) {
            if (n instanceof Group sub) collect(sub, out);
            else if (n instanceof Dataset d && !d.isScalar() && d.getDimensions().length == 2 && d.getJavaType() != null
                    && d.getJavaType().isPrimitive()) out.add(d);
        }
    }

    /** TSL .ang: '#' header (XSTEP, YSTEP, GRID), rows phi1 PHI phi2 x y IQ CI phase ... (radians, µm). */
    static Imported ang(Path file) {
        List<String> lines = lines(file);
        Map<String, String> hdr = new LinkedHashMap<>();
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty()) continue;
            if (l.startsWith("#")) {
                String[] kv = l.substring(1).strip().split("[:\\s]+", 2);
                if (kv.length == 2) hdr.putIfAbsent(kv[0].toUpperCase(Locale.ROOT), kv[1].strip());
                continue;
            }
            rows.add(numbers(file, i, l, 8));
        }
        if (hdr.containsKey("GRID") && !hdr.get("GRID").toLowerCase(Locale.ROOT).startsWith("sqr")) {
            throw new UnsupportedFormatException(file, "GRID", "a square grid (SqrGrid)", hdr.get("GRID"));
        }
        double xs = header(file, hdr, "XSTEP");
        double ys = header(file, hdr, "YSTEP");
        return ebsd(file, rows, xs, ys, 3, 4, new int[] {0, 1, 2}, false, 7, Map.of("iq", 5, "ci", 6));
    }

    /** Oxford .ctf: header lines until "Phase X Y Bands Error Euler1 Euler2 Euler3 MAD BC BS" (degrees, µm). */
    static Imported ctf(Path file) {
        List<String> lines = lines(file);
        Map<String, String> hdr = new LinkedHashMap<>();
        List<double[]> rows = new ArrayList<>();
        boolean data = false;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty()) continue;
            if (!data) {
                if (l.startsWith("Phase\t") || l.matches("Phase\\s+X\\s+Y.*")) {
                    data = true;
                } else {
                    String[] kv = l.split("\\t", 2);
                    if (kv.length == 2) hdr.putIfAbsent(kv[0].strip().toUpperCase(Locale.ROOT), kv[1].strip());
                }
                continue;
            }
            rows.add(numbers(file, i, l, 11));
        }
        if (!data) throw new CorruptFileException(file, "header", "a 'Phase X Y Bands Error Euler1 Euler2 Euler3 MAD BC BS' line", "none");
        return ebsd(file, rows, header(file, hdr, "XSTEP"), header(file, hdr, "YSTEP"), 1, 2, new int[] {5, 6, 7}, true, 0,
                Map.of("bc", 9, "mad", 8));
    }

    private static Imported ebsd(Path file, List<double[]> rows, double xs, double ys, int xCol, int yCol, int[] euler, boolean degrees,
            int phaseCol, Map<String, Integer> quality) {
        if (rows.isEmpty()) throw new CorruptFileException(file, "data", "at least one EBSD point", "none");
        if (Math.abs(xs - ys) > 1e-6 * Math.max(xs, ys)) {
            throw new UnsupportedFormatException(file, "XSTEP, YSTEP", "square EBSD pixels (XSTEP = YSTEP)", xs + " and " + ys + " µm");
        }
        int w = 0, h = 0;
        for (double[] r : rows) {
            w = Math.max(w, (int) Math.round(r[xCol] / xs) + 1);
            h = Math.max(h, (int) Math.round(r[yCol] / ys) + 1);
        }
        Map<String, float[]> ch = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(List.of("inplane_deg", "phase", "phi1_deg", "Phi_deg", "phi2_deg"));
        names.addAll(quality.keySet());
        for (String s : names) {
            float[] v = new float[h * w];
            java.util.Arrays.fill(v, Float.NaN);
            ch.put(s, v);
        }
        double k = degrees ? Math.PI / 180 : 1;
        for (double[] r : rows) {
            int c = (int) Math.round(r[xCol] / xs);
            int rr = (int) Math.round(r[yCol] / ys);
            if (c < 0 || rr < 0) throw new CorruptFileException(file, "x, y", "non-negative positions", r[xCol] + ", " + r[yCol]);
            int i = rr * w + c;
            double p1 = r[euler[0]] * k, pp = r[euler[1]] * k, p2 = r[euler[2]] * k;
            ch.get("phi1_deg")[i] = (float) Math.toDegrees(p1);
            ch.get("Phi_deg")[i] = (float) Math.toDegrees(pp);
            ch.get("phi2_deg")[i] = (float) Math.toDegrees(p2);
            ch.get("inplane_deg")[i] = (float) inPlaneDeg(p1, pp, p2);
            ch.get("phase")[i] = (float) r[phaseCol];
            for (Map.Entry<String, Integer> q : quality.entrySet()) ch.get(q.getKey())[i] = (float) r[q.getValue()];
        }
        Map<String, Grid> grids = new LinkedHashMap<>();
        // the primary channel (automatic registration) is a quality map: it shows grains and boundaries like an image
        String first = quality.keySet().stream().sorted().findFirst().orElseThrow();
        grids.put(first, new Grid(h, w, ch.get(first)));
        for (Map.Entry<String, float[]> e : ch.entrySet()) grids.putIfAbsent(e.getKey(), new Grid(h, w, e.getValue()));
        return new Imported(file, grids, xs * 1000, Set.of("phase", "inplane_deg", "phi1_deg", "Phi_deg", "phi2_deg"));
    }

    /** In-plane direction (degrees, from +x towards +y) of the crystal's [100] for Bunge Euler angles (radians). */
    public static double inPlaneDeg(double phi1, double bigPhi, double phi2) {
        double g11 = Math.cos(phi1) * Math.cos(phi2) - Math.sin(phi1) * Math.sin(phi2) * Math.cos(bigPhi);
        double g12 = Math.sin(phi1) * Math.cos(phi2) + Math.cos(phi1) * Math.sin(phi2) * Math.cos(bigPhi);
        return Math.toDegrees(Math.atan2(g12, g11));
    }

    private static double header(Path file, Map<String, String> hdr, String key) {
        String v = hdr.get(key);
        try {
            double d = Double.parseDouble(v == null ? "" : v.split("\\s+")[0]);
            if (!(d > 0)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new CorruptFileException(file, key, "a positive step in µm", String.valueOf(v));
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new InvalidInputException(file, "map", "a readable text file", e.getMessage(), e);
        }
    }

    private static double[] numbers(Path file, int line, String l, int min) {
        String[] t = l.split("\\s+");
        if (t.length < min) throw new CorruptFileException(file, "line " + (line + 1), "at least " + min + " columns", t.length + " columns");
        double[] v = new double[t.length];
        try {
            for (int i = 0; i < t.length; i++) v[i] = Double.parseDouble(t[i]);
        } catch (NumberFormatException e) {
            throw new CorruptFileException(file, "line " + (line + 1), "numbers", l);
        }
        return v;
    }
}
