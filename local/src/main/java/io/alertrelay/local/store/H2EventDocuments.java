package io.alertrelay.local.store;

import io.alertrelay.domain.StoredAlert;
import io.alertrelay.port.EventDocuments;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link EventDocuments} in H2: insert (duplicate key = exists), select, update where the version is unchanged. Each
 * write is journaled ({@link StoreJournal}) in its transaction.
 */
final class H2EventDocuments implements EventDocuments {

    private static final String DUPLICATE_KEY = "23505";

    private final H2Store db;

    H2EventDocuments(H2Store db) {
        this.db = db;
    }

    @Override
    public StoredAlert createIfAbsent(StoredAlert doc) {
        Objects.requireNonNull(doc, "doc");
        AlertRow row = AlertRow.of(doc, 1, true);
        StoredAlert created = doc.withEtag("1");
        StoredAlert stored = db.write("create event " + doc.id(), (c, journal) -> {
            try {
                insert(c, row);
            } catch (SQLException e) {
                if (!DUPLICATE_KEY.equals(e.getSQLState())) {
                    throw e;
                }
                // It exists: return what is stored, as Cosmos answers 409 and its adapter reads it.
                return select(c, doc.tenant(), doc.id()).orElseThrow(() -> e);
            }
            journal.alert(row);
            return created;
        });
        if (stored == created) { // our insert, now committed
            db.statusCounts().created(doc.status());
        }
        return stored;
    }

    @Override
    public Optional<StoredAlert> find(String tenant, String id) {
        return db.run("read event " + id, c -> select(c, tenant, id));
    }

    @Override
    public Optional<StoredAlert> replaceIfUnchanged(StoredAlert current, StoredAlert next) {
        long version = Long.parseLong(current.etag());
        // Status changes keep the event (often kilobytes): rewrite it only when the change replaced it.
        AlertRow row = AlertRow.of(next, version + 1, next.event() != current.event());
        Optional<StoredAlert> replaced = db.write("update event " + next.id(), (c, journal) -> {
            if (update(c, row, "version = ?", version)) {
                journal.alert(row);
                return Optional.of(next.withEtag(Long.toString(version + 1)));
            }
            // No row: someone wrote since we read, or the document is gone.
            if (select(c, next.tenant(), next.id()).isEmpty()) {
                throw new IllegalStateException("event document " + next.id() + " in tenant " + next.tenant()
                        + " vanished while it was being updated");
            }
            return Optional.empty();
        });
        // Counted once committed. The row had the version we read, so it had our copy's status.
        replaced.ifPresent(r -> db.statusCounts().replaced(current.status(), next.status()));
        return replaced;
    }

    static void insert(Connection c, AlertRow row) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO alerts (tenant, id, type, alert_key, "
                + "condition, status, attempts, created_at, updated_at, delivered_at, last_error_status, "
                + "last_error_message, event_time, replays, ended_leases, event, version) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, row.tenant());
            s.setString(2, row.id());
            s.setLong(row.bindContent(s, 3), row.version());
            s.executeUpdate();
        }
    }

    /**
     * Writes {@code row} over the stored one where {@code versionCondition} (on the version column) holds for
     * {@code version}: {@code "version = ?"} for a conditional replace, {@code "version < ?"} for a replay.
     */
    static boolean update(Connection c, AlertRow row, String versionCondition, long version) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE alerts SET type = ?, alert_key = ?, "
                + "condition = ?, status = ?, attempts = ?, created_at = ?, updated_at = ?, delivered_at = ?, "
                + "last_error_status = ?, last_error_message = ?, event_time = ?, replays = ?, ended_leases = ?, "
                + (row.withEvent() ? "event = ?, " : "") + "version = ? "
                + "WHERE tenant = ? AND id = ? AND " + versionCondition)) {
            int i = row.bindContent(s, 1);
            s.setLong(i, row.version());
            s.setString(i + 1, row.tenant());
            s.setString(i + 2, row.id());
            s.setLong(i + 3, version);
            return s.executeUpdate() == 1;
        }
    }

    static Optional<StoredAlert> select(Connection c, String tenant, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT * FROM alerts WHERE tenant = ? AND id = ?")) {
            s.setString(1, tenant);
            s.setString(2, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(H2Rows.storedAlert(r)) : Optional.empty();
            }
        }
    }
}
