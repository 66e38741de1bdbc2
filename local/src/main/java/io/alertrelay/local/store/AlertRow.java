package io.alertrelay.local.store;

import io.alertrelay.domain.Json;
import io.alertrelay.domain.StoredAlert;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        writeString(out, tenant);
        writeString(out, id);
        out.writeLong(version);
        writeString(out, type);
        writeString(out, alertKey);
        writeString(out, condition);
        writeString(out, status);
        out.writeInt(attempts);
        writeInstant(out, createdAt);
        writeInstant(out, updatedAt);
        writeInstant(out, deliveredAt);
        out.writeBoolean(lastErrorStatus != null);
        if (lastErrorStatus != null) {
            out.writeInt(lastErrorStatus);
        }
        writeString(out, lastErrorMessage);
        writeInstant(out, eventTime);
        writeString(out, replays);
        writeString(out, endedLeases);
        out.writeBoolean(withEvent);
        if (withEvent) {
            writeString(out, event);
        }
    }

    static AlertRow readFrom(DataInputStream in) throws IOException {
        String tenant = readString(in);
        String id = readString(in);
        long version = in.readLong();
        String type = readString(in);
        String alertKey = readString(in);
        String condition = readString(in);
        String status = readString(in);
        int attempts = in.readInt();
        Instant createdAt = readInstant(in);
        Instant updatedAt = readInstant(in);
        Instant deliveredAt = readInstant(in);
        Integer lastErrorStatus = in.readBoolean() ? in.readInt() : null;
        String lastErrorMessage = readString(in);
        Instant eventTime = readInstant(in);
        String replays = readString(in);
        String endedLeases = readString(in);
        boolean withEvent = in.readBoolean();
        String event = withEvent ? readString(in) : null;
        return new AlertRow(tenant, id, version, type, alertKey, condition, status, attempts, createdAt, updatedAt,
                deliveredAt, lastErrorStatus, lastErrorMessage, eventTime, replays, endedLeases, withEvent, event);
    }

    /** Length-prefixed UTF-8: an event can exceed {@link DataOutputStream#writeUTF}'s 64 KB. */
    static void writeString(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static void writeInstant(DataOutputStream out, Instant t) throws IOException {
        out.writeBoolean(t != null);
        if (t != null) {
            out.writeLong(t.getEpochSecond());
            out.writeInt(t.getNano());
        }
    }

    static Instant readInstant(DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }
}
