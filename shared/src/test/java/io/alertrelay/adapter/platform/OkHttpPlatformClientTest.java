package io.alertrelay.adapter.platform;

import io.alertrelay.testing.FakeTime;

import static io.alertrelay.adapter.platform.WebhookSignatureTest.CURRENT;
import static io.alertrelay.adapter.platform.WebhookSignatureTest.PREVIOUS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.alertrelay.domain.DeliveryOutcome;
import io.alertrelay.domain.DeliveryOutcome.Kind;
import io.alertrelay.settings.Secret;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The platform client against OkHttp's MockWebServer: real sockets, real HTTP, real socket faults. */
class OkHttpPlatformClientTest {

    private static final String EVENT_ID = "t-contoso.6f1c0a2e9b7d4c3f8a5e1d2c3b4a5f6e";
    private static final byte[] EVENT = ("{\"specversion\":\"1.0\",\"id\":\"" + EVENT_ID + "\",\"source\":\"/tenants/contoso/azure-monitor\","
            + "\"type\":\"io.alertrelay.alert.fired\",\"data\":{\"severity\":\"Sev3\",\"description\":\"CPU élevé\"}}")
            .getBytes(StandardCharsets.UTF_8);
    private static final RandomGenerator NO_JITTER = () -> 0L; // backoff waits of zero: Retry-After shows alone

    private MockWebServer server;
    private final FakeTime time = new FakeTime();

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    /** Short timeouts so the fault tests are quick; time is fake: waits are recorded, not slept. */
    private OkHttpPlatformClient.Builder client() {
        return withFakeTime(OkHttpPlatformClient.builder()
                .endpoint(server.url("/events").uri())
                .secrets(List.of(CURRENT))
                .connectTimeout(Duration.ofSeconds(1))
                .writeTimeout(Duration.ofSeconds(1))
                .readTimeout(Duration.ofSeconds(1))
                .callTimeout(Duration.ofSeconds(2))
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .timeBudget(Duration.ofSeconds(30)));
    }

