package io.alertrelay.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a local run keeps its state, held with a file lock for as long as the run lasts: two runs on one directory
 * would each believe they own the store, the bus snapshot and the receiver's record.
 */
public final class DataDirectory implements AutoCloseable {

    private final Path root;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectory(Path root, FileChannel channel, FileLock lock) {
        this.root = root;
        this.channel = channel;
        this.lock = lock;
    }

    /** Creates the directory if needed and locks it; fails naming it when another run holds it. */
    public static DataDirectory lock(Path root) {
        try {
            Files.createDirectories(root);
            FileChannel channel = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("the data directory " + root + " is in use by another alert-relay run;"
                        + " stop it first, or start this one with --data-dir elsewhere");
            }
            return new DataDirectory(root, channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the data directory " + root, e);
        }
    }

    public Path root() {
        return root;
    }

    public Path store() {
        return root.resolve("store");
    }

    public Path busSnapshot() {
        return root.resolve("servicebus").resolve("messages.snapshot");
    }

    public Path logFile() {
        return root.resolve("logs").resolve("alertrelay.jsonl");
    }

    public Path deliveries() {
        return root.resolve("platform").resolve("deliveries.jsonl");
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the lock goes with the process anyway
        }
    }
}
