package io.alertrelay.local.runtime;

import static io.alertrelay.testing.Eventually.await;
import static io.alertrelay.local.runtime.RuntimeHarness.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.local.LocalRuntime;
import io.alertrelay.local.platform.Delivery;
import io.alertrelay.local.platform.SamplePlatformReceiver;
import io.alertrelay.local.store.StoreStatistics;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.testing.Fixtures;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runtime as a newcomer runs it, in-process on free ports: the webhook over HTTP, the Service Bus
 * emulator, the trigger driver, the H2 store and the sample receiver that verifies every signature (DESIGN §10).
 */
class LocalRuntimeEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String INVALID_FIXTURE = "legacy-activitylog-common-skeleton.json";
    private static final String TENANT = "contoso";

    @TempDir
    Path dir;
    private LocalRuntime runtime;

    @BeforeEach
    void start() {
        runtime = LocalRuntime.start(RuntimeHarness.options(RuntimeHarness.project(dir), dir.resolve("data")).build());
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    @Test
    void everyPublishedFixtureReachesTheReceiverOnceSignedWithItsTypeAndIsStoredDelivered() throws Exception {
        Map<String, String> typeById = new LinkedHashMap<>();
        for (Path fixture : fixtures()) {
            HttpResponse<String> r = post(runtime, TENANT, Files.readAllBytes(fixture));
            if (fixture.getFileName().toString().equals(INVALID_FIXTURE)) {
                assertThat(r.statusCode()).as(fixture.getFileName().toString()).isEqualTo(400);
                continue;
            }
            assertThat(r.statusCode()).as(fixture.getFileName() + ": " + r.body()).isEqualTo(202);
            JsonNode answer = JSON.readTree(r.body());
            typeById.put(answer.path("id").asText(), answer.path("type").asText());
        }
        assertThat(typeById).hasSizeGreaterThanOrEqualTo(19);

        SamplePlatformReceiver receiver = runtime.receiver().orElseThrow();
        for (Map.Entry<String, String> event : typeById.entrySet()) {
            StoredAlert doc = awaitStatus(event.getKey(), DeliveryStatus.DELIVERED);
            assertThat(doc.attempts()).isEqualTo(1);
            Delivery delivery = receiver.delivery(event.getKey()).orElseThrow();
            assertThat(delivery.type()).isEqualTo(event.getValue());
            assertThat(delivery.tenant()).isEqualTo(TENANT);
            assertThat(receiver.acceptedRequests(event.getKey())).as("signed requests for " + event.getKey()).isEqualTo(1);
        }
        assertThat(receiver.deliveryCount()).isEqualTo(typeById.size());
        assertThat(receiver.stats().badSignatures()).isZero();
        assertThat(receiver.stats().requests()).isEqualTo(typeById.size());
    }

    @Test
    void invalidInputsGetTheir4xxAndLeaveNoMessageNoDocumentAndNoDelivery() throws Exception {
        byte[] valid = Fixtures.bytes("test-metric-static.json");
        URI base = runtime.baseUri();
        String token = runtime.tokenFor(TENANT);

        assertThat(post(base.resolve("/api/alerts/" + TENANT + "?token=wrong"), valid, "application/json").statusCode())
                .isEqualTo(401);
        assertThat(post(base.resolve("/api/alerts/" + TENANT), valid, "application/json").statusCode()).isEqualTo(401);
        assertThat(post(base.resolve("/api/alerts/Not_A_Tenant?token=" + token), valid, "application/json")
                .statusCode()).isEqualTo(400);
        assertThat(post(runtime.webhookUri(TENANT), valid, "text/plain").statusCode()).isEqualTo(415);
        assertThat(post(runtime, TENANT, Fixtures.bytes(INVALID_FIXTURE)).statusCode()).isEqualTo(400);
        assertThat(post(runtime, TENANT, "[1, 2]".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
        assertThat(post(runtime, TENANT, new byte[0]).statusCode()).isEqualTo(400);
        assertThat(post(runtime, TENANT, oversized()).statusCode()).isEqualTo(413);

        // A valid alert sent after them: once it is delivered, anything the invalid ones had set off would be too.
        String sentinel = JSON.readTree(post(runtime, TENANT, valid).body()).path("id").asText();
        awaitStatus(sentinel, DeliveryStatus.DELIVERED);

        StoreStatistics store = (StoreStatistics) runtime.store();
        assertThat(store.countsByStatus()).containsExactly(Map.entry("delivered", 1L));
        assertThat(store.recentlyUpdated(10)).extracting(StoredAlert::id).containsExactly(sentinel);
        assertThat(runtime.receiver().orElseThrow().deliveries()).extracting(Delivery::id).containsExactly(sentinel);
        assertThat(runtime.receiver().orElseThrow().stats().requests()).isEqualTo(1);
        await("the sentinel's message to be completed", WAIT,
                () -> runtime.bus().orElseThrow().activeMessageCount("alerts", "platform-delivery"), n -> n == 0);
        assertThat(runtime.bus().orElseThrow().deadLetterMessageCount("alerts", "platform-delivery")).isZero();
    }

    @Test
    void aPlatformOutageLongerThanTheRetriesEndsInTheDeadLetterQueueWithTheDocumentDeadlettered() throws Exception {
        SamplePlatformReceiver receiver = runtime.receiver().orElseThrow();
        receiver.outage(true);

        String id = JSON.readTree(post(runtime, TENANT, Fixtures.bytes("test-metric-static.json")).body())
                .path("id").asText();

        await("the message to be dead-lettered", WAIT,
                () -> runtime.bus().orElseThrow().deadLetterMessageCount("alerts", "platform-delivery"), n -> n == 1);
        StoredAlert doc = runtime.store().documents().find(TENANT, id).orElseThrow();
        assertThat(doc.status()).isEqualTo(DeliveryStatus.DEADLETTERED);
        assertThat(doc.attempts()).isEqualTo(RuntimeHarness.MAX_DELIVERY_COUNT * RuntimeHarness.PLATFORM_ATTEMPTS);
        assertThat(doc.lastError().status()).isEqualTo(503);
        assertThat(runtime.bus().orElseThrow().activeMessageCount("alerts", "platform-delivery")).isZero();
        assertThat(receiver.deliveryCount()).isZero();
    }

    @Test
    void theHealthEndpointAndTheStatusJsonDescribeTheRunningPipeline() throws Exception {
        String id = JSON.readTree(post(runtime, TENANT, Fixtures.bytes("test-log-v2.json")).body()).path("id").asText();
        awaitStatus(id, DeliveryStatus.DELIVERED);

        JsonNode health = JSON.readTree(RuntimeHarness.get(runtime.baseUri().resolve("/api/health")).body());
        assertThat(health.path("dependencies").path("serviceBus").asText()).isEqualTo("ok");
        assertThat(health.path("dependencies").path("store").asText()).isEqualTo("ok");

        JsonNode status = await("the status to show the delivery", WAIT,
                () -> json(RuntimeHarness.get(runtime.baseUri().resolve("/status.json")).body()),
                s -> s.path("events").size() == 1 && s.path("events").get(0).path("status").asText().equals("delivered"));
        JsonNode event = status.path("events").get(0);
        assertThat(event.path("id").asText()).isEqualTo(id);
        assertThat(event.path("tenant").asText()).isEqualTo(TENANT);
        assertThat(event.path("type").asText()).isEqualTo("io.alertrelay.alert.fired");
        assertThat(event.path("latencyMs").asLong()).isNotNegative();
        assertThat(status.path("stages").path("AlertWebhook").path("published").asInt()).isEqualTo(1);
        assertThat(status.path("stages").path("AlertDequeuer").path("delivered").asInt()).isEqualTo(1);
        assertThat(status.path("store").path("delivered").asInt()).isEqualTo(1);
        assertThat(status.path("receiver").path("deliveries").asInt()).isEqualTo(1);
        assertThat(status.path("process").path("cpuSeconds").asDouble()).isPositive();
        assertThat(status.path("process").path("processors").asInt()).isPositive();
        assertThat(status.path("process").path("tieredStopAtLevel").asInt())
                .as("the test JVM compiles as Azure's Java worker's does (the pom's argLine)").isEqualTo(1);
        assertThat(status.path("http").path("maxConcurrentRequests").asInt()).as("host.json").isEqualTo(16);
        assertThat(status.path("http").path("maxOutstandingRequests").asInt()).as("unbounded").isEqualTo(-1);
        assertThat(status.path("http").path("held").asInt()).as("this request: the status page is not throttled")
                .isZero();
    }

    @Test
    void theReceiversArrivalsAreListedByTimeAndByPositionAndABadNumberIsA400() throws Exception {
        long before = System.currentTimeMillis() - 1;
        String id = JSON.readTree(post(runtime, TENANT, Fixtures.bytes("test-metric-static.json")).body())
                .path("id").asText();
        awaitStatus(id, DeliveryStatus.DELIVERED);
        URI deliveries = runtime.baseUri().resolve("/status/deliveries.json");

        JsonNode sinceBefore = json(RuntimeHarness.get(URI.create(deliveries + "?since=" + before)).body());
        JsonNode afterIt = json(RuntimeHarness.get(URI.create(deliveries + "?after=" + sinceBefore.path("next").asInt()))
                .body());

        assertThat(sinceBefore.path("deliveries").findValuesAsText("id")).containsExactly(id);
        assertThat(sinceBefore.path("next").asInt()).isEqualTo(1);
        assertThat(json(RuntimeHarness.get(URI.create(deliveries + "?after=0")).body()).path("deliveries")
                .findValuesAsText("id")).containsExactly(id);
        assertThat(afterIt.path("deliveries")).isEmpty();
        assertThat(afterIt.path("next").asInt()).isEqualTo(1);
        assertThat(RuntimeHarness.get(URI.create(deliveries + "?since=yesterday")).statusCode()).isEqualTo(400);
        assertThat(RuntimeHarness.get(URI.create(deliveries + "?after=1.5")).statusCode()).isEqualTo(400);
    }

    @Test
    void theNoopRouteAnswers202WithoutTouchingThePipeline() {
        HttpResponse<String> r = post(runtime.baseUri().resolve("/api/noop"), Fixtures.bytes("test-metric-static.json"),
                "application/json");

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(runtime.bus().orElseThrow().activeMessageCount("alerts", "platform-delivery")).isZero();
        assertThat(((StoreStatistics) runtime.store()).countsByStatus()).isEmpty();
    }

    @Test
    void everyLogEntryIsAJsonLineInTheTableSchemaInTheDataDirectory() throws Exception {
        String id = JSON.readTree(post(runtime, TENANT, Fixtures.bytes("test-metric-static.json")).body())
                .path("id").asText();
        awaitStatus(id, DeliveryStatus.DELIVERED);
        runtime.close(); // flushes the log

        List<String> lines = Files.readAllLines(dir.resolve("data").resolve("logs").resolve("alertrelay.jsonl"));
        assertThat(lines).isNotEmpty();
        List<String> stages = lines.stream().map(RuntimeHarnessJson::row)
                .filter(row -> id.equals(row.path("EventId").asText())).map(row -> row.path("Stage").asText()).toList();
        assertThat(stages).contains("published", "stored", "delivered");
        for (String line : lines) {
            assertThat(RuntimeHarnessJson.row(line).fieldNames()).toIterable().containsExactly("TimeGenerated", "Level",
                    "Message", "Operation", "Stage", "EventId", "EventType", "Tenant", "InvocationId", "DurationMs",
                    "Outcome", "Properties");
        }
    }

    private StoredAlert awaitStatus(String id, DeliveryStatus status) {
        return await("event " + id + " to be " + status.value(), WAIT,
                () -> runtime.store().documents().find(TENANT, id).orElse(null), d -> d != null && d.status() == status);
    }

    private static JsonNode json(String text) {
        return RuntimeHarnessJson.row(text);
    }

    private static byte[] oversized() {
        String filler = "x".repeat(1024 * 1024 + 1);
        return ("{\"data\":\"" + filler + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static List<Path> fixtures() throws Exception {
        try (Stream<Path> files = Files.list(Fixtures.directory())) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }
}
