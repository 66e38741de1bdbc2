package io.alertrelay.adapter.cosmos;

import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.port.AlertInstances;
import io.alertrelay.port.TransientStoreException;
import java.time.Instant;
import java.util.Optional;

/** {@link AlertInstances} on Cosmos DB: one small document per alert instance, written conditionally. */
final class CosmosAlertInstances implements AlertInstances {

    private static final int MAX_ATTEMPTS = 10;

    private final CosmosConnection db;
    private final Integer ttlSeconds;

    CosmosAlertInstances(CosmosConnection db, Integer ttlSeconds) {
        this.db = db;
        this.ttlSeconds = ttlSeconds;
    }

    /**
     * {@inheritDoc} Read, then create (409: someone else did: read again) or replace with If-Match only when the
     * stored time is earlier (412: someone else wrote: read again).
     */
    @Override
    public void markResolved(String tenant, String alertKey, String resolvedEventId, Instant resolvedAt) {
        String what = "mark instance resolved";
        ObjectNode doc = AlertDocuments.instanceDocument(tenant, alertKey, resolvedEventId, resolvedAt, ttlSeconds);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<CosmosItemResponse<ObjectNode>> stored = CosmosItems.read(db, tenant, AlertDocuments.instanceId(alertKey),
                    "read instance state");
            if (stored.isPresent() && !AlertDocuments.resolvedAt(stored.get().getItem()).isBefore(resolvedAt)) {
                return; // an equal or later resolve is recorded
            }
            try {
                if (stored.isEmpty()) {
                    db.call(what, c -> c.createItem(doc, new PartitionKey(tenant), db.writeOptions()));
                } else {
                    String etag = stored.get().getETag();
                    db.call(what, c -> c.replaceItem(doc, doc.get("id").asText(), new PartitionKey(tenant),
                            db.writeOptions().setIfMatchETag(etag)));
                }
                return;
            } catch (CosmosException e) {
                if (e.getStatusCode() != 409 && e.getStatusCode() != 412) {
                    throw CosmosErrors.of(db.where(what), e);
                }
            }
        }
        throw new TransientStoreException(db.where(what) + ": it changed under us " + MAX_ATTEMPTS + " times", null);
    }

    @Override
    public Optional<Instant> resolvedAt(String tenant, String alertKey) {
        return CosmosItems.read(db, tenant, AlertDocuments.instanceId(alertKey), "read instance state")
                .map(r -> AlertDocuments.resolvedAt(r.getItem()));
    }
}
