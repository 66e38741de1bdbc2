package io.alertrelay.adapter.cosmos;

import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.FeedResponse;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.port.TenantRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link TenantRegistry} on Cosmos DB: one small document per tenant in a partition of its own ({@value #PARTITION}),
 * so listing tenants is a single-partition query. Each process writes a tenant once (it remembers what it wrote);
 * writing again is an idempotent upsert.
 */
final class CosmosTenantRegistry implements TenantRegistry {

    /** The registry's partition; the tenant alphabet has no '_', so no tenant collides. */
    static final String PARTITION = "_registry";

    private final CosmosConnection db;
    private final Set<String> written = ConcurrentHashMap.newKeySet();

    CosmosTenantRegistry(CosmosConnection db) {
        this.db = db;
    }

    @Override
    public void register(String tenant) {
        if (written.contains(tenant)) {
            return;
        }
        CosmosItems.upsert(db, PARTITION, AlertDocuments.tenantDocument(PARTITION, tenant), "register tenant " + tenant);
        written.add(tenant);
    }

    @Override
    public List<String> tenants() {
        String what = "list tenants";
        CosmosQueryRequestOptions options = new CosmosQueryRequestOptions().setPartitionKey(new PartitionKey(PARTITION));
        List<String> tenants = new ArrayList<>();
        String continuation = null;
        try {
            do {
                String from = continuation;
                // The partition key stated in the query too: the local Cosmos stand-in needs it (Cosmos does not).
                FeedResponse<ObjectNode> page = db.call(what, c -> c.queryItems(new SqlQuerySpec(
                        "SELECT c.name FROM c WHERE c.tenant = @partition",
                        List.of(new SqlParameter("@partition", PARTITION))), options, ObjectNode.class)
                        .byPage(from, 1000).next());
                if (page == null) {
                    break;
                }
                for (JsonNode doc : page.getResults()) {
                    tenants.add(doc.path("name").asText());
                }
                continuation = page.getContinuationToken();
            } while (continuation != null);
        } catch (CosmosException e) {
            throw CosmosErrors.of(db.where(what), e);
        }
        tenants.sort(null);
        return tenants;
    }
}
