package io.alertrelay.local.store;

import io.alertrelay.domain.StoredAlert;
import io.alertrelay.port.EventDocuments;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/** {@link EventDocuments} in H2: insert (duplicate key = exists), select, update where the version is unchanged. */
final class H2EventDocuments implements EventDocuments {

    private static final String DUPLICATE_KEY = "23505";

    private final H2Store db;

    H2EventDocuments(H2Store db) {
        this.db = db;
    }

    @Override
    public StoredAlert createIfAbsent(StoredAlert doc) {
        Objects.requireNonNull(doc, "doc");
        return db.run("create event " + doc.id(), c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO alerts (tenant, id, type, alert_key, "
                    + "condition, status, attempts, created_at, updated_at, delivered_at, last_error_status, "
                    + "last_error_message, event_time, replays, ended_leases, event, version) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)")) {
                s.setString(1, doc.tenant());
                s.setString(2, doc.id());
                H2Rows.bindContent(s, 3, doc, true);
                s.executeUpdate();
                db.statusCounts().created(doc.status());
                return doc.withEtag("1");
            } catch (SQLException e) {
                if (!DUPLICATE_KEY.equals(e.getSQLState())) {
                    throw e;
                }
                // It exists: return what is stored, as Cosmos answers 409 and its adapter reads it.
                return select(c, doc.tenant(), doc.id()).orElseThrow(() -> e);
            }
        });
    }

    @Override
    public Optional<StoredAlert> find(String tenant, String id) {
        return db.run("read event " + id, c -> select(c, tenant, id));
    }

    @Override
    public Optional<StoredAlert> replaceIfUnchanged(StoredAlert current, StoredAlert next) {
        long version = Long.parseLong(current.etag());
        // Status changes keep the event (often kilobytes): rewrite it only when the change replaced it.
        boolean eventChanged = next.event() != current.event();
        return db.run("update event " + next.id(), c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE alerts SET type = ?, alert_key = ?, "
                    + "condition = ?, status = ?, attempts = ?, created_at = ?, updated_at = ?, delivered_at = ?, "
                    + "last_error_status = ?, last_error_message = ?, event_time = ?, replays = ?, ended_leases = ?, "
                    + (eventChanged ? "event = ?, " : "") + "version = ? "
                    + "WHERE tenant = ? AND id = ? AND version = ?")) {
                int i = H2Rows.bindContent(s, 1, next, eventChanged);
                s.setLong(i, version + 1);
                s.setString(i + 1, next.tenant());
                s.setString(i + 2, next.id());
                s.setLong(i + 3, version);
                if (s.executeUpdate() == 1) {
                    // The row had the version we read, so it had our copy's status.
                    db.statusCounts().replaced(current.status(), next.status());
                    return Optional.of(next.withEtag(Long.toString(version + 1)));
                }
            }
            // No row: someone wrote since we read, or the document is gone.
            if (select(c, next.tenant(), next.id()).isEmpty()) {
                throw new IllegalStateException("event document " + next.id() + " in tenant " + next.tenant()
                        + " vanished while it was being updated");
            }
            return Optional.empty();
        });
    }

    private static Optional<StoredAlert> select(Connection c, String tenant, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT * FROM alerts WHERE tenant = ? AND id = ?")) {
            s.setString(1, tenant);
            s.setString(2, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(H2Rows.storedAlert(r)) : Optional.empty();
            }
        }
    }
}
