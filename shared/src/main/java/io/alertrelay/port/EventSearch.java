package io.alertrelay.port;

import io.alertrelay.domain.EventCriteria;
import io.alertrelay.domain.EventPage;

/**
 * Finds a tenant's stored events for a replay (DESIGN §13), in pages, oldest event first. Always within one tenant's
 * partition: a single-partition query, served by the store's index on status and event time.
 */
public interface EventSearch {

    /**
     * @param continuation null for the first page, else the previous page's
     * @param limit        at most this many events
     * @throws IllegalArgumentException when {@code continuation} is not one this search gave
     */
    EventPage find(String tenant, EventCriteria criteria, String continuation, int limit);
}
