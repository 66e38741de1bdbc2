package io.alertrelay.testing;

import io.alertrelay.domain.StoredAlert;
import io.alertrelay.port.AlertInstances;
import io.alertrelay.port.EventDocuments;
import io.alertrelay.port.PayloadStore;
import io.alertrelay.port.Store;
import io.alertrelay.port.PermanentStoreException;
import io.alertrelay.port.StoreException;
import io.alertrelay.port.TransientStoreException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/** A store whose every operation fails, as the port's failure of one kind: down, or refusing (a 403). */
public final class FailingStore implements Store, EventDocuments, AlertInstances, PayloadStore {

    private final Supplier<StoreException> failure;

    private FailingStore(Supplier<StoreException> failure) {
        this.failure = failure;
    }

    /** Down: transient failures (503, timeouts). */
    public static FailingStore unavailable() {
        return new FailingStore(() -> new TransientStoreException("store unavailable (test)", null));
    }

    /** Refusing: permanent failures, as Cosmos DB's 403 when the app's identity lacks its role. */
    public static FailingStore refusing() {
        return new FailingStore(() -> new PermanentStoreException("store refused it with 403 (test)", null));
    }

    private StoreException down() {
        return failure.get();
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
        return (tenant, criteria, continuation, limit) -> {
            throw down();
        };
    }

    @Override
    public io.alertrelay.port.TenantRegistry registry() {
        return new io.alertrelay.port.TenantRegistry() {
            @Override
            public void register(String tenant) {
                throw down();
            }

            @Override
            public java.util.List<String> tenants() {
                throw down();
            }
        };
    }

    @Override
    public String health() {
        return "failing (test)";
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
    public Optional<StoredAlert> replaceIfUnchanged(StoredAlert current, StoredAlert next) {
        throw down();
    }

    @Override
    public void markResolved(String tenant, String alertKey, String resolvedEventId, Instant resolvedAt) {
        throw down();
    }

    @Override
    public Optional<Instant> resolvedAt(String tenant, String alertKey) {
        throw down();
    }

    @Override
    public boolean leaseFired(String tenant, String alertKey, io.alertrelay.domain.FiredLease lease) {
        throw down();
    }

    @Override
    public java.util.List<io.alertrelay.domain.FiredLease> firedLeases(String tenant, String alertKey) {
        throw down();
    }

    @Override
    public void put(String tenant, String eventId, byte[] payload) {
        throw down();
    }

    @Override
    public Optional<byte[]> get(String tenant, String eventId) {
        throw down();
    }
}
