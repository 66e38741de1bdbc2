package io.alertrelay.local.runtime;

import static io.alertrelay.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.Json;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.local.LocalRuntime;
import io.alertrelay.local.platform.SamplePlatformReceiver;
import io.alertrelay.settings.Settings;
import io.alertrelay.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's story of issue 13 through the launcher a newcomer uses: the platform goes down for longer than the
 * retries, its alerts end dead-lettered, it comes back, and {@code ./alert-relay replay} brings every one of them to
 * it exactly once — the dead-letter queue drained, the documents delivered and recording the replay. An integration
 * test: it runs the packaged module's jar through {@code ./alert-relay}, so it runs after {@code package}.
 */
class ReplayAfterOutageIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TENANT = "contoso";

    @TempDir
    Path dir;
    private LocalRuntime runtime;

    @BeforeEach
    void start() {
        // a fair share of one alert: the second and third take the bulk lane and are dead-lettered in its subscription
        runtime = LocalRuntime.start(RuntimeHarness.options(RuntimeHarness.project(dir), dir.resolve("data"))
                .setting(Settings.FAIR_SHARE_ALERTS, "1").build());
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    @Test
    void alertsDeadLetteredInAnOutageAreDeliveredOnceEachByAReplayAndLeaveTheDeadLetterQueue() throws Exception {
        SamplePlatformReceiver receiver = runtime.receiver().orElseThrow();
        assertThat(launcher("outage", "on").exitCode()).isZero();
        List<String> ids = new ArrayList<>();
        for (String fixture : List.of("test-metric-static.json", "test-log-v2.json", "test-activitylog-administrative.json")) {
            JsonNode answer = Json.readTree(RuntimeHarness.post(runtime, TENANT, Fixtures.bytes(fixture)).body());
            ids.add(answer.path("id").asText());
        }
        await("every alert to be dead-lettered", WAIT, this::deadLettered, n -> n == 3);
        assertThat(runtime.bus().orElseThrow().deadLetterMessageCount("alerts", "platform-delivery-bulk"))
                .as("dead-lettered in the bulk lane").isEqualTo(2);
        for (String id : ids) {
            assertThat(document(id).status()).isEqualTo(DeliveryStatus.DEADLETTERED);
        }
        assertThat(health().path("deadLetterQueue").asText()).isEqualTo("ok (3 messages)");
        assertThat(launcher("outage", "off").exitCode()).isZero();

        Run replay = launcher("replay", "--url", runtime.baseUri().toString(), "--status", "deadlettered");

        assertThat(replay.exitCode()).as(replay.err()).isZero();
        List<String> lines = replay.outLines();
        assertThat(lines.subList(0, lines.size() - 1)).containsExactlyInAnyOrderElementsOf(
                ids.stream().map(id -> "replayed " + id).toList());
        assertThat(lines.get(lines.size() - 1)).isEqualTo("replay: 3 events");
        for (String id : ids) {
            StoredAlert doc = await("replayed " + id + " to be delivered", WAIT, () -> document(id),
                    d -> d.status() == DeliveryStatus.DELIVERED);
            assertThat(doc.replays().count()).isEqualTo(1);
            assertThat(doc.replays().recent().get(0).outcome()).isEqualTo("delivered");
        }
        assertThat(deadLettered()).as("both lanes' dead-letter queues drained").isZero();
        Thread.sleep(1000); // a second POST of any of them would have arrived by now
        for (String id : ids) {
            assertThat(receiver.acceptedRequests(id)).as("POSTs of " + id + " the platform accepted").isEqualTo(1);
        }

        Run again = launcher("replay", "--url", runtime.baseUri().toString(), "--status", "deadlettered");
        assertThat(again.outLines()).containsExactly("replay: 0 events");
    }

    private int deadLettered() {
        return runtime.bus().orElseThrow().deadLetterMessageCount("alerts", "platform-delivery")
                + runtime.bus().orElseThrow().deadLetterMessageCount("alerts", "platform-delivery-bulk");
    }

    @Test
    void aBadFilterIsExitStatusTwoWithOneLineNamingTheField() throws Exception {
        Run run = launcher("replay", "--url", runtime.baseUri().toString(), "--status", "lost");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip().lines()).singleElement().asString()
                .startsWith("alert-relay: status: unknown status");
        assertThat(run.outLines()).isEmpty();
    }

    @Test
    void theDesignsAdminPathAnswersLocallyAsTheReplayFunction() {
        java.net.http.HttpResponse<String> dryRun = RuntimeHarness.post(runtime.baseUri().resolve("/api/admin/replay"),
                "{\"dryRun\":true}".getBytes(StandardCharsets.UTF_8), "application/json");
        java.net.http.HttpResponse<String> bad = RuntimeHarness.post(runtime.baseUri().resolve("/api/admin/replay"),
                "{\"status\":\"lost\"}".getBytes(StandardCharsets.UTF_8), "application/json");

        assertThat(dryRun.statusCode()).isEqualTo(200);
        assertThat(Json.readTree(dryRun.body()).path("count").asInt()).isZero();
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Json.readTree(bad.body()).path("field").asText()).isEqualTo("status");
    }

    private StoredAlert document(String id) {
        return runtime.store().documents().find(TENANT, id).orElseThrow();
    }

    private JsonNode health() {
        return Json.readTree(RuntimeHarness.get(runtime.baseUri().resolve("/api/health")).body()).path("dependencies");
    }

    /** {@code ./alert-relay ARGS} from the checkout, on the jar that {@code package} made (no nested build). */
    private Run launcher(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", RuntimeHarness.root().resolve("alert-relay").toString()));
        command.addAll(List.of(args));
        if (args[0].equals("outage")) {
            command.addAll(List.of("--url", runtime.baseUri().toString()));
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(RuntimeHarness.root().toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        builder.environment().put("ALERT_RELAY_NO_BUILD", "1");
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("./alert-relay " + String.join(" ", args) + " did not end within 60 s");
        }
        return new Run(process.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    private record Run(int exitCode, String out, String err) {
        List<String> outLines() {
            return out.lines().filter(l -> !l.isBlank()).toList();
        }
    }
}
