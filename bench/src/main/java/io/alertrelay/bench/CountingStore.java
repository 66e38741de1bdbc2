package io.alertrelay.bench;

import io.alertrelay.domain.EventPage;
import io.alertrelay.domain.EventCriteria;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.port.AlertInstances;
import io.alertrelay.port.EventDocuments;
import io.alertrelay.port.EventSearch;
import io.alertrelay.port.PayloadStore;
import io.alertrelay.port.Store;
import io.alertrelay.port.TenantRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A store that counts the calls each use case makes on it, by operation (the store cost of a step per event), and the
 * CPU they take on the calling thread.
 */
final class CountingStore implements Store, EventDocuments, AlertInstances, PayloadStore, EventSearch, TenantRegistry {

    private final Store store;
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    /** CPU spent inside the store on the calling thread: with H2 that is the embedded engine's work. */
    final CpuMeter cpu = new CpuMeter();

    CountingStore(Store store) {
        this.store = store;
    }

    /** Calls per operation since the last reset, and resets. */
    Map<String, Long> takeCounts() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((op, n) -> out.put(op, n.sumThenReset()));
        out.values().removeIf(n -> n == 0);
        return out;
    }

    private void count(String op) {
        calls.computeIfAbsent(op, k -> new LongAdder()).increment();
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
    public EventSearch search() {
        return this;
    }

    @Override
    public TenantRegistry registry() {
        return this;
    }

    @Override
    public String health() {
        return store.health();
    }

    @Override
    public void close() {
        store.close();
    }

    @Override
    public StoredAlert createIfAbsent(StoredAlert doc) {
        count("createIfAbsent");
        return cpu.measure(() -> store.documents().createIfAbsent(doc));
    }

    @Override
    public Optional<StoredAlert> find(String tenant, String id) {
        count("find");
        return cpu.measure(() -> store.documents().find(tenant, id));
    }

    @Override
    public Optional<StoredAlert> replaceIfUnchanged(StoredAlert current, StoredAlert next) {
        count("replaceIfUnchanged");
        return cpu.measure(() -> store.documents().replaceIfUnchanged(current, next));
    }

    @Override
    public void markResolved(String tenant, String alertKey, String resolvedEventId, Instant resolvedAt) {
        count("markResolved");
        cpu.measure(() -> store.instances().markResolved(tenant, alertKey, resolvedEventId, resolvedAt));
    }

    @Override
    public Optional<Instant> resolvedAt(String tenant, String alertKey) {
        count("resolvedAt");
        return cpu.measure(() -> store.instances().resolvedAt(tenant, alertKey));
    }

    @Override
    public boolean leaseFired(String tenant, String alertKey, io.alertrelay.domain.FiredLease lease) {
        count("leaseFired");
        return cpu.measure(() -> store.instances().leaseFired(tenant, alertKey, lease));
    }

    @Override
    public List<io.alertrelay.domain.FiredLease> firedLeases(String tenant, String alertKey) {
        count("firedLeases");
        return cpu.measure(() -> store.instances().firedLeases(tenant, alertKey));
    }

    @Override
    public void put(String tenant, String eventId, byte[] payload) {
        count("putPayload");
        cpu.measure(() -> store.payloads().put(tenant, eventId, payload));
    }

    @Override
    public Optional<byte[]> get(String tenant, String eventId) {
        count("getPayload");
        return cpu.measure(() -> store.payloads().get(tenant, eventId));
    }

    @Override
    public EventPage find(String tenant, EventCriteria criteria, String continuation, int limit) {
        count("search");
        return cpu.measure(() -> store.search().find(tenant, criteria, continuation, limit));
    }

    @Override
    public void register(String tenant) {
        count("register");
        cpu.measure(() -> store.registry().register(tenant));
    }

    @Override
    public List<String> tenants() {
        count("tenants");
        return cpu.measure(() -> store.registry().tenants());
    }
}
