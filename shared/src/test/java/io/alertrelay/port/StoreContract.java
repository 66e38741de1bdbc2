package io.alertrelay.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.Json;
import io.alertrelay.domain.StoredAlert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of the store's three capabilities, run against every implementation: the in-memory fake, H2 (local
 * runtime) and Cosmos DB (against cosmosdb-server). A subclass says how to get an empty store; each test uses a
 * tenant of its own, so a store may be shared between tests.
 */
public abstract class StoreContract {

    protected static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123456789Z");

    protected final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    protected Store store;

    /** A store to test; it may hold other tenants' documents. */
    protected abstract Store store();

    @BeforeEach
    void takeStore() {
        store = store();
    }

    // --- EventDocuments

    @Test
    void createIfAbsentStoresOnceAndASecondCreateReturnsTheFirstDocumentUnchanged() {
        StoredAlert first = alert("ev-1");
        StoredAlert stored = docs().createIfAbsent(first);
        assertThat(stored.etag()).isNotBlank();
        assertThat(stored.withEtag(null)).isEqualTo(first);

        StoredAlert second = new StoredAlert("ev-1", tenant, "io.alertrelay.alert.resolved", "other-key", "Resolved",
                DeliveryStatus.DELIVERED, 7, T0.plusSeconds(60), T0.plusSeconds(60), null, null, null, null);

        assertThat(docs().createIfAbsent(second)).isEqualTo(stored);
        assertThat(docs().find(tenant, "ev-1")).contains(stored);
    }

    @Test
    void findOfAMissingIdOrAnotherTenantsIdIsEmpty() {
        docs().createIfAbsent(alert("ev-mine"));

        assertThat(docs().find(tenant, "no-such-event")).isEmpty();
        assertThat(docs().find("other-" + tenant, "ev-mine")).isEmpty();
    }

    @Test
    void everyFieldRoundTripsNanosecondTimesAndLastErrorIncluded() {
        StoredAlert a = alert("ev-fields")
                .failed(DeliveryStatus.DEADLETTERED, 3, new StoredAlert.LastError(503, "platform busy"), T0.plusNanos(7));
        docs().createIfAbsent(a);

        assertThat(docs().find(tenant, "ev-fields").orElseThrow().withEtag(null)).isEqualTo(a);
    }

    @Test
    void aStoredEventReadsBackNumericallyExact() {
        StoredAlert a = alert("ev-numbers");
        ((com.fasterxml.jackson.databind.node.ObjectNode) a.event().get("data"))
                .set("payload", Json.readTree("{\"capacity\":7.50,\"big\":12345678901234567890.123456789,\"huge\":1e400}"));
        docs().createIfAbsent(a);

        JsonNode payload = docs().find(tenant, "ev-numbers").orElseThrow().event().path("data").path("payload");

        assertThat(payload.get("capacity").decimalValue()).isEqualByComparingTo("7.50");
        assertThat(payload.get("capacity").toString()).isEqualTo("7.50");
        assertThat(payload.get("big").decimalValue()).isEqualByComparingTo("12345678901234567890.123456789");
        assertThat(payload.get("huge").decimalValue()).isEqualByComparingTo("1e400");
    }

