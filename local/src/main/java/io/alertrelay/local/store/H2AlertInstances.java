package io.alertrelay.local.store;

import io.alertrelay.port.AlertInstances;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** {@link AlertInstances} in H2: one row per alert instance, merged. */
final class H2AlertInstances implements AlertInstances {

    private static final String DUPLICATE_KEY = "23505";

    private final H2Store db;

    H2AlertInstances(H2Store db) {
        this.db = db;
    }

    /** {@inheritDoc} Insert, or on a duplicate key an update only where the stored time is earlier: each atomic. */
    @Override
    public void markResolved(String tenant, String alertKey, String resolvedEventId, Instant resolvedAt) {
        db.run("mark instance resolved", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO instances (tenant, alert_key, "
                    + "resolved_event_id, resolved_at) VALUES (?, ?, ?, ?)")) {
                s.setString(1, tenant);
                s.setString(2, alertKey);
                s.setString(3, resolvedEventId);
                s.setObject(4, H2Rows.time(resolvedAt));
                s.executeUpdate();
                return null;
            } catch (SQLException e) {
                if (!DUPLICATE_KEY.equals(e.getSQLState())) {
                    throw e;
                }
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE instances SET resolved_event_id = ?, resolved_at = ? "
                    + "WHERE tenant = ? AND alert_key = ? AND resolved_at < ?")) {
                s.setString(1, resolvedEventId);
                s.setObject(2, H2Rows.time(resolvedAt));
                s.setString(3, tenant);
                s.setString(4, alertKey);
                s.setObject(5, H2Rows.time(resolvedAt));
                s.executeUpdate(); // no row: an equal or later resolve is recorded, which stays
            }
            return null;
        });
    }

    @Override
    public Optional<Instant> resolvedAt(String tenant, String alertKey) {
        return db.run("read instance state", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT resolved_at FROM instances WHERE tenant = ? AND alert_key = ?")) {
                s.setString(1, tenant);
                s.setString(2, alertKey);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(H2Rows.instant(r, "resolved_at")) : Optional.<Instant>empty();
                }
            }
        });
    }
}
