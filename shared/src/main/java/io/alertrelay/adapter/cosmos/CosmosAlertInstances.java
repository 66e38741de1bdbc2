package io.alertrelay.adapter.cosmos;

import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.FiredLease;
import io.alertrelay.port.AlertInstances;
import io.alertrelay.port.TransientStoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link AlertInstances} on Cosmos DB: one small document per alert instance — its resolve time and the leases of
 * Fireds being delivered — changed only by a conditional write: read, then create (409: someone else did) or replace
 * with If-Match on the ETag read (412: someone else wrote), and on either conflict read again. So the check of the
 * resolve time and the lease a Fired takes are one atomic step against a Resolved's write
 * ("Optimistic concurrency control", https://learn.microsoft.com/azure/cosmos-db/nosql/database-transactions-optimistic-concurrency).
 */
final class CosmosAlertInstances implements AlertInstances {

    private static final int MAX_ATTEMPTS = 10;

    private final CosmosConnection db;
    private final Integer ttlSeconds;

    CosmosAlertInstances(CosmosConnection db, Integer ttlSeconds) {
        this.db = db;
        this.ttlSeconds = ttlSeconds;
    }

    /** {@inheritDoc} Written only when the stored time is absent or earlier; the instance's leases stay. */
    @Override
    public void markResolved(String tenant, String alertKey, String resolvedEventId, Instant resolvedAt) {
        change(tenant, alertKey, "mark instance resolved", stored -> {
            Instant recorded = stored.map(AlertDocuments::resolvedAt).orElse(null);
            if (recorded != null && !recorded.isBefore(resolvedAt)) {
                return Optional.empty(); // an equal or later resolve is recorded
            }
            return Optional.of(AlertDocuments.withResolved(base(tenant, alertKey, stored), resolvedEventId, resolvedAt));
        });
    }

    @Override
    public Optional<Instant> resolvedAt(String tenant, String alertKey) {
        return read(tenant, alertKey).map(AlertDocuments::resolvedAt);
    }

    /**
     * {@inheritDoc} The same write drops the instance's expired leases (and an earlier one of this holder): nothing
     * else ends a lease, so an instance document holds at most the leases of the Fireds taken within one lease's
     * length.
     */
    @Override
    public boolean leaseFired(String tenant, String alertKey, FiredLease lease) {
        boolean[] stale = {false};
        change(tenant, alertKey, "lease a Fired's delivery", stored -> {
            Instant recorded = stored.map(AlertDocuments::resolvedAt).orElse(null);
            stale[0] = recorded != null && !recorded.isBefore(lease.firedAt());
            if (stale[0]) {
                return Optional.empty();
            }
            Instant now = Instant.now();
            List<FiredLease> leases = new ArrayList<>(stored.map(AlertDocuments::leases).orElse(List.of()));
            leases.removeIf(l -> l.holder().equals(lease.holder()) || !l.until().isAfter(now));
            leases.add(lease);
            return Optional.of(AlertDocuments.withLeases(base(tenant, alertKey, stored), leases));
        });
        return !stale[0];
    }

    @Override
    public List<FiredLease> firedLeases(String tenant, String alertKey) {
        return read(tenant, alertKey).map(AlertDocuments::leases).orElse(List.of());
    }

    private Optional<ObjectNode> read(String tenant, String alertKey) {
        return CosmosItems.read(db, tenant, AlertDocuments.instanceId(alertKey), "read instance state")
                .map(CosmosItemResponse::getItem);
    }

    /** The stored document to change (a copy), or a new one. */
    private ObjectNode base(String tenant, String alertKey, Optional<ObjectNode> stored) {
        return stored.map(ObjectNode::deepCopy)
                .orElseGet(() -> AlertDocuments.instanceDocument(tenant, alertKey, ttlSeconds));
    }

    /**
     * Applies {@code next} to the stored document (empty: nothing to write) and writes the result only if nobody
     * wrote in between; otherwise reads again and re-applies.
     */
    private void change(String tenant, String alertKey, String what,
                        Function<Optional<ObjectNode>, Optional<ObjectNode>> next) {
        String id = AlertDocuments.instanceId(alertKey);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<CosmosItemResponse<ObjectNode>> stored = CosmosItems.read(db, tenant, id, "read instance state");
            Optional<ObjectNode> doc = next.apply(stored.map(CosmosItemResponse::getItem));
            if (doc.isEmpty()) {
                return;
            }
            try {
                if (stored.isEmpty()) {
                    db.call(what, c -> c.createItem(doc.get(), new PartitionKey(tenant), db.writeOptions()));
                } else {
                    String etag = stored.get().getETag();
                    db.call(what, c -> c.replaceItem(doc.get(), id, new PartitionKey(tenant),
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
}
