package io.alertrelay.local.runtime;

import static io.alertrelay.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.local.LocalRuntime;
import io.alertrelay.local.load.Notifications;
import io.alertrelay.local.platform.Delivery;
import io.alertrelay.local.platform.SamplePlatformReceiver;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.settings.Settings;
import io.alertrelay.testing.Fixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stop loses nothing that was answered 202, and the next start on the same data directory carries on. */
class LocalRuntimeStopAndRestartTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT = "contoso";
    private static final int NOTIFICATIONS = 400;
    private static final int CLIENTS = 16;

    @TempDir
    Path dir;

    @Test
    void stoppingUnderLoadLosesNoAcceptedAlertAndTheRestartDeliversEachExactlyOnce() throws Exception {
        Path project = RuntimeHarness.project(dir);
        // Two dequeuers against sixteen posters: a backlog builds up, so the stop leaves messages queued.
        Path hostJson = project.resolve("host.json");
        Files.writeString(hostJson, Files.readString(hostJson).replaceAll("\"maxConcurrentCalls\": \\d+",
                "\"maxConcurrentCalls\": 2"));
        Path data = dir.resolve("data");
        Notifications notifications = new Notifications(Notifications.bundledSample(), "restart");
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicInteger answered = new AtomicInteger();

        LocalRuntime first = LocalRuntime.start(RuntimeHarness.options(project, data).build());
        URI webhook = first.webhookUri(TENANT);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        AtomicInteger next = new AtomicInteger();
        for (int c = 0; c < CLIENTS; c++) {
            clients.execute(() -> {
                for (int i = next.getAndIncrement(); i < NOTIFICATIONS; i = next.getAndIncrement()) {
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(webhook)
                                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(notifications.get(i))).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 202) {
                            accepted.add(JSON.readTree(r.body()).path("id").asText());
                        }
                    } catch (Exception refusedOnceStopped) {
                        // the runtime is gone: Azure Monitor would retry later
                    }
                    answered.incrementAndGet();
                }
            });
        }
        await("a third of the posts to be answered", Duration.ofSeconds(30), answered::get, n -> n >= NOTIFICATIONS / 3);
        first.close(); // mid-way: posts keep coming while it stops
        clients.shutdown();
        assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        SamplePlatformReceiver firstReceiver = first.receiver().orElseThrow();
        int restored;
        assertThat(accepted).as("some were accepted before the stop").isNotEmpty();
        assertThat(accepted.size()).as("the stop came before the end").isLessThan(NOTIFICATIONS);

        try (LocalRuntime second = LocalRuntime.start(RuntimeHarness.options(project, data).build())) {
            restored = second.bus().orElseThrow().restoredMessageCount();
            assertThat(restored).as("messages queued at the stop, kept by the emulator's snapshot").isPositive();
            SamplePlatformReceiver secondReceiver = second.receiver().orElseThrow();
            for (String id : accepted) {
                StoredAlert doc = await("event " + id + " to be delivered", Duration.ofSeconds(60),
                        () -> second.store().documents().find(TENANT, id).orElse(null),
                        d -> d != null && d.status() == DeliveryStatus.DELIVERED);
                assertThat(doc.attempts()).as("delivery attempts of " + id).isEqualTo(1);
                assertThat(firstReceiver.acceptedRequests(id) + secondReceiver.acceptedRequests(id))
                        .as("signed requests for " + id + " over both runs").isEqualTo(1);
            }
            List<String> recorded = secondReceiver.deliveries().stream().map(Delivery::id).toList();
            assertThat(new HashSet<>(recorded)).containsAll(accepted).hasSize(recorded.size());
            assertThat(second.bus().orElseThrow().deadLetterMessageCount("alerts", "platform-delivery")).isZero();
        }
        System.err.printf("stop under load: %d of %d accepted before the stop, %d messages restored at restart%n",
                accepted.size(), NOTIFICATIONS, restored);
    }

    @Test
    void stopWaitsForADeliveryUnderWayThenSettlesItSoTheRestartHasNothingLeft() throws Exception {
        Path project = RuntimeHarness.project(dir);
        Path data = dir.resolve("data");
        try (MockWebServer slowPlatform = new MockWebServer()) {
            slowPlatform.enqueue(new MockResponse().setResponseCode(204).setHeadersDelay(1500, TimeUnit.MILLISECONDS));
            slowPlatform.start();
            LocalRuntime first = LocalRuntime.start(RuntimeHarness.options(project, data)
                    .setting(Settings.PLATFORM_ENDPOINT_URL, slowPlatform.url("/events").toString()).build());
            String id = JSON.readTree(RuntimeHarness.post(first, TENANT, Fixtures.bytes("test-metric-static.json"))
                    .body()).path("id").asText();
            RecordedRequest underWay = slowPlatform.takeRequest(10, TimeUnit.SECONDS);
            assertThat(underWay).as("the delivery has started").isNotNull();

            first.close();

            try (LocalRuntime second = LocalRuntime.start(RuntimeHarness.options(project, data)
                    .setting(Settings.PLATFORM_ENDPOINT_URL, slowPlatform.url("/events").toString()).build())) {
                assertThat(second.bus().orElseThrow().restoredMessageCount()).as("settled before the stop").isZero();
                assertThat(second.store().documents().find(TENANT, id).orElseThrow().status()).isEqualTo(DeliveryStatus.DELIVERED);
                assertThat(slowPlatform.getRequestCount()).isEqualTo(1);
            }
        }
    }

    @Test
    void afterARestartTheStatusPagesLatestEventsAreFilledFromTheStore() throws Exception {
        Path project = RuntimeHarness.project(dir);
        Path data = dir.resolve("data");
        String id;
        try (LocalRuntime first = LocalRuntime.start(RuntimeHarness.options(project, data).build())) {
            id = JSON.readTree(RuntimeHarness.post(first, TENANT, Fixtures.bytes("test-metric-static.json")).body())
                    .path("id").asText();
            await("the delivery", Duration.ofSeconds(30),
                    () -> first.store().documents().find(TENANT, id).map(StoredAlert::status).orElse(null),
                    s -> s == DeliveryStatus.DELIVERED);
        }
        try (LocalRuntime second = LocalRuntime.start(RuntimeHarness.options(project, data).build())) {
            com.fasterxml.jackson.databind.JsonNode events = JSON.readTree(
                    RuntimeHarness.get(second.baseUri().resolve("/status.json")).body()).path("events");

            assertThat(events).hasSize(1);
            assertThat(events.get(0).path("id").asText()).isEqualTo(id);
            assertThat(events.get(0).path("status").asText()).isEqualTo("delivered");
            assertThat(events.get(0).path("tenant").asText()).isEqualTo(TENANT);
            assertThat(events.get(0).path("latencyMs").isNull()).as("measured by the previous run").isTrue();
        }
    }

    @Test
    void messagesQueuedAtStopAreDeliveredAfterTheRestart() throws Exception {
        Path project = RuntimeHarness.project(dir);
        Path data = dir.resolve("data");
        String id;
        // Enough deliveries allowed that the failing ones before the stop do not dead-letter it.
        try (LocalRuntime first = LocalRuntime.start(RuntimeHarness.options(project, data)
                .setting(Settings.MAX_DELIVERY_COUNT, "50").build())) {
            first.receiver().orElseThrow().outage(true); // nothing gets through: the message stays queued
            id = JSON.readTree(RuntimeHarness.post(first, TENANT, Fixtures.bytes("test-log-v2.json")).body())
                    .path("id").asText();
            await("a failed delivery", Duration.ofSeconds(30),
                    () -> first.store().documents().find(TENANT, id).map(StoredAlert::attempts).orElse(0), n -> n > 0);
        }
        try (LocalRuntime second = LocalRuntime.start(RuntimeHarness.options(project, data).build())) {
            assertThat(second.bus().orElseThrow().restoredMessageCount()).isEqualTo(1);
            await("the queued alert to be delivered after the restart", Duration.ofSeconds(30),
                    () -> second.store().documents().find(TENANT, id).map(StoredAlert::status).orElse(null),
                    s -> s == DeliveryStatus.DELIVERED);
            assertThat(second.receiver().orElseThrow().delivery(id)).isPresent();
        }
    }
}
