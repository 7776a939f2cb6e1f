package org.ltz4d.spark;

import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.ltz4d.api.data.ByteSource;
import org.ltz4d.api.data.ByteSourceProvider;

/**
 * {@code hdfs://} inputs through Hadoop's FileSystem API, for the readers of fixed-size-record
 * formats (npy, raw, MIB, blo): each record is one positioned read
 * ({@link FSDataInputStream#readFully(long, byte[], int, int)}) of the bytes asked for, so an
 * executor fetches only its own frames and nothing is copied to local disk. Registered in the
 * embedded runtime of every Spark JVM (Hadoop's client classes are Spark's, outside the OSGi
 * runtime). The Hadoop configuration is the JVM's ({@code core-site.xml}/{@code hdfs-site.xml} on
 * the class path or {@code HADOOP_CONF_DIR}); the URI's authority names the namenode.
 */
final class HadoopStorage implements ByteSourceProvider {
    /** Bytes read through this JVM's HDFS sources since it started (for tests and measurements). */
    static final AtomicLong BYTES_READ = new AtomicLong();

    private final String scheme;

    HadoopStorage(String scheme) {
        this.scheme = scheme;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public ByteSource open(URI uri) throws IOException {
        FileSystem fs = FileSystem.get(uri, new Configuration());
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
        long size = fs.getFileStatus(p).getLen();
        return new Source(uri.toString(), fs.open(p), size);
    }

    /** One open HDFS file; positioned reads on HDFS streams are safe from many threads at once. */
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
