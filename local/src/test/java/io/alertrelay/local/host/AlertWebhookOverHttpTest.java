package io.alertrelay.local.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.functions.AppGraph;
import io.alertrelay.intake.TenantTokens;
import io.alertrelay.local.servicebus.ServiceBusEmulator;
import io.alertrelay.settings.Secret;
import io.alertrelay.settings.Settings;
import io.alertrelay.testing.Fixtures;
import io.alertrelay.testing.InMemoryStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.StoredAlert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * AlertWebhook and Health, the real function classes, over HTTP on loopback with the real Service Bus publisher
 * against the emulator: what Azure Monitor sees (DESIGN §5).
 */
class AlertWebhookOverHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "webhook-test-key";

    private final InMemoryStore store = new InMemoryStore();
    private volatile AppGraph graph;
    private ServiceBusEmulator bus;
    private LocalHttpHost host;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String token = new TenantTokens(List.of(new Secret(KEY))).tokenFor("contoso");

    @BeforeEach
    void start() throws Exception {
        bus = ServiceBusEmulator.builder().topic("alerts", "platform-delivery").build().start();
        install(bus.connectionString());
        host = LocalHttpHost.start(0, 4, PackagedFunctions.load(Map.of(), () -> graph));
    }

    @AfterEach
    void stop() {
        host.close();
        bus.close();
    }

    @Test
    void everyPublishedFixtureIsAcceptedAndIsOnTheTopicUnderItsEventId() throws Exception {
        List<String> ids = new ArrayList<>();
        for (Path fixture : validFixtures()) {
            HttpResponse<String> r = post("contoso", token, Files.readAllBytes(fixture), "application/json");
            assertThat(r.statusCode()).as(fixture.getFileName() + ": " + r.body()).isEqualTo(202);
            ids.add(JSON.readTree(r.body()).path("id").asText());
        }

        List<String> onTheBus = new ArrayList<>();
        try (ServiceBusReceiverClient receiver = new ServiceBusClientBuilder().connectionString(bus.connectionString())
                .receiver().topicName("alerts").subscriptionName("platform-delivery")
                .receiveMode(ServiceBusReceiveMode.RECEIVE_AND_DELETE).buildClient()) {
            while (onTheBus.size() < ids.size()) {
                var batch = receiver.receiveMessages(ids.size(), Duration.ofSeconds(3)).stream().toList();
                if (batch.isEmpty()) {
                    break;
                }
                batch.stream().map(ServiceBusReceivedMessage::getMessageId).forEach(onTheBus::add);
            }
        }
        assertThat(onTheBus).containsExactlyInAnyOrderElementsOf(ids.stream().distinct().toList());
    }

    @Test
    void publishedInvalidJsonIsA400ProblemNamingLineAndColumn() throws Exception {
        HttpResponse<String> r = post("contoso", token,
                Fixtures.bytes("legacy-activitylog-common-skeleton.json"), "application/json");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.path("line").asInt()).isEqualTo(19);
        assertThat(problem.path("column").asInt()).isEqualTo(17);
        assertThat(bus.activeMessageCount("alerts", "platform-delivery")).isZero();
    }

    @Test
    void wrongTokenNonJsonAndBadTenantGetTheir4xx() throws Exception {
        byte[] body = Fixtures.bytes("test-metric-static.json");
        assertThat(post("contoso", "wrong", body, "application/json").statusCode()).isEqualTo(401);
        assertThat(post("contoso", null, body, "application/json").statusCode()).isEqualTo(401);
        assertThat(post("contoso", token, body, "text/plain").statusCode()).isEqualTo(415);
        assertThat(post("Contoso!", token, body, "application/json").statusCode()).isEqualTo(400);
        assertThat(bus.activeMessageCount("alerts", "platform-delivery")).isZero();
    }

    @Test
    void busDownIsA503WithRetryAfterAndHealthSaysTheBusIsUnreachable() throws Exception {
        bus.close();

        HttpResponse<String> r = post("contoso", token, Fixtures.bytes("test-metric-static.json"), "application/json");

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        JsonNode health = JSON.readTree(get("/api/health").body());
        assertThat(health.path("status").asText()).isEqualTo("degraded");
        assertThat(health.path("dependencies").path("serviceBus").asText()).startsWith("unreachable");
    }

    @Test
    void healthReportsVersionAndDependenciesWithoutSecrets() throws Exception {
        HttpResponse<String> r = get("/api/health");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode health = JSON.readTree(r.body());
        assertThat(health.path("version").asText()).isNotBlank();
        assertThat(health.path("dependencies").path("serviceBus").asText()).isEqualTo("ok");
        assertThat(r.body()).doesNotContain(KEY, "SharedAccessKey", "SAS_KEY_VALUE");
    }

    private void install(String connectionString) {
        graph = AppGraph.builder(settings(connectionString)).store(store).build();
    }

    /** A complete app: every function's needs met (the store is the in-memory one). */
    private static Map<String, String> settings(String connectionString) {
        Map<String, String> m = new HashMap<>();
        m.put(Settings.SERVICE_BUS_CONNECTION, connectionString);
        m.put(Settings.TENANT_TOKEN_KEYS, KEY);
        m.put(Settings.PLATFORM_ENDPOINT_URL, "http://127.0.0.1:9/platform");
        m.put(Settings.PLATFORM_SIGNING_SECRET, "whsec_MDEyMzQ1Njc4OWFiY2RlZg==");
        return m;
    }

    @Test
    void healthIs503NamingTheSettingAFunctionLacks() throws Exception {
        Map<String, String> noStore = settings(bus.connectionString());
        graph = AppGraph.builder(noStore).build(); // no stand-in store, no COSMOS_ENDPOINT

        HttpResponse<String> r = get("/api/health");

        assertThat(r.statusCode()).isEqualTo(503);
        JsonNode health = JSON.readTree(r.body());
        assertThat(health.path("status").asText()).isEqualTo("misconfigured");
        assertThat(health.path("dependencies").path("settings").asText())
                .contains("COSMOS_ENDPOINT", "AlertDequeuer", "EventStatus");
    }

    @Test
    void aWebhookWhoseWiringCannotBeBuiltAnswers503WithRetryAfterNever500() throws Exception {
        Map<String, String> noKeys = settings(bus.connectionString());
        noKeys.remove(Settings.TENANT_TOKEN_KEYS);
        graph = AppGraph.builder(noKeys).store(store).build();

        HttpResponse<String> r = post("contoso", token, Fixtures.bytes("test-metric-static.json"), "application/json");

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(get("/api/health").body()).contains("TENANT_TOKEN_KEYS");
    }

    @Test
    void eventStatusAnswersAStoredEventsStatusFieldsAndNeverItsPayload() throws Exception {
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        store.createIfAbsent(new StoredAlert("contoso.abc", "contoso", "io.alertrelay.probe", "k", "Fired",
                DeliveryStatus.RECEIVED, 0, t, t, null, null,
                JsonNodeFactory.instance.objectNode().put("marker", "payload-marker"), null));

        HttpResponse<String> r = get("/api/events/contoso/contoso.abc");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("status").asText()).isEqualTo("received");
        assertThat(r.body()).doesNotContain("payload-marker");
        assertThat(get("/api/events/contoso/contoso.missing").statusCode()).isEqualTo(404);
    }

    private static List<Path> validFixtures() throws Exception {
        try (var files = Files.list(Fixtures.directory())) {
            return files.filter(p -> p.toString().endsWith(".json"))
                    .filter(p -> !p.getFileName().toString().equals("legacy-activitylog-common-skeleton.json"))
                    .sorted().toList();
        }
    }

    private HttpResponse<String> post(String tenant, String token, byte[] body, String contentType) throws Exception {
        URI uri = host.baseUri().resolve("/api/alerts/" + java.net.URLEncoder.encode(tenant, "UTF-8")
                + (token == null ? "" : "?token=" + token));
        return http.send(HttpRequest.newBuilder(uri).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(host.baseUri().resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
