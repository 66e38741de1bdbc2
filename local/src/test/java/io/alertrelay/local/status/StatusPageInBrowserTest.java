package io.alertrelay.local.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.local.LocalRuntime;
import io.alertrelay.local.RuntimeOptions;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.settings.Settings;
import io.alertrelay.testing.Fixtures;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status page as a person sees it: in a real headless browser, after its script fetched the status. */
class StatusPageInBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aPostedAlertShowsOnTheStatusPageWithItsTypeTenantAndDeliveredStatusAndItsRepostAsADroppedDuplicate()
            throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require(dir);
        Path project = Files.createDirectories(dir.resolve("project"));
        Path root = Path.of(System.getProperty("alertrelay.root", ".."));
        Files.copy(root.resolve("host.json"), project.resolve("host.json"));
        Files.copy(root.resolve("local.settings.sample.json"), project.resolve("local.settings.sample.json"));

        try (LocalRuntime runtime = LocalRuntime.start(RuntimeOptions.forProject(project).dataDir(dir.resolve("data"))
                .httpPort(0).build())) {
            HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(runtime.webhookUri("contoso"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bytes("test-metric-static.json"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).isEqualTo(202);
            String id = JSON.readTree(posted.body()).path("id").asText();
            awaitDelivered(runtime, id);
            HttpResponse<String> again = HttpClient.newHttpClient().send(HttpRequest.newBuilder(runtime.webhookUri("contoso"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bytes("test-metric-static.json"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(again.statusCode()).as("the same notification again: a duplicate").isEqualTo(202);

            String dom = chromium.dumpDom(runtime.baseUri().resolve("/"), 5000);

            Matcher row = Pattern.compile("<tr data-event-id=\"" + Pattern.quote(id) + "\">(.*?)</tr>").matcher(dom);
            assertThat(row.find()).as("a row for the event in:\n" + dom).isTrue();
            assertThat(row.group(1))
                    .contains("<td>io.alertrelay.alert.fired</td>")
                    .contains("<td>contoso</td>")
                    .contains("<span class=\"status delivered\">delivered</span>")
                    .containsPattern("<td class=\"num\">\\d+ ms</td>");
            assertThat(dom).as("the repost, dropped by duplicate detection")
                    .containsPattern(">duplicates dropped</dt><dd>1</dd>");
            assertThat(dom).as("the header after a successful refresh").contains("<span class=\"meta\" id=\"meta\">running since");
            chromium.screenshot(runtime.baseUri().resolve("/"), 5000,
                    Path.of("target").toAbsolutePath().resolve("status-page.png"));
        }
    }

    @Test
    void theReplayDeadLetteredActionBringsADeadLetteredAlertToThePlatformAndEmptiesTheDeadLetterQueue()
            throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require(dir);
        Path project = project();
        try (LocalRuntime runtime = LocalRuntime.start(RuntimeOptions.forProject(project).dataDir(dir.resolve("data"))
                .httpPort(0).setting(Settings.MAX_DELIVERY_COUNT, "2")
                .platformClient(b -> b.maxAttempts(1).callTimeout(Duration.ofSeconds(3))).build())) {
            runtime.receiver().orElseThrow().outage(true);
            HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(runtime.webhookUri("contoso"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bytes("test-metric-static.json"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            String id = JSON.readTree(posted.body()).path("id").asText();
            awaitStatus(runtime, id, DeliveryStatus.DEADLETTERED);
            runtime.receiver().orElseThrow().outage(false);

            try (BrowserPage page = chromium.open(runtime.baseUri().resolve("/"))) {
                page.await("document.querySelector('#queue').textContent", t -> t.contains("dead-lettered1"));
                assertThat(page.await("document.querySelector('#queue').textContent", t -> t.contains("topic size")))
                        .as("the dead letter takes room on the topic").containsPattern(
                                "topic size[1-9][0-9]*\\.[0-9] KB of [0-9]+\\.[0-9] MB \\(full: the webhook answers 503\\)");
                page.evaluate("document.getElementById('replay-deadlettered').click()");

                assertThat(page.await("document.getElementById('replay-result').textContent",
                        t -> t.startsWith("replay:") || t.startsWith("replay failed"))).isEqualTo("replay: 1 events");
                awaitStatus(runtime, id, DeliveryStatus.DELIVERED);
                page.await("document.querySelector('#queue').textContent", t -> t.contains("dead-lettered0"));
                page.await("document.querySelector('tr[data-event-id=\"" + id + "\"] .status').textContent",
                        "delivered"::equals);
            }
            assertThat(runtime.receiver().orElseThrow().acceptedRequests(id)).isEqualTo(1);
        }
    }

    /**
     * Per-tenant backlog and latency (issue 14): a tenant whose alerts the platform is still holding shows them as its
     * backlog, at the top, with those over its fair share counted in the bulk lane; a tenant whose alerts were
     * delivered shows no backlog and their latency.
     */
    @Test
    void theTenantsTableShowsEachTenantsBacklogBulkLaneAndLatencyLargestBacklogFirst() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require(dir);
        CountDownLatch release = new CountDownLatch(1);
        try (MockWebServer platform = new MockWebServer()) {
            platform.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                    if (String.valueOf(request.getHeader("webhook-id")).startsWith("contoso.")) {
                        release.await(60, TimeUnit.SECONDS); // contoso's deliveries wait: its backlog
                    }
                    return new MockResponse().setResponseCode(204);
                }
            });
            platform.start();
            try (LocalRuntime runtime = LocalRuntime.start(RuntimeOptions.forProject(project())
                    .dataDir(dir.resolve("data")).httpPort(0).setting(Settings.FAIR_SHARE_ALERTS, "2")
                    .setting(Settings.PLATFORM_ENDPOINT_URL, platform.url("/events").toString())
                    .platformClient(b -> b.maxAttempts(1).callTimeout(Duration.ofSeconds(90))
                            .timeBudget(Duration.ofSeconds(90))).build())) {
                for (String fixture : new String[] {"test-metric-static.json", "test-log-v2.json"}) {
                    awaitDelivered(runtime, "quiet", post(runtime, "quiet", fixture));
                }
                List<String> held = new ArrayList<>();
                for (String fixture : new String[] {"test-metric-static.json", "test-log-v2.json",
                    "test-activitylog-administrative.json"}) {
                    held.add(post(runtime, "contoso", fixture));
                }

                try (BrowserPage page = chromium.open(runtime.baseUri().resolve("/"))) {
                    assertThat(page.await("document.querySelector('#tenants tbody tr').textContent",
                            t -> t.startsWith("contoso")))
                            .as("the largest backlog first: contoso, accepted 3, bulk lane 1, backlog 3, delivered 0,"
                                    + " no latency yet").isEqualTo("contoso3130——");
                    page.await("document.querySelector('#tenants tr[data-tenant=\"quiet\"]').textContent",
                            t -> t.matches("quiet2002[0-9]+ ms[0-9]+ ms"));
                    page.await("document.querySelector('#queue').textContent",
                            t -> t.contains("standard lane (platform-delivery)")
                                    && t.contains("bulk lane (platform-delivery-bulk)"));
                } finally {
                    release.countDown();
                }
                for (String id : held) {
                    awaitDelivered(runtime, "contoso", id);
                }
            }
        }
    }

    private static String post(LocalRuntime runtime, String tenant, String fixture) throws Exception {
        HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(runtime.webhookUri(tenant))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bytes(fixture))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        return JSON.readTree(posted.body()).path("id").asText();
    }

    private static void awaitDelivered(LocalRuntime runtime, String tenant, String id) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (runtime.store().documents().find(tenant, id).map(StoredAlert::status).orElse(null)
                != DeliveryStatus.DELIVERED) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("event " + id + " was not delivered within 30 s");
            }
            Thread.sleep(50);
        }
    }

    private Path project() throws java.io.IOException {
        Path project = Files.createDirectories(dir.resolve("project"));
        Path root = Path.of(System.getProperty("alertrelay.root", ".."));
        Files.copy(root.resolve("host.json"), project.resolve("host.json"));
        Files.copy(root.resolve("local.settings.sample.json"), project.resolve("local.settings.sample.json"));
        return project;
    }

    private static void awaitStatus(LocalRuntime runtime, String id, DeliveryStatus status) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (runtime.store().documents().find("contoso", id).map(StoredAlert::status).orElse(null) != status) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("event " + id + " was not " + status.value() + " within 30 s");
            }
            Thread.sleep(50);
        }
    }

    private static void awaitDelivered(LocalRuntime runtime, String id) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (runtime.store().documents().find("contoso", id).map(StoredAlert::status).orElse(null) != DeliveryStatus.DELIVERED) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("event " + id + " was not delivered within 30 s");
            }
            Thread.sleep(50);
        }
    }
}
