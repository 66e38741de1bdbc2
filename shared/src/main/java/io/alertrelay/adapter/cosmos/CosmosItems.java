package io.alertrelay.adapter.cosmos;

import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosItemResponse;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** The two calls every document kind shares: a point read by id in the tenant's partition, and an upsert. */
final class CosmosItems {

    private CosmosItems() {
    }

    /** The document, or empty when it is not there. */
    static Optional<CosmosItemResponse<ObjectNode>> read(CosmosConnection db, String tenant, String id, String what) {
        try {
            return Optional.of(db.call(what, c -> c.readItem(id, new PartitionKey(tenant), db.readOptions(),
                    ObjectNode.class)));
        } catch (CosmosException e) {
            if (e.getStatusCode() == 404 && e.getSubStatusCode() == 0) {
                return Optional.empty(); // the item; a missing container is 404 with a sub-status
            }
            throw CosmosErrors.of(db.where(what), e);
        }
    }

    static void upsert(CosmosConnection db, String tenant, ObjectNode doc, String what) {
        try {
            db.call(what, c -> c.upsertItem(doc, new PartitionKey(tenant), db.writeOptions()));
        } catch (CosmosException e) {
            throw CosmosErrors.of(db.where(what), e);
        }
    }
}
