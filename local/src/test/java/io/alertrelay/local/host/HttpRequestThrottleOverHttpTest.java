package io.alertrelay.local.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.functions.AppGraph;
import io.alertrelay.intake.TenantTokens;
import io.alertrelay.local.HostJson;
import io.alertrelay.local.servicebus.ServiceBusEmulator;
import io.alertrelay.settings.Secret;
import io.alertrelay.testing.Eventually;
import io.alertrelay.testing.Fixtures;
import io.alertrelay.testing.InMemoryStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * host.json's {@code maxConcurrentRequests} and {@code maxOutstandingRequests} on the local host, over real sockets,
 * as the Functions host applies them: a request over the first waits for a slot and is then served, one over the
 * second is answered 429 without running, the no-op baseline waits as a function does, and a request still waiting
 * when the host closes is answered 503. A request holds its slot while its body arrives (the function reads it), so
 * a request whose body is sent in two parts holds the only slot for as long as the test wants — no timing involved.
 */
class HttpRequestThrottleOverHttpTest {

    private static final String KEY = "throttle-test-key";

    private final HttpClient http = HttpClient.newHttpClient();
    private final String token = new TenantTokens(List.of(new Secret(KEY))).tokenFor("contoso");
    private ServiceBusEmulator bus;
    private HttpRequestThrottle throttle;
    private LocalHttpHost host;

    @BeforeEach
    void startBus() {
        bus = ServiceBusEmulator.builder().topic("alerts", "platform-delivery").build().start();
    }

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
        bus.close();
    }

    @Test
    void aRequestOverMaxConcurrentRequestsWaitsForASlotAndIsThenServed() throws Exception {
        start(new HostJson.Http(1, HostJson.Http.UNBOUNDED));
        try (HeldRequest first = HeldRequest.open(host, webhookPath(), alert())) {
            awaitHeld(1);
            CompletableFuture<HttpResponse<String>> second = postAsync(webhookPath(), alert());
            awaitHeld(2);

            assertThat(second).isNotDone(); // the only slot is the first request's until its body ends

            assertThat(first.finish()).isEqualTo(202);
            assertThat(second.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        }
        assertThat(throttle.held()).isZero();
    }

    @Test
    void aRequestOverMaxOutstandingRequestsIsAnswered429WithoutRunningTheFunction() throws Exception {
        start(new HostJson.Http(1, 2));
        try (HeldRequest first = HeldRequest.open(host, webhookPath(), alert())) {
            awaitHeld(1);
            CompletableFuture<HttpResponse<String>> second = postAsync(webhookPath(), alert());
            awaitHeld(2);

            HttpResponse<String> third = postAsync(webhookPath(), alert()).get(30, TimeUnit.SECONDS);

            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(third.body()).isEmpty();
            assertThat(first.finish()).isEqualTo(202);
            assertThat(second.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
        }
    }

    @Test
    void theNoopBaselineWaitsOnTheSameThrottleAsTheFunctions() throws Exception {
        start(new HostJson.Http(1, 1));
        try (HeldRequest first = HeldRequest.open(host, webhookPath(), alert())) {
            awaitHeld(1);

            assertThat(postAsync(NoopWebhook.PATH, alert()).get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(429);

            assertThat(first.finish()).isEqualTo(202);
        }
        assertThat(postAsync(NoopWebhook.PATH, alert()).get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
    }

    @Test
    void aRequestStillWaitingWhenTheHostClosesIsAnswered503AndNotRun() throws Exception {
        start(new HostJson.Http(1, HostJson.Http.UNBOUNDED));
        try (HeldRequest first = HeldRequest.open(host, webhookPath(), alert())) {
            awaitHeld(1);
            CompletableFuture<HttpResponse<String>> second = postAsync(webhookPath(), alert());
            awaitHeld(2);
            CompletableFuture<Void> closed = CompletableFuture.runAsync(host::close);

            assertThat(first.finish()).isEqualTo(202); // under way when the close began: it finishes
            HttpResponse<String> waited = second.get(30, TimeUnit.SECONDS);
            assertThat(waited.statusCode()).isEqualTo(503);
            assertThat(waited.headers().firstValue("Retry-After")).isPresent();
            closed.get(30, TimeUnit.SECONDS);
        }
        host = null;
    }

    private void awaitHeld(int requests) {
        Eventually.await(requests + " requests held by the throttle", Duration.ofSeconds(30), throttle::held,
                held -> held == requests);
    }

    private void start(HostJson.Http limits) throws IOException {
        AppGraph graph = PackagedFunctions.webhookGraph(bus.connectionString(), KEY, new InMemoryStore());
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

    private CompletableFuture<HttpResponse<String>> postAsync(String path, byte[] body) {
        URI uri = host.baseUri().resolve(path);
        return http.sendAsync(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A POST over a raw socket whose body stops halfway until {@link #finish()} sends the rest. */
    private static final class HeldRequest implements AutoCloseable {

        private final Socket socket;
        private final byte[] body;

        private HeldRequest(Socket socket, byte[] body) {
            this.socket = socket;
            this.body = body;
        }

        static HeldRequest open(LocalHttpHost host, String path, byte[] body) throws IOException {
            Socket socket = new Socket("127.0.0.1", host.port());
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, body.length / 2);
            out.flush();
            return new HeldRequest(socket, body);
        }

        /** Sends the rest of the body; the answer's status. */
        int finish() throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(body, body.length / 2, body.length - body.length / 2);
            out.flush();
            socket.setSoTimeout(30_000);
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
