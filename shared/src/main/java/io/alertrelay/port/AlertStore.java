package io.alertrelay.port;

import java.util.Optional;

/**
 * The alert store (DESIGN §7). Claim-check (DESIGN §6): a notification too large for a message is stored here first and the message
 * carries only a reference. The Cosmos DB adapter implements it; the dequeuer's document operations join it next.
 */
public interface AlertStore {

    /** Stores the original payload under the event id; idempotent for the same id. */
    void putPayload(String tenant, String eventId, byte[] payload);

    Optional<byte[]> getPayload(String tenant, String eventId);
}
