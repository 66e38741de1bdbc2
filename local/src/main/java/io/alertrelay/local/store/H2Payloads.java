package io.alertrelay.local.store;

import io.alertrelay.port.PayloadStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** {@link PayloadStore} in H2: one BLOB per claim-checked payload, merged and journaled. */
final class H2Payloads implements PayloadStore {

    private final H2Store db;

    H2Payloads(H2Store db) {
        this.db = db;
    }

    /** {@inheritDoc} Storing the same event's payload again replaces it with the same bytes. */
    @Override
    public void put(String tenant, String eventId, byte[] payload) {
        db.write("store payload of " + eventId, (c, journal) -> {
            merge(c, tenant, eventId, payload);
            journal.payload(tenant, eventId, payload);
            return null;
        });
    }

    static void merge(Connection c, String tenant, String eventId, byte[] payload) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "MERGE INTO payloads (tenant, event_id, payload) KEY (tenant, event_id) VALUES (?, ?, ?)")) {
            s.setString(1, tenant);
            s.setString(2, eventId);
            s.setBytes(3, payload);
            s.executeUpdate();
        }
    }

    @Override
    public Optional<byte[]> get(String tenant, String eventId) {
        return db.run("read payload of " + eventId, c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT payload FROM payloads WHERE tenant = ? AND event_id = ?")) {
                s.setString(1, tenant);
                s.setString(2, eventId);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(r.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
    }
}
