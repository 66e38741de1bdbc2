package io.alertrelay.local.runtime;

import static io.alertrelay.local.runtime.RuntimeHarness.post;
import static io.alertrelay.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.local.LocalRuntime;
import io.alertrelay.local.RuntimeOptions;
import io.alertrelay.local.platform.SamplePlatformReceiver;
import io.alertrelay.local.store.StoreStatistics;
import io.alertrelay.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full topic, as Service Bus refuses sends to it ("Subsequent incoming messages are rejected",
 * https://learn.microsoft.com/azure/service-bus-messaging/service-bus-quotas): the webhook answers 503 with
 * Retry-After, so Azure Monitor retries, and logs the row the pipeline-failures alert rule counts
 * (infra/alerts/pipeline-failures.kql: the webhook's stage retried); what was accepted before is not lost.
 */
class LocalRuntimeFullTopicTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT = "contoso";

    @TempDir
    Path dir;

    @Test
    void aFullTopicMakesTheWebhookAnswer503WithRetryAfterAndKeepsWhatItAccepted() throws Exception {
        try (LocalRuntime runtime = withOneByteTopic()) {
            SamplePlatformReceiver receiver = runtime.receiver().orElseThrow();
            String accepted = acceptedDuringAnOutage(runtime);

            HttpResponse<String> refused = post(runtime, TENANT, Fixtures.bytes("test-log-v2.json"));

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(runtime.bus().orElseThrow().topicSizeInBytes("alerts")).isPositive();
            JsonNode queue = JSON.readTree(RuntimeHarness.get(runtime.baseUri().resolve("/status.json")).body())
                    .path("queue");
            assertThat(queue.path("sizeBytes").asLong()).as("the status page shows the topic full").isPositive();
            assertThat(queue.path("maxSizeBytes").asLong()).isEqualTo(1);
            JsonNode health = JSON.readTree(RuntimeHarness.get(runtime.baseUri().resolve("/api/health")).body());
            assertThat(health.path("status").asText()).as(health.toString()).isEqualTo("degraded");
            assertThat(health.path("dependencies").path("serviceBus").asText()).startsWith("full (");
            assertThat(webhookRows(dir.resolve("data").resolve("logs").resolve("alertrelay.jsonl")))
                    .anySatisfy(row -> {
                        assertThat(row.path("Stage").asText()).isEqualTo("retried");
                        assertThat(row.path("Properties").path("httpStatus").asInt()).isEqualTo(503);
                        assertThat(row.path("Properties").path("errorMessage").asText())
                                .contains("maximum entity size");
                    });

            receiver.outage(false);
            StoredAlert kept = await("the accepted alert to reach an outcome", Duration.ofSeconds(60),
                    () -> runtime.store().documents().find(TENANT, accepted).orElse(null),
                    doc -> doc != null && (doc.status().isFinal() || doc.status() == DeliveryStatus.DEADLETTERED));
            assertThat(kept.status()).isIn(DeliveryStatus.DELIVERED, DeliveryStatus.DEADLETTERED);
            assertThat(((StoreStatistics) runtime.store()).countsByStatus().values().stream()
                    .mapToLong(Long::longValue).sum()).as("no document of the refused alert").isEqualTo(1);
        }
    }

    /**
     * A topic filled by dead-lettered messages (the platform down for long): replaying them must still be possible,
     * or the operator could neither replay nor let the webhook accept again. Replay takes a dead-lettered event's
     * message out of the dead-letter queue before it publishes the event again from its document.
     */
    @Test
    void aTopicFullOfDeadLettersIsReplayedAndTheWebhookAcceptsAgain() throws Exception {
        try (LocalRuntime runtime = withOneByteTopic()) {
            SamplePlatformReceiver receiver = runtime.receiver().orElseThrow();
            String lost = acceptedDuringAnOutage(runtime);
            await("the alert to be dead-lettered", Duration.ofSeconds(60),
                    () -> runtime.store().documents().find(TENANT, lost).map(StoredAlert::status).orElse(null),
                    status -> status == DeliveryStatus.DEADLETTERED);
            assertThat(post(runtime, TENANT, Fixtures.bytes("test-log-v2.json")).statusCode())
                    .as("the dead letter fills the topic").isEqualTo(503);
            receiver.outage(false);

            HttpResponse<String> replay = RuntimeHarness.post(runtime.baseUri().resolve("/api/admin/replay"),
                    "{\"status\":\"deadlettered\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    "application/json");

            assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
            await("the replayed alert to be delivered", Duration.ofSeconds(60),
                    () -> receiver.delivery(lost).isPresent(), delivered -> delivered);
            await("its message to be completed", Duration.ofSeconds(30),
                    () -> runtime.bus().orElseThrow().topicSizeInBytes("alerts"), size -> size == 0);
            assertThat(runtime.bus().orElseThrow().deadLetterMessageCount("alerts", "platform-delivery")).isZero();
            assertThat(post(runtime, TENANT, Fixtures.bytes("test-log-v2.json")).statusCode()).isEqualTo(202);
            JsonNode health = JSON.readTree(RuntimeHarness.get(runtime.baseUri().resolve("/api/health")).body());
            assertThat(health.path("dependencies").path("serviceBus").asText()).as("accepting again").isEqualTo("ok");
        }
    }

    /** A runtime whose topic is full with its first message: it stays there while the platform is down. */
    private LocalRuntime withOneByteTopic() {
        return LocalRuntime.start(RuntimeHarness.options(RuntimeHarness.project(dir), dir.resolve("data"))
                .busMaxTopicBytes(1).build());
    }

    /** Switches the sample platform into an outage and posts one alert; its event id once answered 202. */
    private static String acceptedDuringAnOutage(LocalRuntime runtime) throws IOException {
        runtime.receiver().orElseThrow().outage(true);
        HttpResponse<String> first = post(runtime, TENANT, Fixtures.bytes("test-metric-static.json"));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        return JSON.readTree(first.body()).path("id").asText();
    }

    /** The template's topicMaxSizeInMegabytes, unless a quarter of the heap is less: the messages live in memory. */
    @Test
    void theLocalTopicHasTheTemplatesSizeUnlessAQuarterOfTheHeapIsLess() throws IOException {
        long templateMegabytes = JSON.readTree(RuntimeHarness.root().resolve("infra/azuredeploy.json").toFile())
                .at("/parameters/topicMaxSizeInMegabytes/defaultValue").asLong();
        assertThat(templateMegabytes).isEqualTo(5120);

        assertThat(RuntimeOptions.defaultTopicBytes(64L << 30)).isEqualTo(templateMegabytes << 20);
        assertThat(RuntimeOptions.defaultTopicBytes(2L << 30)).isEqualTo(512L << 20);
    }

    /** The webhook's rows of the JSON lines log, once it has written the 503's. */
    private static List<JsonNode> webhookRows(Path logFile) {
        return await("the webhook's 503 row in " + logFile, Duration.ofSeconds(15), () -> {
            if (!Files.exists(logFile)) {
                return List.<JsonNode>of();
            }
            try {
                return Files.readAllLines(logFile).stream().map(LocalRuntimeFullTopicTest::json)
                        .filter(row -> row.path("Operation").asText().equals("AlertWebhook")).toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, rows -> rows.stream().anyMatch(row -> Set.of("retried").contains(row.path("Stage").asText())));
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
