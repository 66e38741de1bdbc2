package io.alertrelay.local.store;

import io.alertrelay.domain.FiredLease;
import io.alertrelay.port.AlertInstances;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link AlertInstances} in H2: one row per resolved alert instance (journaled, {@link StoreJournal}); the leases of
 * Fireds being delivered in memory.
 * The check of the resolve time and the lease a Fired takes must be one step against a Resolved's write: each runs
 * under the instance's lock, one of {@value #STRIPES} in this JVM. That is enough because an embedded H2 database
 * belongs to one process (the local runtime holds the file lock); Cosmos DB does the same with a conditional write.
 *
 * <p>For the same reason the leases need no table: every holder lives in this process, so a lease cannot outlive
 * its holder's process, and one that dies with it has no delivery left to order. (Cosmos DB keeps them in the
 * instance's document, where the instances of a scaled-out app all see them.) A resolve time is written to the
 * table: it must survive a restart.
 *
 * <p>Nothing releases a lease (its end is written with the Fired's outcome, on the event's document), so each take
 * first drops the leases that expired: they are queued in the order they were taken, and as every lease lasts as
 * long (the platform client's longest delivery plus a margin) they expire in that order too — each take pops the
 * expired ones off the head, O(1) amortised. The map holds the leases of the last lease-length, not every Fired
 * instance ever seen.
 */
final class H2AlertInstances implements AlertInstances {

    private static final String DUPLICATE_KEY = "23505";
    private static final int STRIPES = 64;

    private final H2Store db;
    private final Object[] locks = new Object[STRIPES];
    /** Per instance (tenant, alert key), the leases by holder; changed only under the instance's lock. */
    private final Map<List<String>, Map<String, FiredLease>> leases = new ConcurrentHashMap<>();
    /** Every lease taken and not yet dropped, in the order taken (so, in practice, of expiry); guarded by itself. */
    private final ArrayDeque<Taken> taken = new ArrayDeque<>();
    private final Clock clock;

    private record Taken(List<String> instance, FiredLease lease) {
    }

    H2AlertInstances(H2Store db) {
        this(db, Clock.systemUTC());
    }

    /** @param clock what tells an expired lease, as Cosmos DB's adapter tells one by the wall clock */
    H2AlertInstances(H2Store db, Clock clock) {
        this.db = db;
        this.clock = clock;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /** {@inheritDoc} Insert, or on a duplicate key an update only where the stored time is earlier; journaled. */
    @Override
    public void markResolved(String tenant, String alertKey, String resolvedEventId, Instant resolvedAt) {
        synchronized (lockOf(tenant, alertKey)) {
            db.write("mark instance resolved", (c, journal) -> {
                if (writeResolved(c, tenant, alertKey, resolvedEventId, resolvedAt)) {
                    journal.resolved(tenant, alertKey, resolvedEventId, resolvedAt);
                }
                return null;
            });
        }
    }

    /** Records the resolve unless an equal or later one is recorded; returns whether it was. */
    static boolean writeResolved(Connection c, String tenant, String alertKey, String resolvedEventId,
            Instant resolvedAt) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO instances (tenant, alert_key, "
                + "resolved_event_id, resolved_at) VALUES (?, ?, ?, ?)")) {
            s.setString(1, tenant);
            s.setString(2, alertKey);
            s.setString(3, resolvedEventId);
            s.setObject(4, H2Rows.time(resolvedAt));
            s.executeUpdate();
            return true;
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
            return s.executeUpdate() == 1; // no row: an equal or later resolve is recorded, which stays
        }
    }

    @Override
    public Optional<Instant> resolvedAt(String tenant, String alertKey) {
        return db.run("read instance state", c -> resolvedAt(c, tenant, alertKey));
    }

    /** {@inheritDoc} First drops every expired lease (of any instance), as Cosmos DB's adapter does its instance's. */
    @Override
    public boolean leaseFired(String tenant, String alertKey, FiredLease lease) {
        dropExpired(clock.instant());
        List<String> instance = List.of(tenant, alertKey);
        synchronized (lockOf(tenant, alertKey)) {
            Optional<Instant> resolved = resolvedAt(tenant, alertKey);
            if (resolved.isPresent() && !resolved.get().isBefore(lease.firedAt())) {
                return false;
            }
            leases.computeIfAbsent(instance, k -> new HashMap<>()).put(lease.holder(), lease);
            synchronized (taken) {
                taken.addLast(new Taken(instance, lease));
            }
            return true;
        }
    }

    /**
     * Pops the leases expired at {@code now} off the head of {@link #taken} and removes them from their instance. An
     * instance's lock is taken only once the queue's is let go: {@link #leaseFired} takes the queue's inside one.
     */
    private void dropExpired(Instant now) {
        List<Taken> expired = new ArrayList<>();
        synchronized (taken) {
            while (!taken.isEmpty() && !taken.peekFirst().lease().until().isAfter(now)) {
                expired.add(taken.pollFirst());
            }
        }
        for (Taken t : expired) {
            synchronized (lockOf(t.instance().get(0), t.instance().get(1))) {
                Map<String, FiredLease> held = leases.get(t.instance());
                if (held != null && held.remove(t.lease().holder(), t.lease()) && held.isEmpty()) {
                    leases.remove(t.instance());
                }
            }
        }
    }

    /** How many instances hold a lease, expired or not (tests: the map does not grow with every instance seen). */
    int instancesWithLeases() {
        return leases.size();
    }

    @Override
    public List<FiredLease> firedLeases(String tenant, String alertKey) {
        synchronized (lockOf(tenant, alertKey)) {
            Map<String, FiredLease> held = leases.get(List.of(tenant, alertKey));
            return held == null ? List.of() : List.copyOf(held.values());
        }
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
