package io.alertrelay.port;

import java.util.Optional;

/**
 * The claim-check payloads (DESIGN §6): the original notification of an event too large for a message, stored by
 * the webhook before it publishes and read back by the dequeuer. Failures are {@link StoreException}s.
 */
public interface PayloadStore {

    /** Stores the payload under its event id; storing the same event's payload again is harmless. */
    void put(String tenant, String eventId, byte[] payload);

    Optional<byte[]> get(String tenant, String eventId);
}
