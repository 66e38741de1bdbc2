package io.alertrelay.adapter.cosmos;

import io.alertrelay.port.PayloadStore;
import java.util.Optional;

/** {@link PayloadStore} on Cosmos DB: one document per claim-checked payload, base64, upserted. */
final class CosmosPayloads implements PayloadStore {

    private final CosmosConnection db;
    private final Integer ttlSeconds;

    CosmosPayloads(CosmosConnection db, Integer ttlSeconds) {
        this.db = db;
        this.ttlSeconds = ttlSeconds;
    }

    /** {@inheritDoc} Upserts: storing the same event's payload again replaces it with the same bytes. */
    @Override
    public void put(String tenant, String eventId, byte[] payload) {
        CosmosItems.upsert(db, tenant, AlertDocuments.payloadDocument(tenant, eventId, payload, ttlSeconds),
                "store payload of " + eventId);
    }

    @Override
    public Optional<byte[]> get(String tenant, String eventId) {
        return CosmosItems.read(db, tenant, AlertDocuments.payloadId(eventId), "read payload of " + eventId)
                .map(r -> AlertDocuments.payload(r.getItem()));
    }
}
