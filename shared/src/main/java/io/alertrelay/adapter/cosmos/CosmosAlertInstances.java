package io.alertrelay.adapter.cosmos;

import io.alertrelay.port.AlertInstances;
import java.time.Instant;
import java.util.Optional;

/** {@link AlertInstances} on Cosmos DB: one small document per alert instance, upserted. */
final class CosmosAlertInstances implements AlertInstances {

    private final CosmosConnection db;
    private final Integer ttlSeconds;

    CosmosAlertInstances(CosmosConnection db, Integer ttlSeconds) {
        this.db = db;
        this.ttlSeconds = ttlSeconds;
    }

    @Override
    public void markResolved(String tenant, String alertKey, String resolvedEventId, Instant resolvedAt) {
        CosmosItems.upsert(db, tenant, AlertDocuments.instanceDocument(tenant, alertKey, resolvedEventId, resolvedAt,
                ttlSeconds), "mark instance resolved");
    }

    @Override
    public Optional<Instant> resolvedAt(String tenant, String alertKey) {
        return CosmosItems.read(db, tenant, AlertDocuments.instanceId(alertKey), "read instance state")
                .map(r -> AlertDocuments.resolvedAt(r.getItem()));
    }
}