    /**
     * Issue 16: with 48 deliveries under way at once, the second burst finds the first burst's 48 connections still
     * pooled (OkHttp's default pool kept 5, and 43 new connections were opened for the second burst).
     */
    @Test
    void aSecondBurstOfConcurrentDeliveriesReusesTheFirstBurstsConnections() throws Exception {
        int concurrent = 48;
        java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CountDownLatch> allHere =
                new java.util.concurrent.atomic.AtomicReference<>();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                java.util.concurrent.CountDownLatch latch = allHere.get();
                latch.countDown();
                latch.await(10, TimeUnit.SECONDS); // every delivery of the burst holds a connection at once
                return new MockResponse().setResponseCode(200);
            }
        });
        OkHttpPlatformClient platform = client().build();
        java.util.concurrent.ExecutorService dequeuers = java.util.concurrent.Executors.newFixedThreadPool(concurrent);
        try {
            int[] newConnections = new int[2];
            for (int burst = 0; burst < 2; burst++) {
                allHere.set(new java.util.concurrent.CountDownLatch(concurrent));
                List<java.util.concurrent.Future<DeliveryOutcome>> outcomes = new ArrayList<>();
                for (int i = 0; i < concurrent; i++) {
                    outcomes.add(dequeuers.submit(() -> platform.deliver(EVENT_ID, EVENT)));
                }
                for (java.util.concurrent.Future<DeliveryOutcome> f : outcomes) {
                    assertThat(f.get(20, TimeUnit.SECONDS).kind()).isEqualTo(Kind.DELIVERED);
                }
                for (RecordedRequest r : takeAll()) {
                    newConnections[burst] += r.getSequenceNumber() == 0 ? 1 : 0; // first request on its connection
                }
            }
            assertThat(newConnections[0]).isEqualTo(concurrent);
            assertThat(newConnections[1]).as("connections opened by the second burst").isZero();
        } finally {
            dequeuers.shutdownNow();
        }
    }

    private List<RecordedRequest> takeAll() throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        for (RecordedRequest r; (r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null; ) {
            requests.add(r);
        }
        return requests;
    }

    private static void verifiedBy(Secret secret, RecordedRequest request) throws WebhookVerificationException, Exception {
        new Webhook(secret.reveal()).verify(request.getBody().clone().readUtf8(), request.getHeaders().toMultimap());
    }

    private static long timestamp(RecordedRequest request) {
        return Long.parseLong(request.getHeader("webhook-timestamp"));
    }

    // --- retries of transient answers -----------------------------------------------------------------------------

    @Test
    void retriesThroughThreeUnavailableAnswersAndDeliversUnderOneIdempotencyKey() throws Exception {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse().setResponseCode(503).setBody("maintenance"));
        }
        server.enqueue(new MockResponse().setResponseCode(202));

        DeliveryOutcome outcome = client().build().deliver(EVENT_ID, EVENT);

        assertThat(outcome).isEqualTo(DeliveryOutcome.delivered(202, 4));
        List<RecordedRequest> requests = takeAll();
        assertThat(requests).hasSize(4);
        for (RecordedRequest r : requests) {
            assertThat(r.getMethod()).isEqualTo("POST");
            assertThat(r.getPath()).isEqualTo("/events");
            assertThat(r.getHeader("webhook-id")).isEqualTo(EVENT_ID);
            assertThat(r.getHeader("Idempotency-Key")).isEqualTo(EVENT_ID);
            assertThat(r.getHeader("Content-Type")).isEqualTo("application/cloudevents+json");
            assertThat(r.getHeader("User-Agent")).startsWith("AlertRelay/").contains("okhttp/4.12.0");
            assertThat(r.getBody().clone().readByteArray()).isEqualTo(EVENT);
            verifiedBy(CURRENT, r);
        }
        assertThat(time.waits()).hasSize(3);
        for (int n = 0; n < 3; n++) {
            assertThat(time.waits().get(n)).isBetween(Duration.ZERO, Duration.ofMillis(100L << n));
        }
    }

    @Test
    void honoursRetryAfterInSecondsAndSignsTheRetryAfresh() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "2"));
        server.enqueue(new MockResponse().setResponseCode(200));

        DeliveryOutcome outcome = client().random(NO_JITTER).build().deliver(EVENT_ID, EVENT);

        assertThat(outcome).isEqualTo(DeliveryOutcome.delivered(200, 2));
        assertThat(time.waits()).containsExactly(Duration.ofSeconds(2));
        List<RecordedRequest> requests = takeAll();
        // a fresh timestamp (receivers reject stale ones) and so a fresh signature, for the same event id
        assertThat(timestamp(requests.get(1)) - timestamp(requests.get(0))).isGreaterThanOrEqualTo(2);
        assertThat(requests.get(1).getHeader("webhook-signature")).isNotEqualTo(requests.get(0).getHeader("webhook-signature"));
        assertThat(requests).extracting(r -> r.getHeader("Idempotency-Key")).containsOnly(EVENT_ID);
        verifiedBy(CURRENT, requests.get(1));
    }

    @Test
    void honoursRetryAfterAsAnHttpDate() {
        String inThreeSeconds = DateTimeFormatter.RFC_1123_DATE_TIME
                .format(time.clock().instant().truncatedTo(ChronoUnit.SECONDS).plusSeconds(3).atOffset(ZoneOffset.UTC));
        server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", inThreeSeconds));
        server.enqueue(new MockResponse().setResponseCode(204));

        DeliveryOutcome outcome = client().random(NO_JITTER).build().deliver(EVENT_ID, EVENT);

        assertThat(outcome).isEqualTo(DeliveryOutcome.delivered(204, 2));
        assertThat(time.waits()).singleElement().satisfies(
                wait -> assertThat(wait).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(3)));
    }

    @Test
    void stopsRatherThanCallBackBeforeARetryAfterBeyondTheBudget() {
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "3600").setBody("slow down"));

        DeliveryOutcome outcome = client().build().deliver(EVENT_ID, EVENT);

        assertThat(outcome.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(outcome.status()).isEqualTo(429);
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(outcome.message()).contains("HTTP 429: slow down").contains("time budget");
        assertThat(time.waits()).isEmpty();
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    // --- rejection -----------------------------------------------------------------------------------------------

    @Test
    void aBadRequestIsRejectedAfterExactlyOneRequest() {
        server.enqueue(new MockResponse().setResponseCode(400)
                .setBody("{\"error\":\"unknown event type\",\n\"detail\":\"io.alertrelay.alert.fired\"}"));

        DeliveryOutcome outcome = client().build().deliver(EVENT_ID, EVENT);

        assertThat(outcome.kind()).isEqualTo(Kind.REJECTED);
        assertThat(outcome.status()).isEqualTo(400);
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(outcome.message()).startsWith("HTTP 400: {\"error\":\"unknown event type\", \"detail\"").doesNotContain("\n");
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(time.waits()).isEmpty();
    }

    @Test
    void onlyAShortPrefixOfALargeErrorBodyIsKept() {
        server.enqueue(new MockResponse().setResponseCode(422).setBody("x".repeat(1_000_000)));

        DeliveryOutcome outcome = client().build().deliver(EVENT_ID, EVENT);

        assertThat(outcome.kind()).isEqualTo(Kind.REJECTED);
        assertThat(outcome.message().length()).isLessThanOrEqualTo("HTTP 422: ".length() + OkHttpPlatformClient.ERROR_DETAIL_CHARS + 1);
    }

    @ParameterizedTest(name = "{0} is transient and never followed")
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void aRedirectIsTransientAndNeverFollowed(int status) throws Exception {
        for (int i = 0; i < 4; i++) {
            server.enqueue(new MockResponse().setResponseCode(status).setHeader("Location", server.url("/elsewhere")));
        }

        DeliveryOutcome outcome = client().build().deliver(EVENT_ID, EVENT);

        // A redirect is the platform's configuration (or a proxy), which someone fixes: retried, then redelivered by
        // the broker; never a permanent rejection that would drop the alert. The signed POST never goes elsewhere.
        assertThat(outcome.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(outcome.status()).isEqualTo(status);
        for (int i = 0; i < server.getRequestCount(); i++) {
            assertThat(server.takeRequest().getPath()).doesNotContain("elsewhere");
        }
    }

    @Test
    void theGateIsAskedBeforeEveryAttemptAndAWithdrawnEventIsNotSentAgain() {
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(new MockResponse().setResponseCode(200));
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();

        DeliveryOutcome outcome = client().build().deliver(EVENT_ID, EVENT, () -> asked.incrementAndGet() == 1);

        assertThat(outcome.kind()).isEqualTo(Kind.WITHDRAWN);
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(asked).hasValue(2);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} is rejected")
    @ValueSource(ints = {400, 401, 403, 404, 405, 409, 410, 413, 415, 422})
    void clientErrorsOtherThan408And429AreRejected(int status) {
        server.enqueue(new MockResponse().setResponseCode(status));

        assertThat(client().build().deliver(EVENT_ID, EVENT))
                .extracting(DeliveryOutcome::kind, DeliveryOutcome::status, DeliveryOutcome::attempts)
                .containsExactly(Kind.REJECTED, status, 1);
    }

    @ParameterizedTest(name = "{0} is transient")
    @ValueSource(ints = {408, 429, 500, 502, 503, 504})
    void timeoutsThrottlingAndServerErrorsAreTransient(int status) {
        server.enqueue(new MockResponse().setResponseCode(status));

        assertThat(client().maxAttempts(1).build().deliver(EVENT_ID, EVENT))
                .extracting(DeliveryOutcome::kind, DeliveryOutcome::status, DeliveryOutcome::attempts)
                .containsExactly(Kind.TRANSIENT, status, 1);
    }

    @ParameterizedTest(name = "{0} is delivered")
    @ValueSource(ints = {200, 201, 202, 204})
    void anySuccessIsDelivered(int status) {
        server.enqueue(new MockResponse().setResponseCode(status));

        assertThat(client().build().deliver(EVENT_ID, EVENT)).isEqualTo(DeliveryOutcome.delivered(status, 1));
    }

    // --- socket faults -------------------------------------------------------------------------------------------

    @Test
    void aServerThatNeverAnswersTimesOutWithinTheReadTimeout() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

        long started = System.nanoTime();
        DeliveryOutcome outcome = client().maxAttempts(1).readTimeout(Duration.ofMillis(300)).build().deliver(EVENT_ID, EVENT);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(outcome.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(outcome.status()).isNull();
        assertThat(outcome.message()).startsWith("timeout");
        assertThat(took).isBetween(Duration.ofMillis(300), Duration.ofMillis(1500));
    }

    @Test
    void theWholeCallTimeoutBoundsAnAttemptWhateverTheReadTimeout() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

        long started = System.nanoTime();
        DeliveryOutcome outcome = client().maxAttempts(1).readTimeout(Duration.ofSeconds(10))
                .callTimeout(Duration.ofMillis(400)).build().deliver(EVENT_ID, EVENT);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(outcome.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(outcome.message()).startsWith("timeout");
        assertThat(took).isBetween(Duration.ofMillis(400), Duration.ofMillis(1500));
    }

    @Test
    void aStalledErrorBodyDoesNotHideTheStatus() {
        // Headers at once, then silence: reading the error body's prefix is cut by the call timeout, and the
        // answer still counts as the 503 it was, not as a timeout.
        server.enqueue(new MockResponse().setResponseCode(503).setBody("overloaded").setBodyDelay(1, TimeUnit.SECONDS));

        long started = System.nanoTime();
        DeliveryOutcome outcome = client().maxAttempts(1).callTimeout(Duration.ofMillis(300)).build().deliver(EVENT_ID, EVENT);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(900));
        assertThat(outcome.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(outcome.status()).isEqualTo(503);
        assertThat(outcome.message()).startsWith("HTTP 503;");
    }

    @Test
    void aDisconnectAfterTheRequestIsRetriedUnderTheSameIdempotencyKey() throws Exception {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
        server.enqueue(new MockResponse().setResponseCode(200));

        DeliveryOutcome outcome = client().build().deliver(EVENT_ID, EVENT);

        assertThat(outcome).isEqualTo(DeliveryOutcome.delivered(200, 2));
        List<RecordedRequest> requests = takeAll();
        // The platform saw the first request but we never saw its answer: the key lets it drop the repeat.
        assertThat(requests).hasSize(2);
        assertThat(requests).extracting(r -> r.getHeader("Idempotency-Key")).containsExactly(EVENT_ID, EVENT_ID);
        assertThat(requests).extracting(r -> r.getHeader("webhook-id")).containsExactly(EVENT_ID, EVENT_ID);
        assertThat(time.waits()).hasSize(1);
    }

    @Test
    void aDisconnectAfterTheRequestIsTransientWhenNoRetryIsLeft() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));

        DeliveryOutcome outcome = client().maxAttempts(1).build().deliver(EVENT_ID, EVENT);

        assertThat(outcome.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(outcome.status()).isNull();
        assertThat(outcome.message()).startsWith("I/O failure").contains("attempts exhausted");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aDisconnectAtStartIsTransientAndOkHttpDoesNotResendOnItsOwn() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
        server.enqueue(new MockResponse().setResponseCode(200)); // would be reached by a silent resend

        DeliveryOutcome outcome = client().maxAttempts(1).build().deliver(EVENT_ID, EVENT);

        assertThat(outcome.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(outcome.status()).isNull();
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aRefusedConnectionIsTransient() throws IOException {
        URI closed = server.url("/events").uri();
        server.shutdown();

        DeliveryOutcome outcome = client().endpoint(closed).maxAttempts(2).build().deliver(EVENT_ID, EVENT);

        assertThat(outcome.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(outcome.status()).isNull();
        assertThat(outcome.attempts()).isEqualTo(2);
        assertThat(outcome.message()).startsWith("I/O failure (ConnectException");
    }

    // --- bounds --------------------------------------------------------------------------------------------------

    @Test
    void retriesStopAtTheMaximumNumberOfAttempts() {
        server.setDispatcher(always(() -> new MockResponse().setResponseCode(500)));

        DeliveryOutcome outcome = client().maxAttempts(3).build().deliver(EVENT_ID, EVENT);

        assertThat(outcome.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(outcome.status()).isEqualTo(500);
        assertThat(outcome.attempts()).isEqualTo(3);
        assertThat(outcome.message()).contains("attempts exhausted");
        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(time.waits()).hasSize(2);
    }

    @Test
    void retriesStopWithinTheTimeBudget() {
        server.setDispatcher(always(() -> new MockResponse().setResponseCode(503)));
        Duration budget = Duration.ofSeconds(5);
        Duration callTimeout = Duration.ofSeconds(1);

        DeliveryOutcome outcome = client().maxAttempts(100).backoff(Duration.ofSeconds(1), Duration.ofSeconds(1))
                .callTimeout(callTimeout).timeBudget(budget).build().deliver(EVENT_ID, EVENT);

        assertThat(outcome.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(outcome.status()).isEqualTo(503);
        assertThat(outcome.message()).contains("time budget");
        assertThat(outcome.attempts()).isBetween(2, 100).isEqualTo(server.getRequestCount());
        // The last retry started only when its wait plus one whole call still fitted the budget.
        assertThat(time.slept().plus(callTimeout)).isLessThanOrEqualTo(budget);
    }

    @Test
    void withRealSleepsAHangingPlatformNeverKeepsADeliveryPastTheBudget() {
        server.setDispatcher(always(() -> new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE)));
        Duration budget = Duration.ofMillis(1500);

        OkHttpPlatformClient client = OkHttpPlatformClient.builder() // real sleeper and clocks
                .endpoint(server.url("/events").uri()).secrets(List.of(CURRENT))
                .readTimeout(Duration.ofSeconds(10)).callTimeout(Duration.ofMillis(300))
                .backoff(Duration.ofMillis(50), Duration.ofMillis(200))
                .maxAttempts(100).timeBudget(budget).build();

        long started = System.nanoTime();
        DeliveryOutcome outcome = client.deliver(EVENT_ID, EVENT);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(outcome.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(outcome.attempts()).isGreaterThanOrEqualTo(3);
        assertThat(outcome.message()).contains("time budget");
        // slack for the moment a timed-out call takes to unwind, not for another attempt (300 ms)
        assertThat(took).isLessThan(budget.plusMillis(250));
    }

    @Test
    void interruptionStopsRetryingAndKeepsTheFlag() {
        server.enqueue(new MockResponse().setResponseCode(503));
        OkHttpPlatformClient client = client().sleeper(d -> {
            throw new InterruptedException("host shutting down");
        }).build();

        try {
            DeliveryOutcome outcome = client.deliver(EVENT_ID, EVENT);
            assertThat(outcome.kind()).isEqualTo(Kind.TRANSIENT);
            assertThat(outcome.attempts()).isEqualTo(1);
            assertThat(outcome.message()).contains("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    // --- signing over the wire -----------------------------------------------------------------------------------

    @Test
    void duringRotationEachSecretAloneVerifiesTheDeliveredRequest() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200));

        client().secrets(List.of(CURRENT, PREVIOUS)).build().deliver(EVENT_ID, EVENT);

        RecordedRequest request = server.takeRequest();
        assertThat(request.getHeader("webhook-signature").split(" ")).hasSize(2);
        verifiedBy(CURRENT, request);
        verifiedBy(PREVIOUS, request);
        assertThatThrownBy(() -> verifiedBy(WebhookSignatureTest.newSecret(), request))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void aTamperedBodyFailsVerification() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200));

        client().build().deliver(EVENT_ID, EVENT);

        RecordedRequest request = server.takeRequest();
        String tampered = request.getBody().clone().readUtf8().replace("Sev3", "Sev0");
        assertThatThrownBy(() -> new Webhook(CURRENT.reveal()).verify(tampered, request.getHeaders().toMultimap()))
                .isInstanceOf(WebhookVerificationException.class);
    }

    // --- secrets -------------------------------------------------------------------------------------------------

    @Test
    void noSecretAppearsInAnyOutcomeMessageOrException() throws Exception {
        // An endpoint with a key in its query, and a platform that echoes what it received.
        URI endpoint = server.url("/events?code=TOPSECRETFUNCTIONKEY").uri();
        server.setDispatcher(new Dispatcher() {
            int n;

            @Override
            public synchronized MockResponse dispatch(RecordedRequest request) {
                String echo = request.getRequestUrl() + " " + request.getHeaders();
                return switch (n++) {
                    case 0 -> new MockResponse().setResponseCode(400).setBody(echo);
                    case 1 -> new MockResponse().setResponseCode(503).setBody(echo);
                    case 2 -> new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
                    default -> new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
                };
            }
        });
        OkHttpPlatformClient client = client().endpoint(endpoint).secrets(List.of(CURRENT, PREVIOUS))
                .readTimeout(Duration.ofMillis(300)).maxAttempts(1).build();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            texts.add(client.deliver(EVENT_ID, EVENT).message());
        }
        URI refused = server.url("/events?code=TOPSECRETFUNCTIONKEY").uri();
        server.shutdown();
        texts.add(client().endpoint(refused).secrets(List.of(CURRENT)).maxAttempts(1).build().deliver(EVENT_ID, EVENT).message());
        texts.add(client.toString());
        texts.add(catchMessage(() -> client().secrets(List.of(new Secret("whsec_NOT*BASE64*TOPSECRET"))).build()));
        texts.add(catchMessage(() -> client().endpoint(URI.create("ftp://host/x?code=TOPSECRETFUNCTIONKEY")).build()));

        assertThat(texts).hasSize(8).doesNotContainNull();
        for (String text : texts) {
            assertThat(text).doesNotContain(CURRENT.reveal()).doesNotContain(CURRENT.reveal().substring(6))
                    .doesNotContain(PREVIOUS.reveal()).doesNotContain(PREVIOUS.reveal().substring(6))
                    .doesNotContain("TOPSECRET");
        }
        assertThat(texts.get(0)).startsWith("HTTP 400");
        assertThat(texts.get(2)).startsWith("timeout");
    }

    // --- construction --------------------------------------------------------------------------------------------

    @Test
    void appliesItsPoliciesToASharedClientWithoutChangingIt() {
        OkHttpClient shared = new OkHttpClient();

        OkHttpPlatformClient client = client().okHttpClient(shared).build();

        OkHttpClient used = client.httpClient();
        assertThat(used.connectionPool()).isSameAs(shared.connectionPool());
        assertThat(used.dispatcher()).isSameAs(shared.dispatcher());
        assertThat(used.retryOnConnectionFailure()).isFalse();
        assertThat(used.followRedirects()).isFalse();
        assertThat(used.followSslRedirects()).isFalse();
        assertThat(used.connectTimeoutMillis()).isEqualTo(1_000);
        assertThat(used.writeTimeoutMillis()).isEqualTo(1_000);
        assertThat(used.readTimeoutMillis()).isEqualTo(1_000);
        assertThat(used.callTimeoutMillis()).isEqualTo(2_000);
        assertThat(shared.retryOnConnectionFailure()).isTrue();
        assertThat(shared.callTimeoutMillis()).isZero();
    }

    @Test
    void defaultsBoundEveryPartOfACall() {
        OkHttpPlatformClient client = OkHttpPlatformClient.builder()
                .endpoint(URI.create("https://platform.example.com/events")).secrets(List.of(CURRENT)).build();

        OkHttpClient used = client.httpClient();
        assertThat(used.connectTimeoutMillis()).isEqualTo(5_000);
        assertThat(used.writeTimeoutMillis()).isEqualTo(10_000);
        assertThat(used.readTimeoutMillis()).isEqualTo(10_000);
        assertThat(used.callTimeoutMillis()).isEqualTo(10_000);
        assertThat(used.retryOnConnectionFailure()).isFalse();
        assertThat(used.followRedirects()).isFalse();
        assertThat(client.toString()).contains("maxAttempts=4", "budget=PT30S", "1 secret");
    }

    @Test
    void refusesAConfigurationThatCannotWork() {
        URI url = URI.create("https://platform.example.com/events");
        List<Secret> secrets = List.of(CURRENT);
        assertThatThrownBy(() -> OkHttpPlatformClient.builder().secrets(secrets).build()).hasMessageContaining("endpoint");
        assertThatThrownBy(() -> OkHttpPlatformClient.builder().endpoint(url).build()).hasMessageContaining("secrets");
        assertThatThrownBy(() -> OkHttpPlatformClient.builder().endpoint(URI.create("/relative")).secrets(secrets).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OkHttpPlatformClient.builder().endpoint(url).secrets(secrets)
                .callTimeout(Duration.ofSeconds(20)).timeBudget(Duration.ofSeconds(10)).build())
                .hasMessageContaining("timeBudget");
        assertThatThrownBy(() -> OkHttpPlatformClient.builder().maxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OkHttpPlatformClient.builder().readTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OkHttpPlatformClient.builder().endpoint(url).secrets(secrets)
                .backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build()).isInstanceOf(IllegalArgumentException.class);
    }

    private static Dispatcher always(Supplier<MockResponse> response) {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return response.get();
            }
        };
    }

    private static String catchMessage(Runnable r) {
        try {
            r.run();
            return null;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /** Wires the fake time into a client builder (its time seams are package-private). */
    private OkHttpPlatformClient.Builder withFakeTime(OkHttpPlatformClient.Builder builder) {
        return builder.sleeper(time).nanoTime(time.nanoTime()).clock(time.clock());
    }
}
