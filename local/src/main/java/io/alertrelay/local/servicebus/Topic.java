package io.alertrelay.local.servicebus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A topic: sequence numbers, duplicate detection, and fan-out of every accepted message to each subscription whose
 * rule selects it.
 */
final class Topic {
    private final String name;
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final Map<String, SqlFilter> filters = new LinkedHashMap<>();
    private final DuplicateDetector duplicates;
    private long nextSequenceNumber = 1;
    private long duplicatesDropped;
    private MessageJournal journal = MessageJournal.NONE;

    /**
     * @param filters subscription name → the SQL filter of its one rule; a subscription not named keeps the default
     *                rule, which selects every message
     */
    Topic(String name, Collection<String> subscriptionNames, Map<String, SqlFilter> filters, EntitySettings settings) {
        this.name = name;
        this.duplicates = new DuplicateDetector(settings.duplicateDetectionWindow());
        for (String subscription : subscriptionNames) {
            subscriptions.put(key(subscription), new Subscription(name, subscription, settings));
            this.filters.put(key(subscription), filters.getOrDefault(subscription, SqlFilter.TRUE));
        }
    }

    String name() {
        return name;
    }

    /** Entity names are case-insensitive in Service Bus. */
    Optional<Subscription> subscription(String subscriptionName) {
        return Optional.ofNullable(subscriptions.get(key(subscriptionName)));
    }

    Collection<Subscription> subscriptions() {
        return subscriptions.values();
    }

    /**
     * Copies the message to every subscription whose filter selects it by its application properties, unless its
     * MessageId was already seen within the duplicate detection window: then it is dropped, yet the send still
     * succeeds, as in Service Bus. A message no subscription selects is accepted and goes nowhere, as in Service Bus.
     *
     * @return true if accepted, false if dropped as a duplicate
     */
    boolean publish(byte[] amqpBytes, String messageId, Map<String, Object> applicationProperties, Instant now) {
        if (duplicates.isDuplicate(messageId, now)) {
            duplicatesDropped++;
            return false;
        }
        long sequenceNumber = nextSequenceNumber++;
        List<String> selected = new ArrayList<>(subscriptions.size());
        subscriptions.forEach((key, subscription) -> {
            if (filters.get(key).matches(applicationProperties)) {
                subscription.active().enqueue(new StoredMessage(amqpBytes, sequenceNumber, now));
                selected.add(subscription.name());
            }
        });
        journal.published(name, sequenceNumber, now, messageId, selected, amqpBytes);
        return true;
    }

    /**
     * Replays a journal's {@link MessageJournal#published}: the message goes to the subscriptions its filters chose
     * then (any of them since removed from the topology is skipped), and its MessageId is remembered.
     */
    void replayPublished(long sequenceNumber, Instant enqueuedTime, String messageId, List<String> subscriptionNames,
            byte[] amqpBytes) {
        if (messageId != null) {
            duplicates.remember(messageId, enqueuedTime);
        }
        for (String subscriptionName : subscriptionNames) {
            subscription(subscriptionName).ifPresent(subscription -> subscription.active().enqueue(
                    new StoredMessage(amqpBytes, sequenceNumber, enqueuedTime)));
        }
        continueSequenceAt(sequenceNumber + 1);
    }

    /** From now on, every accepted message, and what becomes of it in each queue, is written to {@code journal}. */
    void journalTo(MessageJournal journal) {
        this.journal = journal;
        subscriptions.values().forEach(subscription -> {
            subscription.active().journalTo(journal);
            subscription.deadLetter().journalTo(journal);
        });
    }

    /** The SQL filter of a subscription's rule ({@code 1=1} for the default rule). */
    SqlFilter filter(String subscriptionName) {
        return filters.get(key(subscriptionName));
    }

    /**
     * The bytes of the messages its subscriptions and their dead-letter queues hold, the quantity Service Bus's
     * maximum topic size limits (a copy per subscription that selected the message).
     */
    long sizeInBytes() {
        long size = 0;
        for (Subscription subscription : subscriptions.values()) {
            size += subscription.active().sizeInBytes() + subscription.deadLetter().sizeInBytes();
        }
        return size;
    }

    /** Messages dropped by duplicate detection since the emulator started (acknowledged to the sender all the same). */
    long duplicatesDropped() {
        return duplicatesDropped;
    }

    long nextSequenceNumber() {
        return nextSequenceNumber;
    }

    DuplicateDetector duplicates() {
        return duplicates;
    }

    /** Continues numbering after a restored snapshot, so sequence numbers never repeat across a restart. */
    void continueSequenceAt(long sequenceNumber) {
        nextSequenceNumber = Math.max(nextSequenceNumber, sequenceNumber);
    }

    static String key(String entityName) {
        return entityName.toLowerCase(Locale.ROOT);
    }
}
