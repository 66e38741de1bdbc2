package io.alertrelay.local.faults;

import io.alertrelay.domain.StoredAlert;
import io.alertrelay.port.AlertInstances;
import io.alertrelay.port.EventDocuments;
import io.alertrelay.port.PayloadStore;
import io.alertrelay.port.Store;
import io.alertrelay.port.TransientStoreException;
import io.alertrelay.testing.InMemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;

/**
 * The store under a seeded schedule of faults: a share of calls fail as Cosmos DB would when unavailable (503) or
 * throttled (429 with a retry-after). Faults are per call, never a lasting outage, so the dequeuer's in-invocation
 * retries are what gets it through. Survives the pipeline's restart, as a real database does.
 */
final class ChaosStore implements Store, EventDocuments, AlertInstances, PayloadStore {

    private final InMemoryStore store = new InMemoryStore();
    private final Random random;
    private final double faultRate;
    private volatile boolean faults = true;

    ChaosStore(long seed, double faultRate) {
        this.random = new Random(seed);
        this.faultRate = faultRate;
    }

    /** Turns the faults off, so the checks read the final state. */
    void calm() {
        faults = false;
    }

    InMemoryStore inner() {
        return store;
    }

    private void maybeFail() {
        if (!faults) {
            return;
        }
        double r;
        synchronized (random) {
            r = random.nextDouble();
        }
        if (r < faultRate / 2) {
            throw new TransientStoreException("chaos: store unavailable (503)", null);
        }
        if (r < faultRate) {
            throw new TransientStoreException("chaos: store throttled (429)", null, Duration.ofMillis(20));
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
        maybeFail();
        return store.createIfAbsent(doc);
    }

    @Override
    public Optional<StoredAlert> find(String tenant, String id) {
        maybeFail();
        return store.find(tenant, id);
    }

    @Override
    public Optional<StoredAlert> replaceIfUnchanged(StoredAlert current, StoredAlert next) {
        maybeFail();
        return store.replaceIfUnchanged(current, next);
    }

    @Override
    public void markResolved(String tenant, String alertKey, String resolvedEventId, Instant resolvedAt) {
        maybeFail();
        store.markResolved(tenant, alertKey, resolvedEventId, resolvedAt);
    }

    @Override
    public Optional<Instant> resolvedAt(String tenant, String alertKey) {
        maybeFail();
        return store.resolvedAt(tenant, alertKey);
    }

    @Override
    public boolean leaseFired(String tenant, String alertKey, io.alertrelay.domain.FiredLease lease) {
        maybeFail();
        return store.leaseFired(tenant, alertKey, lease);
    }

    @Override
    public java.util.List<io.alertrelay.domain.FiredLease> firedLeases(String tenant, String alertKey) {
        maybeFail();
        return store.firedLeases(tenant, alertKey);
    }

    @Override
    public void put(String tenant, String eventId, byte[] payload) {
        maybeFail();
        store.put(tenant, eventId, payload);
    }

    @Override
    public Optional<byte[]> get(String tenant, String eventId) {
        maybeFail();
        return store.get(tenant, eventId);
    }
}
