package org.ltz4d.amorphous;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ltz4d.api.error.CorruptFileException;
import org.ltz4d.api.error.InvalidInputException;
import org.ltz4d.api.error.TruncatedFileException;
import org.ltz4d.api.error.UnsupportedFormatException;

/**
 * The detector's measured radial distortion ({@code --distortion-file cal.json}, written by
 * {@code ltz4d calibrate distortion}, format {@code ltz4d-distortion} version 1): the first ring's
 * radius r(φ) = r₀·(1 + Σ_n a_n·cos nφ + b_n·sin nφ), n ∈ {2, 3, 4, 6}, about {@code centre_px}
 * (φ from +x towards +y, array coordinates, pixel centres at integer indices). A point seen at
 * radius ρ and azimuth φ from the centre comes from ρ / (1 + δ(φ)), δ(φ) = Σ_n a_n·cos nφ + b_n·sin nφ:
 * {@link #undistort} maps every detector pixel to those undistorted coordinates once per run.
 *
 * <p>The 2-fold term: DESIGN.md §4 takes the per-pattern ellipse as the strain against a reference
 * form Q_ref that absorbs the detector's own ellipticity D. A calibration from an unstrained
 * reference measures that D as its 2-fold term. By default ({@code keep2}) it stays in the patterns
 * and Q_ref absorbs it, as DESIGN.md says — only the 3-, 4- and 6-fold, which no ellipse can absorb,
 * are removed; ring centres (B) do not move. Removing it too gives the same strain against a fitted
 * reference (measured: systematic strain error 0.01–0.13 of the bound either way), is right for an
 * absolute (supplied) reference form, but moves every ring centre by ≈ the 2-fold × its offset from
 * the calibration's centre (a real projector distortion acts on the deflections too; the simulator
 * applies its ellipse about each pattern's own centre).
 */
final class DistortionFile {
    static final String FORMAT = "ltz4d-distortion";
    static final int[] ORDERS = {2, 3, 4, 6};

    final Path file;
    final String sha256;
    final double cx, cy, r0;
    /** a_n, b_n in {@link #ORDERS} order (relative radius). */
    final double[] a = new double[ORDERS.length], b = new double[ORDERS.length];

    private DistortionFile(Path file, String sha256, double cx, double cy, double r0) {
        this.file = file;
        this.sha256 = sha256;
        this.cx = cx;
        this.cy = cy;
        this.r0 = r0;
    }

