package org.ltz4d.cli.commands;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.ltz4d.api.analysis.DataMap;
import org.ltz4d.api.analysis.MapSet;
import org.ltz4d.api.units.Unit;
import org.ltz4d.render.MapImage;

/** What {@code analyze-series} computes from the steps' maps: differences, the B animation, the summary. */
final class SeriesMaps {
    static final String BX = "magnetic/Bx";
    static final String BY = "magnetic/By";
    private static final String SIGMA = "sigma_";
    /** The group of the standard errors ({@code uncertainty/Bx}, ...). */
    private static final String UNCERTAINTY = "uncertainty/";

    private SeriesMaps() {
    }

    /**
     * For every step i ≥ 1 and every map of the key groups (magnetic, strain, density; not angles
     * or labels) present in step 0 and step i: {@code step_NNN/GROUP/NAME} = step i − step 0 in the
     * map's unit; an uncertainty map ({@code uncertainty/*}, {@code sigma_*}) becomes the uncertainty of the difference,
     * √(σ₀² + σᵢ²) (the steps' noise is independent; an upper bound, as the
     * shared reference's share, which cancels in the difference, is counted in both).
     */
    static MapSet differences(List<MapSet> steps, List<Path> files) {
        MapSet first = steps.get(0);
        List<DataMap> out = new ArrayList<>();
        for (int i = 1; i < steps.size(); i++) {
            for (DataMap a : first.maps()) {
                if (!key(a)) continue;
                Optional<DataMap> b = steps.get(i).get(a.path());
                if (b.isEmpty() || !b.get().shape().equals(a.shape())) continue;
                boolean sigma = a.path().startsWith(UNCERTAINTY) || a.path().substring(a.path().lastIndexOf('/') + 1).startsWith(SIGMA);
                float[] x = a.toArray();
                float[] y = b.get().toArray();
                float[] d = new float[x.length];
                for (int k = 0; k < d.length; k++) d[k] = sigma ? (float) Math.hypot(x[k], y[k]) : y[k] - x[k];
                String path = String.format("step_%03d/%s", i, a.path());
                String what = sigma ? "uncertainty of the difference, sqrt(sigma_0^2 + sigma_i^2), of " : "difference step i - step 0 of ";
                out.add(DataMap.of(path, a.shape(), d, a.unit(), what + a.path() + " (" + a.description() + ")")
                        .withAttribute("step", i).withAttribute("file", files.get(i).toString())
                        .withAttribute("first_file", files.get(0).toString()).withAttribute("source", a.path()));
            }
        }
        return MapSet.of(out);
    }

    private static boolean key(DataMap m) {
        if (m.integer() || m.shape().rank() != 2) return false;
        if (Unit.DEGREE.equals(m.unit()) || Unit.RADIAN.equals(m.unit())) return false; // angles do not subtract
        // uncertainty/Bx, uncertainty/exx, ... are of the key groups; uncertainty/GROUP/NAME only of a key group
        boolean sigma = m.path().startsWith(UNCERTAINTY);
        String p = sigma ? m.path().substring(UNCERTAINTY.length()) : m.path();
        if (sigma && p.indexOf('/') < 0) return true;
        for (String g : AnalyzeSeriesCommand.GROUPS) if (p.startsWith(g)) return true;
        return false;
    }

    static boolean hasB(List<MapSet> steps) {
        return steps.stream().allMatch(s -> s.contains(BX) && s.contains(BY));
    }

    /**
     * An animated GIF of B in the colour wheel (hue = direction, brightness = |B| on one scale for
     * every step: the 99th percentile of |B| over the series), one frame a step, looping.
     */
    static void writeAnimation(List<MapSet> steps, int delayMs, Path file) {
        DataMap bx0 = steps.get(0).require(BX);
        int rows = bx0.shape().rows();
        int cols = bx0.shape().cols();
        int n = rows * cols;
        float[] allX = new float[n * steps.size()];
        float[] allY = new float[n * steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            System.arraycopy(steps.get(i).require(BX).toArray(), 0, allX, i * n, n);
            System.arraycopy(steps.get(i).require(BY).toArray(), 0, allY, i * n, n);
        }
        double max = MapImage.maxMagnitude(allX, allY, 99);
        int factor = MapImage.upscaleFactor(rows, cols, 256, 1024);
        ImageWriter w = ImageIO.getImageWritersByFormatName("gif").next();
        try {
            Path tmp = Files.createTempFile(file.getParent(), ".series", ".gif.tmp");
            try (ImageOutputStream ios = ImageIO.createImageOutputStream(tmp.toFile())) {
                w.setOutput(ios);
                w.prepareWriteSequence(null);
                for (int i = 0; i < steps.size(); i++) {
                    float[] vx = java.util.Arrays.copyOfRange(allX, i * n, (i + 1) * n);
                    float[] vy = java.util.Arrays.copyOfRange(allY, i * n, (i + 1) * n);
                    BufferedImage img = MapImage.upscale(MapImage.vector(vx, vy, rows, cols, max), factor);
                    label(img, "step " + i + "   |B| scale " + String.format("%.3g", max) + " " + bx0.unit().symbol());
                    ImageWriteParam param = w.getDefaultWriteParam();
                    IIOMetadata meta = w.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), param);
                    loop(meta, delayMs);
                    w.writeToSequence(new IIOImage(img, null, meta), param);
                }
                w.endWriteSequence();
            } finally {
                w.dispose();
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }

