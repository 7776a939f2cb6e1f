package org.ltz4d.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.ltz4d.api.data.ByteSource;

/**
 * A local file as a {@link ByteSource}: positioned reads on a read-only {@link FileChannel} (which
 * share no position, so any number of threads may read at once). What a reader uses for a local
 * file's header when it reads remote files ({@code hdfs://}) through the same code.
 */
public final class FileByteSource implements ByteSource {
    private final Path path;
    private final FileChannel channel;

    private FileByteSource(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Opens {@code path} read-only. */
    public static FileByteSource open(Path path) throws IOException {
        return new FileByteSource(path, FileChannel.open(path, StandardOpenOption.READ));
    }

    /** The channel, for memory-mapping the file's records. */
    public FileChannel channel() {
        return channel;
    }

    @Override
    public String name() {
        return path.toString();
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public void read(long position, ByteBuffer dst) throws IOException {
        readFully(channel, position, dst);
    }

    /** Fills {@code dst} from {@code ch} at {@code position}, or throws {@link EOFException} when the file ends first. */
    static void readFully(FileChannel ch, long position, ByteBuffer dst) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, at);
            if (n < 0) throw new EOFException("the file ends at byte " + at + ", " + dst.remaining() + " bytes short");
            at += n;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
