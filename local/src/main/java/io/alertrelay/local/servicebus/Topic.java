package io.alertrelay.local.servicebus;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A topic: sequence numbers, duplicate detection, and fan-out of every accepted message to each subscription. */
final class Topic {
    private final String name;
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final DuplicateDetector duplicates;
    private long nextSequenceNumber = 1;
    private long duplicatesDropped;

    Topic(String name, Collection<String> subscriptionNames, EntitySettings settings) {
        this.name = name;
        this.duplicates = new DuplicateDetector(settings.duplicateDetectionWindow());
        for (String subscription : subscriptionNames) {
            subscriptions.put(key(subscription), new Subscription(name, subscription, settings));
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
     * Copies the message to every subscription, unless its MessageId was already seen within the duplicate
     * detection window: then it is dropped, yet the send still succeeds, as in Service Bus.
     *
     * @return true if enqueued, false if dropped as a duplicate
     */
    boolean publish(byte[] amqpBytes, String messageId, Instant now) {
        if (duplicates.isDuplicate(messageId, now)) {
            duplicatesDropped++;
            return false;
        }
        long sequenceNumber = nextSequenceNumber++;
        for (Subscription subscription : subscriptions.values()) {
            subscription.active().enqueue(new StoredMessage(amqpBytes, sequenceNumber, now));
        }
        return true;
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
