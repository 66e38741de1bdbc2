package io.alertrelay.testing;

import io.alertrelay.domain.StoredAlert;
import io.alertrelay.port.AlertInstances;
import io.alertrelay.port.EventDocuments;
import io.alertrelay.port.PayloadStore;
import io.alertrelay.port.Store;
import io.alertrelay.port.StoreException;
import io.alertrelay.port.TransientStoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The in-memory store with scripted faults: the next {@code n} calls of an operation fail with a chosen store
 * failure (throttled with a retry-after, unavailable, refused), then it works again. Counts every call.
 */
public final class FlakyStore implements Store, EventDocuments, AlertInstances, PayloadStore {

    /** The store operations a fault can be put on. */
    public enum Op { CREATE, FIND, REPLACE, MARK_RESOLVED, RESOLVED_AT, LEASE_FIRED, FIRED_LEASES,
        PUT_PAYLOAD, GET_PAYLOAD }

    private final InMemoryStore store = new InMemoryStore();
    private final Map<Op, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    private final Map<Op, Supplier<StoreException>> failures = new ConcurrentHashMap<>();
    private final Map<Op, AtomicInteger> calls = new ConcurrentHashMap<>();

    /** The next {@code times} calls of {@code op} fail with {@code failure}. */
    public FlakyStore failNext(Op op, int times, Supplier<StoreException> failure) {
        failures.put(op, failure);
        failuresLeft.put(op, new AtomicInteger(times));
        return this;
    }

    /** Cosmos DB's 429 with its x-ms-retry-after-ms. */
    public static Supplier<StoreException> throttled(Duration retryAfter) {
        return () -> new TransientStoreException("429 throttled (test)", null, retryAfter);
    }

    public static Supplier<StoreException> unavailable() {
        return () -> new TransientStoreException("503 unavailable (test)", null);
    }

    public int calls(Op op) {
        return calls.computeIfAbsent(op, o -> new AtomicInteger()).get();
    }

    private void enter(Op op) {
        calls.computeIfAbsent(op, o -> new AtomicInteger()).incrementAndGet();
        AtomicInteger left = failuresLeft.get(op);
        if (left != null && left.getAndDecrement() > 0) {
            throw failures.get(op).get();
        }
    }

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
    public io.alertrelay.port.EventSearch search() {
        return store;
    }

    @Override
    public io.alertrelay.port.TenantRegistry registry() {
        return store;
    }

    @Override
    public String health() {
        return "ok";
    }

    @Override
    public StoredAlert createIfAbsent(StoredAlert doc) {
        enter(Op.CREATE);
        return store.createIfAbsent(doc);
    }

    @Override
    public Optional<StoredAlert> find(String tenant, String id) {
        enter(Op.FIND);
        return store.find(tenant, id);
    }

    @Override
    public Optional<StoredAlert> replaceIfUnchanged(StoredAlert current, StoredAlert next) {
        enter(Op.REPLACE);
        return store.replaceIfUnchanged(current, next);
    }

    @Override
    public void markResolved(String tenant, String alertKey, String resolvedEventId, Instant resolvedAt) {
        enter(Op.MARK_RESOLVED);
        store.markResolved(tenant, alertKey, resolvedEventId, resolvedAt);
    }

    @Override
    public Optional<Instant> resolvedAt(String tenant, String alertKey) {
        enter(Op.RESOLVED_AT);
        return store.resolvedAt(tenant, alertKey);
    }

    @Override
    public boolean leaseFired(String tenant, String alertKey, io.alertrelay.domain.FiredLease lease) {
        enter(Op.LEASE_FIRED);
        return store.leaseFired(tenant, alertKey, lease);
    }

    @Override
    public java.util.List<io.alertrelay.domain.FiredLease> firedLeases(String tenant, String alertKey) {
        enter(Op.FIRED_LEASES);
        return store.firedLeases(tenant, alertKey);
    }

    @Override
    public void put(String tenant, String eventId, byte[] payload) {
        enter(Op.PUT_PAYLOAD);
        store.put(tenant, eventId, payload);
    }

    @Override
    public Optional<byte[]> get(String tenant, String eventId) {
        enter(Op.GET_PAYLOAD);
        return store.get(tenant, eventId);
    }
}
