package io.alertrelay.local.servicebus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the local runtime's emulator keeps its messages across processes: a snapshot of the whole state
 * ({@link EmulatorSnapshot}) and, after it, a journal of every change ({@link JournalFile}) of the same generation.
 * A start reads the snapshot and replays its journal, then takes a checkpoint: a new snapshot of the next generation
 * and a new, empty journal. So does a graceful stop (without the new journal), and the event loop whenever the
 * journal has grown past a bound ({@link #CHECKPOINT_AT_BYTES} in the local runtime; 70–100 ms of the loop's time at
 * 60,000 remembered MessageIds). A process that ends without a checkpoint (kill -9) loses none of what its journal
 * recorded, and every Accepted a sender got was recorded first ({@link #beforeOutput}).
 *
 * <p>Files, beside the snapshot {@code <name>.snapshot}: {@code <name>.journal-<generation>}. A crash between a
 * checkpoint's snapshot and the removal of the older journal leaves that journal behind; the next checkpoint removes
 * it, since the snapshot holds what it recorded.
 *
 * <p>Not thread-safe: used before the event loop starts, on it, and after it stopped.
 */
final class DurableBroker implements AmqpServer.Persistence {
    private static final Logger LOG = LoggerFactory.getLogger(DurableBroker.class);
    /** A journal past this size is folded into a new snapshot: it bounds the disk used and the replay at start. */
    static final long CHECKPOINT_AT_BYTES = 64L * 1024 * 1024;

    private final Path snapshotFile;
    private final long checkpointAtBytes;
    private long generation;
    private JournalFile journal;

    private DurableBroker(Path snapshotFile, long checkpointAtBytes, long generation) {
        this.snapshotFile = snapshotFile;
        this.checkpointAtBytes = checkpointAtBytes;
        this.generation = generation;
    }

    /**
     * Restores {@code namespace} from the snapshot and its journal, if any, then takes a checkpoint; later ones come
     * whenever the journal reaches {@code checkpointAtBytes}.
     */
    static DurableBroker restore(Namespace namespace, Path snapshotFile, long checkpointAtBytes) throws IOException {
        long generation = Files.isRegularFile(snapshotFile) ? EmulatorSnapshot.restore(namespace, snapshotFile) : 0;
        Path journal = journalFile(snapshotFile, generation);
        if (Files.isRegularFile(journal)) {
            int records = JournalFile.replay(namespace, journal);
            if (records > 0) {
                LOG.info("Replayed {} changes from {}: the previous run ended without saving its messages", records,
                        journal.getFileName());
            }
        }
        DurableBroker broker = new DurableBroker(snapshotFile, checkpointAtBytes, generation);
        broker.checkpoint(namespace, true);
        return broker;
    }

    @Override
    public void beforeOutput() {
        journal.flush();
    }

    @Override
    public void afterPass(Namespace namespace) {
        journal.flush();
        if (journal.size() >= checkpointAtBytes) {
            try {
                checkpoint(namespace, true);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not write the Service Bus emulator snapshot " + snapshotFile, e);
            }
        }
    }

    /** A start after a close, with the state still in memory: a checkpoint and a new journal. */
    void reopen(Namespace namespace) throws IOException {
        checkpoint(namespace, true);
    }

    /** Closes the journal's file as a killed process leaves it: no checkpoint (none open after a close). */
    void abandon() {
        if (journal == null) {
            return;
        }
        try {
            journal.close();
        } catch (IOException e) {
            LOG.debug("Closing the journal failed", e);
        }
    }

    /** The last checkpoint, once the event loop has stopped: the snapshot, and no journal. */
    void close(Namespace namespace) throws IOException {
        checkpoint(namespace, false);
    }

    /**
     * Writes the snapshot of the next generation, then opens its journal ({@code andJournal}), then drops every older
     * journal: their changes are in the snapshot.
     */
    private void checkpoint(Namespace namespace, boolean andJournal) throws IOException {
        int saved = EmulatorSnapshot.write(namespace, snapshotFile, generation + 1);
        generation++;
        JournalFile previous = journal;
        journal = andJournal ? JournalFile.create(journalFile(snapshotFile, generation)) : null;
        namespace.journalTo(andJournal ? journal : MessageJournal.NONE);
        if (previous != null) {
            previous.close();
        }
        deleteJournalsBefore(generation);
        LOG.debug("Saved {} messages to {} (generation {})", saved, snapshotFile, generation);
    }

    private void deleteJournalsBefore(long current) throws IOException {
        Path dir = snapshotFile.toAbsolutePath().getParent();
        String prefix = baseName(snapshotFile) + ".journal-";
        try (DirectoryStream<Path> journals = Files.newDirectoryStream(dir, prefix + "*")) {
            for (Path old : journals) {
                if (!old.getFileName().toString().equals(prefix + current)) {
                    Files.deleteIfExists(old);
                }
            }
        }
    }

    static Path journalFile(Path snapshotFile, long generation) {
        return snapshotFile.resolveSibling(baseName(snapshotFile) + ".journal-" + generation);
    }

    private static String baseName(Path snapshotFile) {
        String name = snapshotFile.getFileName().toString();
        return name.endsWith(".snapshot") ? name.substring(0, name.length() - ".snapshot".length()) : name;
    }
}