    @Test
    void updateWritesTheChangeAndReturnsANewEtag() {
        StoredAlert stored = docs().createIfAbsent(alert("ev-upd"));

        StoredAlert updated = docs().update(tenant, "ev-upd", d -> d.delivered(1, T0.plusSeconds(9)));

        assertThat(updated.etag()).isNotBlank().isNotEqualTo(stored.etag());
        assertThat(updated.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(docs().find(tenant, "ev-upd")).contains(updated);
    }

    @Test
    void aNoOpChangeWritesNothing() {
        StoredAlert stored = docs().createIfAbsent(alert("ev-noop"));

        StoredAlert result = docs().update(tenant, "ev-noop", d -> d);

        assertThat(result).isEqualTo(stored);
        assertThat(docs().find(tenant, "ev-noop").orElseThrow().etag()).isEqualTo(stored.etag());
    }

    @Test
    void replaceIfUnchangedRefusesAStaleEtag() {
        StoredAlert stored = docs().createIfAbsent(alert("ev-cas"));
        StoredAlert newer = docs().replaceIfUnchanged(stored, stored.delivered(1, T0.plusSeconds(1))).orElseThrow();

        assertThat(docs().replaceIfUnchanged(stored, stored.withStatus(DeliveryStatus.REJECTED, T0))).isEmpty();
        assertThat(docs().find(tenant, "ev-cas")).contains(newer);
    }

    @Test
    void aWriteBetweenReadAndWriteMakesTheChangeReapplyToTheFreshDocument() {
        docs().createIfAbsent(alert("ev-race"));
        AtomicInteger calls = new AtomicInteger();

        StoredAlert result = docs().update(tenant, "ev-race", d -> {
            if (calls.incrementAndGet() == 1) {
                // Another dequeuer writes behind our back, after our read and before our write.
                docs().update(tenant, "ev-race", other -> other.failed(DeliveryStatus.RECEIVED, 2,
                        new StoredAlert.LastError(503, "platform busy"), T0.plusSeconds(3)));
            }
            return d.delivered(1, T0.plusSeconds(10));
        });

        assertThat(calls).hasValue(2);
        StoredAlert now = docs().find(tenant, "ev-race").orElseThrow();
        assertThat(now).isEqualTo(result);
        assertThat(now.attempts()).isEqualTo(3);
        assertThat(now.lastError()).isEqualTo(new StoredAlert.LastError(503, "platform busy"));
    }

    @Test
    void concurrentUpdatesOfOneDocumentAreAllApplied() throws Exception {
        docs().createIfAbsent(alert("ev-hot"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<StoredAlert>> writers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                writers.add(() -> docs().update(tenant, "ev-hot", d -> d.failed(DeliveryStatus.RECEIVED, 1, null, T0)));
            }
            for (Future<StoredAlert> f : pool.invokeAll(writers)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(docs().find(tenant, "ev-hot").orElseThrow().attempts()).isEqualTo(12);
    }

    @Test
    void updateOfAMissingDocumentSaysSo() {
        assertThatThrownBy(() -> docs().update(tenant, "never-stored", d -> d.delivered(1, T0)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("never-stored");
    }

    @Test
    void anUpdateThatChangesTheIdIsRefused() {
        docs().createIfAbsent(alert("ev-keep"));

        assertThatThrownBy(() -> docs().update(tenant, "ev-keep", d -> alert("ev-other")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- AlertInstances

    @Test
    void instanceStateIsEmptyUntilResolvedThenHoldsTheTime() {
        assertThat(store.instances().resolvedAt(tenant, "rule/instance-1")).isEmpty();

        store.instances().markResolved(tenant, "rule/instance-1", "ev-r", T0.plusSeconds(30));

        assertThat(store.instances().resolvedAt(tenant, "rule/instance-1")).contains(T0.plusSeconds(30));
        assertThat(store.instances().resolvedAt("other-" + tenant, "rule/instance-1")).isEmpty();
    }

    @Test
    void theResolveTimeNeverMovesBackwardsHoweverWritersRace() throws Exception {
        store.instances().markResolved(tenant, "rule/i", "ev-late", T0.plusSeconds(60));
        store.instances().markResolved(tenant, "rule/i", "ev-early", T0.plusSeconds(10));
        assertThat(store.instances().resolvedAt(tenant, "rule/i")).contains(T0.plusSeconds(60));

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Void>> writers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                Instant at = T0.plusSeconds(100 + (i * 7L) % 16);
                writers.add(() -> {
                    store.instances().markResolved(tenant, "rule/race", "ev-" + at, at);
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(writers)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.instances().resolvedAt(tenant, "rule/race")).contains(T0.plusSeconds(115));
    }

    // --- PayloadStore

    @Test
    void aClaimCheckedPayloadOver256KiBRoundTripsByteForByte() {
        byte[] payload = new byte[300 * 1024];
        new Random(7).nextBytes(payload);

        store.payloads().put(tenant, "ev-big", payload);
        store.payloads().put(tenant, "ev-big", payload); // again: harmless

        assertThat(store.payloads().get(tenant, "ev-big")).hasValueSatisfying(p -> assertThat(p).isEqualTo(payload));
        assertThat(store.payloads().get(tenant, "ev-none")).isEmpty();
    }

    @Test
    void healthIsOk() {
        assertThat(store.health()).isEqualTo("ok");
    }

    protected EventDocuments docs() {
        return store.documents();
    }

    protected StoredAlert alert(String id) {
        JsonNode event = Json.readTree("{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"type\":\"io.alertrelay.alert.fired\","
                + "\"tenant\":\"" + tenant + "\",\"data\":{\"severity\":\"Sev3\",\"targetResourceIds\":[\"/subscriptions/s1\"]}}");
        return new StoredAlert(id, tenant, "io.alertrelay.alert.fired", "rule/instance-1", "Fired",
                DeliveryStatus.RECEIVED, 0, T0, T0, null, null, event, null);
    }
}
