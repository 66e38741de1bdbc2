package io.alertrelay.testing;

import io.alertrelay.domain.EventPage;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.FiredLease;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.domain.EventCriteria;
import io.alertrelay.port.AlertInstances;
import io.alertrelay.port.EventSearch;
import io.alertrelay.port.TenantRegistry;
import io.alertrelay.port.EventDocuments;
import io.alertrelay.port.PayloadStore;
import io.alertrelay.port.Store;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fake store for tests of the use cases, with ETags like the real ones; the same contract tests run against it as
 * against H2 and Cosmos DB (adapters are tested against real peers).
 */
public final class InMemoryStore implements Store, EventDocuments, AlertInstances, PayloadStore, EventSearch,
        TenantRegistry {

    private final Map<String, StoredAlert> docs = new ConcurrentHashMap<>();
    private final Map<String, Instant> resolved = new ConcurrentHashMap<>();
    private final Map<String, List<FiredLease>> leases = new ConcurrentHashMap<>();
    private final Map<String, byte[]> payloads = new ConcurrentHashMap<>();
    private final Set<String> tenants = new ConcurrentSkipListSet<>();

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
    public EventSearch search() {
        return this;
    }

    @Override
    public TenantRegistry registry() {
        return this;
    }

    /** Oldest event first (then by id); the continuation is the last event's position, as the real stores page. */
    @Override
    public EventPage find(String tenant, EventCriteria criteria, String continuation, int limit) {
        Comparator<StoredAlert> order = Comparator.comparing(StoredAlert::eventTime,
                Comparator.nullsFirst(Comparator.<Instant>naturalOrder())).thenComparing(StoredAlert::id);
        StoredAlert after = continuation == null ? null : positionOf(continuation);
        List<StoredAlert> all = docs.values().stream()
                .filter(d -> d.tenant().equals(tenant) && criteria.matches(d))
                .filter(d -> after == null || order.compare(d, after) > 0)
                .sorted(order)
                .toList();
        List<StoredAlert> page = all.subList(0, Math.min(limit, all.size()));
        if (all.size() <= limit) {
            return new EventPage(page, null);
        }
        StoredAlert last = page.get(page.size() - 1);
        return new EventPage(page, (last.eventTime() == null ? "" : last.eventTime().toString()) + "|" + last.id());
    }

    private static StoredAlert positionOf(String continuation) {
        int bar = continuation.indexOf('|');
        if (bar < 0) {
            throw new IllegalArgumentException("not a continuation of this store");
        }
        Instant time = bar == 0 ? null : Instant.parse(continuation.substring(0, bar));
        return new StoredAlert(continuation.substring(bar + 1), "-", null, null, null, DeliveryStatus.RECEIVED, 0,
                null, null, null, null, null, null, time, null, null);
    }

    @Override
    public void register(String tenant) {
        tenants.add(tenant);
    }

    @Override
    public List<String> tenants() {
        return List.copyOf(tenants);
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
    public synchronized void markResolved(String tenant, String alertKey, String resolvedEventId, Instant resolvedAt) {
        resolved.merge(key(tenant, alertKey), resolvedAt, (a, b) -> a.isAfter(b) ? a : b);
    }

    @Override
    public Optional<Instant> resolvedAt(String tenant, String alertKey) {
        return Optional.ofNullable(resolved.get(key(tenant, alertKey)));
    }

    /**
     * {@inheritDoc} Atomic with {@link #markResolved}: both hold this store's lock. Leases are kept (not dropped when
     * expired, which would need the wall clock while tests run delivery on fixed clocks): one per lease-taking
     * invocation, as this store keeps every document anyway.
     */
    @Override
    public synchronized boolean leaseFired(String tenant, String alertKey, FiredLease lease) {
        Instant recorded = resolved.get(key(tenant, alertKey));
        if (recorded != null && !recorded.isBefore(lease.firedAt())) {
            return false;
        }
        List<FiredLease> held = leases.computeIfAbsent(key(tenant, alertKey), k -> new java.util.ArrayList<>());
        held.removeIf(l -> l.holder().equals(lease.holder()));
        held.add(lease);
        return true;
    }

    @Override
    public synchronized List<FiredLease> firedLeases(String tenant, String alertKey) {
        return List.copyOf(leases.getOrDefault(key(tenant, alertKey), List.of()));
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
