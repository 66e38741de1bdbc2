package io.alertrelay.local.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.functions.AppGraph;
import io.alertrelay.intake.TenantTokens;
import io.alertrelay.local.servicebus.ServiceBusEmulator;
import io.alertrelay.settings.Secret;
import io.alertrelay.testing.Fixtures;
import io.alertrelay.testing.HostileInputs;
import io.alertrelay.testing.InMemoryStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12, points 1–4 and 6, as Azure Monitor meets them: each hostile notification posted to the real function
 * classes on the real local HTTP host, with the real Service Bus publisher against the emulator. Each gets its
 * answer (never a 500, never a 503 for a bus that is up) within one second, and {@code /api/health} still answers
 * 200 afterwards.
 *
 * <p>The one-second bound is the issue's own ("every input case gets its answer within 1 s"). The host is warmed up
 * first (one valid notification), so the bound measures the request, not class loading or the first AMQP link;
 * before the fixes the same requests took 3 s (a 400,000-digit capacity) to over 20 s (80,000 × eyJ), or never got
 * an answer other than 503.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputOverHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "hostile-test-key";
    private static final Duration BOUND = Duration.ofSeconds(1);

    private final HttpClient http = HttpClient.newHttpClient();
    private final String token = new TenantTokens(List.of(new Secret(KEY))).tokenFor("contoso");
    private ServiceBusEmulator bus;
    private LocalHttpHost host;

    @BeforeAll
    void start() throws Exception {
        bus = ServiceBusEmulator.builder().topic("alerts", "platform-delivery").build().start();
        AppGraph graph = PackagedFunctions.webhookGraph(bus.connectionString(), KEY, new InMemoryStore());
        host = LocalHttpHost.start(0, 4, PackagedFunctions.load(Map.of(), graph));
        HttpResponse<String> warmUp = post(Fixtures.bytes("test-metric-static.json"));
        assertThat(warmUp.statusCode()).as(warmUp.body()).isEqualTo(202);
    }

    @AfterAll
    void stop() {
        if (host != null) {
            host.close();
        }
        if (bus != null) {
            bus.close();
        }
    }

    Stream<HostileInputs.Case> hostileInputs() {
        return HostileInputs.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileInputs")
    void everyHostileInputGetsItsAnswerWithinOneSecondAndTheRuntimeStaysHealthy(HostileInputs.Case hostile)
            throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = post(hostile.body());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(r.statusCode()).as(hostile.name() + ": " + abbreviated(r.body())).isEqualTo(hostile.status());
        if (hostile.problem() != null) {
            assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
            JsonNode problem = JSON.readTree(r.body());
            assertThat(problem.path("type").asText()).endsWith("/" + hostile.problem());
            assertThat(problem.path("status").asInt()).isEqualTo(hostile.status());
            assertThat(problem.path("detail").asText()).isNotBlank();
            if (hostile.field() != null) {
                assertThat(problem.path("field").asText()).isEqualTo(hostile.field());
                assertThat(problem.path("detail").asText()).contains(hostile.field());
            }
        }
        assertThat(took).as(hostile.name() + " answered in " + took.toMillis() + " ms").isLessThan(BOUND);

        HttpResponse<String> health = http.send(HttpRequest.newBuilder(host.baseUri().resolve("/api/health"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).path("dependencies").path("serviceBus").asText()).isEqualTo("ok");
    }

    private HttpResponse<String> post(byte[] body) throws Exception {
        URI uri = host.baseUri().resolve("/api/alerts/contoso?token=" + token);
        return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String abbreviated(String body) {
        return body.length() <= 400 ? body : body.substring(0, 400) + "…";
    }
}
