package io.alertrelay.adapter.cosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.cosmos.CosmosAsyncContainer;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.port.DeliveryStatus;
import io.alertrelay.port.StoreUnavailableException;
import io.alertrelay.port.StoredAlert;
import io.alertrelay.settings.Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CosmosAlertStore against @vercel/cosmosdb-server over a real socket (DESIGN §7, §11). */
class CosmosAlertStoreTest {

    private static final String DATABASE = "alertrelay";
    private static final String CONTAINER = "alerts";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123456789Z");

    private static CosmosEmulator emulator;
    private static CosmosAsyncContainer raw;
    private static CosmosAlertStore store;

    private final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);

    /** Per test, not @BeforeAll: without Node each test is then reported as skipped, not silently absent. */
    @BeforeEach
    void startEmulator() {
        if (store == null) {
            emulator = CosmosEmulator.get();
            raw = emulator.createContainer(DATABASE, CONTAINER);
            store = CosmosAlertStore.builder().client(emulator.client()).database(DATABASE).container(CONTAINER)
                    .build();
        }
    }

    @AfterAll
    static void closeStore() {
        if (store != null) {
            store.close(); // the shared client is not the store's: it stays open
        }
    }

    @Test
    void createIfAbsentStoresOnceAndASecondCreateReturnsTheFirstDocumentUnchanged() {
        StoredAlert first = alert("ev-1", "Fired");
        StoredAlert stored = store.createIfAbsent(first);
        assertThat(stored.etag()).isNotBlank();
        assertThat(stored.withEtag(null)).isEqualTo(first);

        StoredAlert second = new StoredAlert("ev-1", tenant, "io.alertrelay.alert.resolved", "other-key", "Resolved",
                DeliveryStatus.DELIVERED, 7, T0.plusSeconds(60), T0.plusSeconds(60), null, null, null, null);
        StoredAlert again = store.createIfAbsent(second);

        assertThat(again).isEqualTo(stored);
        assertThat(store.find(tenant, "ev-1")).contains(stored);
    }

    @Test
    void findOfAMissingIdIsEmpty() {
        assertThat(store.find(tenant, "no-such-event")).isEmpty();
        assertThat(store.getPayload(tenant, "no-such-event")).isEmpty();
    }

    @Test
    void theDocumentHasTheShapeOfDesignSection7() throws Exception {
        StoredAlert a = alert("ev-shape", "Fired")
                .failed(DeliveryStatus.RECEIVED, 2, new StoredAlert.LastError(503, "platform busy"), T0.plusSeconds(5));
        store.createIfAbsent(a);

        JsonNode doc = rawDocument("ev-shape");
        assertThat(doc.get("id").asText()).isEqualTo("ev-shape");
        assertThat(doc.get("tenant").asText()).isEqualTo(tenant);
        assertThat(doc.get("docType").asText()).isEqualTo("alert");
        assertThat(doc.get("type").asText()).isEqualTo("io.alertrelay.alert.fired");
        assertThat(doc.get("alertKey").asText()).isEqualTo("rule/instance-1");
        assertThat(doc.get("condition").asText()).isEqualTo("Fired");
        assertThat(doc.get("status").asText()).isEqualTo("received");
        assertThat(doc.get("attempts").asInt()).isEqualTo(2);
        assertThat(doc.get("createdAt").asText()).isEqualTo("2024-05-01T10:15:30.123456789Z");
        assertThat(doc.get("updatedAt").asText()).isEqualTo("2024-05-01T10:15:35.123456789Z");
        assertThat(doc.get("deliveredAt").isNull()).isTrue();
        assertThat(doc.get("lastError")).isEqualTo(JSON.readTree("{\"status\":503,\"message\":\"platform busy\"}"));
        assertThat(doc.get("event")).isEqualTo(a.event());
        assertThat(doc.has("ttl")).isFalse();
    }

    @Test
    void updateWritesTheChangeAndReturnsTheNewEtag() {
        StoredAlert stored = store.createIfAbsent(alert("ev-upd", "Fired"));

        StoredAlert updated = store.update(tenant, "ev-upd", d -> d.delivered(1, T0.plusSeconds(9)));

        assertThat(updated.etag()).isNotBlank().isNotEqualTo(stored.etag());
        assertThat(updated.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(store.find(tenant, "ev-upd")).contains(updated);
        assertThat(rawDocument("ev-upd").get("status").asText()).isEqualTo("delivered");
        assertThat(rawDocument("ev-upd").get("deliveredAt").asText()).isEqualTo(T0.plusSeconds(9).toString());
    }

    @Test
    void aNoOpChangeWritesNothing() {
        StoredAlert stored = store.createIfAbsent(alert("ev-noop", "Fired"));
        long tsBefore = rawDocument("ev-noop").get("_ts").asLong();

        StoredAlert result = store.update(tenant, "ev-noop", d -> d);

        assertThat(result).isEqualTo(stored);
        assertThat(result.etag()).isEqualTo(stored.etag());
        assertThat(store.find(tenant, "ev-noop").orElseThrow().etag()).isEqualTo(stored.etag());
        assertThat(rawDocument("ev-noop").get("_ts").asLong()).isEqualTo(tsBefore);
    }

    @Test
    void aWriteBetweenReadAndReplaceMakesTheChangeReapplyToTheFreshDocument() {
        store.createIfAbsent(alert("ev-race", "Fired"));
        AtomicInteger calls = new AtomicInteger();

        StoredAlert result = store.update(tenant, "ev-race", d -> {
            if (calls.incrementAndGet() == 1) {
                // Another dequeuer writes behind our back, after our read and before our replace.
                store.update(tenant, "ev-race", other -> other.failed(DeliveryStatus.RECEIVED, 2,
                        new StoredAlert.LastError(503, "platform busy"), T0.plusSeconds(3)));
            }
            return d.delivered(1, T0.plusSeconds(10));
        });

        assertThat(calls).hasValue(2);
        StoredAlert now = store.find(tenant, "ev-race").orElseThrow();
        assertThat(now).isEqualTo(result);
        assertThat(now.status()).isEqualTo(DeliveryStatus.DELIVERED);     // our change
        assertThat(now.attempts()).isEqualTo(3);                          // theirs 2 + ours 1
        assertThat(now.lastError()).isEqualTo(new StoredAlert.LastError(503, "platform busy")); // theirs survived
        assertThat(now.deliveredAt()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void updateOfAMissingDocumentSaysSo() {
        assertThatThrownBy(() -> store.update(tenant, "never-stored", d -> d.delivered(1, T0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("never-stored");
    }

    @Test
    void instanceStateIsEmptyUntilResolvedThenHoldsTheTime() {
        String key = "/subscriptions/s1/resourceGroups/rg/providers/microsoft.insights/metricAlerts/cpu?#\\x";
        assertThat(store.instanceResolvedAt(tenant, key)).isEmpty();

        store.markInstanceResolved(tenant, key, "ev-resolved", T0.plusSeconds(42));

        assertThat(store.instanceResolvedAt(tenant, key)).contains(T0.plusSeconds(42));
        assertThat(store.instanceResolvedAt(tenant, key + "-other")).isEmpty();
        assertThat(store.instanceResolvedAt("other-tenant", key)).isEmpty();
        JsonNode doc = rawDocument(AlertDocuments.instanceId(key));
        assertThat(doc.get("docType").asText()).isEqualTo("instance");
        assertThat(doc.get("alertKey").asText()).isEqualTo(key);
        assertThat(doc.get("resolvedEventId").asText()).isEqualTo("ev-resolved");
        assertThat(AlertDocuments.instanceId(key)).matches("instance\\.[0-9a-f]{64}");
    }

    @Test
    void aClaimCheckedPayloadOver256KiBRoundTripsByteForByte() {
        byte[] payload = new byte[300 * 1024 + 17];
        new Random(7).nextBytes(payload);

        store.putPayload(tenant, "ev-big", payload);
        store.putPayload(tenant, "ev-big", payload); // idempotent

        assertThat(store.getPayload(tenant, "ev-big")).hasValueSatisfying(p -> assertThat(p).isEqualTo(payload));
        JsonNode doc = rawDocument("payload.ev-big");
        assertThat(doc.get("docType").asText()).isEqualTo("payload");
        assertThat(doc.get("size").asInt()).isEqualTo(payload.length);
        assertThat(store.find(tenant, "payload.ev-big")).as("a payload is not an alert").isEmpty();
    }

    @Test
    void withStoreTtlDaysEveryDocumentCarriesTtlInSeconds() {
        Settings settings = Settings.from(Map.of(
                Settings.COSMOS_ENDPOINT, emulator.endpoint().toString(),
                Settings.COSMOS_KEY, CosmosEmulator.KEY.reveal(),
                Settings.COSMOS_DATABASE, DATABASE,
                Settings.COSMOS_CONTAINER, CONTAINER,
                Settings.STORE_TTL_DAYS, "30"));
        try (CosmosAlertStore withTtl = CosmosAlertStore.builder().settings(settings).endpointDiscovery(false).build()) {
            StoredAlert created = withTtl.createIfAbsent(alert("ev-ttl", "Fired"));
            withTtl.update(tenant, "ev-ttl", d -> d.delivered(1, T0.plusSeconds(1)));
            withTtl.markInstanceResolved(tenant, "rule/instance-1", "ev-ttl", T0);
            withTtl.putPayload(tenant, "ev-ttl", new byte[] {1, 2, 3});

            assertThat(created.etag()).isNotBlank();
            assertThat(rawDocument("ev-ttl").get("ttl").asInt()).isEqualTo(30 * 86_400);
            assertThat(rawDocument(AlertDocuments.instanceId("rule/instance-1")).get("ttl").asInt()).isEqualTo(30 * 86_400);
            assertThat(rawDocument("payload.ev-ttl").get("ttl").asInt()).isEqualTo(30 * 86_400);
        }
    }

    @Test
    void withoutStoreTtlDaysNoDocumentHasATtlField() {
        store.createIfAbsent(alert("ev-nottl", "Fired"));
        store.update(tenant, "ev-nottl", d -> d.delivered(1, T0.plusSeconds(1)));
        store.markInstanceResolved(tenant, "rule/instance-2", "ev-nottl", T0);
        store.putPayload(tenant, "ev-nottl", new byte[] {1});

        assertThat(rawDocument("ev-nottl").has("ttl")).isFalse();
        assertThat(rawDocument(AlertDocuments.instanceId("rule/instance-2")).has("ttl")).isFalse();
        assertThat(rawDocument("payload.ev-nottl").has("ttl")).isFalse();
    }

    @Test
    void healthIsOkWhenTheContainerIsThere() {
        assertThat(store.health()).isEqualTo("ok");
    }

    @Test
    void aMissingContainerIsAClearErrorNotAnEmptyResult() {
        try (CosmosAlertStore wrong = CosmosAlertStore.builder().client(emulator.client())
                .database(DATABASE).container("no-such-container").build()) {
            assertThat(wrong.health()).startsWith("missing");
            assertThatThrownBy(() -> wrong.createIfAbsent(alert("ev-x", "Fired")))
                    .isInstanceOf(CosmosStoreException.class)
                    .hasMessageContaining("no-such-container")
                    .hasMessageContaining("does not exist");
            assertThatThrownBy(() -> wrong.find(tenant, "ev-x"))
                    .isInstanceOf(CosmosStoreException.class)
                    .hasMessageContaining("does not exist");
        }
    }

    @Test
    void anUnreachableEndpointIsStoreUnavailableWithinABoundedTimeAndNoMessageHoldsTheKey() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (CosmosAlertStore unreachable = CosmosAlertStore.builder()
                .endpoint(URI.create("https://localhost:" + closedPort + "/"))
                .key(CosmosEmulator.KEY)
                .endpointDiscovery(false)
                .operationTimeout(Duration.ofSeconds(2))
                .build()) {
            long t0 = System.nanoTime();
            Throwable thrown = catchThrowable(() -> unreachable.find(tenant, "ev-1"));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            assertThat(thrown).isInstanceOf(StoreUnavailableException.class);
            assertThat(took).isLessThan(Duration.ofSeconds(30));
            assertThat(unreachable.health()).startsWith("unreachable (");
            assertNoKeyIn(thrown);
            assertThat(unreachable.toString()).doesNotContain(CosmosEmulator.KEY.reveal());
            System.err.println("unreachable endpoint: " + thrown + " after " + took.toMillis() + " ms");
        }
    }

    @Test
    void aPeerThatNeverAnswersIsStoreUnavailableWithinTheConnectTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) { // accepts TCP (backlog) but never speaks TLS
            try (CosmosAlertStore store = CosmosAlertStore.builder()
                    .endpoint(URI.create("https://localhost:" + silent.getLocalPort() + "/"))
                    .key(CosmosEmulator.KEY)
                    .endpointDiscovery(false)
                    .connectTimeout(Duration.ofSeconds(2))
                    .operationTimeout(Duration.ofSeconds(2))
                    .build()) {
                long t0 = System.nanoTime();
                Throwable first = catchThrowable(() -> store.putPayload(tenant, "ev-1", new byte[] {1}));
                Throwable second = catchThrowable(() -> store.find(tenant, "ev-1"));
                Duration took = Duration.ofNanos(System.nanoTime() - t0);

                assertThat(first).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("no answer");
                assertThat(second).isInstanceOf(StoreUnavailableException.class);
                assertThat(took).isLessThan(Duration.ofSeconds(8)); // the SDK alone would take over 30 s
                assertNoKeyIn(first);
            }
        }
    }

    private static void assertNoKeyIn(Throwable thrown) {
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(CosmosEmulator.KEY.reveal());
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(CosmosEmulator.KEY.reveal());
            assertThat(t.toString()).doesNotContain(CosmosEmulator.KEY.reveal());
        }
    }

    private StoredAlert alert(String id, String condition) {
        ObjectNode event = JSON.createObjectNode();
        event.put("specversion", "1.0").put("id", id).put("type", "io.alertrelay.alert.fired").put("tenant", tenant);
        event.putObject("data").put("severity", "Sev3").putArray("targetResourceIds").add("/subscriptions/s1");
        return new StoredAlert(id, tenant, "io.alertrelay.alert.fired", "rule/instance-1", condition,
                DeliveryStatus.RECEIVED, 0, T0, T0, null, null, event, null);
    }

    private JsonNode rawDocument(String id) {
        return raw.readItem(id, new PartitionKey(tenant), ObjectNode.class).block(Duration.ofSeconds(10)).getItem();
    }
}
