package io.alertrelay.local.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.domain.ClaimCheck;
import io.alertrelay.functions.AppGraph;
import io.alertrelay.intake.TenantTokens;
import io.alertrelay.local.servicebus.ServiceBusEmulator;
import io.alertrelay.settings.Secret;
import io.alertrelay.testing.Fuzz;
import io.alertrelay.testing.FuzzedNotifications;
import io.alertrelay.testing.InMemoryStore;
import io.alertrelay.testing.WebhookAnswers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, point 11, over HTTP: fuzzed notifications ({@link FuzzedNotifications}) posted to the packaged function
 * classes on the real local HTTP host, with the real Service Bus publisher against the emulator and an in-memory
 * claim-check store. The bus is up all along, so every answer is a 202 or a 4xx problem naming the problem — never a
 * 500, a 503 or a dropped connection — and every 202 leaves a message on the topic that reads back exactly. Tries:
 * {@code fuzz.tries} (2,000 in {@code mvn verify}, 100,000 with {@code -Plong}); a failure names its seed and try
 * ({@link Fuzz}), and is not shrunk.
 */
class FuzzedWebhookOverHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "fuzz-over-http-key";
    private static final String TENANT = "contoso";

    private static ServiceBusEmulator bus;
    private static LocalHttpHost host;
    private static ServiceBusReceiverClient topic;
    private static InMemoryStore store;
    private static final Set<String> onTheBus = new HashSet<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String TOKEN = new TenantTokens(List.of(new Secret(KEY))).tokenFor(TENANT);

    @BeforeAll
    static void start() throws Exception {
        // duplicates of an accepted event are dropped for the whole run, so each event id is on the topic once
        bus = ServiceBusEmulator.builder().topic("alerts", "platform-delivery")
                .duplicateDetectionWindow(Duration.ofDays(1)).build().start();
        store = new InMemoryStore();
        AppGraph graph = PackagedFunctions.webhookGraph(bus.connectionString(), KEY, store);
        host = LocalHttpHost.start(0, 4, PackagedFunctions.load(Map.of(), graph));
        topic = new ServiceBusClientBuilder().connectionString(bus.connectionString()).receiver().topicName("alerts")
                .subscriptionName("platform-delivery").receiveMode(ServiceBusReceiveMode.RECEIVE_AND_DELETE)
                .buildClient();
    }

    @AfterAll
    static void stop() {
        if (topic != null) {
            topic.close();
        }
        if (host != null) {
            host.close();
        }
        if (bus != null) {
            bus.close();
        }
    }

    @Test
    void everyPostGetsA202OrANamedProblemNeverA500Or503AndEveryAcceptedMessageReadsBackExactly() {
        Fuzz.forAll(FuzzedNotifications.requests(), FuzzedWebhookOverHttpTest::check);
    }

    private static void check(FuzzedNotifications.Request request) throws Exception {
        HttpRequest.Builder post = HttpRequest.newBuilder(host.baseUri().resolve("/api/alerts/" + TENANT + "?token="
                + TOKEN)).timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        if (request.contentType() != null) {
            post.header("Content-Type", request.contentType());
        }
        // a dropped connection throws here and fails the property
        HttpResponse<String> r = HTTP.send(post.build(), HttpResponse.BodyHandlers.ofString());

        Fuzz.collect("status", r.statusCode());
        assertThat(r.statusCode()).as(r.body()).isIn(202, 400, 413, 415);
        if (r.statusCode() == 202) {
            JsonNode accepted = JSON.readTree(r.body());
            String id = accepted.path("id").asText();
            assertThat(accepted.path("type").asText()).startsWith("io.alertrelay.");
            if (onTheBus.add(id)) {
                ServiceBusReceivedMessage m = next();
                assertThat(m.getMessageId()).isEqualTo(id);
                boolean claimChecked = "true".equals(m.getApplicationProperties().get(ClaimCheck.PROPERTY));
                Fuzz.collect("claim-checked", claimChecked);
                WebhookAnswers.assertMessageReadsBackExactly(id, m.getBody().toBytes(), claimChecked, store,
                        request.body());
            } else {
                Fuzz.collect("claim-checked", "duplicate, dropped by the bus");
            }
        } else {
            String type = WebhookAnswers.assertNamedProblem(r.statusCode(),
                    r.headers().firstValue("Content-Type").orElse(null), r.body());
            Fuzz.collect("problem", type);
        }
    }

    /** The next message on the subscription; the 202 came after the broker took it, so it is there. */
    private static ServiceBusReceivedMessage next() {
        List<ServiceBusReceivedMessage> received = topic.receiveMessages(1, Duration.ofSeconds(30)).stream().toList();
        assertThat(received).as("the message of a 202 on the topic").hasSize(1);
        return received.get(0);
    }
}
