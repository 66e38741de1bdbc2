package io.alertrelay.local.store;

import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.Json;
import io.alertrelay.domain.Replays;
import io.alertrelay.domain.StoredAlert;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** Rows of the {@code alerts} table to documents and back; times as TIMESTAMP WITH TIME ZONE in UTC. */
final class H2Rows {

    private H2Rows() {
    }

    /** The document of the current row; the event is read back exactly, as it was written (domain Json). */
    static StoredAlert storedAlert(ResultSet r) throws SQLException {
        int errorStatus = r.getInt("last_error_status");
        boolean hasStatus = !r.wasNull();
        String errorMessage = r.getString("last_error_message");
        StoredAlert.LastError lastError = hasStatus || errorMessage != null
                ? new StoredAlert.LastError(hasStatus ? errorStatus : null, errorMessage) : null;
        String event = r.getString("event");
        String replays = r.getString("replays");
        String endedLeases = r.getString("ended_leases");
        return new StoredAlert(r.getString("id"), r.getString("tenant"), r.getString("type"),
                r.getString("alert_key"), r.getString("condition"), DeliveryStatus.fromValue(r.getString("status")),
                r.getInt("attempts"), instant(r, "created_at"), instant(r, "updated_at"), instant(r, "delivered_at"),
                lastError, event == null ? null : Json.readTree(event), Long.toString(r.getLong("version")),
                instant(r, "event_time"), replays == null ? Replays.NONE : Json.read(replays, Replays.class),
                endedLeases == null ? List.of() : List.of(Json.read(endedLeases, String[].class)));
    }

    static OffsetDateTime time(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet r, String column) throws SQLException {
        OffsetDateTime t = r.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
