package io.alertrelay.local.store;

import io.alertrelay.port.PayloadStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** {@link PayloadStore} in H2: one BLOB per claim-checked payload, merged. */
final class H2Payloads implements PayloadStore {

    private final H2Store db;

    H2Payloads(H2Store db) {
        this.db = db;
    }

    /** {@inheritDoc} Storing the same event's payload again replaces it with the same bytes. */
    @Override
    public void put(String tenant, String eventId, byte[] payload) {
        db.run("store payload of " + eventId, c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "MERGE INTO payloads (tenant, event_id, payload) KEY (tenant, event_id) VALUES (?, ?, ?)")) {
                s.setString(1, tenant);
                s.setString(2, eventId);
                s.setBytes(3, payload);
                s.executeUpdate();
            }
            return null;
        });
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
