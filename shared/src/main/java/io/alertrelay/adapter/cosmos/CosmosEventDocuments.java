package io.alertrelay.adapter.cosmos;

import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.port.EventDocuments;
import io.alertrelay.port.TransientStoreException;
import java.util.Objects;
import java.util.Optional;

/** {@link EventDocuments} on Cosmos DB: create (409 = exists), point read, replace with If-Match (412 = lost race). */
final class CosmosEventDocuments implements EventDocuments {

    private final CosmosConnection db;
    private final Integer ttlSeconds;

    CosmosEventDocuments(CosmosConnection db, Integer ttlSeconds) {
        this.db = db;
        this.ttlSeconds = ttlSeconds;
    }

    @Override
    public StoredAlert createIfAbsent(StoredAlert doc) {
        Objects.requireNonNull(doc, "doc");
        String what = "create event " + doc.id();
        for (int attempt = 1; ; attempt++) {
            try {
                CosmosItemResponse<ObjectNode> created = db.call(what, c -> c.createItem(
                        AlertDocuments.alertDocument(doc, ttlSeconds), new PartitionKey(doc.tenant()), db.writeOptions()));
                return doc.withEtag(created.getETag());
            } catch (CosmosException e) {
                if (e.getStatusCode() != 409) {
                    throw CosmosErrors.of(db.where(what), e);
                }
            }
            // 409 Conflict: it exists. Return what is stored. (Gone again already — expired or deleted — is rare:
            // try the create again, a few times.)
            Optional<StoredAlert> existing = find(doc.tenant(), doc.id());
            if (existing.isPresent()) {
                return existing.get();
            }
            if (attempt >= 3) {
                throw new TransientStoreException(db.where(what) + ": it exists and vanishes again, repeatedly", null);
            }
        }
    }

    @Override
    public Optional<StoredAlert> find(String tenant, String id) {
        return CosmosItems.read(db, tenant, id, "read event " + id)
                .filter(r -> AlertDocuments.isAlert(r.getItem()))
                .map(r -> AlertDocuments.storedAlert(r.getItem(), r.getETag()));
    }

    @Override
    public Optional<StoredAlert> replaceIfUnchanged(StoredAlert current, StoredAlert next) {
        String what = "update event " + next.id();
        try {
            CosmosItemResponse<ObjectNode> replaced = db.call(what, c -> c.replaceItem(
                    AlertDocuments.alertDocument(next, ttlSeconds), next.id(), new PartitionKey(next.tenant()),
                    db.writeOptions().setIfMatchETag(current.etag())));
            return Optional.of(next.withEtag(replaced.getETag()));
        } catch (CosmosException e) {
            if (e.getStatusCode() == 412) {
                return Optional.empty(); // Precondition Failed: someone wrote since we read
            }
            if (e.getStatusCode() == 404 && e.getSubStatusCode() == 0) {
                throw new IllegalStateException("event document " + next.id() + " in tenant " + next.tenant()
                        + " vanished while it was being updated", e);
            }
            throw CosmosErrors.of(db.where(what), e);
        }
    }
}
