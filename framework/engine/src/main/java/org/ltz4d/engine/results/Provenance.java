package org.ltz4d.engine.results;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What makes a result reproducible (FAIR): the input file's name, size and a SHA-256 of its
 * first {@value #HEADER_BYTES} bytes (its header), the ltz4d version, the symbolic name and
 * version of every bundle that took part, every parameter (with defaults filled in), the
 * calibration, the times, Java and the machine's core count. Serialised as JSON into the results
 * file's root attribute {@code provenance}.
 */
public final class Provenance {
    public static final int HEADER_BYTES = 1 << 20;

    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final List<Map<String, String>> bundles = new ArrayList<>();

    public Provenance(String ltz4dVersion) {
        fields.put("software", "ltz4d");
        fields.put("ltz4d_version", ltz4dVersion);
        fields.put("started", Instant.now().toString());
        fields.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        fields.put("cores", Runtime.getRuntime().availableProcessors());
    }

    public Provenance input(String role, Path file) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("name", file.getFileName().toString());
        in.put("path", file.toAbsolutePath().toString());
        try {
            in.put("size_bytes", Files.size(file));
            in.put("header_sha256", headerSha256(file));
            in.put("header_bytes", Math.min(Files.size(file), HEADER_BYTES));
        } catch (IOException e) {
            in.put("error", e.getMessage());
        }
        fields.put(role, in);
        return this;
    }

    public Provenance put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    public Provenance parameters(Map<String, String> params) {
        fields.put("parameters", new TreeMap<>(params));
        return this;
    }

    public Provenance bundle(String role, String name, String bundle, String version) {
        Map<String, String> b = new LinkedHashMap<>();
        b.put("role", role);
        b.put("name", name);
        b.put("bundle", bundle);
        b.put("version", version);
        if (!bundles.contains(b)) bundles.add(b);
        return this;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>(fields);
        m.put("finished", Instant.now().toString());
        m.put("plugins", bundles);
        return m;
    }

    public static String headerSha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            long left = HEADER_BYTES;
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                md.update(buf, 0, n);
                left -= n;
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
