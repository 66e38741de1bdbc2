package io.alertrelay.local.runtime;

import static io.alertrelay.testing.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.domain.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 202 means the alert is on the topic, and the local runtime keeps that promise when its process is killed (kill -9,
 * no graceful stop): the emulator's journal holds every message it acknowledged. Alerts are posted while the sample
 * platform is in an outage, so they wait in the subscription; the process is killed; a new one on the same data
 * directory delivers every one of them, each once; and again with the process killed under load. An integration test:
 * it runs {@code ./alert-relay run}.
 */
class LocalRuntimeSurvivesAKillIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int ALERTS = 40;
    private static final Pattern WEBHOOK = Pattern.compile(
            "(http://127\\.0\\.0\\.1:\\d+)/api/alerts/demo\\?token=(\\S+)");
    private static final Pattern RECEIVER = Pattern.compile(
            "sample receiver (http://127\\.0\\.0\\.1:\\d+)/platform/events");

    @TempDir
    Path dir;

    /** The bundled sample, read per test (not at class load, where a missing file would hide behind the init error). */
    private final String sample = read(RuntimeHarness.root().resolve("local/samples/demo-metric-alert.json"));

    @Test
    void everyAlertAnswered202BeforeAKill9IsDeliveredOnceAfterTheRestart() throws Exception {
        Path data = dir.resolve("data");
        List<String> accepted = new ArrayList<>();
        Process first = start(data, dir.resolve("first.txt"));
        try {
            Map<String, String> banner = banner(first, dir.resolve("first.txt"));
            HttpResponse<String> outage = RuntimeHarness.post(
                    URI.create(banner.get("receiver") + "/platform/outage?on=true"), new byte[0], "application/json");
            assertThat(outage.statusCode()).as(outage.body()).isLessThan(300);
            URI webhook = webhook(banner);
            for (int i = 0; i < ALERTS; i++) {
                HttpResponse<String> answer = post(webhook, i);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
                accepted.add(Json.readTree(answer.body()).path("id").asText());
            }
        } finally {
            kill9(first);
        }
        assertThat(accepted).doesNotHaveDuplicates().hasSize(ALERTS);

        Process second = start(data, dir.resolve("second.txt"));
        try {
            String base = banner(second, dir.resolve("second.txt")).get("base");
            for (String id : accepted) {
                JsonNode event = await("event " + id + " delivered", WAIT,
                        () -> status(URI.create(base + "/api/events/demo/" + id)),
                        e -> "delivered".equals(e.path("status").asText()));
                assertThat(event.path("id").asText()).isEqualTo(id);
            }
            assertThat(arrivals(base)).as("each accepted alert reached the platform once").doesNotHaveDuplicates()
                    .containsAll(accepted);
        } finally {
            second.destroy(); // SIGTERM: the graceful stop
            if (!second.waitFor(60, TimeUnit.SECONDS)) {
                second.destroyForcibly();
            }
        }
    }

    /**
     * A kill under load: eight clients post while the platform takes deliveries, and the process is killed once 150
     * alerts were accepted — some delivered, some on their way, some waiting. After the restart every alert answered
     * 202 reaches the platform, and none twice (the receiver records each Idempotency-Key once); and the store says so:
     * every one's document is {@code delivered} (the store's journal keeps the writes H2 had not yet put in its file).
     */
    @Test
    void everyAlertAnswered202WhenTheProcessIsKilledUnderLoadReachesThePlatformOnceAndIsStoredDelivered()
            throws Exception {
        Path data = dir.resolve("data");
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Process first = start(data, dir.resolve("first.txt"));
        URI webhook = webhook(banner(first, dir.resolve("first.txt")));
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            for (int c = 0; c < 8; c++) {
                clients.execute(() -> {
                    for (int i = next.getAndIncrement(); i < 2_000; i = next.getAndIncrement()) {
                        try {
                            HttpResponse<String> answer = post(webhook, i);
                            if (answer.statusCode() == 202) {
                                accepted.add(Json.readTree(answer.body()).path("id").asText());
                            }
                        } catch (RuntimeException e) {
                            return; // the process is gone: this post has no answer, so nothing was promised
                        }
                    }
                });
            }
            await("150 alerts accepted", WAIT, accepted::size, n -> n >= 150);
        } finally {
            kill9(first);
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }

        Process second = start(data, dir.resolve("second.txt"));
        try {
            String base = banner(second, dir.resolve("second.txt")).get("base");
            List<String> arrived = await("every accepted alert at the platform", WAIT, () -> arrivals(base),
                    ids -> ids.containsAll(accepted));
            assertThat(arrived).as("none delivered twice").doesNotHaveDuplicates();
            assertThat(read(dir.resolve("second.txt.err"))).as("the start says what it recovered")
                    .contains("Replayed", "store writes from its journal", "Copied the store's");
            for (String id : accepted) {
                await("event " + id + " stored as delivered", Duration.ofSeconds(15),
                        () -> status(URI.create(base + "/api/events/demo/" + id)).path("status").asText(),
                        "delivered"::equals);
            }
        } finally {
            second.destroy();
            if (!second.waitFor(60, TimeUnit.SECONDS)) {
                second.destroyForcibly();
            }
        }
    }

    private static URI webhook(Map<String, String> banner) {
        return URI.create(banner.get("base") + "/api/alerts/demo?token=" + banner.get("token"));
    }

    /** Posts the bundled sample with alert id number {@code i}: a distinct alert, so duplicate detection keeps it. */
    private HttpResponse<String> post(URI webhook, int i) {
        String body = sample.replace("11111111-2222-3333-4444-555555555555",
                "11111111-2222-3333-4444-" + String.format("%012d", i));
        return RuntimeHarness.post(webhook, body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /** Event ids in the sample receiver's record, in arrival order, one entry per recorded delivery. */
    private static List<String> arrivals(String base) {
        JsonNode deliveries = Json.readTree(RuntimeHarness.get(URI.create(base + "/status/deliveries.json?since=0"))
                .body()).path("deliveries");
        List<String> ids = new ArrayList<>();
        deliveries.forEach(d -> ids.add(d.path("id").asText()));
        return ids;
    }

    private static JsonNode status(URI uri) {
        HttpResponse<String> r = RuntimeHarness.get(uri);
        return r.statusCode() == 200 ? Json.readTree(r.body()) : Json.readTree("{}");
    }

    private Process start(Path data, Path out) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(List.of("bash",
                RuntimeHarness.root().resolve("alert-relay").toString(), "run", "--port", "0", "--data-dir",
                data.toString()))
                .directory(RuntimeHarness.root().toFile())
                .redirectOutput(out.toFile()).redirectError(out.resolveSibling(out.getFileName() + ".err").toFile());
        builder.environment().put("ALERT_RELAY_NO_BUILD", "1");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    /** SIGKILL to the runtime's JVM (the launcher execs it) and anything it started: no shutdown hook runs. */
    private static void kill9(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
    }

    private static Map<String, String> banner(Process runtime, Path out) {
        return await("the runtime's banner", WAIT, () -> {
            if (!runtime.isAlive()) {
                throw new AssertionError("./alert-relay run ended with " + runtime.exitValue()
                        + " before it was ready");
            }
            String text = read(out);
            Matcher webhook = WEBHOOK.matcher(text);
            Matcher receiver = RECEIVER.matcher(text);
            if (!webhook.find() || !receiver.find()) {
                return Optional.<Map<String, String>>empty();
            }
            Map<String, String> found = new HashMap<>();
            found.put("base", webhook.group(1));
            found.put("token", webhook.group(2));
            found.put("receiver", receiver.group(1));
            return Optional.of(found);
        }, Optional::isPresent).orElseThrow();
    }

    private static String read(Path out) {
        try {
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