    private static void label(BufferedImage img, String text) {
        Graphics2D g = img.createGraphics();
        try {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, g.getFontMetrics().stringWidth(text) + 8, 16);
            g.setColor(Color.WHITE);
            g.drawString(text, 4, 12);
        } finally {
            g.dispose();
        }
    }

    /** The frame delay and the NETSCAPE2.0 loop-forever extension in a GIF frame's metadata. */
    private static void loop(IIOMetadata meta, int delayMs) throws IOException {
        String fmt = meta.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(fmt);
        IIOMetadataNode gce = child(root, "GraphicControlExtension");
        gce.setAttribute("disposalMethod", "none");
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", "FALSE");
        gce.setAttribute("delayTime", Integer.toString(Math.max(1, delayMs / 10)));
        gce.setAttribute("transparentColorIndex", "0");
        IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
        app.setAttribute("applicationID", "NETSCAPE");
        app.setAttribute("authenticationCode", "2.0");
        app.setUserObject(new byte[] {1, 0, 0}); // loop count 0 = forever
        child(root, "ApplicationExtensions").appendChild(app);
        meta.setFromTree(fmt, root);
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) return (IIOMetadataNode) root.item(i);
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }

    /** Per step: the file, mean |B|, mean Bx and By, mean strain components and density (those present), with units. */
    static List<Map<String, Object>> summary(List<MapSet> steps, List<Path> files) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            MapSet s = steps.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", i);
            m.put("file", files.get(i).toString());
            if (s.contains(BX) && s.contains(BY)) {
                float[] bx = s.require(BX).toArray();
                float[] by = s.require(BY).toArray();
                float[] mag = new float[bx.length];
                for (int k = 0; k < mag.length; k++) mag[k] = (float) Math.hypot(bx[k], by[k]);
                String u = AnalyzeSeriesCommand.unit(s.require(BX));
                m.put("mean_abs_B", mean(mag));
                m.put("mean_Bx", mean(bx));
                m.put("mean_By", mean(by));
                m.put("B_unit", u);
            }
            for (String p : List.of("strain/exx", "strain/eyy", "strain/exy", "density/relative")) {
                s.get(p).ifPresent(d -> m.put("mean_" + p.replace('/', '_'), mean(d.toArray())));
            }
            out.add(m);
        }
        return out;
    }

    /** One summary line for stdout. */
    static String line(Map<String, Object> step) {
        StringBuilder b = new StringBuilder("step " + step.get("step") + ":");
        if (step.containsKey("mean_abs_B")) {
            b.append(String.format(" mean |B| %.4g %s (Bx %.4g, By %.4g)", (Double) step.get("mean_abs_B"), step.get("B_unit"),
                    (Double) step.get("mean_Bx"), (Double) step.get("mean_By")));
        }
        for (String k : List.of("mean_strain_exx", "mean_strain_eyy", "mean_strain_exy", "mean_density_relative")) {
            if (step.containsKey(k)) b.append(String.format(" %s %.3e", k.substring(5), (Double) step.get(k)));
        }
        if (step.containsKey("mean_strain_exx")) b.append(" (strain dimensionless)");
        return b.toString();
    }

    /** Mean over the finite values (NaN when none). */
    static double mean(float[] v) {
        return java.util.stream.IntStream.range(0, v.length).mapToDouble(i -> v[i]).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    /** The descan surface a magnetic map records (descan_coefficients_x_px then _y_px, "[c0, c1, ...]"), if any. */
    static Optional<double[]> descan(Map<String, Object> attributes) {
        Object x = attributes.get("descan_coefficients_x_px");
        Object y = attributes.get("descan_coefficients_y_px");
        if (x == null || y == null) return Optional.empty();
        try {
            double[] a = numbers(x.toString());
            double[] b = numbers(y.toString());
            if (a.length != b.length || a.length == 0) return Optional.empty();
            double[] c = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, c, a.length, b.length);
            return Optional.of(c);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static double[] numbers(String list) {
        String s = list.trim().replace("[", "").replace("]", "");
        return java.util.Arrays.stream(s.split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
    }

    /**
     * The reference ellipse (a, b in px, angle of a in degrees from +x towards +y) of the
     * reference ring form Q_ref a strain map records ({@code reference_q11_px-2} ...), if any.
     */
    /**
     * The scan frame a map's deriver used (attributes {@code scan_rotation_deg}, {@code transpose}):
     * {rotation in degrees, 1 when transposed else 0}; empty when either is missing or not a number.
     */
    static Optional<double[]> scanFrame(Map<String, Object> attributes) {
        Object r = attributes.get("scan_rotation_deg");
        Object t = attributes.get("transpose");
        if (r == null || t == null) return Optional.empty();
        try {
            double deg = r instanceof Number num ? num.doubleValue() : Double.parseDouble(r.toString().trim());
            if (!Double.isFinite(deg)) return Optional.empty();
            String ts = t.toString().trim();
            boolean tr = t instanceof Boolean b ? b : t instanceof Number num ? num.intValue() != 0 : ts.equalsIgnoreCase("true") || ts.equals("1");
            return Optional.of(new double[] {deg, tr ? 1 : 0});
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static Optional<double[]> ellipse(Map<String, Object> attributes) {
        Iterator<String> names = List.of("reference_q11_px-2", "reference_q12_px-2", "reference_q22_px-2").iterator();
        double[] q = new double[3];
        for (int k = 0; k < 3; k++) {
            Object v = attributes.get(names.next());
            if (v == null) return Optional.empty();
            try {
                q[k] = v instanceof Number num ? num.doubleValue() : Double.parseDouble(v.toString().trim());
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        double mean = 0.5 * (q[0] + q[2]);
        double rad = Math.hypot(0.5 * (q[0] - q[2]), q[1]);
        if (!(mean - rad > 0)) return Optional.empty();
        double angle = 0.5 * Math.toDegrees(Math.atan2(2 * q[1], q[0] - q[2]));
        return Optional.of(new double[] {1 / Math.sqrt(mean + rad), 1 / Math.sqrt(mean - rad), angle});
    }
}
