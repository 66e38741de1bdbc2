package io.alertrelay.local.servicebus;

import java.time.Instant;
import java.util.UUID;

/** A receive link as a queue sees it: something with credit that messages can be pushed to. */
interface MessageConsumer {

    /** How many more messages the receiver has asked for. */
    int credit();

    /** True in receive-and-delete mode: a message is gone once sent, no lock is taken. */
    boolean settlesOnSend();

    /**
     * Sends the message. {@code lockToken} and {@code lockedUntil} are null when the consumer settles on send.
     */
    void deliver(StoredMessage message, UUID lockToken, Instant lockedUntil);
}
