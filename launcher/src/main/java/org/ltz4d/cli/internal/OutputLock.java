package org.ltz4d.cli.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.ltz4d.api.error.InvalidInputException;

/**
 * One run at a time per output folder: an OS file lock ({@link FileChannel#tryLock}) on the hidden
 * file {@code .NAME.ltz4d-lock} beside the folder {@code NAME}, held for the whole run and released
 * on close or when the process ends in any way (a killed run's lock vanishes with it, so it never
 * blocks the next one). A second run into the same folder, from another process or from this one
 * (the shell), is refused at once with a message naming the process that holds the lock.
 */
public final class OutputLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of output folder {@code out}. */
    public static Path lockFile(Path out) {
        Path abs = out.toAbsolutePath().normalize();
        Path parent = abs.getParent() == null ? abs : abs.getParent();
        String name = abs.getFileName() == null ? "root" : abs.getFileName().toString();
        return parent.resolve("." + name + ".ltz4d-lock");
    }

    /** Locks output folder {@code out} for this run, or throws naming the run that holds it. */
    public static OutputLock acquire(Path out) {
        Path file = lockFile(out);
        FileChannel ch = null;
        try {
            Files.createDirectories(file.getParent());
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException inThisProcess) {
                l = null;
            }
            if (l == null) {
                String holder = holder(ch);
                ch.close();
                throw new InvalidInputException(out, "output folder", "a folder no other ltz4d run is writing into",
                        "in use by " + (holder.isEmpty() ? "another run" : "process " + holder)
                                + " (wait for it to end, or choose another --out)");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)), 0);
            return new OutputLock(ch, l);
        } catch (IOException e) {
            try {
                if (ch != null) ch.close();
            } catch (IOException ignored) {
                // the first error is the one to report
            }
            throw new InvalidInputException(out, "output folder", "a folder whose parent is writable (lock file " + file.getFileName() + ")",
                    e.getMessage(), e);
        }
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the channel or with the process
        }
    }
}
