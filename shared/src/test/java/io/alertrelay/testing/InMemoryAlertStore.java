package io.alertrelay.testing;

import io.alertrelay.port.AlertStore;
import io.alertrelay.port.StoredAlert;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** A fake store for tests of the use cases, with ETags like the real one (adapters are tested against real peers). */
public final class InMemoryAlertStore implements AlertStore {

    private final Map<String, StoredAlert> docs = new ConcurrentHashMap<>();
    private final Map<String, Instant> resolved = new ConcurrentHashMap<>();
    private final Map<String, byte[]> payloads = new ConcurrentHashMap<>();

    @Override
    public StoredAlert createIfAbsent(StoredAlert doc) {
        return docs.computeIfAbsent(key(doc.tenant(), doc.id()), k -> doc.withEtag(newEtag()));
    }

    @Override
    public Optional<StoredAlert> find(String tenant, String id) {
        return Optional.ofNullable(docs.get(key(tenant, id)));
    }

    @Override
    public StoredAlert update(String tenant, String id, UnaryOperator<StoredAlert> change) {
        return docs.compute(key(tenant, id), (k, current) -> {
            if (current == null) {
                throw new IllegalStateException("no document " + id);
            }
            StoredAlert next = change.apply(current);
            return next == current ? current : next.withEtag(newEtag());
        });
    }

    @Override
    public void markInstanceResolved(String tenant, String alertKey, String resolvedEventId, Instant resolvedAt) {
        resolved.put(key(tenant, alertKey), resolvedAt);
    }

    @Override
    public Optional<Instant> instanceResolvedAt(String tenant, String alertKey) {
        return Optional.ofNullable(resolved.get(key(tenant, alertKey)));
    }

    @Override
    public void putPayload(String tenant, String eventId, byte[] payload) {
        payloads.put(key(tenant, eventId), payload.clone());
    }

    @Override
    public Optional<byte[]> getPayload(String tenant, String eventId) {
        return Optional.ofNullable(payloads.get(key(tenant, eventId))).map(byte[]::clone);
    }

    private static String key(String tenant, String id) {
        return tenant + "/" + id;
    }

    private static String newEtag() {
        return UUID.randomUUID().toString();
    }
}
