package io.alertrelay.local.servicebus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The messages of one subscription (or of its dead-letter queue) with Service Bus peek-lock semantics: available
 * messages in sequence-number order, locked messages by lock token, and the receive links that want messages.
 *
 * <p>Not thread-safe: the emulator's event loop is the only thread that touches it.
 */
final class MessageQueue {
    static final String MAX_DELIVERY_COUNT_EXCEEDED = "MaxDeliveryCountExceeded";
    static final String DEAD_LETTER_REASON = "DeadLetterReason";
    static final String DEAD_LETTER_DESCRIPTION = "DeadLetterErrorDescription";

    private final String path;
    private final Duration lockDuration;
    private final int maxDeliveryCount;
    /** Where messages go after maxDeliveryCount failed deliveries; null for a dead-letter queue itself. */
    private final MessageQueue deadLetterQueue;

    private final NavigableMap<Long, StoredMessage> available = new TreeMap<>();
    private final Map<UUID, Lock> locks = new HashMap<>();
    private final List<MessageConsumer> consumers = new ArrayList<>();
    private int nextConsumer;
    private MessageJournal journal = MessageJournal.NONE;
    /** The bytes of every message here, available or locked: this queue's part of its topic's size. */
    private long bytes;

    MessageQueue(String path, Duration lockDuration, int maxDeliveryCount, MessageQueue deadLetterQueue) {
        this.path = path;
        this.lockDuration = lockDuration;
        this.maxDeliveryCount = maxDeliveryCount;
        this.deadLetterQueue = deadLetterQueue;
    }

    String path() {
        return path;
    }

    /** A message arrives: published to the subscription, moved to its dead-letter queue, or restored at start. */
    void enqueue(StoredMessage message) {
        bytes += message.size();
        available.put(message.sequenceNumber(), message);
    }

    /** A message of this queue becomes available again (released, or after a failed delivery). */
    private void makeAvailable(StoredMessage message) {
        available.put(message.sequenceNumber(), message);
    }

    /** A message leaves the queue for good: completed, or received in receive-and-delete mode. */
    private void removed(StoredMessage message) {
        bytes -= message.size();
        journal.removed(path, message.sequenceNumber());
    }

    /** The bytes of the messages here, available or locked. */
    long sizeInBytes() {
        return bytes;
    }

    /** From now on, every settlement and failed delivery is written to {@code journal} as it happens. */
    void journalTo(MessageJournal journal) {
        this.journal = journal;
    }

    void addConsumer(MessageConsumer consumer) {
        consumers.add(consumer);
    }

    void removeConsumer(MessageConsumer consumer) {
        consumers.remove(consumer);
    }

    /** Pushes available messages to consumers with credit, round-robin, locking each one sent in peek-lock mode. */
    void dispatch(Instant now) {
        while (!available.isEmpty()) {
            MessageConsumer consumer = nextConsumerWithCredit();
            if (consumer == null) {
                return;
            }
            StoredMessage message = available.pollFirstEntry().getValue();
            if (consumer.settlesOnSend()) {
                removed(message);
                consumer.deliver(message, null, null);
            } else {
                UUID lockToken = UUID.randomUUID();
                Lock lock = new Lock(message, now.plus(lockDuration));
                locks.put(lockToken, lock);
                consumer.deliver(message, lockToken, lock.lockedUntil);
            }
        }
    }

    private MessageConsumer nextConsumerWithCredit() {
        for (int i = 0; i < consumers.size(); i++) {
            MessageConsumer candidate = consumers.get((nextConsumer + i) % consumers.size());
            if (candidate.credit() > 0) {
                nextConsumer = (nextConsumer + i + 1) % consumers.size();
                return candidate;
            }
        }
        return null;
    }

    /**
     * Applies a receiver's disposition to the message locked under {@code lockToken}.
     *
     * @return false when the lock is lost: expired, already settled, or never issued by this queue
     */
    boolean settle(UUID lockToken, Disposition disposition, Instant now) {
        Lock lock = locks.get(lockToken);
        if (lock == null) {
            return false;
        }
        if (lock.expiredAt(now)) {
            expireLocks(now); // the loop has not swept it yet: do it now so the message is redelivered
            return false;
        }
        locks.remove(lockToken);
        StoredMessage message = lock.message;
        Map<String, Object> changes = disposition.propertiesToModify() == null ? Map.of()
                : disposition.propertiesToModify();
        switch (disposition.kind()) {
            case COMPLETE -> removed(message);
            case ABANDON -> {
                journal.failedDelivery(path, message.sequenceNumber(), changes);
                message.changeProperties(changes);
                returnAfterFailedDelivery(message);
            }
            case RELEASE -> makeAvailable(message);
            case DEAD_LETTER -> {
                journal.deadLettered(path, message.sequenceNumber(), changes, disposition.deadLetterReason(),
                        disposition.deadLetterDescription());
                message.changeProperties(changes);
                deadLetter(message, disposition.deadLetterReason(), disposition.deadLetterDescription());
            }
        }
        return true;
    }

