package org.ltz4d.engine.results;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ltz4d.api.data.ByteSource;

/**
 * What makes a result reproducible (FAIR): the input file's name, size, a SHA-256 of its
 * first {@value #HEADER_BYTES} bytes (its header) and a SHA-256 of the whole file (streamed, for
 * files up to {@link #fullHashLimit()} bytes, default 16 GiB); above it the whole-file hash is
 * skipped (it would add minutes of reading to every run), the record says so
 * ({@code sha256_skipped}) and holds instead a SHA-256 of 65 blocks of 1 MiB spread over the file
 * ({@code sha256_sampled}, {@code sha256_sampled_bytes}); {@code sha256_policy} names the policy
 * applied to each input. The metadata of the sample, instrument, user and session, the ltz4d version, the symbolic name and
 * version of every bundle that took part, every parameter (with defaults filled in), the
 * calibration, the times, Java and the machine's core count. Serialised as JSON into the results
 * file's root attribute {@code provenance}. An input on remote storage ({@code hdfs://} …) gets the
 * same keys, computed by positioned reads through its {@link ByteSource}
 * ({@link #input(String, Path, ByteSource)}): the same bytes give the same values wherever they live.
 */
public final class Provenance {
    public static final int HEADER_BYTES = 1 << 20;
    /** System property: the largest input (bytes) whose whole-file SHA-256 is computed (default 16 GiB: ~2 min at 130 MB/s). */
    public static final String FULL_HASH_LIMIT_PROPERTY = "ltz4d.sha256.maxBytes";

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
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            fingerprint(in, ch.size(), local(ch, file));
        } catch (IOException e) {
            in.put("error", e.getMessage());
        }
        fields.put(role, in);
        return this;
    }

    /**
     * An input on remote storage ({@code hdfs://}, {@code s3a://} …) read through {@code source}:
     * the same keys as a local file's ({@code size_bytes}, {@code header_sha256}, {@code sha256} or
     * {@code sha256_sampled} by the same policy and limit), computed by positioned reads of the
     * source (nothing is copied), so the same bytes give the same values wherever they are stored;
     * {@code path} is the source's URI. The caller keeps the source open and closes it.
     */
    public Provenance input(String role, Path file, ByteSource source) {
        Map<String, Object> in = new LinkedHashMap<>();
        Path name = file.getFileName();
        in.put("name", name == null ? source.name() : name.toString());
        in.put("path", source.name());
        try {
            fingerprint(in, source.size(), source::read);
        } catch (IOException e) {
            in.put("error", source.name() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        fields.put(role, in);
        return this;
    }

    /** Positioned reads of an input: fill {@code dst} from its position to its limit with the bytes from {@code position} on. */
    @FunctionalInterface
    private interface Bytes {
        void read(long position, ByteBuffer dst) throws IOException;
    }

    /** Size and hashes of an input of {@code size} bytes into {@code in} (the policy of the class comment). */
    private static void fingerprint(Map<String, Object> in, long size, Bytes bytes) throws IOException {
        in.put("size_bytes", size);
        if (size <= fullHashLimit()) {
            String[] h = wholeAndHeader(bytes, size);
            in.put("header_sha256", h[1]);
            in.put("header_bytes", Math.min(size, HEADER_BYTES));
            in.put("sha256", h[0]);
            in.put("sha256_policy", "whole file");
        } else {
            in.put("header_sha256", sha256(bytes, Math.min(size, HEADER_BYTES)));
            in.put("header_bytes", Math.min(size, HEADER_BYTES));
            in.put("sha256_skipped", "file of " + size + " bytes is above " + FULL_HASH_LIMIT_PROPERTY + " = " + fullHashLimit()
                    + " bytes; header_sha256 identifies it");
            in.put("sha256_sampled", sampledSha256(bytes, size));
            in.put("sha256_sampled_bytes", sampledBytes(size));
            in.put("sha256_policy", "sampled: SHA-256 of " + SAMPLES + " blocks of " + SAMPLE_BYTES + " bytes at offsets k·(size − "
                    + SAMPLE_BYTES + ")/" + (SAMPLES - 1) + ", k = 0.." + (SAMPLES - 1) + " (first and last block included), each "
                    + "block preceded by its offset as 8 big-endian bytes; a change outside the blocks goes unseen. Raise "
                    + FULL_HASH_LIMIT_PROPERTY + " for a whole-file hash");
        }
    }

    /** Positioned reads of a local file's channel; the end of the file before the buffer is full is an error naming it. */
    private static Bytes local(FileChannel ch, Path file) {
        return (position, dst) -> {
            while (dst.hasRemaining()) {
                if (ch.read(dst, position + dst.position()) < 0) {
                    throw new EOFException(file + " ended at " + (position + dst.position()) + " bytes, before the bytes asked for");
                }
            }
        };
    }

    /**
     * Descriptive metadata of the run (sections such as {@code sample}, {@code instrument},
     * {@code user}, {@code session}, {@code identifiers}, {@code input_file}); sections already
     * present are merged, the later value winning per key.
     */
    @SuppressWarnings("unchecked")
    public Provenance metadata(Map<String, ?> sections) {
        Map<String, Object> m = (Map<String, Object>) fields.computeIfAbsent("metadata", k -> new LinkedHashMap<String, Object>());
        for (Map.Entry<String, ?> e : sections.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> sub && m.get(e.getKey()) instanceof Map<?, ?> old) {
                Map<Object, Object> merged = new LinkedHashMap<>(old);
                merged.putAll(sub);
                m.put(e.getKey(), merged);
            } else {
                m.put(e.getKey(), e.getValue());
            }
        }
        return this;
    }

    /** The metadata sections given so far (empty if none). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> metadata() {
        Object m = fields.get("metadata");
        return m instanceof Map<?, ?> ? (Map<String, Object>) m : Map.of();
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

    /** Blocks hashed for a file above the whole-file limit. */
    public static final int SAMPLES = 65;
    /** Bytes per hashed block. */
    public static final int SAMPLE_BYTES = 1 << 20;

    /** Bytes that {@link #sampledSha256} reads from a file of {@code size} bytes (blocks may overlap on small files). */
    public static long sampledBytes(long size) {
        return Math.min(size, SAMPLE_BYTES) * (long) SAMPLES;
    }

    /**
     * SHA-256 (hex) of {@value #SAMPLES} blocks of {@value #SAMPLE_BYTES} bytes spread evenly over
     * the file (offsets k·(size − block)/(SAMPLES − 1), the first and the last block included), each
     * preceded by its offset (8 bytes, big-endian): a fixed-cost fingerprint (65 MiB read) of files
     * too large to hash whole during the analysis. It sees a change inside a block, a truncation
     * or an extension; a change elsewhere goes unseen, which the record's {@code sha256_policy} says.
     */
    public static String sampledSha256(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return sampledSha256(local(ch, file), size);
        }
    }

    /** As {@link #sampledSha256(Path, long)}, for a file on remote storage read by position through {@code source}. */
    public static String sampledSha256(ByteSource source, long size) throws IOException {
        return sampledSha256(source::read, size);
    }

    private static String sampledSha256(Bytes bytes, long size) throws IOException {
        MessageDigest md = sha256();
        int block = (int) Math.min(size, SAMPLE_BYTES);
        ByteBuffer buf = ByteBuffer.allocate(block);
        ByteBuffer off = ByteBuffer.allocate(Long.BYTES);
        for (int k = 0; k < SAMPLES; k++) {
            long at = (long) ((size - block) * (double) k / (SAMPLES - 1));
            off.clear();
            md.update(off.putLong(at).array());
            buf.clear();
            bytes.read(at, buf);
            md.update(buf.array(), 0, block);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The largest file whose whole-file SHA-256 is computed, from {@value #FULL_HASH_LIMIT_PROPERTY} (default 16 GiB). */
    public static long fullHashLimit() {
        return Long.getLong(FULL_HASH_LIMIT_PROPERTY, 16L << 30);
    }

    public static String headerSha256(Path file) throws IOException {
        return sha256(file, HEADER_BYTES);
    }

    /** SHA-256 (hex) of the first {@code limit} bytes of {@code file} (all of it for {@code Long.MAX_VALUE}), streamed. */
    public static String sha256(Path file, long limit) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return sha256(local(ch, file), Math.min(limit, ch.size()));
        }
    }

    /** SHA-256 (hex) of the first {@code length} bytes, read in blocks of 1 MiB. */
    private static String sha256(Bytes bytes, long length) throws IOException {
        return wholeAndHeader(bytes, length)[0];
    }

    /**
     * SHA-256 (hex) of the first {@code length} bytes and of their first {@value #HEADER_BYTES}
     * (the header), in one pass of positioned reads of 1 MiB.
     */
    private static String[] wholeAndHeader(Bytes bytes, long length) throws IOException {
        MessageDigest whole = sha256();
        MessageDigest header = sha256();
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        for (long pos = 0; pos < length; pos += buf.limit()) {
            buf.clear().limit((int) Math.min(buf.capacity(), length - pos));
            bytes.read(pos, buf);
            whole.update(buf.array(), 0, buf.limit());
            if (pos < HEADER_BYTES) header.update(buf.array(), 0, (int) Math.min(buf.limit(), HEADER_BYTES - pos));
        }
        return new String[] {HexFormat.of().formatHex(whole.digest()), HexFormat.of().formatHex(header.digest())};
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
