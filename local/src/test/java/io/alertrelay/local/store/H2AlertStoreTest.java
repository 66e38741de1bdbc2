package io.alertrelay.local.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.port.DeliveryStatus;
import io.alertrelay.port.StoreUnavailableException;
import io.alertrelay.port.StoredAlert;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** H2AlertStore on a real H2 file database: the AlertStore contract the Cosmos adapter's tests hold it to. */
class H2AlertStoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123456789Z");
    private static final String TENANT = "contoso";

    @TempDir
    Path dir;
    private H2AlertStore store;

    @BeforeEach
    void open() {
        store = H2AlertStore.open(dir, 8);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void createIfAbsentStoresOnceAndASecondCreateReturnsTheFirstDocumentUnchanged() {
        StoredAlert first = alert("ev-1");
        StoredAlert stored = store.createIfAbsent(first);
        assertThat(stored.etag()).isNotBlank();
        assertThat(stored.withEtag(null)).isEqualTo(first);

        StoredAlert second = new StoredAlert("ev-1", TENANT, "io.alertrelay.alert.resolved", "other-key", "Resolved",
                DeliveryStatus.DELIVERED, 7, T0.plusSeconds(60), T0.plusSeconds(60), null, null, null, null);

        assertThat(store.createIfAbsent(second)).isEqualTo(stored);
        assertThat(store.find(TENANT, "ev-1")).contains(stored);
    }

    @Test
    void findOfAMissingIdOrAnotherTenantsIdIsEmpty() {
        store.createIfAbsent(alert("ev-1"));

        assertThat(store.find(TENANT, "no-such-event")).isEmpty();
        assertThat(store.find("fabrikam", "ev-1")).isEmpty();
        assertThat(store.getPayload(TENANT, "no-such-event")).isEmpty();
    }

    @Test
    void everyFieldRoundTripsNanosecondTimesAndLastErrorIncluded() {
        StoredAlert a = alert("ev-fields").failed(DeliveryStatus.RECEIVED, 2,
                new StoredAlert.LastError(503, "platform busy"), T0.plusNanos(1));
        store.createIfAbsent(a);
        StoredAlert networkError = store.update(TENANT, "ev-fields", d -> d.failed(DeliveryStatus.DEADLETTERED, 1,
                new StoredAlert.LastError(null, "I/O failure"), T0.plusSeconds(5)));

        StoredAlert read = store.find(TENANT, "ev-fields").orElseThrow();
        assertThat(read).isEqualTo(networkError);
        assertThat(read.lastError()).isEqualTo(new StoredAlert.LastError(null, "I/O failure"));
        assertThat(read.createdAt()).isEqualTo(T0);
        assertThat(read.event()).isEqualTo(a.event());
    }

    @Test
    void updateWritesTheChangeAndReturnsANewEtag() {
        StoredAlert stored = store.createIfAbsent(alert("ev-upd"));

        StoredAlert updated = store.update(TENANT, "ev-upd", d -> d.delivered(1, T0.plusSeconds(9)));

        assertThat(updated.etag()).isNotBlank().isNotEqualTo(stored.etag());
        assertThat(updated.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(updated.deliveredAt()).isEqualTo(T0.plusSeconds(9));
        assertThat(store.find(TENANT, "ev-upd")).contains(updated);
    }

    @Test
    void aNoOpChangeWritesNothing() {
        StoredAlert stored = store.createIfAbsent(alert("ev-noop"));

        StoredAlert result = store.update(TENANT, "ev-noop", d -> d);

        assertThat(result).isEqualTo(stored);
        assertThat(store.find(TENANT, "ev-noop").orElseThrow().etag()).isEqualTo(stored.etag());
    }

    @Test
    void aWriteBetweenReadAndWriteMakesTheChangeReapplyToTheFreshDocument() {
        store.createIfAbsent(alert("ev-race"));
        AtomicInteger calls = new AtomicInteger();

        StoredAlert result = store.update(TENANT, "ev-race", d -> {
            if (calls.incrementAndGet() == 1) {
                // Another dequeuer writes behind our back, after our read and before our write.
                store.update(TENANT, "ev-race", other -> other.failed(DeliveryStatus.RECEIVED, 2,
                        new StoredAlert.LastError(503, "platform busy"), T0.plusSeconds(3)));
            }
            return d.delivered(1, T0.plusSeconds(10));
        });

        assertThat(calls).hasValue(2);
        StoredAlert now = store.find(TENANT, "ev-race").orElseThrow();
        assertThat(now).isEqualTo(result);
        assertThat(now.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(now.attempts()).isEqualTo(3);
        assertThat(now.lastError()).isEqualTo(new StoredAlert.LastError(503, "platform busy"));
    }

    @Test
    void concurrentUpdatesOfOneDocumentAreAllApplied() throws Exception {
        store.createIfAbsent(alert("ev-hot"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<StoredAlert>> writers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                writers.add(() -> store.update(TENANT, "ev-hot",
                        d -> d.failed(DeliveryStatus.RECEIVED, 1, null, T0)));
            }
            for (Future<StoredAlert> f : pool.invokeAll(writers)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.find(TENANT, "ev-hot").orElseThrow().attempts()).isEqualTo(40);
    }

    @Test
    void updateOfAMissingDocumentSaysSo() {
        assertThatThrownBy(() -> store.update(TENANT, "never-stored", d -> d.delivered(1, T0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("never-stored");
    }

    @Test
    void anUpdateThatChangesTheIdIsRefused() {
        store.createIfAbsent(alert("ev-keep"));

        assertThatThrownBy(() -> store.update(TENANT, "ev-keep", d -> alert("ev-other")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void instanceStateIsEmptyUntilResolvedThenHoldsTheLatestTime() {
        String key = "/subscriptions/s1/resourceGroups/rg/providers/microsoft.insights/metricAlerts/cpu?#\\x";
        assertThat(store.instanceResolvedAt(TENANT, key)).isEmpty();

        store.markInstanceResolved(TENANT, key, "ev-resolved", T0.plusSeconds(42));
        store.markInstanceResolved(TENANT, key, "ev-resolved-again", T0.plusSeconds(50));

        assertThat(store.instanceResolvedAt(TENANT, key)).contains(T0.plusSeconds(50));
        assertThat(store.instanceResolvedAt(TENANT, key + "-other")).isEmpty();
        assertThat(store.instanceResolvedAt("other-tenant", key)).isEmpty();
    }

    @Test
    void aClaimCheckedPayloadOver256KiBRoundTripsByteForByte() {
        byte[] payload = new byte[300 * 1024 + 17];
        new Random(7).nextBytes(payload);

        store.putPayload(TENANT, "ev-big", payload);
        store.putPayload(TENANT, "ev-big", payload);

        assertThat(store.getPayload(TENANT, "ev-big")).hasValueSatisfying(p -> assertThat(p).isEqualTo(payload));
        assertThat(store.find(TENANT, "ev-big")).as("a payload is not an alert").isEmpty();
    }

    @Test
    void documentsSurviveClosingAndReopeningTheDirectory() {
        store.createIfAbsent(alert("ev-durable"));
        StoredAlert delivered = store.update(TENANT, "ev-durable", d -> d.delivered(1, T0.plusSeconds(1)));
        store.markInstanceResolved(TENANT, "key", "ev-durable", T0);
        store.putPayload(TENANT, "ev-durable", new byte[] {1, 2, 3});
        store.close();

        store = H2AlertStore.open(dir, 2);

        assertThat(store.find(TENANT, "ev-durable")).contains(delivered);
        assertThat(store.instanceResolvedAt(TENANT, "key")).contains(T0);
        assertThat(store.getPayload(TENANT, "ev-durable")).hasValueSatisfying(p -> assertThat(p).containsExactly(1, 2, 3));
    }

    @Test
    void aClosedStoreIsUnavailableNotBroken() {
        store.close();

        assertThatThrownBy(() -> store.find(TENANT, "ev-1")).isInstanceOf(StoreUnavailableException.class);
        assertThat(store.health()).startsWith("unavailable");
    }

    @Test
    void statisticsCountByStatusAndListTheLatestChangesFirst() {
        store.createIfAbsent(alert("ev-a"));
        store.createIfAbsent(alert("ev-b"));
        store.createIfAbsent(alert("ev-c"));
        store.update(TENANT, "ev-a", d -> d.delivered(1, T0.plusSeconds(30)));
        store.update(TENANT, "ev-b", d -> d.delivered(1, T0.plusSeconds(20)));

        assertThat(store.countsByStatus()).containsEntry("delivered", 2L).containsEntry("received", 1L).hasSize(2);
        assertThat(store.recentlyUpdated(2)).extracting(StoredAlert::id).containsExactly("ev-a", "ev-b");
        assertThat(store.health()).isEqualTo("ok");
    }

    private static StoredAlert alert(String id) {
        ObjectNode event = JSON.createObjectNode();
        event.put("specversion", "1.0").put("id", id).put("type", "io.alertrelay.alert.fired").put("tenant", TENANT);
        event.putObject("data").put("severity", "Sev3").putArray("targetResourceIds").add("/subscriptions/s1");
        return new StoredAlert(id, TENANT, "io.alertrelay.alert.fired", "rule/instance-1", "Fired",
                DeliveryStatus.RECEIVED, 0, T0, T0, null, null, event, null);
    }
}
