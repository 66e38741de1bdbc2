package io.alertrelay.local.servicebus;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message in one queue: the AMQP bytes exactly as the sender put them on the wire, plus the state the broker
 * keeps beside them. Every subscription holds its own copy, so what happens to it in one subscription (abandon,
 * delivery count, dead-lettering) never shows in another.
 */
final class StoredMessage {
    private final byte[] amqpBytes;
    private final long sequenceNumber;
    private final Instant enqueuedTime;
    /** Application properties set by the broker or by a settlement (abandon with properties, dead-letter reason). */
    private final Map<String, Object> propertyChanges = new LinkedHashMap<>();
    /** Failed deliveries so far; goes on the wire as the AMQP header delivery-count (0 on the first delivery). */
    private int deliveryCount;

    StoredMessage(byte[] amqpBytes, long sequenceNumber, Instant enqueuedTime) {
        this.amqpBytes = amqpBytes;
        this.sequenceNumber = sequenceNumber;
        this.enqueuedTime = enqueuedTime;
    }

    /** A message read back from a snapshot, with the broker state it had. */
    static StoredMessage restored(byte[] amqpBytes, long sequenceNumber, Instant enqueuedTime, int deliveryCount,
            Map<String, Object> propertyChanges) {
        StoredMessage message = new StoredMessage(amqpBytes, sequenceNumber, enqueuedTime);
        message.deliveryCount = deliveryCount;
        message.changeProperties(propertyChanges);
        return message;
    }

    byte[] amqpBytes() {
        return amqpBytes;
    }

    /** What the message counts towards its topic's size: the bytes the sender put on the wire. */
    long size() {
        return amqpBytes.length;
    }

    long sequenceNumber() {
        return sequenceNumber;
    }

    Instant enqueuedTime() {
        return enqueuedTime;
    }

    int deliveryCount() {
        return deliveryCount;
    }

    void countFailedDelivery() {
        deliveryCount++;
    }

    Map<String, Object> propertyChanges() {
        return propertyChanges;
    }

    void changeProperties(Map<String, Object> changes) {
        if (changes != null) {
            propertyChanges.putAll(changes);
        }
    }
}
