package org.ltz4d.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.analysis.Plan;
import org.ltz4d.api.data.ByteSource;
import org.ltz4d.api.data.ByteSourceProvider;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.DatasetReader;
import org.ltz4d.api.engine.AnalysisRequest;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.error.UnsupportedFormatException;
import org.ltz4d.api.param.Parameters;
import org.ltz4d.engine.results.Hdf5Results;
import org.ltz4d.engine.results.Provenance;

/**
 * Provenance of inputs on remote storage: read by position through their {@link ByteSource}, they
 * get the same keys and the same values as the same bytes in a local file (whole-file SHA-256 and
 * the sampled policy above the limit), in one pass for the whole-file hash; a source shorter than
 * it says is an error naming it. And the provider of a scheme: the one registered for it, else one
 * that serves it.
 */
class RemoteProvenanceTest {
    /** 3 MiB and a bit: a header of 1 MiB, a tail that is not a whole block. */
    static final int SIZE = (3 << 20) + 4321;

    @TempDir
    Path dir;

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Bytes in memory as a remote file; counts the bytes read; claims {@code size} bytes (more than it holds: a truncated file). */
    static final class MemSource implements ByteSource {
        final String name;
        final byte[] bytes;
        final long size;
        final AtomicLong read = new AtomicLong();

        MemSource(String name, byte[] bytes, long size) {
            this.name = name;
            this.bytes = bytes;
            this.size = size;
        }

        @Override public String name() { return name; }
        @Override public long size() { return size; }

        @Override
        public void read(long position, ByteBuffer dst) throws EOFException {
            if (position + dst.remaining() > bytes.length) {
                throw new EOFException(name + " holds " + bytes.length + " bytes; asked for up to " + (position + dst.remaining()));
            }
            read.addAndGet(dst.remaining());
            dst.put(bytes, (int) position, dst.remaining());
        }

        @Override public void close() { }
    }

    static Map<?, ?> input(Provenance p) {
        return (Map<?, ?>) p.toMap().get("input");
    }

    /** The record without the keys that name where the file is. */
    static Map<Object, Object> values(Map<?, ?> in) {
        Map<Object, Object> m = new LinkedHashMap<>(in);
        m.remove("path");
        return m;
    }

