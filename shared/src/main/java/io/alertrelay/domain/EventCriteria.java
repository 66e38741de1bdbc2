package io.alertrelay.domain;

import java.time.Instant;
import java.util.Set;

/**
 * Which stored events of one tenant a search selects (DESIGN §13): by status (empty: any) and by the event's time,
 * {@code since} inclusive and {@code until} exclusive (null: open).
 */
public record EventCriteria(Set<DeliveryStatus> statuses, Instant since, Instant until) {

    public EventCriteria {
        statuses = Set.copyOf(statuses == null ? Set.of() : statuses);
    }

    public boolean matches(StoredAlert doc) {
        return (statuses.isEmpty() || statuses.contains(doc.status()))
                && (since == null || (doc.eventTime() != null && !doc.eventTime().isBefore(since)))
                && (until == null || (doc.eventTime() != null && doc.eventTime().isBefore(until)));
    }
}
