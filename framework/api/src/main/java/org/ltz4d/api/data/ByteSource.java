package org.ltz4d.api.data;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The bytes of a file read by position, for storage that is not a local file system: an
 * {@code hdfs://} file read through Hadoop's FileSystem API, for example. A reader of a format with
 * fixed-size records reads the header and then each frame's record with {@link #read} at its
 * offset, so nothing is copied to the machine but the records asked for. Thread-safe: any number
 * of threads may read at once (positioned reads share no position).
 *
 * @since 1.2
 */
@ConsumerType
public interface ByteSource extends Closeable {

    /** What to call the file in messages, e.g. {@code hdfs://namenode:8020/scans/a.npy}. */
    String name();

    /** Length of the file in bytes. */
    long size() throws IOException;

    /**
     * Fills {@code dst} from its position to its limit with the bytes from {@code position} on
     * (the buffer's position ends at its limit).
     *
     * @throws java.io.EOFException when the file ends before {@code dst} is full
     */
    void read(long position, ByteBuffer dst) throws IOException;
}
