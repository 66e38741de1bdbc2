package io.alertrelay.port;

import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The alert store (DESIGN §7): one document per event id in the tenant's partition, the per-instance state that
 * tells a late Fired from a current one (DESIGN §4), and the claim-check payloads (DESIGN §6).
 *
 * <p>Failures are {@link StoreUnavailableException}: the caller treats them as transient.
 */
public interface AlertStore {

    /** Stores {@code doc} unless a document with its id exists; returns what is stored now, with its ETag. */
    StoredAlert createIfAbsent(StoredAlert doc);

    Optional<StoredAlert> find(String tenant, String id);

    /**
     * Changes a document under optimistic concurrency: reads it, applies {@code change}, writes it back only if
     * nobody wrote in between (ETag), and on a conflict reads again and re-applies {@code change} to the fresh
     * document. {@code change} returning its argument unchanged means "nothing to do" and writes nothing.
     */
    StoredAlert update(String tenant, String id, UnaryOperator<StoredAlert> change);

    /** Records that the alert instance {@code alertKey} was resolved (by event {@code resolvedEventId}). */
    void markInstanceResolved(String tenant, String alertKey, String resolvedEventId, Instant resolvedAt);

    /** When the alert instance was resolved, if a Resolved for it has been stored. */
    Optional<Instant> instanceResolvedAt(String tenant, String alertKey);

    /** Stores the original payload of a claim-checked notification under its event id; idempotent. */
    void putPayload(String tenant, String eventId, byte[] payload);

    Optional<byte[]> getPayload(String tenant, String eventId);

    /** A cheap probe for the health endpoint: "ok" or a short reason holding no secret. */
    default String health() {
        return "unknown";
    }
}
