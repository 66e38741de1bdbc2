package io.alertrelay.adapter.cosmos;

import io.alertrelay.domain.EventPage;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosQueryRequestOptions;
import com.azure.cosmos.models.FeedResponse;
import com.azure.cosmos.models.PartitionKey;
import com.azure.cosmos.models.SqlParameter;
import com.azure.cosmos.models.SqlQuerySpec;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.EventCriteria;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.port.EventSearch;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link EventSearch} on Cosmos DB: one query within the tenant's partition, filtered on {@code status} and
 * {@code eventTime} (both indexed: see the template's indexing policy) and ordered by event time, paged with the
 * service's continuation tokens. Instance and payload documents have no {@code status}, so no filter on their kind
 * is needed (and {@code docType} is not indexed).
 */
final class CosmosEventSearch implements EventSearch {

    private final CosmosConnection db;

    CosmosEventSearch(CosmosConnection db) {
        this.db = db;
    }

    @Override
    public EventPage find(String tenant, EventCriteria criteria, String continuation, int limit) {
        SqlQuerySpec query = query(tenant, criteria);
        CosmosQueryRequestOptions options = new CosmosQueryRequestOptions().setPartitionKey(new PartitionKey(tenant));
        String what = "search events of " + tenant;
        try {
            FeedResponse<ObjectNode> page = db.call(what, c -> c.queryItems(query, options, ObjectNode.class)
                    .byPage(continuation, limit).next());
            List<StoredAlert> events = new ArrayList<>();
            if (page != null) {
                for (ObjectNode doc : page.getResults()) {
                    events.add(AlertDocuments.storedAlert(doc, doc.path("_etag").asText(null)));
                }
            }
            return new EventPage(events, page == null ? null : page.getContinuationToken());
        } catch (CosmosException e) {
            if (continuation != null && e.getStatusCode() == 400) {
                throw new IllegalArgumentException("not a continuation of this search", e);
            }
            throw CosmosErrors.of(db.where(what), e);
        }
    }

    static SqlQuerySpec query(String tenant, EventCriteria criteria) {
        StringBuilder sql = new StringBuilder("SELECT * FROM c WHERE c.tenant = @tenant");
        List<SqlParameter> params = new ArrayList<>(List.of(new SqlParameter("@tenant", tenant)));
        if (criteria.statuses().isEmpty()) {
            sql.append(" AND IS_DEFINED(c.status)");
        } else {
            List<String> names = new ArrayList<>();
            int i = 0;
            for (DeliveryStatus s : criteria.statuses()) {
                names.add("@status" + i);
                params.add(new SqlParameter("@status" + i++, s.value()));
            }
            sql.append(" AND c.status IN (").append(String.join(", ", names)).append(")");
        }
        if (criteria.since() != null) {
            sql.append(" AND c.eventTime >= @since");
            params.add(new SqlParameter("@since", AlertDocuments.sortableTime(criteria.since())));
        }
        if (criteria.until() != null) {
            sql.append(" AND c.eventTime < @until");
            params.add(new SqlParameter("@until", AlertDocuments.sortableTime(criteria.until())));
        }
        sql.append(" ORDER BY c.eventTime ASC");
        return new SqlQuerySpec(sql.toString(), params);
    }
}
