package io.alertrelay.local.store;

import io.alertrelay.local.journal.FramedRecords;
import io.alertrelay.local.journal.RecordBuffer;
import io.alertrelay.local.journal.RecordFields;
import io.alertrelay.port.TransientStoreException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The local store's write-ahead journal. H2 puts committed changes in its file about every half second
 * ({@code WRITE_DELAY}); a process killed in between would lose them — a document the platform already received
 * could vanish, or stay {@code received} so that a replay would send it again. So every write appends its change
 * ({@link StoreChanges}) to this file inside its transaction, before the commit, and the next start replays what a
 * kill left here. Written, not forced to the disk (as the emulator's journal): it outlives the process, not a power
 * cut. One {@code write} of a few kilobytes per store write, where forcing H2 to write its file on each commit
 * ({@code WRITE_DELAY=0}) cost 23 times the insert (docs/local.md).
 *
 * <p>Appended inside the transaction, a document's records are in the order of its commits (H2 holds the row's lock
 * from the statement to the commit), so its create comes before its updates. Files: {@code store.journal-<n>} in the
 * store's directory. Once one reaches {@link #ROTATE_AT_BYTES} the store {@link #rotate}s: writers move to the next
 * file, H2 writes its committed changes (a {@code CHECKPOINT}), and the older file is removed.
 *
 * <p>Thread-safe: writers run {@link #whileWriting} concurrently and append under this object's monitor.
 */
final class StoreJournal implements StoreChanges, AutoCloseable {
    static final long ROTATE_AT_BYTES = 64L * 1024 * 1024;
    private static final String PREFIX = "store.journal-";
    private static final byte ALERT = 1;
    private static final byte RESOLVED = 2;
    private static final byte PAYLOAD = 3;
    private static final byte TENANT = 4;

    private final Path directory;
    private final long rotateAtBytes;
    /** Writers share it while they write and commit; a rotation takes it alone, so no commit straddles two files. */
    private final ReadWriteLock writers = new ReentrantReadWriteLock();
    private long generation;
    private FileChannel channel;
    private long size;
    private boolean closed;

    private StoreJournal(Path directory, long rotateAtBytes, long generation) throws IOException {
        this.directory = directory;
        this.rotateAtBytes = rotateAtBytes;
        this.generation = generation;
        this.channel = open(file(directory, generation));
    }

    /** A new, empty journal after the {@code existing} ones (which the caller has replayed and checkpointed). */
    static StoreJournal start(Path directory, List<Path> existing, long rotateAtBytes) {
        long next = existing.isEmpty() ? 0 : generation(existing.get(existing.size() - 1)) + 1;
        try {
            return new StoreJournal(directory, rotateAtBytes, next);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the store's journal in " + directory, e);
        }
    }

    /** The journals in {@code directory}, oldest first. */
    static List<Path> files(Path directory) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(directory, PREFIX + "*")) {
            for (Path file : found) {
                if (file.getFileName().toString().substring(PREFIX.length()).matches("\\d{1,18}")) {
                    files.add(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list the store's journals in " + directory, e);
        }
        files.sort(Comparator.comparingLong(StoreJournal::generation));
        return files;
    }

    /** Applies the records of {@code file} to {@code target}, in order; returns how many. */
    static int replay(Path file, StoreChanges target) throws IOException {
        return FramedRecords.read(file, record -> apply(record, target));
    }

    /** Runs one write (statement, append, commit) while no rotation can move the journal to its next file. */
    <T> T whileWriting(Supplier<T> write) {
        writers.readLock().lock();
        try {
            return write.get();
        } finally {
            writers.readLock().unlock();
        }
    }

    /** Whether the current file has reached the size at which the store rotates. */
    synchronized boolean rotationDue() {
        return !closed && size >= rotateAtBytes;
    }

    /**
     * Moves the writers to a new file once every write under way has committed; returns the file before it, which
     * the caller removes once H2 has written its committed changes (null once the journal is closed).
     */
    Path rotate() {
        writers.writeLock().lock();
        try {
            synchronized (this) {
                if (closed) {
                    return null;
                }
                Path previous = file(directory, generation);
                FileChannel next = open(file(directory, generation + 1));
                channel.close();
                channel = next;
                generation++;
                size = 0;
                return previous;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the store's next journal in " + directory, e);
        } finally {
            writers.writeLock().unlock();
        }
    }

    /**
     * Waits for the writes under way, runs {@code beforeClosing} (the store writes its file) and closes the journal's
     * file, which stays on disk; later appends fail.
     */
    void close(Runnable beforeClosing) {
        writers.writeLock().lock();
        try {
            beforeClosing.run();
        } finally {
            try {
                closeChannel();
            } finally {
                writers.writeLock().unlock();
            }
        }
    }

    @Override
    public void close() {
        close(() -> { });
    }

    private synchronized void closeChannel() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not close the store's journal in " + directory, e);
        }
    }

    @Override
    public void alert(AlertRow row) {
        append(ALERT, out -> row.writeTo(out));
    }

    @Override
    public void resolved(String tenant, String alertKey, String resolvedEventId, Instant resolvedAt) {
        append(RESOLVED, out -> {
            RecordFields.writeString(out, tenant);
            RecordFields.writeString(out, alertKey);
            RecordFields.writeString(out, resolvedEventId);
            RecordFields.writeInstant(out, resolvedAt);
        });
    }

    @Override
    public void payload(String tenant, String eventId, byte[] payload) {
        append(PAYLOAD, out -> {
            RecordFields.writeString(out, tenant);
            RecordFields.writeString(out, eventId);
            RecordFields.writeBytes(out, payload);
        });
    }

    @Override
    public void tenant(String name) {
        append(TENANT, out -> RecordFields.writeString(out, name));
    }

    private interface Fields {
        void write(DataOutputStream out) throws IOException;
    }

    /** Encodes outside the monitor, then writes the framed record in one call under it. */
    private void append(byte type, Fields fields) {
        RecordBuffer payload = new RecordBuffer();
        try (DataOutputStream out = new DataOutputStream(payload)) {
            out.writeByte(type);
            fields.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        RecordBuffer framed = new RecordBuffer(FramedRecords.framedLength(payload.size()));
        FramedRecords.frame(payload.array(), payload.size(), framed);
        ByteBuffer bytes = framed.bytes();
        synchronized (this) {
            if (closed) {
                throw new TransientStoreException("the local store is closed", null);
            }
            try {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
            } catch (IOException e) {
                // The write is rolled back: a failure like any other of the store's, for the caller to retry.
                throw new TransientStoreException("Could not write the store's journal in " + directory, e);
            }
            size += framed.size();
        }
    }

    private static void apply(DataInputStream in, StoreChanges target) throws IOException {
        byte type = in.readByte();
        switch (type) {
            case ALERT -> target.alert(AlertRow.readFrom(in));
            case RESOLVED -> target.resolved(RecordFields.readString(in), RecordFields.readString(in),
                    RecordFields.readString(in), RecordFields.readInstant(in));
            case PAYLOAD -> {
                String tenant = RecordFields.readString(in);
                String eventId = RecordFields.readString(in);
                target.payload(tenant, eventId, RecordFields.readBytes(in));
            }
            case TENANT -> target.tenant(RecordFields.readString(in));
            default -> throw new IOException("Unknown store journal record type " + type);
        }
    }

    private static Path file(Path directory, long generation) {
        return directory.resolve(PREFIX + generation);
    }

    private static long generation(Path file) {
        return Long.parseLong(file.getFileName().toString().substring(PREFIX.length()));
    }

    private static FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }
}
