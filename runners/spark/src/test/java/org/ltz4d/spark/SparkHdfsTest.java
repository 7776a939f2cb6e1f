package org.ltz4d.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ltz4d.api.data.Dataset;
import org.ltz4d.api.data.Simulation;
import org.ltz4d.api.engine.AnalysisRequest;
import org.ltz4d.api.engine.Cancellation;
import org.ltz4d.api.engine.Engine;
import org.ltz4d.api.engine.ProgressListener;
import org.ltz4d.api.param.Parameters;

/**
 * {@code hdfs://} inputs: Hadoop's MiniDFSCluster (a namenode and a datanode in this JVM) holds a
 * simulated amorphous scan as .npy and as Merlin .mib; the Spark runner in {@code local[2]} analyses
 * {@code hdfs://127.0.0.1:PORT/…} (32×32 positions) with the readers' positioned reads, and its maps equal bit for bit
 * those of the same partitions fitted by the local engine from the local copy of the file, and
 * the input's provenance (size, SHA-256 whole or sampled) equals the local copy's. The bytes read
 * through HDFS are counted: no copy of the file, each frame read about once. Other schemes: the
 * same file through {@code webhdfs://}, a scheme named by {@code spark.hadoop.fs.lab.impl}, and
 * the typed error of a scheme without an implementation ({@code s3a://} without hadoop-aws).
 */
class SparkHdfsTest {
    @TempDir
    static Path dir;
    /** Frames the ring fitter's set-up samples for its mean pattern (a few % of the scan's 1024, to tell set-up reads from frame reads). */
    static final int SEED_FRAMES = 32;
    /** The provenance's whole-file hash limit (bytes), a system property of the driver. */
    static final String HASH_LIMIT = "ltz4d.sha256.maxBytes";
    static MiniDFSCluster cluster;
    static FileSystem fs;
    static Engine engine;
    static Path npy;
    static Path mib;

    @BeforeAll
    static void start() throws Exception {
        TestSpark.loopbackOnly();
        engine = EmbeddedRuntime.engine(List.of());
        Simulation s = EmbeddedRuntime.service(List.of(), Simulation.class).orElseThrow();
        Map<String, Path> sim = s.write(Parameters.of(Map.of("scan", "32,32", "detector", "64,64", "ring-radius-px", "20",
                "ring-width-px", "2", "beam-radius-px", "2", "descan-px", "1", "no-vacuum", "true")), dir.resolve("sim"),
                ProgressListener.NONE);
        npy = sim.get(Simulation.DATA);
        mib = writeMib(npy, dir.resolve("sim.mib"));
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
        conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        fs = cluster.getFileSystem();
        fs.mkdirs(new org.apache.hadoop.fs.Path("/scans"));
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(npy.toUri()), new org.apache.hadoop.fs.Path("/scans/sim.npy"));
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(mib.toUri()), new org.apache.hadoop.fs.Path("/scans/sim.mib"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.shutdown();
    }

    static String uri(String path) {
        return "hdfs://127.0.0.1:" + cluster.getNameNodePort() + path;
    }

    @Test
    void npyOnHdfsGivesTheLocalMapsBitForBit() throws Exception {
        sameMapsAsLocal(npy, uri("/scans/sim.npy"), "npy", 64 * 64 * 2, "--seed-frames", String.valueOf(SEED_FRAMES));
    }

    /** Also with the sampled hash policy (the limit set below the file's size), which must pick the same blocks on HDFS. */
    @Test
    void mibOnHdfsGivesTheLocalMapsBitForBit() throws Exception {
        String old = System.getProperty(HASH_LIMIT);
        System.setProperty(HASH_LIMIT, String.valueOf(1 << 20));
        try {
            sameMapsAsLocal(mib, uri("/scans/sim.mib"), "mib", 384 + 64 * 64 * 2, "--seed-frames", String.valueOf(SEED_FRAMES),
                    "--scan-shape", "32,32");
        } finally {
            if (old == null) System.clearProperty(HASH_LIMIT);
            else System.setProperty(HASH_LIMIT, old);
        }
    }

