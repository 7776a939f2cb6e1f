package org.ltz4d.api.data;

import java.io.IOException;
import java.net.URI;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Opens files of one URI scheme (e.g. {@code hdfs}) as {@link ByteSource}s. Registered as an OSGi
 * service (by a runner that has the storage's client library, e.g. the Spark runner for
 * {@code hdfs://}); the engine then opens an input {@code SCHEME://…} through it and gives the
 * source to the reader ({@link DatasetReader#open(java.nio.file.Path, ByteSource, org.ltz4d.api.param.Parameters)}).
 *
 * @since 1.2
 */
@ConsumerType
public interface ByteSourceProvider {

    /** The URI scheme served, lower case, e.g. {@code hdfs}. */
    String scheme();

    /**
     * Whether this provider opens URIs of {@code scheme} (lower case): by default only its own
     * {@link #scheme()}. A provider in front of a storage layer that serves many schemes (Hadoop's
     * FileSystem: {@code hdfs}, {@code webhdfs}, {@code s3a} with its jar …) may answer for more; the
     * engine asks a provider whose {@link #scheme()} is the URI's first, then any that serves it.
     *
     * @since 1.3
     */
    default boolean serves(String scheme) {
        return scheme().equalsIgnoreCase(scheme);
    }

    /** Opens {@code uri} (of a scheme this provider {@linkplain #serves serves}) for positioned reads. */
    ByteSource open(URI uri) throws IOException;
}
