package io.alertrelay.local.servicebus;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The broker-state changes that must outlive the emulator's process, in the order the event loop makes them: what a
 * topic accepted, and what became of each message in each queue. {@link JournalFile} writes them down for the local
 * runtime; without {@link ServiceBusEmulator.Builder#persistTo} nothing is kept ({@link #NONE}).
 *
 * <p>A lock taken or released (RELEASE) changes nothing that survives a restart: a message locked when the process
 * ends comes back unlocked, its delivery count unchanged, as with the snapshot.
 */
interface MessageJournal {

    /** Keeps nothing. */
    MessageJournal NONE = new MessageJournal() {
    };

    /** A message the topic accepted (not a dropped duplicate), copied to these subscriptions. */
    default void published(String topic, long sequenceNumber, Instant enqueuedTime, String messageId,
            List<String> subscriptions, byte[] amqpBytes) {
    }

    /** Settled for good in the queue at {@code queuePath}: completed, or received in receive-and-delete mode. */
    default void removed(String queuePath, long sequenceNumber) {
    }

    /** A failed delivery (abandon, lock expiry), with the properties the abandon changed (empty for an expiry). */
    default void failedDelivery(String queuePath, long sequenceNumber, Map<String, Object> propertyChanges) {
    }

    /** Dead-lettered by its receiver, with the properties it changed and its reason and description (either null). */
    default void deadLettered(String queuePath, long sequenceNumber, Map<String, Object> propertyChanges,
            String reason, String description) {
    }
}
