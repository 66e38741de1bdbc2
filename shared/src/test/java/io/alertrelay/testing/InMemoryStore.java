package io.alertrelay.testing;

import io.alertrelay.domain.StoredAlert;
import io.alertrelay.port.AlertInstances;
import io.alertrelay.port.EventDocuments;
import io.alertrelay.port.PayloadStore;
import io.alertrelay.port.Store;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fake store for tests of the use cases, with ETags like the real ones; the same contract tests run against it as
 * against H2 and Cosmos DB (adapters are tested against real peers).
 */
public final class InMemoryStore implements Store, EventDocuments, AlertInstances, PayloadStore {

    private final Map<String, StoredAlert> docs = new ConcurrentHashMap<>();
    private final Map<String, Instant> resolved = new ConcurrentHashMap<>();
    private final Map<String, byte[]> payloads = new ConcurrentHashMap<>();

    @Override
    public EventDocuments documents() {
        return this;
    }

    @Override
    public AlertInstances instances() {
        return this;
    }

    @Override
    public PayloadStore payloads() {
        return this;
    }

    @Override
    public String health() {
        return "ok";
    }

    @Override
    public StoredAlert createIfAbsent(StoredAlert doc) {
        return docs.computeIfAbsent(key(doc.tenant(), doc.id()), k -> doc.withEtag(newEtag()));
    }

    @Override
    public Optional<StoredAlert> find(String tenant, String id) {
        return Optional.ofNullable(docs.get(key(tenant, id)));
    }

    @Override
    public Optional<StoredAlert> replaceIfUnchanged(StoredAlert current, StoredAlert next) {
        StoredAlert written = next.withEtag(newEtag());
        StoredAlert result = docs.computeIfPresent(key(next.tenant(), next.id()),
                (k, stored) -> stored.etag().equals(current.etag()) ? written : stored);
        if (result == null) {
            throw new IllegalStateException("no document " + next.id());
        }
        return result == written ? Optional.of(written) : Optional.empty();
    }

    @Override
    public void markResolved(String tenant, String alertKey, String resolvedEventId, Instant resolvedAt) {
        resolved.merge(key(tenant, alertKey), resolvedAt, (a, b) -> a.isAfter(b) ? a : b);
    }

    @Override
    public Optional<Instant> resolvedAt(String tenant, String alertKey) {
        return Optional.ofNullable(resolved.get(key(tenant, alertKey)));
    }

    @Override
    public void put(String tenant, String eventId, byte[] payload) {
        payloads.put(key(tenant, eventId), payload.clone());
    }

    @Override
    public Optional<byte[]> get(String tenant, String eventId) {
        return Optional.ofNullable(payloads.get(key(tenant, eventId))).map(byte[]::clone);
    }

    private static String key(String tenant, String id) {
        return tenant + "/" + id;
    }

    private static String newEtag() {
        return UUID.randomUUID().toString();
    }
}
