package io.alertrelay.local.store;

import io.alertrelay.domain.EventPage;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.EventCriteria;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.port.EventSearch;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link EventSearch} in H2: one indexed query per page (tenant, status, event time), oldest event first. */
final class H2EventSearch implements EventSearch {

    private final H2Store db;

    H2EventSearch(H2Store db) {
        this.db = db;
    }

    /**
     * {@inheritDoc} The continuation is the last event's (time, id): the next page starts after it, so events that
     * leave the selection meanwhile (a replayed dead-lettered event now delivered) do not shift the pages.
     */
    @Override
    public EventPage find(String tenant, EventCriteria criteria, String continuation, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM alerts WHERE tenant = ?");
        if (!criteria.statuses().isEmpty()) {
            sql.append(" AND status IN (").append(String.join(", ", criteria.statuses().stream().map(s -> "?").toList()))
                    .append(")");
        }
        if (criteria.since() != null) {
            sql.append(" AND event_time >= ?");
        }
        if (criteria.until() != null) {
            sql.append(" AND event_time < ?");
        }
        Position after = continuation == null ? null : Position.decode(continuation);
        if (after != null) {
            sql.append(" AND (").append(SORT_TIME).append(" > ? OR (").append(SORT_TIME).append(" = ? AND id > ?))");
        }
        sql.append(" ORDER BY ").append(SORT_TIME).append(", id LIMIT ?");
        return db.run("search events of " + tenant, c -> {
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                int i = 1;
                s.setString(i++, tenant);
                for (DeliveryStatus status : criteria.statuses()) {
                    s.setString(i++, status.value());
                }
                if (criteria.since() != null) {
                    s.setObject(i++, H2Rows.time(criteria.since()));
                }
                if (criteria.until() != null) {
                    s.setObject(i++, H2Rows.time(criteria.until()));
                }
                if (after != null) {
                    s.setObject(i++, H2Rows.time(after.time()));
                    s.setObject(i++, H2Rows.time(after.time()));
                    s.setString(i++, after.id());
                }
                s.setInt(i, limit + 1); // one more tells whether a next page exists
                List<StoredAlert> events = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        events.add(H2Rows.storedAlert(r));
                    }
                }
                if (events.size() <= limit) {
                    return new EventPage(events, null);
                }
                StoredAlert last = events.get(limit - 1);
                return new EventPage(events.subList(0, limit), new Position(last.eventTime() == null ? Instant.EPOCH
                        : last.eventTime(), last.id()).encode());
            }
        });
    }

    /** Rows from before event times were kept sort first. */
    private static final String SORT_TIME = "COALESCE(event_time, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00Z')";

    /** Where a page ended: {@code <epoch nanos>|<id>}. */
    private record Position(Instant time, String id) {

        String encode() {
            return time.getEpochSecond() + "." + time.getNano() + "|" + id;
        }

        static Position decode(String continuation) {
            int bar = continuation.indexOf('|');
            int dot = continuation.indexOf('.');
            if (bar < 0 || dot < 0 || dot > bar) {
                throw new IllegalArgumentException("not a continuation of this store: " + continuation);
            }
            return new Position(Instant.ofEpochSecond(Long.parseLong(continuation.substring(0, dot)),
                    Long.parseLong(continuation.substring(dot + 1, bar))), continuation.substring(bar + 1));
        }
    }
}
