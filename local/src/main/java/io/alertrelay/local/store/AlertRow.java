package io.alertrelay.local.store;

import io.alertrelay.domain.Json;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.local.journal.RecordFields;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/**
 * One write of the {@code alerts} table as its column values: what H2 binds, and what the store's journal records
 * and replays ({@link StoreJournal}). The JSON columns are written once, here, for both. {@code withEvent} is false
 * for a status change that kept the event: that write leaves the event column as it was.
 */
record AlertRow(String tenant, String id, long version, String type, String alertKey, String condition,
        String status, int attempts, Instant createdAt, Instant updatedAt, Instant deliveredAt,
        Integer lastErrorStatus, String lastErrorMessage, Instant eventTime, String replays, String endedLeases,
        boolean withEvent, String event) {

    static AlertRow of(StoredAlert a, long version, boolean withEvent) {
        StoredAlert.LastError error = a.lastError();
        return new AlertRow(a.tenant(), a.id(), version, a.type(), a.alertKey(), a.condition(), a.status().value(),
                a.attempts(), a.createdAt(), a.updatedAt(), a.deliveredAt(), error == null ? null : error.status(),
                error == null ? null : error.message(), a.eventTime(),
                a.replays().count() == 0 ? null : Json.write(a.replays()),
                a.endedLeases().isEmpty() ? null : Json.write(a.endedLeases()),
                withEvent, withEvent && a.event() != null ? Json.write(a.event()) : null);
    }

    /** Binds the content columns — type to ended leases, then the event if it has one — from {@code first}. */
    int bindContent(PreparedStatement s, int first) throws SQLException {
        s.setString(first, type);
        s.setString(first + 1, alertKey);
        s.setString(first + 2, condition);
        s.setString(first + 3, status);
        s.setInt(first + 4, attempts);
        s.setObject(first + 5, H2Rows.time(createdAt));
        s.setObject(first + 6, H2Rows.time(updatedAt));
        s.setObject(first + 7, H2Rows.time(deliveredAt));
        if (lastErrorStatus == null) {
            s.setNull(first + 8, Types.INTEGER);
        } else {
            s.setInt(first + 8, lastErrorStatus);
        }
        s.setString(first + 9, lastErrorMessage);
        s.setObject(first + 10, H2Rows.time(eventTime));
        s.setString(first + 11, replays);
        s.setString(first + 12, endedLeases);
        if (!withEvent) {
            return first + 13;
        }
        s.setString(first + 13, event);
        return first + 14;
    }

    void writeTo(DataOutputStream out) throws IOException {
        RecordFields.writeString(out, tenant);
        RecordFields.writeString(out, id);
        out.writeLong(version);
        RecordFields.writeString(out, type);
        RecordFields.writeString(out, alertKey);
        RecordFields.writeString(out, condition);
        RecordFields.writeString(out, status);
        out.writeInt(attempts);
        RecordFields.writeInstant(out, createdAt);
        RecordFields.writeInstant(out, updatedAt);
        RecordFields.writeInstant(out, deliveredAt);
        out.writeBoolean(lastErrorStatus != null);
        if (lastErrorStatus != null) {
            out.writeInt(lastErrorStatus);
        }
        RecordFields.writeString(out, lastErrorMessage);
        RecordFields.writeInstant(out, eventTime);
        RecordFields.writeString(out, replays);
        RecordFields.writeString(out, endedLeases);
        out.writeBoolean(withEvent);
        if (withEvent) {
            RecordFields.writeString(out, event);
        }
    }

    static AlertRow readFrom(DataInputStream in) throws IOException {
        String tenant = RecordFields.readString(in);
        String id = RecordFields.readString(in);
        long version = in.readLong();
        String type = RecordFields.readString(in);
        String alertKey = RecordFields.readString(in);
        String condition = RecordFields.readString(in);
        String status = RecordFields.readString(in);
        int attempts = in.readInt();
        Instant createdAt = RecordFields.readInstant(in);
        Instant updatedAt = RecordFields.readInstant(in);
        Instant deliveredAt = RecordFields.readInstant(in);
        Integer lastErrorStatus = in.readBoolean() ? in.readInt() : null;
        String lastErrorMessage = RecordFields.readString(in);
        Instant eventTime = RecordFields.readInstant(in);
        String replays = RecordFields.readString(in);
        String endedLeases = RecordFields.readString(in);
        boolean withEvent = in.readBoolean();
        String event = withEvent ? RecordFields.readString(in) : null;
        return new AlertRow(tenant, id, version, type, alertKey, condition, status, attempts, createdAt, updatedAt,
                deliveredAt, lastErrorStatus, lastErrorMessage, eventTime, replays, endedLeases, withEvent, event);
    }
}
