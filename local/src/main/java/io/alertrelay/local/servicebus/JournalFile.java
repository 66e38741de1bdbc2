package io.alertrelay.local.servicebus;

import io.alertrelay.local.journal.FramedRecords;
import io.alertrelay.local.journal.RecordBuffer;
import io.alertrelay.local.journal.RecordFields;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The emulator's write-ahead journal, for the local runtime: each {@link MessageJournal} change as one framed record
 * ({@link FramedRecords}), buffered by the event loop and written to the file by {@link #flush()} — which the loop
 * calls before it writes any AMQP frame, so a sender's Accepted never leaves before the message it acknowledges is in
 * the file. Written, not forced to the disk: it outlives the process (kill -9, an out-of-memory end), not a power cut.
 *
 * <p>{@link #replay} applies a journal to the state its snapshot of the same generation restored. A record cut short
 * by the process's end, and anything after it, is ignored with a warning.
 *
 * <p>Not thread-safe: the emulator's event loop is the only thread that touches it.
 */
final class JournalFile implements MessageJournal, AutoCloseable {
    private static final byte PUBLISHED = 1;
    private static final byte REMOVED = 2;
    private static final byte FAILED_DELIVERY = 3;
    private static final byte DEAD_LETTERED = 4;

    private final Path file;
    private final FileChannel channel;
    private final RecordBuffer pending = new RecordBuffer();
    private final RecordBuffer payload = new RecordBuffer();
    private final DataOutputStream out = new DataOutputStream(payload);
    private long size;

    private JournalFile(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** A new, empty journal at {@code file} (an existing file is replaced). */
    static JournalFile create(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return new JournalFile(file, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING));
    }

    Path file() {
        return file;
    }

    /** Bytes written so far, buffered ones included. */
    long size() {
        return size;
    }

    @Override
    public void published(String topic, long sequenceNumber, Instant enqueuedTime, String messageId,
            List<String> subscriptions, byte[] amqpBytes) {
        append(PUBLISHED, () -> {
            out.writeUTF(topic);
            out.writeLong(sequenceNumber);
            out.writeLong(enqueuedTime.getEpochSecond());
            out.writeInt(enqueuedTime.getNano());
            out.writeBoolean(messageId != null);
            if (messageId != null) {
                out.writeUTF(messageId);
            }
            out.writeInt(subscriptions.size());
            for (String subscription : subscriptions) {
                out.writeUTF(subscription);
            }
            RecordFields.writeBytes(out, amqpBytes);
        });
    }

    @Override
    public void removed(String queuePath, long sequenceNumber) {
        append(REMOVED, () -> {
            out.writeUTF(queuePath);
            out.writeLong(sequenceNumber);
        });
    }

    @Override
    public void failedDelivery(String queuePath, long sequenceNumber, Map<String, Object> propertyChanges) {
        append(FAILED_DELIVERY, () -> {
            out.writeUTF(queuePath);
            out.writeLong(sequenceNumber);
            writeProperties(propertyChanges);
        });
    }

    @Override
    public void deadLettered(String queuePath, long sequenceNumber, Map<String, Object> propertyChanges,
            String reason, String description) {
        append(DEAD_LETTERED, () -> {
            out.writeUTF(queuePath);
            out.writeLong(sequenceNumber);
            writeProperties(propertyChanges);
            writeOptional(reason);
            writeOptional(description);
        });
    }

    /** Writes the buffered records to the file; one system call, none when nothing is buffered. */
    void flush() {
        if (pending.size() == 0) {
            return;
        }
        try {
            ByteBuffer bytes = pending.bytes();
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the Service Bus emulator's journal " + file, e);
        } finally {
            pending.reset();
        }
    }

    /** Flushes and closes the file (it stays on disk). */
    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            channel.close();
        }
    }

    /**
     * Applies the records of {@code file} to {@code namespace}, in order, before its event loop starts.
     *
     * @return the number of records applied
     */
    static int replay(Namespace namespace, Path file) throws IOException {
        return FramedRecords.read(file, record -> apply(namespace, record));
    }

    private static void apply(Namespace namespace, DataInputStream in) throws IOException {
        byte type = in.readByte();
        if (type == PUBLISHED) {
            String topic = in.readUTF();
            long sequenceNumber = in.readLong();
            Instant enqueued = Instant.ofEpochSecond(in.readLong(), in.readInt());
            String messageId = in.readBoolean() ? in.readUTF() : null;
            List<String> subscriptions = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                subscriptions.add(in.readUTF());
            }
            byte[] amqp = RecordFields.readBytes(in);
            namespace.topic(topic).ifPresent(t -> t.replayPublished(sequenceNumber, enqueued, messageId, subscriptions,
                    amqp));
            return;
        }
        String queuePath = in.readUTF();
        long sequenceNumber = in.readLong();
        var queue = namespace.queue(queuePath);
        switch (type) {
            case REMOVED -> queue.ifPresent(q -> q.replayRemoved(sequenceNumber));
            case FAILED_DELIVERY -> {
                Map<String, Object> changes = readProperties(in);
                queue.ifPresent(q -> q.replayFailedDelivery(sequenceNumber, changes));
            }
            case DEAD_LETTERED -> {
                Map<String, Object> changes = readProperties(in);
                String reason = readOptional(in);
                String description = readOptional(in);
                queue.ifPresent(q -> q.replayDeadLettered(sequenceNumber, changes, reason, description));
            }
            default -> throw new IOException("Unknown journal record type " + type);
        }
    }

    private interface Fields {
        void write() throws IOException;
    }

    private void append(byte type, Fields fields) {
        payload.reset();
        try {
            out.writeByte(type);
            fields.write();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        FramedRecords.frame(payload.array(), payload.size(), pending);
        size += FramedRecords.framedLength(payload.size());
    }

    private void writeProperties(Map<String, Object> properties) throws IOException {
        RecordFields.writeBytes(out, properties.isEmpty() ? new byte[0] : EmulatorSnapshot.encode(properties));
    }

    private void writeOptional(String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static Map<String, Object> readProperties(DataInputStream in) throws IOException {
        byte[] bytes = RecordFields.readBytes(in);
        return bytes.length == 0 ? Map.of() : EmulatorSnapshot.decode(bytes);
    }

    private static String readOptional(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
