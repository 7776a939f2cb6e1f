package org.ltz4d.api.data;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.ltz4d.api.param.ParameterSpec;
import org.ltz4d.api.param.Parameters;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Reads one family of file formats. Registered as an OSGi service; the engine asks every reader
 * to {@link #probe} a file and opens it with the most confident one.
 */
@ConsumerType
public interface DatasetReader {

    /** Short, unique name of the format family, e.g. {@code npy}, {@code mib}, {@code hdf5}. */
    String name();

    /** File name suffixes this reader usually takes, lower case without the dot. */
    List<String> suffixes();

    /**
     * How sure this reader is that it can open {@code file}, from its name and its first bytes
     * ({@code head}, read-only, positioned at 0, at most a few KiB): 0 = not mine, 1 = certain
     * (magic bytes matched). Must be cheap and must not throw.
     */
    double probe(Path file, ByteBuffer head);

    /**
     * Opens the file. {@code options} hold user-given settings this reader declares in
     * {@link #parameters()} (e.g. {@code scan-shape}).
     *
     * @throws org.ltz4d.api.error.InvalidInputException (a subclass) naming the file and field
     */
    Dataset open(Path file, Parameters options);

    /**
     * Opens a file that is not on a local file system, read through {@code source} by position
     * ({@code file} names it in messages, e.g. {@code hdfs:/namenode:8020/scans/a.npy}). The
     * dataset closes {@code source} when it is closed. Default: the reader reads only local files
     * and says so.
     *
     * @throws org.ltz4d.api.error.InvalidInputException (a subclass) naming the file and field
     * @since 1.2
     */
    default Dataset open(Path file, ByteSource source, Parameters options) {
        throw new org.ltz4d.api.error.UnsupportedFormatException(file, "storage",
                "a local file (the " + name() + " reader reads local files only)", source.name());
    }

    /** Options this reader understands, e.g. {@code scan-shape} for formats that do not store it. */
    default List<ParameterSpec> parameters() {
        return List.of();
    }
}
