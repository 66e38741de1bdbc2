package io.alertrelay.local.store;

import io.alertrelay.domain.StoredAlert;
import java.util.List;
import java.util.Map;

/** What the status page reads from a store that can be queried across tenants (the local one; not Cosmos here). */
public interface StoreStatistics {

    /** Alert documents per status value (received, delivered, ...). */
    Map<String, Long> countsByStatus();

    /** The alert documents changed most recently, newest first. */
    List<StoredAlert> recentlyUpdated(int limit);
}
