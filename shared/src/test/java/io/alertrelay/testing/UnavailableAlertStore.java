package io.alertrelay.testing;

import io.alertrelay.port.AlertStore;
import io.alertrelay.port.StoreUnavailableException;
import io.alertrelay.port.StoredAlert;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** A store that is down: every operation fails as a transient store failure. */
public final class UnavailableAlertStore implements AlertStore {

    private static StoreUnavailableException down() {
        return new StoreUnavailableException("store unavailable (test)", null);
    }

    @Override
    public StoredAlert createIfAbsent(StoredAlert doc) {
        throw down();
    }

    @Override
    public Optional<StoredAlert> find(String tenant, String id) {
        throw down();
    }

    @Override
    public StoredAlert update(String tenant, String id, UnaryOperator<StoredAlert> change) {
        throw down();
    }

    @Override
    public void markInstanceResolved(String tenant, String alertKey, String resolvedEventId, Instant resolvedAt) {
        throw down();
    }

    @Override
    public Optional<Instant> instanceResolvedAt(String tenant, String alertKey) {
        throw down();
    }

    @Override
    public void putPayload(String tenant, String eventId, byte[] payload) {
        throw down();
    }

    @Override
    public Optional<byte[]> getPayload(String tenant, String eventId) {
        throw down();
    }

    @Override
    public String health() {
        return "unreachable (test)";
    }
}
