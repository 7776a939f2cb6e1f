package org.ltz4d.spark;

import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.hadoop.util.VersionInfo;
import org.apache.spark.SparkEnv;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.ltz4d.api.data.ByteSource;
import org.ltz4d.api.data.ByteSourceProvider;
import org.ltz4d.api.error.UnsupportedFormatException;

/**
 * Inputs on Hadoop file systems ({@code hdfs://}, {@code webhdfs://}, {@code viewfs://}, and
 * {@code s3a://}, {@code gs://}, {@code abfs://} … when their connector jars are on the class path)
 * through Hadoop's FileSystem API, for the readers of fixed-size-record formats (npy, raw, MIB,
 * blo): each record is one positioned read ({@link FSDataInputStream#readFully(long, byte[], int, int)})
 * of the bytes asked for, so an executor fetches only its own frames and nothing is copied to
 * local disk. Registered in the embedded runtime of every Spark JVM (Hadoop's client classes are
 * Spark's, outside the OSGi runtime) for {@code hdfs} and serving every other scheme but
 * {@code file}: a scheme without an implementation on the class path is a typed error naming the
 * URI and the jar to add. The Hadoop configuration is Spark's ({@code core-site.xml}/
 * {@code hdfs-site.xml} on the class path or in {@code HADOOP_CONF_DIR}, and every
 * {@code --conf spark.hadoop.KEY=VALUE}, e.g. {@code spark.hadoop.fs.s3a.endpoint}); the URI's
 * authority names the namenode, bucket or container.
 */
final class HadoopStorage implements ByteSourceProvider {
    /** Bytes read through this JVM's Hadoop sources since it started (for tests and measurements). */
    static final AtomicLong BYTES_READ = new AtomicLong();

    /** The connector of the common object stores: scheme → what to add to the class path. */
    private static final Map<String, String> CONNECTORS = Map.of(
            "s3a", "hadoop-aws-%s.jar and the aws-java-sdk-bundle jar it depends on (Maven: org.apache.hadoop:hadoop-aws:%<s)",
            "s3", "nothing: Hadoop reads S3 as s3a:// (write the URI as s3a://…, with hadoop-aws-%s.jar and aws-java-sdk-bundle)",
            "s3n", "nothing: Hadoop reads S3 as s3a:// (write the URI as s3a://…, with hadoop-aws-%s.jar and aws-java-sdk-bundle)",
            "gs", "the Google Cloud Storage connector (gcs-connector-hadoop3-…-shaded.jar, com.google.cloud.bigdataoss:gcs-connector)",
            "abfs", "hadoop-azure-%s.jar (org.apache.hadoop:hadoop-azure:%<s)",
            "abfss", "hadoop-azure-%s.jar (org.apache.hadoop:hadoop-azure:%<s)",
            "wasb", "hadoop-azure-%s.jar and azure-storage (org.apache.hadoop:hadoop-azure:%<s)",
            "wasbs", "hadoop-azure-%s.jar and azure-storage (org.apache.hadoop:hadoop-azure:%<s)",
            "oss", "hadoop-aliyun-%s.jar (org.apache.hadoop:hadoop-aliyun:%<s)");

    /** A configuration key naming a scheme's implementation, {@code fs.SCHEME.impl}. */
    private static final Pattern IMPL = Pattern.compile("fs\\.([a-z0-9+-]+)\\.impl");

    private final String scheme;

    HadoopStorage(String scheme) {
        this.scheme = scheme;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    /** Every scheme but {@code file} (a local path): Hadoop has the last word on whether it has an implementation. */
    @Override
    public boolean serves(String s) {
        return !"file".equalsIgnoreCase(s);
    }

    @Override
    public ByteSource open(URI uri) throws IOException {
        FileSystem fs = fileSystem(uri, configuration());
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
        long size = fs.getFileStatus(p).getLen();
        return new Source(uri.toString(), fs.open(p), size);
    }

    /** Spark's Hadoop configuration of this JVM (with {@code spark.hadoop.*}), or Hadoop's own outside a Spark application. */
    static Configuration configuration() {
        SparkEnv env = SparkEnv.get();
        return env == null ? new Configuration() : SparkHadoopUtil.get().newConfiguration(env.conf());
    }

    /** The file system of {@code uri}; no implementation of its scheme is a typed error naming the URI and the jar to add. */
    static FileSystem fileSystem(URI uri, Configuration conf) throws IOException {
        try {
            return FileSystem.get(uri, conf);
        } catch (UnsupportedFileSystemException e) {
            throw missing(uri, e.getMessage(), conf);
        } catch (RuntimeException | LinkageError e) {
            // fs.SCHEME.impl names a class that is absent, or the implementation's own dependencies are (s3a without the AWS SDK)
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ClassNotFoundException || t instanceof NoClassDefFoundError) {
                    throw missing(uri, "the FileSystem of scheme \"" + uri.getScheme() + "\" cannot be loaded: " + t.getMessage(), conf);
                }
            }
            throw e;
        }
    }

    private static UnsupportedFormatException missing(URI uri, String why, Configuration conf) {
        String s = uri.getScheme().toLowerCase(Locale.ROOT);
        String connector = CONNECTORS.get(s);
        String add = connector != null ? "add " + String.format(connector, VersionInfo.getVersion()) + " to the driver's and executors' class path"
                + " (spark-submit --jars or --packages)"
                : "add the jar of a Hadoop FileSystem for \"" + s + "\" to the class path, or name its class with --conf spark.hadoop.fs."
                        + s + ".impl=CLASS";
        return new UnsupportedFormatException(Path.of(uri.toString()), "storage",
                "a URI scheme with a Hadoop FileSystem implementation on the class path (here: " + String.join(", ", schemes(conf))
                        + "); " + add,
                uri + ": " + why);
    }

    /** The schemes Hadoop has an implementation of on this class path and in {@code conf} ({@code fs.SCHEME.impl}), but {@code file}. */
    static Set<String> schemes(Configuration conf) {
        Set<String> out = new TreeSet<>();
        try {
            for (FileSystem fs : ServiceLoader.load(FileSystem.class, FileSystem.class.getClassLoader())) {
                try {
                    out.add(fs.getScheme());
                } catch (UnsupportedOperationException e) {
                    // an implementation that does not name its scheme
                }
            }
        } catch (java.util.ServiceConfigurationError e) {
            // a listed implementation that cannot load: not served
        }
        for (Map.Entry<String, String> e : conf) {
            Matcher m = IMPL.matcher(e.getKey());
            if (m.matches() && conf.getClassByNameOrNull(e.getValue()) != null) out.add(m.group(1));
        }
        out.remove("file");
        return out;
    }

    /** One open file; positioned reads on Hadoop's streams are safe from many threads at once. */
    private static final class Source implements ByteSource {
        private final String name;
        private final FSDataInputStream in;
        private final long size;

        Source(String name, FSDataInputStream in, long size) {
            this.name = name;
            this.in = in;
            this.size = size;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void read(long position, ByteBuffer dst) throws IOException {
            int n = dst.remaining();
            if (position < 0 || position + n > size) {
                throw new EOFException(name + " holds " + size + " bytes; asked for bytes " + position + " to " + (position + n));
            }
            if (dst.hasArray()) {
                in.readFully(position, dst.array(), dst.arrayOffset() + dst.position(), n);
                dst.position(dst.limit());
            } else {
                byte[] b = new byte[n];
                in.readFully(position, b, 0, n);
                dst.put(b);
            }
            BYTES_READ.addAndGet(n);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
