package io.alertrelay.local.store;

import io.alertrelay.domain.FiredLease;
import io.alertrelay.port.AlertInstances;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link AlertInstances} in H2: one row per resolved alert instance, and one per Fired being delivered. The check
 * of the resolve time and the lease a Fired takes must be one step against a Resolved's write: each runs under the
 * instance's lock, one of {@value #STRIPES} in this JVM. That is enough because an embedded H2 database belongs to
 * one process (the local runtime holds the file lock); Cosmos DB does the same with a conditional write.
 */
final class H2AlertInstances implements AlertInstances {

    private static final String DUPLICATE_KEY = "23505";
    private static final int STRIPES = 64;

    private final H2Store db;
    private final Object[] locks = new Object[STRIPES];

    H2AlertInstances(H2Store db) {
        this.db = db;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /** {@inheritDoc} Insert, or on a duplicate key an update only where the stored time is earlier. */
    @Override
    public void markResolved(String tenant, String alertKey, String resolvedEventId, Instant resolvedAt) {
        synchronized (lockOf(tenant, alertKey)) {
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
                try (PreparedStatement s = c.prepareStatement("UPDATE instances SET resolved_event_id = ?, "
                        + "resolved_at = ? WHERE tenant = ? AND alert_key = ? AND resolved_at < ?")) {
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
    }

    @Override
    public Optional<Instant> resolvedAt(String tenant, String alertKey) {
        return db.run("read instance state", c -> resolvedAt(c, tenant, alertKey));
    }

    @Override
    public boolean leaseFired(String tenant, String alertKey, FiredLease lease) {
        synchronized (lockOf(tenant, alertKey)) {
            return db.run("lease a Fired's delivery", c -> {
                Optional<Instant> resolved = resolvedAt(c, tenant, alertKey);
                if (resolved.isPresent() && !resolved.get().isBefore(lease.firedAt())) {
                    return false;
                }
                try (PreparedStatement s = c.prepareStatement("MERGE INTO fired_delivery_leases (tenant, alert_key, "
                        + "holder, event_id, fired_at, lease_until) KEY (tenant, alert_key, holder) "
                        + "VALUES (?, ?, ?, ?, ?, ?)")) {
                    s.setString(1, tenant);
                    s.setString(2, alertKey);
                    s.setString(3, lease.holder());
                    s.setString(4, lease.eventId());
                    s.setObject(5, H2Rows.time(lease.firedAt()));
                    s.setObject(6, H2Rows.time(lease.until()));
                    s.executeUpdate();
                }
                return true;
            });
        }
    }

    @Override
    public void releaseFired(String tenant, String alertKey, FiredLease lease) {
        db.run("release a Fired's lease", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM fired_delivery_leases WHERE tenant = ? AND alert_key = ? AND holder = ?")) {
                s.setString(1, tenant);
                s.setString(2, alertKey);
                s.setString(3, lease.holder());
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<FiredLease> firedLeases(String tenant, String alertKey) {
        return db.run("read Fired leases", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT event_id, holder, fired_at, lease_until FROM "
                    + "fired_delivery_leases WHERE tenant = ? AND alert_key = ?")) {
                s.setString(1, tenant);
                s.setString(2, alertKey);
                List<FiredLease> leases = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        leases.add(new FiredLease(r.getString("event_id"), r.getString("holder"),
                                H2Rows.instant(r, "fired_at"), H2Rows.instant(r, "lease_until")));
                    }
                }
                return leases;
            }
        });
    }

    private static Optional<Instant> resolvedAt(Connection c, String tenant, String alertKey) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT resolved_at FROM instances WHERE tenant = ? AND alert_key = ?")) {
            s.setString(1, tenant);
            s.setString(2, alertKey);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(H2Rows.instant(r, "resolved_at")) : Optional.<Instant>empty();
            }
        }
    }

    private Object lockOf(String tenant, String alertKey) {
        return locks[Math.floorMod((tenant + "\n" + alertKey).hashCode(), STRIPES)];
    }
}