    /** Reads and checks the file; every problem is a typed error naming the file and the field. */
    static DistortionFile read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidInputException(file, "distortion-file", "a readable JSON file written by 'ltz4d calibrate distortion'",
                    e.toString(), e);
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            if (msg != null && msg.contains("end-of-input")) {
                throw new TruncatedFileException(file, "JSON", "a complete JSON object", bytes.length + " bytes ending mid-object", e);
            }
            throw new CorruptFileException(file, "JSON", "a JSON object", msg, e);
        } catch (IOException e) {
            throw new CorruptFileException(file, "JSON", "a JSON object", e.toString(), e);
        }
        if (root == null || !root.isObject()) {
            throw new TruncatedFileException(file, "JSON", "a JSON object", bytes.length == 0 ? "an empty file" : "no object");
        }
        JsonNode fmt = root.get("format");
        if (fmt == null || !FORMAT.equals(fmt.asText())) {
            throw new UnsupportedFormatException(file, "format", "\"" + FORMAT + "\" (from 'ltz4d calibrate distortion')",
                    fmt == null ? "missing" : fmt.toString());
        }
        JsonNode ver = root.get("version");
        if (ver != null && (!ver.canConvertToInt() || ver.asInt() != 1)) {
            throw new UnsupportedFormatException(file, "version", "1", ver.toString());
        }
        JsonNode c = root.get("centre_px");
        if (c == null || !c.isArray() || c.size() != 2 || !c.get(0).isNumber() || !c.get(1).isNumber()) {
            throw new CorruptFileException(file, "centre_px", "[x, y] in px", c == null ? "missing" : c.toString());
        }
        double r0 = number(file, root, "r0_px", "the ring's mean radius in px, > 0");
        if (!(r0 > 0)) throw new CorruptFileException(file, "r0_px", "a radius in px, > 0", Double.toString(r0));
        DistortionFile d = new DistortionFile(file, sha256(bytes), c.get(0).asDouble(), c.get(1).asDouble(), r0);
        if (!Double.isFinite(d.cx) || !Double.isFinite(d.cy)) {
            throw new CorruptFileException(file, "centre_px", "finite [x, y] in px", c.toString());
        }
        JsonNode h = root.get("harmonics");
        if (h == null || !h.isArray()) {
            throw new CorruptFileException(file, "harmonics", "an array of {n, a, b} for n = 2, 3, 4, 6", h == null ? "missing" : h.toString());
        }
        boolean[] seen = new boolean[ORDERS.length];
        for (int k = 0; k < h.size(); k++) {
            JsonNode e = h.get(k);
            String where = "harmonics[" + k + "]";
            if (e == null || !e.isObject() || e.get("n") == null || !e.get("n").canConvertToInt()) {
                throw new CorruptFileException(file, where + ".n", "an order n in {2, 3, 4, 6}", e == null ? "missing" : e.toString());
            }
            int n = e.get("n").asInt(), i = index(n);
            if (i < 0) throw new CorruptFileException(file, where + ".n", "an order n in {2, 3, 4, 6}", Integer.toString(n));
            if (seen[i]) throw new CorruptFileException(file, where + ".n", "each order once", "order " + n + " again");
            seen[i] = true;
            d.a[i] = number(file, e, "a", where + ".a", "a relative amplitude with |a| < 0.2");
            d.b[i] = number(file, e, "b", where + ".b", "a relative amplitude with |b| < 0.2");
            if (!(Math.abs(d.a[i]) < 0.2)) throw new CorruptFileException(file, where + ".a", "|a| < 0.2 (relative radius)", Double.toString(d.a[i]));
            if (!(Math.abs(d.b[i]) < 0.2)) throw new CorruptFileException(file, where + ".b", "|b| < 0.2 (relative radius)", Double.toString(d.b[i]));
        }
        for (int i = 1; i < ORDERS.length; i++) {
            if (!seen[i]) throw new TruncatedFileException(file, "harmonics", "orders 2, 3, 4 and 6", "no order " + ORDERS[i]);
        }
        return d;
    }

    private static int index(int n) {
        for (int i = 0; i < ORDERS.length; i++) if (ORDERS[i] == n) return i;
        return -1;
    }

    private static double number(Path file, JsonNode node, String key, String expected) {
        return number(file, node, key, key, expected);
    }

    private static double number(Path file, JsonNode node, String key, String where, String expected) {
        JsonNode v = node.get(key);
        if (v == null || !v.isNumber()) throw new CorruptFileException(file, where, expected, v == null ? "missing" : v.toString());
        double x = v.asDouble();
        if (!Double.isFinite(x)) throw new CorruptFileException(file, where, expected, v.toString());
        return x;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }

    /** δ(φ) at the direction (x, y) from the centre, with or without the 2-fold term. */
    double delta(double x, double y, boolean with2) {
        double phi = Math.atan2(y, x), s = 0;
        for (int i = with2 ? 0 : 1; i < ORDERS.length; i++) {
            s += a[i] * Math.cos(ORDERS[i] * phi) + b[i] * Math.sin(ORDERS[i] * phi);
        }
        return s;
    }

    /**
     * The undistorted coordinates of every pixel of a rows × cols detector (row-major): {x[], y[]},
     * ρ scaled by 1/(1 + δ(φ)) about the centre; the 2-fold removed unless {@code keep2}.
     */
    double[][] undistort(int rows, int cols, boolean keep2) {
        double[] ux = new double[rows * cols], uy = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double x = c - cx, y = r - cy;
                double s = x == 0 && y == 0 ? 1 : 1 / (1 + delta(x, y, !keep2));
                ux[r * cols + c] = cx + x * s;
                uy[r * cols + c] = cy + y * s;
            }
        }
        return new double[][] {ux, uy};
    }

    /**
     * Puts the calibration into a set-up: {@code distortion} {centre x, y (px), r₀ (px), a_n…, b_n…}
     * (n in {@link #ORDERS} order), the file's path and SHA-256 as text ({@code distortion_file},
     * {@code distortion_file_sha256}).
     */
    void put(org.ltz4d.api.analysis.FitSetup.Builder s) {
        double[] v = new double[3 + 2 * ORDERS.length];
        v[0] = cx;
        v[1] = cy;
        v[2] = r0;
        System.arraycopy(a, 0, v, 3, ORDERS.length);
        System.arraycopy(b, 0, v, 3 + ORDERS.length, ORDERS.length);
        s.put("distortion", v).put("distortion_file", SetupValues.text(file.toAbsolutePath().toString()))
                .put("distortion_file_sha256", SetupValues.text(sha256));
    }

    /** The calibration {@link #put} wrote, or null when none was; the file is not read again. */
    static DistortionFile from(org.ltz4d.api.analysis.FitSetup s) {
        if (!s.has("distortion")) return null;
        double[] v = SetupValues.values(s, "distortion", 3 + 2 * ORDERS.length);
        DistortionFile d = new DistortionFile(Path.of(SetupValues.text(s, "distortion_file")), SetupValues.text(s, "distortion_file_sha256"),
                v[0], v[1], v[2]);
        System.arraycopy(v, 3, d.a, 0, ORDERS.length);
        System.arraycopy(v, 3 + ORDERS.length, d.b, 0, ORDERS.length);
        return d;
    }

    /** What the run's results record about this calibration (file, SHA-256, model and coefficients). */
    Map<String, Object> attributes(boolean keep2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("distortion_file", file.toAbsolutePath().toString());
        m.put("distortion_file_sha256", sha256);
        m.put("distortion_centre_px", new double[] {cx, cy});
        m.put("distortion_r0_px", r0);
        m.put("distortion_orders", ORDERS.clone());
        m.put("distortion_a", a.clone());
        m.put("distortion_b", b.clone());
        m.put("distortion_removed_orders", keep2 ? new int[] {3, 4, 6} : ORDERS.clone());
        m.put("distortion_model", "pixel at radius rho, azimuth phi about the centre mapped to rho / (1 + sum_n a_n cos n phi + b_n sin n phi)"
                + " before the ring fit; a, b relative radius; phi from +x towards +y");
        return m;
    }
}
