package io.alertrelay.testing;

import io.alertrelay.port.AlertStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A fake store for tests of the use case (the Cosmos adapter is tested against a real Cosmos peer). */
public final class InMemoryAlertStore implements AlertStore {

    private final Map<String, byte[]> payloads = new ConcurrentHashMap<>();

    @Override
    public void putPayload(String tenant, String eventId, byte[] payload) {
        payloads.put(tenant + "/" + eventId, payload.clone());
    }

    @Override
    public Optional<byte[]> getPayload(String tenant, String eventId) {
        return Optional.ofNullable(payloads.get(tenant + "/" + eventId)).map(byte[]::clone);
    }
}