    /**
     * A scan through WebHDFS (the namenode's HTTP REST API, served by the MiniDFSCluster): any scheme Hadoop implements. A
     * 16×16 scan: WebHDFS makes an HTTP request per frame record, many times slower than hdfs:// (≈ 8 s against ≈ 1.5 s for 4× the frames).
     */
    @Test
    void webhdfsIsReadLikeHdfs() throws Exception {
        Simulation s = EmbeddedRuntime.service(List.of(), Simulation.class).orElseThrow();
        Path small = s.write(Parameters.of(Map.of("scan", "16,16", "detector", "64,64", "ring-radius-px", "20", "ring-width-px", "2",
                "beam-radius-px", "2", "descan-px", "1", "no-vacuum", "true")), dir.resolve("small"), ProgressListener.NONE)
                .get(Simulation.DATA);
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(small.toUri()), new org.apache.hadoop.fs.Path("/scans/small.npy"));
        int http = cluster.getNameNode().getHttpAddress().getPort();
        long read = sameAsLocal(small, "webhdfs://127.0.0.1:" + http + "/scans/small.npy", "webhdfs", "--seed-frames",
                String.valueOf(SEED_FRAMES));
        assertTrue(read >= Files.size(small) - 4096, "every frame is read: " + read + " bytes");
    }

    /** A scheme whose FileSystem the user names in Spark's configuration ({@code spark.hadoop.fs.SCHEME.impl}) is read through it. */
    @Test
    void aSchemeNamedInTheSparkConfigurationIsReadThroughIt() throws Exception {
        System.setProperty("spark.hadoop.fs.lab.impl", LabFileSystem.class.getName());
        try {
            long read = sameAsLocal(npy, "lab://store" + npy.toAbsolutePath(), "lab", "--seed-frames", String.valueOf(SEED_FRAMES));
            long size = Files.size(npy);
            assertTrue(read >= size - 4096 && read < 1.25 * size, read + " bytes read for a " + size + "-byte file");
        } finally {
            System.clearProperty("spark.hadoop.fs.lab.impl");
        }
    }

    /** Local files under the scheme {@code lab://AUTHORITY/}: a FileSystem unknown to Hadoop until the configuration names it. */
    public static final class LabFileSystem extends org.apache.hadoop.fs.RawLocalFileSystem {
        private java.net.URI uri;

        @Override
        public void initialize(java.net.URI name, Configuration conf) throws IOException {
            super.initialize(name, conf);
            uri = java.net.URI.create("lab://" + name.getAuthority() + "/");
        }

        @Override public String getScheme() { return "lab"; }
        /** (Called by the super constructor, before this class's fields are set.) */
        @Override public java.net.URI getUri() { return uri == null ? java.net.URI.create("lab://store/") : uri; }
    }

    /** A scheme without a Hadoop FileSystem on the class path: exit 2, the URI named, and the jar to add (S3) or the key to set. */
    @Test
    void aSchemeWithoutAnImplementationNamesTheJarToAdd() {
        String s3 = "s3a://bucket/scans/sim.npy";
        String msg = failure(s3, "s3a");
        // Hadoop's defaults name S3AFileSystem for s3a: without hadoop-aws its class is missing
        assertTrue(msg.contains(s3) && (msg.contains("S3AFileSystem not found") || msg.contains("No FileSystem for scheme \"s3a\"")), msg);
        assertTrue(msg.contains("hadoop-aws-" + org.apache.hadoop.util.VersionInfo.getVersion() + ".jar") && msg.contains("aws-java-sdk-bundle"),
                msg);
        assertTrue(msg.contains("hdfs, ") && msg.contains("webhdfs"), "the schemes this class path serves: " + msg);
        String other = "nosuch://host/scans/sim.npy";
        msg = failure(other, "nosuch");
        assertTrue(msg.contains(other) && msg.contains("spark.hadoop.fs.nosuch.impl"), msg);
    }

    private static String failure(String input, String out) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SparkMain.run(SparkLocalTest.sparkArgs("local[2]", Path.of(input), dir.resolve(out)), System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String msg = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, msg);
        assertFalse(Files.exists(dir.resolve(out).resolve("results.h5")), msg);
        return msg;
    }

    /** {@code hdfs:///path} is on the default file system ({@code fs.defaultFS}), as Hadoop's own tools read it. */
    @Test
    void aPathWithoutAuthorityIsOnTheDefaultFileSystem() throws Exception {
        System.setProperty("spark.hadoop.fs.defaultFS", uri(""));
        try {
            Path out = dir.resolve("default-fs");
            List<String> args = new java.util.ArrayList<>(List.of(SparkLocalTest.sparkArgs("local[2]", Path.of("INPUT"), out,
                    "--seed-frames", String.valueOf(SEED_FRAMES))));
            args.set(args.indexOf("INPUT"), "hdfs:///scans/sim.npy");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = SparkMain.run(args.toArray(String[]::new), System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
            assertEquals(uri("/scans/sim.npy"), provenanceInput(out).get("path"), "the default namenode's authority filled in");
        } finally {
            System.clearProperty("spark.hadoop.fs.defaultFS");
        }
        org.apache.hadoop.conf.Configuration local = new org.apache.hadoop.conf.Configuration(false);
        local.set("fs.defaultFS", "file:///");
        assertEquals("hdfs://nn:8020/x.npy", SparkMain.withDefaultAuthority("hdfs://nn:8020/x.npy", local));
        assertEquals("file:///x.npy", SparkMain.withDefaultAuthority("file:///x.npy", local));
        var e = assertThrows(org.ltz4d.api.error.InvalidParameterException.class, () -> SparkMain.withDefaultAuthority("hdfs:///x.npy", local));
        assertTrue(e.getMessage().contains("fs.defaultFS") && e.getMessage().contains("hdfs:///x.npy"), e.getMessage());
    }

    /** A file missing on HDFS: exit 2, the message names it. */
    @Test
    void missingFileOnHdfsIsNamed() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String missing = uri("/scans/none.npy");
        int code = SparkMain.run(SparkLocalTest.sparkArgs("local[2]", Path.of(missing), dir.resolve("none")), System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String msg = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, msg);
        assertTrue(msg.contains("none.npy"), msg);
    }

    private static void sameMapsAsLocal(Path local, String remote, String format, int recordBytes, String... extra) throws Exception {
        long read = sameAsLocal(local, remote, format, extra);
        long size = Files.size(local);
        // the same analysis by the local engine on the same hdfs:// file: every frame once, the fitters' set-up samples once
        Parameters options = withExtra(SparkLocalTest.sparkOptions(), extra);
        long before = HadoopStorage.BYTES_READ.get();
        Path out = dir.resolve(format + "-local-on-hdfs");
        engine.analyze(new AnalysisRequest(Path.of(remote), "amorphous", options, out), ProgressListener.NONE, new Cancellation());
        long localRead = HadoopStorage.BYTES_READ.get() - before - hashedBytes(provenanceInput(out));
        System.out.printf("%s over hdfs: Spark read %d bytes by position for a %d-byte file (%.3f ×; the local engine on the same "
                + "file %d): set-up %.0f frames, read once, on the driver%n", format, read, size, read / (double) size, localRead,
                (read - size) / (double) recordBytes);
        assertTrue(read >= size - 4096, "every frame is read: " + read + " of " + size + " bytes");
        // the set-up (mean pattern, seeds, noise scale, detector placement: samples of the scan) runs on the driver only
        // and travels to the executors with the pass (FitPass.setups): the executors read their frames and, opening the
        // file, its header — nothing else. So the Spark run reads what one local run reads, plus a header per executor
        // JVM (local[2]: one); a set-up sampled again on an executor would add its ≈ 176 frames (1.4 MB) here.
        long more = read - localRead;
        assertTrue(more >= 0 && more <= 16 * 1024, "bytes read by the Spark run − by one local run: " + more
                + " (headers only, no set-up samples)");
    }

    /**
     * Runs the local engine on {@code local} and the Spark runner on {@code remote}: the maps are bit for bit the same, the
     * input's provenance (but where it is) too. Returns the bytes the run read through Hadoop, the provenance's hashing aside.
     */
    private static long sameAsLocal(Path local, String remote, String format, String... extra) throws Exception {
        Parameters options = withExtra(SparkLocalTest.sparkOptions(), extra);
        Path localOut = dir.resolve(format + "-local");
        engine.analyze(new AnalysisRequest(local, "amorphous", options, localOut), ProgressListener.NONE, new Cancellation(),
                new LocalBlocks(engine, 4));
        long before = HadoopStorage.BYTES_READ.get();
        Path sparkOut = dir.resolve(format + "-hdfs");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SparkMain.run(SparkLocalTest.sparkArgs("local[2]", Path.of(remote), sparkOut, extra), System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        Map<?, ?> prov = provenanceInput(sparkOut);
        assertEquals(withoutLocation(provenanceInput(localOut)), withoutLocation(prov),
                "the input's size and hashes (" + prov.get("sha256_policy") + ") are those of the local copy");
        assertEquals(remote, prov.get("path"));
        long read = HadoopStorage.BYTES_READ.get() - before - hashedBytes(prov);
        MapComparison.assertBitForBit(engine.readResults(localOut.resolve("results.h5")), engine.readResults(sparkOut.resolve("results.h5")));
        return read;
    }

    /** Bytes the driver's provenance reads: the file once for a whole-file hash, else its header and the sampled blocks. */
    static long hashedBytes(Map<?, ?> prov) {
        return prov.containsKey("sha256") ? ((Number) prov.get("size_bytes")).longValue()
                : ((Number) prov.get("header_bytes")).longValue() + ((Number) prov.get("sha256_sampled_bytes")).longValue();
    }

    /** The input's record in the provenance of {@code out/results.h5} (its root attribute, JSON). */
    static Map<?, ?> provenanceInput(Path out) throws Exception {
        try (io.jhdf.HdfFile h5 = new io.jhdf.HdfFile(out.resolve("results.h5"))) {
            String json = h5.getAttribute("provenance").getData().toString();
            return (Map<?, ?>) new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Map.class).get("input");
        }
    }

    /** A provenance record of an input without its {@code path} and {@code name} (which differ between storages). */
    static Map<Object, Object> withoutLocation(Map<?, ?> input) {
        Map<Object, Object> m = new java.util.LinkedHashMap<>(input);
        m.remove("path");
        m.remove("name");
        return m;
    }

    private static Parameters withExtra(Parameters p, String... extra) {
        Map<String, String> m = new java.util.LinkedHashMap<>(p.asMap());
        for (int i = 0; i + 1 < extra.length; i += 2) m.put(extra[i].substring(2), extra[i + 1]);
        return Parameters.of(m);
    }

    /** The scan as a Merlin .mib of U16 frames (big-endian, a 384-byte header each), the pixels of the .npy unchanged. */
    static Path writeMib(Path npy, Path to) throws IOException {
        try (Dataset ds = engine.open(npy, Parameters.empty())) {
            int w = ds.sigShape().cols();
            int h = ds.sigShape().rows();
            int px = ds.framePixels();
            int hs = 384;
            float[] frame = new float[px];
            ByteBuffer b = ByteBuffer.allocate((int) ds.frameCount() * (hs + 2 * px)).order(ByteOrder.BIG_ENDIAN);
            for (long f = 0; f < ds.frameCount(); f++) {
                ds.readFrames(f, 1, frame, 0);
                String header = String.format("MQ1,%06d,%05d,%02d,%04d,%04d,U16,   1x1,01,2021-04-15 14:43:00.835428,0.001000,0,0,0,"
                        + "1.000000E+1,5.110000E+2,0.000000E+0,0.000000E+0,0.000000E+0,0.000000E+0,0.000000E+0,0.000000E+0,3RX,011,511,"
                        + "MQ1A,2020-09-13T12:26:40.%09dZ,1000000ns,12,", f + 1, hs, 1, w, h, f * 100_000L);
                byte[] hb = Arrays.copyOf(header.getBytes(StandardCharsets.US_ASCII), hs);
                for (int i = header.length(); i < hs; i++) hb[i] = ' ';
                b.put(hb);
                for (int p = 0; p < px; p++) {
                    float v = frame[p];
                    if (v < 0 || v > 65535 || v != Math.rint(v)) throw new IllegalStateException("simulated counts are not U16: " + v);
                    b.putShort((short) (int) v);
                }
            }
            return Files.write(to, b.array());
        }
    }
}
