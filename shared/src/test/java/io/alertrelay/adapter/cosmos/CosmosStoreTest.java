package io.alertrelay.adapter.cosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.azure.cosmos.CosmosAsyncContainer;
import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.FiredLease;
import io.alertrelay.domain.Json;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.port.PermanentStoreException;
import io.alertrelay.port.TransientStoreException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What only the Cosmos DB adapter does, against @vercel/cosmosdb-server over a real socket (DESIGN §7, §11): the
 * documents' shapes, TTL, and how failures map to the port's kinds. The capabilities' contract is
 * {@link CosmosStoreContractTest}.
 */
class CosmosStoreTest {

    private static final String DATABASE = "alertrelay";
    private static final String CONTAINER = "alerts";
    private static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123456789Z");

    private static CosmosEmulator emulator;
    private static CosmosAsyncContainer raw;
    private static CosmosStore store;

    private final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);

    /** Per test, not @BeforeAll: without Node each test is then reported as skipped, not silently absent. */
    @BeforeEach
    void startEmulator() {
        if (store == null) {
            emulator = CosmosEmulator.get();
            raw = emulator.createContainer(DATABASE, CONTAINER);
            store = CosmosStore.builder().client(emulator.client()).database(DATABASE).container(CONTAINER).build();
        }
    }

    @AfterAll
    static void closeStore() {
        if (store != null) {
            store.close(); // the shared client is not the store's: it stays open
        }
    }

    @Test
    void theEventDocumentHasTheShapeOfDesignSection7() {
        StoredAlert a = alert("ev-shape")
                .failed(DeliveryStatus.RECEIVED, 2, new StoredAlert.LastError(503, "platform busy"), T0.plusSeconds(5));
        store.documents().createIfAbsent(a);

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
        assertThat(doc.get("lastError")).isEqualTo(Json.readTree("{\"status\":503,\"message\":\"platform busy\"}"));
        assertThat(doc.has("endedLeases")).as("no empty array on a document whose leases never ended").isFalse();
        assertThat(doc.has("ttl")).isFalse();
    }

    @Test
    void theEndedLeasesAreAnArrayOfHoldersAndADocumentWithoutTheFieldReadsWithNone() {
        store.documents().createIfAbsent(alert("ev-ended").withLeaseEnded("holder-1", T0.plusSeconds(1)));
        assertThat(rawDocument("ev-ended").get("endedLeases")).isEqualTo(Json.readTree("[\"holder-1\"]"));

        store.documents().createIfAbsent(alert("ev-older"));
        ObjectNode older = (ObjectNode) rawDocument("ev-older");
        older.remove(java.util.List.of("_rid", "_self", "_etag", "_attachments", "_ts"));
        raw.upsertItem(older, new PartitionKey(tenant), new CosmosItemRequestOptions()).block(Duration.ofSeconds(10));

        assertThat(rawDocument("ev-older").has("endedLeases")).isFalse();
        assertThat(store.documents().find(tenant, "ev-older").orElseThrow().endedLeases()).isEmpty();
    }

    /** Nothing releases a lease: the next lease taken on the instance drops the expired ones, so they do not pile up. */
    @Test
    void anExpiredLeaseIsDroppedByTheNextLeaseTakenOnItsInstance() {
        FiredLease expired = new FiredLease("ev-1", "holder-1", T0, Instant.now().minusSeconds(1));
        FiredLease held = new FiredLease("ev-2", "holder-2", T0, Instant.now().plusSeconds(600));
        FiredLease next = new FiredLease("ev-3", "holder-3", T0, Instant.now().plusSeconds(600));
        store.instances().leaseFired(tenant, "rule/expiring", expired);
        store.instances().leaseFired(tenant, "rule/expiring", held);
        store.instances().leaseFired(tenant, "rule/expiring", next);

        assertThat(store.instances().firedLeases(tenant, "rule/expiring")).containsExactly(held, next);
        assertThat(rawDocument(AlertDocuments.instanceId("rule/expiring")).get("firedLeases")).hasSize(2);
    }

    @Test
    void aNoOpChangeDoesNotTouchTheDocument() {
        store.documents().createIfAbsent(alert("ev-noop"));
        long tsBefore = rawDocument("ev-noop").get("_ts").asLong();

        store.documents().update(tenant, "ev-noop", d -> d);

        assertThat(rawDocument("ev-noop").get("_ts").asLong()).isEqualTo(tsBefore);
    }

    @Test
    void anInstanceDocumentIsKeyedByAHashOfAnyAlertKey() {
        String key = "/subscriptions/s1/resourceGroups/rg/providers/microsoft.insights/metricAlerts/cpu?#\\x";

        store.instances().markResolved(tenant, key, "ev-resolved", T0.plusSeconds(42));

        assertThat(store.instances().resolvedAt(tenant, key)).contains(T0.plusSeconds(42));
        JsonNode doc = rawDocument(AlertDocuments.instanceId(key));
        assertThat(doc.get("docType").asText()).isEqualTo("instance");
        assertThat(doc.get("alertKey").asText()).isEqualTo(key);
        assertThat(doc.get("resolvedEventId").asText()).isEqualTo("ev-resolved");
        assertThat(AlertDocuments.instanceId(key)).matches("instance\\.[0-9a-f]{64}");
    }

    @Test
    void aPayloadDocumentIsNotAnEventDocument() {
        store.payloads().put(tenant, "ev-big", new byte[] {1, 2, 3});

        JsonNode doc = rawDocument("payload.ev-big");
        assertThat(doc.get("docType").asText()).isEqualTo("payload");
        assertThat(doc.get("size").asInt()).isEqualTo(3);
        assertThat(store.documents().find(tenant, "payload.ev-big")).isEmpty();
    }

    @Test
    void withATtlEveryDocumentCarriesTtlInSeconds() {
        try (CosmosStore withTtl = CosmosStore.builder().client(emulator.client()).database(DATABASE)
                .container(CONTAINER).ttlDays(30).build()) {
            withTtl.documents().createIfAbsent(alert("ev-ttl"));
            withTtl.documents().update(tenant, "ev-ttl", d -> d.delivered(1, T0.plusSeconds(1)));
            withTtl.instances().markResolved(tenant, "rule/instance-1", "ev-ttl", T0);
            withTtl.payloads().put(tenant, "ev-ttl", new byte[] {1, 2, 3});

            assertThat(rawDocument("ev-ttl").get("ttl").asInt()).isEqualTo(30 * 86_400);
            assertThat(rawDocument(AlertDocuments.instanceId("rule/instance-1")).get("ttl").asInt())
                    .isEqualTo(30 * 86_400);
            assertThat(rawDocument("payload.ev-ttl").get("ttl").asInt()).isEqualTo(30 * 86_400);
        }
    }

    @Test
    void withoutATtlNoDocumentHasATtlField() {
        store.documents().createIfAbsent(alert("ev-nottl"));
        store.instances().markResolved(tenant, "rule/instance-2", "ev-nottl", T0);
        store.payloads().put(tenant, "ev-nottl", new byte[] {1});

        assertThat(rawDocument("ev-nottl").has("ttl")).isFalse();
        assertThat(rawDocument(AlertDocuments.instanceId("rule/instance-2")).has("ttl")).isFalse();
        assertThat(rawDocument("payload.ev-nottl").has("ttl")).isFalse();
    }

    @Test
    void aMissingContainerIsAPermanentFailureNamingItNotAnEmptyResult() {
        try (CosmosStore wrong = CosmosStore.builder().client(emulator.client())
                .database(DATABASE).container("no-such-container").build()) {
            assertThat(wrong.health()).startsWith("missing");
            assertThatThrownBy(() -> wrong.documents().createIfAbsent(alert("ev-x")))
                    .isInstanceOf(PermanentStoreException.class)
                    .hasMessageContaining("no-such-container")
                    .hasMessageContaining("does not exist");
            assertThatThrownBy(() -> wrong.documents().find(tenant, "ev-x"))
                    .isInstanceOf(PermanentStoreException.class)
                    .hasMessageContaining("does not exist");
        }
    }

    @Test
    void anUnreachableEndpointIsTransientWithinABoundedTimeAndNoMessageHoldsTheKey() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (CosmosStore unreachable = CosmosStore.builder()
                .endpoint(URI.create("https://localhost:" + closedPort + "/"))
                .key(CosmosEmulator.KEY)
                .endpointDiscovery(false)
                .operationTimeout(Duration.ofSeconds(2))
                .build()) {
            long t0 = System.nanoTime();
            Throwable thrown = catchThrowable(() -> unreachable.documents().find(tenant, "ev-1"));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            assertThat(thrown).isInstanceOf(TransientStoreException.class);
            assertThat(took).isLessThan(Duration.ofSeconds(30));
            assertThat(unreachable.health()).startsWith("unreachable (");
            assertNoKeyIn(thrown);
            assertThat(unreachable.toString()).doesNotContain(CosmosEmulator.KEY.reveal());
        }
    }

    @Test
    void aPeerThatNeverAnswersIsTransientWithinTheConnectTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) { // accepts TCP (backlog) but never speaks TLS
            try (CosmosStore silentStore = CosmosStore.builder()
                    .endpoint(URI.create("https://localhost:" + silent.getLocalPort() + "/"))
                    .key(CosmosEmulator.KEY)
                    .endpointDiscovery(false)
                    .connectTimeout(Duration.ofSeconds(2))
                    .operationTimeout(Duration.ofSeconds(2))
                    .build()) {
                long t0 = System.nanoTime();
                Throwable first = catchThrowable(() -> silentStore.payloads().put(tenant, "ev-1", new byte[] {1}));
                Throwable second = catchThrowable(() -> silentStore.documents().find(tenant, "ev-1"));
                Duration took = Duration.ofNanos(System.nanoTime() - t0);

                assertThat(first).isInstanceOf(TransientStoreException.class).hasMessageContaining("did not answer");
                assertThat(second).isInstanceOf(TransientStoreException.class);
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
        }
    }

    private StoredAlert alert(String id) {
        JsonNode event = Json.readTree("{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"tenant\":\"" + tenant + "\"}");
        return new StoredAlert(id, tenant, "io.alertrelay.alert.fired", "rule/instance-1", "Fired",
                DeliveryStatus.RECEIVED, 0, T0, T0, null, null, event, null);
    }

    private JsonNode rawDocument(String id) {
        return raw.readItem(id, new PartitionKey(tenant), ObjectNode.class).block(Duration.ofSeconds(10)).getItem();
    }
}