    /** Replays a journal's {@link MessageJournal#removed}; at start, when no message is locked. */
    void replayRemoved(long sequenceNumber) {
        StoredMessage message = available.remove(sequenceNumber);
        if (message != null) {
            bytes -= message.size();
        }
    }

    /** Replays a journal's {@link MessageJournal#failedDelivery}, dead-lettering as the failure did. */
    void replayFailedDelivery(long sequenceNumber, Map<String, Object> propertyChanges) {
        StoredMessage message = available.remove(sequenceNumber);
        if (message != null) {
            message.changeProperties(propertyChanges);
            returnAfterFailedDelivery(message);
        }
    }

    /** Replays a journal's {@link MessageJournal#deadLettered}. */
    void replayDeadLettered(long sequenceNumber, Map<String, Object> propertyChanges, String reason,
            String description) {
        StoredMessage message = available.remove(sequenceNumber);
        if (message != null) {
            message.changeProperties(propertyChanges);
            deadLetter(message, reason, description);
        }
    }

    /** Extends a lock by the lock duration from now, as Service Bus does; empty when the lock is lost. */
    Optional<Instant> renewLock(UUID lockToken, Instant now) {
        Lock lock = locks.get(lockToken);
        if (lock == null || lock.expiredAt(now)) {
            return Optional.empty();
        }
        lock.lockedUntil = now.plus(lockDuration);
        return Optional.of(lock.lockedUntil);
    }

    /** Makes messages whose lock has run out available again, counting the delivery as failed. */
    void expireLocks(Instant now) {
        Iterator<Lock> it = locks.values().iterator();
        while (it.hasNext()) {
            Lock lock = it.next();
            if (lock.expiredAt(now)) {
                it.remove();
                journal.failedDelivery(path, lock.message.sequenceNumber(), Map.of());
                returnAfterFailedDelivery(lock.message);
            }
        }
    }

    Optional<Instant> nextLockExpiry() {
        return locks.values().stream().map(lock -> lock.lockedUntil).min(Comparator.naturalOrder());
    }

    /** Messages from {@code fromSequenceNumber} on, locked or not, without locking them. */
    List<StoredMessage> peek(long fromSequenceNumber, int maxMessages) {
        return Stream.concat(available.values().stream(), locks.values().stream().map(lock -> lock.message))
                .filter(message -> message.sequenceNumber() >= fromSequenceNumber)
                .sorted(Comparator.comparingLong(StoredMessage::sequenceNumber))
                .limit(maxMessages)
                .toList();
    }

    /** Every message, available or locked, in sequence-number order (for a snapshot; locks are not part of it). */
    List<StoredMessage> allMessages() {
        return peek(Long.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** Available plus locked messages, like the active message count of Service Bus. */
    int messageCount() {
        return available.size() + locks.size();
    }

    /** Service Bus moves a message to the dead-letter queue once its delivery count reaches maxDeliveryCount. */
    private void returnAfterFailedDelivery(StoredMessage message) {
        message.countFailedDelivery();
        if (deadLetterQueue != null && message.deliveryCount() >= maxDeliveryCount) {
            deadLetter(message, MAX_DELIVERY_COUNT_EXCEEDED,
                    "Message could not be consumed after " + maxDeliveryCount + " delivery attempts.");
        } else {
            makeAvailable(message);
        }
    }

    private void deadLetter(StoredMessage message, String reason, String description) {
        if (deadLetterQueue == null) {
            makeAvailable(message); // nothing dead-letters out of a dead-letter queue
            return;
        }
        Map<String, Object> deadLetterProperties = new HashMap<>();
        if (reason != null) {
            deadLetterProperties.put(DEAD_LETTER_REASON, reason);
        }
        if (description != null) {
            deadLetterProperties.put(DEAD_LETTER_DESCRIPTION, description);
        }
        message.changeProperties(deadLetterProperties);
        bytes -= message.size();
        deadLetterQueue.enqueue(message);
    }

    private static final class Lock {
        final StoredMessage message;
        Instant lockedUntil;

        Lock(StoredMessage message, Instant lockedUntil) {
            this.message = message;
            this.lockedUntil = lockedUntil;
        }

        boolean expiredAt(Instant now) {
            return !now.isBefore(lockedUntil);
        }
    }
}
