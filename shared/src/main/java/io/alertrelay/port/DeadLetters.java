package io.alertrelay.port;

import java.util.Collection;

/** The subscription's dead-letter queue, as replay and health see it. */
public interface DeadLetters {

    /**
     * Removes the dead-lettered messages of these events (a message belongs to an event by its MessageId or its
     * {@code eventId} property): a replayed event leaves the queue.
     *
     * @return how many messages were removed
     */
    int remove(Collection<String> eventIds);

    /** How many messages the queue holds, counting at most {@code upTo} (the count costs a read of each). */
    int count(int upTo);

    /**
     * The events whose messages the queue holds (by {@code eventId} property, else MessageId), reading at most
     * {@code upTo} messages from its head; nothing is locked.
     */
    java.util.List<String> eventIds(int upTo);
}