    static String sha256(byte[] b, int length) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(b, 0, length);
        return HexFormat.of().formatHex(md.digest());
    }

    static <T> T withHashLimit(long limit, java.util.concurrent.Callable<T> body) throws Exception {
        String old = System.getProperty(Provenance.FULL_HASH_LIMIT_PROPERTY);
        System.setProperty(Provenance.FULL_HASH_LIMIT_PROPERTY, Long.toString(limit));
        try {
            return body.call();
        } finally {
            if (old == null) System.clearProperty(Provenance.FULL_HASH_LIMIT_PROPERTY);
            else System.setProperty(Provenance.FULL_HASH_LIMIT_PROPERTY, old);
        }
    }

    @Test
    void theSameBytesGiveTheSameRecordLocallyAndRemotely() throws Exception {
        byte[] b = bytes(SIZE, 14);
        Path local = Files.write(dir.resolve("scan.bin"), b);
        Path remote = Path.of("mem://store/scans/scan.bin");

        // whole file: the known SHA-256 of the bytes, read once through the source (the header hashed in the same pass)
        MemSource src = new MemSource("mem://store/scans/scan.bin", b, b.length);
        Map<?, ?> l = input(new Provenance("t").input("input", local));
        Map<?, ?> r = input(new Provenance("t").input("input", remote, src));
        assertEquals(values(l), values(r));
        assertEquals("mem://store/scans/scan.bin", r.get("path"));
        assertEquals("scan.bin", r.get("name"));
        assertEquals((long) SIZE, ((Number) r.get("size_bytes")).longValue());
        assertEquals(sha256(b, SIZE), r.get("sha256"));
        assertEquals(sha256(b, Provenance.HEADER_BYTES), r.get("header_sha256"));
        assertEquals("whole file", r.get("sha256_policy"));
        assertEquals((long) SIZE, src.read.get(), "one pass over the file, no more");

        // above the limit: the sampled policy, the same blocks at the same offsets, so the same value
        MemSource sampled = new MemSource(src.name, b, b.length);
        Map<?, ?> ls = withHashLimit(1 << 20, () -> input(new Provenance("t").input("input", local)));
        Map<?, ?> rs = withHashLimit(1 << 20, () -> input(new Provenance("t").input("input", remote, sampled)));
        assertEquals(Provenance.HEADER_BYTES + Provenance.sampledBytes(SIZE), sampled.read.get(), "the header and the 65 blocks");
        assertEquals(values(ls), values(rs));
        assertFalse(rs.containsKey("sha256"), rs.toString());
        assertEquals(Provenance.sampledSha256(local, SIZE), rs.get("sha256_sampled"));
        assertEquals(sha256(b, Provenance.HEADER_BYTES), rs.get("header_sha256"));

        // one changed byte inside a block changes it, wherever the file is
        byte[] changed = b.clone();
        changed[SIZE - 10] ^= 1;
        assertNotEquals(rs.get("sha256_sampled"), Provenance.sampledSha256(new MemSource(src.name, changed, SIZE), SIZE));
    }

    @Test
    void aSourceShorterThanItSaysIsAnErrorNamingIt() {
        byte[] b = bytes(5000, 3);
        Map<?, ?> r = input(new Provenance("t").input("input", Path.of("mem://store/cut.bin"), new MemSource("mem://store/cut.bin", b, 6000)));
        assertFalse(r.containsKey("sha256"), r.toString());
        assertTrue(r.get("error").toString().startsWith("mem://store/cut.bin"), r.toString());
        assertEquals(6000L, ((Number) r.get("size_bytes")).longValue(), "the size the storage gave is kept");
    }

    /** Opens every {@code .mem} file, local or remote, as the test reader's scan (the bytes are only hashed). */
    static final class RemoteMemReader implements DatasetReader {
        final List<String> sources = new java.util.ArrayList<>();

        @Override public String name() { return "remote-mem"; }
        @Override public List<String> suffixes() { return List.of("mem"); }
        @Override public double probe(Path file, ByteBuffer head) { return file.toString().endsWith(".mem") ? 1 : 0; }
        @Override public Dataset open(Path file, Parameters options) { return new TestPlugins.MemReader().open(file, options); }

        @Override
        public Dataset open(Path file, ByteSource source, Parameters options) {
            sources.add(source.name());
            return open(file, options);
        }
    }

    static ByteSourceProvider provider(String scheme, boolean servesAll, byte[] b, List<String> opened) {
        return new ByteSourceProvider() {
            @Override public String scheme() { return scheme; }
            @Override public boolean serves(String s) { return servesAll || ByteSourceProvider.super.serves(s); }

            @Override
            public ByteSource open(URI uri) {
                opened.add(scheme + " " + uri);
                return new MemSource(uri.toString(), b, b.length);
            }
        };
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> inputOf(Path results) throws Exception {
        Object json = Hdf5Results.rootAttributes(results).get("provenance");
        return (Map<String, Object>) new com.fasterxml.jackson.databind.ObjectMapper().readValue(json.toString(), Map.class).get("input");
    }

    /** An analysis of a remote input records its size and hashes as the same analysis of a local copy does. */
    @Test
    void anAnalysisRecordsARemoteInputLikeALocalOne() throws Exception {
        byte[] b = bytes(SIZE, 7);
        LocalEngine engine = TestPlugins.engineWithTestPlugins();
        RemoteMemReader reader = new RemoteMemReader();
        engine.register(reader, "test.remote", "1.0.0");
        engine.register(TestPlugins.pipeline("basic", new Plan(List.of(List.of("sum")), List.of(), List.of())), "test.pipelines", "1.0.0");
        List<String> opened = new java.util.ArrayList<>();
        engine.addStorage(provider("mem", false, b, opened));
        Path local = Files.write(dir.resolve("4x5.mem"), b);
        Path remote = Path.of("mem://store/4x5.mem");
        Path lo = engine.analyze(new AnalysisRequest(local, "basic", Parameters.empty(), dir.resolve("local")), ProgressListener.NONE,
                new Cancellation()).results();
        Path ro = engine.analyze(new AnalysisRequest(remote, "basic", Parameters.empty(), dir.resolve("remote")), ProgressListener.NONE,
                new Cancellation()).results();
        assertEquals(List.of("mem://store/4x5.mem"), reader.sources);
        assertEquals(List.of("mem mem://store/4x5.mem", "mem mem://store/4x5.mem"), opened, "the reader's source and the provenance's");
        Map<String, Object> l = inputOf(lo);
        Map<String, Object> r = inputOf(ro);
        assertEquals(values(l), values(r));
        assertEquals("mem://store/4x5.mem", r.get("path"));
        assertEquals(sha256(b, SIZE), r.get("sha256"));
    }

    /** The storage failing when the provenance opens the input again: the run completes, the record says why. */
    @Test
    void aRemoteInputTheProvenanceCannotOpenIsRecordedAsAnError() throws Exception {
        byte[] b = bytes(1000, 5);
        LocalEngine engine = TestPlugins.engineWithTestPlugins();
        engine.register(new RemoteMemReader(), "test.remote", "1.0.0");
        engine.register(TestPlugins.pipeline("basic", new Plan(List.of(List.of("sum")), List.of(), List.of())), "test.pipelines", "1.0.0");
        java.util.concurrent.atomic.AtomicInteger opens = new java.util.concurrent.atomic.AtomicInteger();
        engine.addStorage(new ByteSourceProvider() {
            @Override public String scheme() { return "mem"; }

            @Override
            public ByteSource open(URI uri) throws java.io.IOException {
                if (opens.incrementAndGet() > 1) throw new java.io.IOException("store went away");
                return new MemSource(uri.toString(), b, b.length);
            }
        });
        Path out = engine.analyze(new AnalysisRequest(Path.of("mem://store/2x3.mem"), "basic", Parameters.empty(), dir.resolve("o")),
                ProgressListener.NONE, new Cancellation()).results();
        Map<String, Object> r = inputOf(out);
        assertFalse(r.containsKey("sha256"), r.toString());
        assertTrue(r.get("error").toString().contains("store went away"), r.toString());
        assertEquals("2x3.mem", r.get("name"));
    }

    /** The provider registered for a scheme opens it; a scheme no provider names goes to one that serves it; else a typed error. */
    @Test
    void aSchemeGoesToItsProviderElseToOneThatServesIt() throws Exception {
        LocalEngine engine = TestPlugins.engineWithTestPlugins();
        RemoteMemReader reader = new RemoteMemReader();
        engine.register(reader, "test.remote", "1.0.0");
        Path other = Path.of("lab://store/4x5.mem");
        UnsupportedFormatException none = assertThrows(UnsupportedFormatException.class, () -> engine.open(other, Parameters.empty()));
        assertEquals("storage", none.field());
        List<String> opened = new java.util.ArrayList<>();
        byte[] b = bytes(100, 1);
        ByteSourceProvider any = provider("hadoop", true, b, opened);
        engine.addStorage(any);
        engine.addStorage(provider("mem", false, b, opened));
        try (Dataset ds = engine.open(Path.of("mem://store/4x5.mem"), Parameters.empty())) {
            assertEquals(20, ds.frameCount());
        }
        try (Dataset ds = engine.open(other, Parameters.empty())) {
            assertEquals(20, ds.frameCount());
        }
        assertEquals(List.of("mem mem://store/4x5.mem", "hadoop lab://store/4x5.mem"), opened);
    }
}
