package io.alertrelay.local.servicebus;

import io.alertrelay.local.journal.RecordFields;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulator's messages in a file, for the local runtime only: written when the emulator closes, when it starts after
 * replaying a journal, and when its journal has grown large; read when it starts. With the journal, messages a webhook
 * acknowledged (202) outlive a restart of the local pipeline, graceful or not. Service Bus itself is durable; the
 * emulator keeps its state in memory, and these two files are how the local runtime keeps it across processes.
 *
 * <p>What it keeps, per topic: the next sequence number and the MessageIds that duplicate detection remembers (with
 * when each was first seen); per subscription: every message of the active queue — a message locked at close is saved
 * unlocked, its delivery count unchanged, since its consumer never settled it — and of the dead-letter queue, each
 * with its AMQP bytes, sequence number, enqueued time, delivery count and broker property changes.
 *
 * <p>Each snapshot has a generation: the {@link JournalFile} of the same generation holds every change made after it,
 * so a process that ends without a snapshot (kill -9) loses nothing the journal recorded ({@link DurableBroker}).
 * Entities no longer in the builder's topology are skipped with a warning. Version 1 files (no generation, written
 * before the journal) are read as generation 0.
 */
final class EmulatorSnapshot {
    private static final Logger LOG = LoggerFactory.getLogger(EmulatorSnapshot.class);
    private static final int MAGIC = 0x41525342; // "ARSB"
    private static final int VERSION = 2;
    private static final int VERSION_WITHOUT_GENERATION = 1;

    private EmulatorSnapshot() {
    }

    /**
     * Writes every topic's state to {@code file}, atomically (a temporary file moved into place). Must run where no
     * other thread touches the namespace: on the event loop, before it starts or after it stopped.
     *
     * @return the number of messages written, dead-lettered ones included
     */
    static int write(Namespace namespace, Path file, long generation) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        int messages = 0;
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary)))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(generation);
            out.writeInt(namespace.topics().size());
            for (Topic topic : namespace.topics()) {
                out.writeUTF(topic.name());
                out.writeLong(topic.nextSequenceNumber());
                Map<String, Instant> remembered = topic.duplicates().remembered();
                out.writeInt(remembered.size());
                for (Map.Entry<String, Instant> id : remembered.entrySet()) {
                    out.writeUTF(id.getKey());
                    writeInstant(out, id.getValue());
                }
                out.writeInt(topic.subscriptions().size());
                for (Subscription subscription : topic.subscriptions()) {
                    out.writeUTF(subscription.name());
                    messages += writeQueue(out, subscription.active());
                    messages += writeQueue(out, subscription.deadLetter());
                }
            }
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return messages;
    }

    /**
     * Puts the state saved in {@code file} back into {@code namespace}, before its event loop starts.
     *
     * @return the snapshot's generation
     */
    static long restore(Namespace namespace, Path file) throws IOException {
        long generation;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int version = in.readInt() == MAGIC ? in.readInt() : -1;
            if (version != VERSION && version != VERSION_WITHOUT_GENERATION) {
                throw new IOException(file + " is not a Service Bus emulator snapshot of this version");
            }
            generation = version == VERSION ? in.readLong() : 0;
            int topics = in.readInt();
            for (int t = 0; t < topics; t++) {
                String topicName = in.readUTF();
                Optional<Topic> topic = namespace.topic(topicName);
                long nextSequenceNumber = in.readLong();
                topic.ifPresent(x -> x.continueSequenceAt(nextSequenceNumber));
                int ids = in.readInt();
                for (int i = 0; i < ids; i++) {
                    String id = in.readUTF();
                    Instant firstSeen = readInstant(in);
                    topic.ifPresent(x -> x.duplicates().remember(id, firstSeen));
                }
                int subscriptions = in.readInt();
                for (int s = 0; s < subscriptions; s++) {
                    String name = in.readUTF();
                    Optional<Subscription> subscription = topic.flatMap(x -> x.subscription(name));
                    int active = readQueue(in, subscription.map(Subscription::active));
                    int deadLettered = readQueue(in, subscription.map(Subscription::deadLetter));
                    if (subscription.isEmpty() && active + deadLettered > 0) {
                        LOG.warn("Skipping {} saved messages of {}/Subscriptions/{}: not in the emulator's topology",
                                active + deadLettered, topicName, name);
                    }
                }
            }
        }
        return generation;
    }

    private static int writeQueue(DataOutputStream out, MessageQueue queue) throws IOException {
        List<StoredMessage> messages = queue.allMessages();
        out.writeInt(messages.size());
        for (StoredMessage m : messages) {
            out.writeLong(m.sequenceNumber());
            writeInstant(out, m.enqueuedTime());
            out.writeInt(m.deliveryCount());
            RecordFields.writeBytes(out, m.amqpBytes());
            RecordFields.writeBytes(out, m.propertyChanges().isEmpty() ? new byte[0] : encode(m.propertyChanges()));
        }
        return messages.size();
    }

    private static int readQueue(DataInputStream in, Optional<MessageQueue> queue) throws IOException {
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            long sequenceNumber = in.readLong();
            Instant enqueued = readInstant(in);
            int deliveryCount = in.readInt();
            byte[] amqp = RecordFields.readBytes(in);
            byte[] properties = RecordFields.readBytes(in);
            queue.ifPresent(q -> q.enqueue(StoredMessage.restored(amqp, sequenceNumber, enqueued, deliveryCount,
                    properties.length == 0 ? Map.of() : decode(properties))));
        }
        return count;
    }

    /** Broker property changes may hold any AMQP type (abandon with properties), so they are kept AMQP-encoded. */
    static byte[] encode(Map<String, Object> properties) {
        Message holder = Proton.message();
        holder.setApplicationProperties(new ApplicationProperties(new HashMap<>(properties)));
        return WireFormat.encode(holder);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> decode(byte[] bytes) {
        return (Map<String, Object>) WireFormat.decode(bytes).getApplicationProperties().getValue();
    }

    private static void writeInstant(DataOutputStream out, Instant instant) throws IOException {
        out.writeLong(instant.getEpochSecond());
        out.writeInt(instant.getNano());
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }
}
