package io.alertrelay.local.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.functions.AppGraph;
import io.alertrelay.intake.TenantTokens;
import io.alertrelay.local.HostJson;
import io.alertrelay.local.servicebus.ServiceBusEmulator;
import io.alertrelay.port.AlertInstances;
import io.alertrelay.port.EventDocuments;
import io.alertrelay.port.EventSearch;
import io.alertrelay.port.PayloadStore;
import io.alertrelay.port.Store;
import io.alertrelay.port.TenantRegistry;
import io.alertrelay.settings.Secret;
import io.alertrelay.testing.Eventually;
import io.alertrelay.testing.Fixtures;
import io.alertrelay.testing.InMemoryStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * host.json's {@code maxConcurrentRequests} and {@code maxOutstandingRequests} on the local host, over real sockets,
 * as the Functions host applies them: a request over the first waits for a slot and is then served, one over the
 * second is answered 429 without running, the no-op baseline waits as a function does, a request still waiting when
 * the host closes is answered 503, and a body sent slowly holds no slot. A {@code GET /api/health} whose store check
 * waits for the test holds a slot for as long as the test wants — no timing involved.
 */
class HttpRequestThrottleOverHttpTest {

    private static final String KEY = "throttle-test-key";

    private final HttpClient http = HttpClient.newHttpClient();
    private final String token = new TenantTokens(List.of(new Secret(KEY))).tokenFor("contoso");
    private final HealthWaits store = new HealthWaits();
    private ServiceBusEmulator bus;
    private HttpRequestThrottle throttle;
    private LocalHttpHost host;

    @BeforeEach
    void startBus() {
        bus = ServiceBusEmulator.builder().topic("alerts", "platform-delivery").build().start();
    }

    @AfterEach
    void stop() {
        store.release();
        if (host != null) {
            host.close();
        }
        bus.close();
    }

    @Test
    void aRequestOverMaxConcurrentRequestsWaitsForASlotAndIsThenServed() throws Exception {
        start(new HostJson.Http(1, HostJson.Http.UNBOUNDED));
        CompletableFuture<HttpResponse<String>> first = health();
        awaitHeld(1);
        CompletableFuture<HttpResponse<String>> second = post(webhookPath(), alert());
        awaitHeld(2);

        assertThat(second).isNotDone(); // the only slot is the first request's until its store check returns

        store.release();
        assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(second.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        assertThat(throttle.held()).isZero();
    }

    @Test
    void aRequestOverMaxOutstandingRequestsIsAnswered429WithoutRunningTheFunction() throws Exception {
        start(new HostJson.Http(1, 2));
        CompletableFuture<HttpResponse<String>> first = health();
        awaitHeld(1);
        CompletableFuture<HttpResponse<String>> second = post(webhookPath(), alert());
        awaitHeld(2);

        HttpResponse<String> third = post(webhookPath(), otherAlert()).get(30, TimeUnit.SECONDS);

        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.body()).isEmpty();
        store.release();
        assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(second.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        assertThat(bus.activeMessageCount("alerts", "platform-delivery")).as("the 429's alert was not published")
                .isEqualTo(1);
    }

    @Test
    void theNoopBaselineWaitsOnTheSameThrottleAsTheFunctions() throws Exception {
        start(new HostJson.Http(1, 1));
        CompletableFuture<HttpResponse<String>> first = health();
        awaitHeld(1);

        assertThat(post(NoopWebhook.PATH, alert()).get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(429);

        store.release();
        assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(post(NoopWebhook.PATH, alert()).get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
    }

    @Test
    void aRequestStillWaitingWhenTheHostClosesIsAnswered503AndNotRun() throws Exception {
        start(new HostJson.Http(1, HostJson.Http.UNBOUNDED));
        CompletableFuture<HttpResponse<String>> first = health();
        awaitHeld(1);
        CompletableFuture<HttpResponse<String>> second = post(webhookPath(), alert());
        awaitHeld(2);
        CompletableFuture<Void> closed = CompletableFuture.runAsync(host::close);

        store.release();
        assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).as("under way when the close began").isEqualTo(200);
        HttpResponse<String> waited = second.get(30, TimeUnit.SECONDS);
        assertThat(waited.statusCode()).isEqualTo(503);
        assertThat(waited.headers().firstValue("Retry-After")).isPresent();
        closed.get(30, TimeUnit.SECONDS);
        host = null;
        assertThat(bus.activeMessageCount("alerts", "platform-delivery")).as("the waiting alert was not published")
                .isZero();
    }

    @Test
    void aBodySentSlowlyHoldsNoSlot() throws Exception {
        start(new HostJson.Http(1, HostJson.Http.UNBOUNDED));
        byte[] body = alert();
        try (Socket slow = new Socket("127.0.0.1", host.port())) {
            OutputStream out = slow.getOutputStream();
            out.write(("POST " + webhookPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, body.length / 2);
            out.flush();

            assertThat(post(webhookPath(), otherAlert()).get(30, TimeUnit.SECONDS).statusCode())
                    .as("served while the slow body is still arriving").isEqualTo(202);
            assertThat(throttle.held()).isZero();
        }
    }

    private void awaitHeld(int requests) {
        Eventually.await(requests + " requests held by the throttle", Duration.ofSeconds(30), throttle::held,
                held -> held == requests);
    }

    private void start(HostJson.Http limits) throws IOException {
        AppGraph graph = PackagedFunctions.webhookGraph(bus.connectionString(), KEY, store);
        throttle = HttpRequestThrottle.of(limits);
        host = LocalHttpHost.start(0, 8, PackagedFunctions.load(Map.of(), graph),
                Map.of(NoopWebhook.PATH, new NoopWebhook(throttle)), throttle);
    }

    private String webhookPath() {
        return "/api/alerts/contoso?token=" + token;
    }

    private static byte[] alert() {
        return Fixtures.bytes("test-metric-static.json");
    }

    private static byte[] otherAlert() {
        return Fixtures.bytes("test-log-v2.json");
    }

    private CompletableFuture<HttpResponse<String>> health() {
        return http.sendAsync(HttpRequest.newBuilder(host.baseUri().resolve("/api/health"))
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> post(String path, byte[] body) {
        URI uri = host.baseUri().resolve(path);
        return http.sendAsync(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** An in-memory store whose health check waits until {@link #release()}: the health request holds its slot. */
    private static final class HealthWaits implements Store {

        private final InMemoryStore store = new InMemoryStore();
        private final CountDownLatch released = new CountDownLatch(1);

        void release() {
            released.countDown();
        }

        @Override
        public String health() {
            try {
                released.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return store.health();
        }

        @Override
        public EventDocuments documents() {
            return store;
        }

        @Override
        public AlertInstances instances() {
            return store;
        }

        @Override
        public PayloadStore payloads() {
            return store;
        }

        @Override
        public EventSearch search() {
            return store;
        }

        @Override
        public TenantRegistry registry() {
            return store;
        }
    }
}
