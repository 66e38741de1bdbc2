package io.alertrelay.adapter.platform;

import io.alertrelay.retry.Sleeper;

import io.alertrelay.retry.RetryBudget;

import io.alertrelay.retry.Backoff;

import io.alertrelay.domain.DeliveryOutcome;
import io.alertrelay.domain.DeliveryOutcome.Kind;
import io.alertrelay.port.PlatformClient;
import io.alertrelay.settings.Secret;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.Random;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import okhttp3.HttpUrl;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttp;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Delivers platform events to the platform endpoint over OkHttp (DESIGN §3, §6): a signed POST of the CloudEvents
 * structured-mode JSON, retried within one call while the failure is transient and the time budget allows.
 *
 * <ul>
 *   <li>2xx → DELIVERED. 408, 429, 5xx, 3xx (never followed: the signature must not travel elsewhere), timeouts and
 *       I/O failures (refused, reset, disconnected) → retried, then TRANSIENT. Any other status → REJECTED at
 *       once.</li>
 *   <li>Before every attempt the caller's gate is asked whether the event is still wanted (DESIGN §4: a Fired whose
 *       Resolved came meanwhile is not); if not, no request is made: WITHDRAWN.</li>
 *   <li>Every attempt is signed afresh with the current time, since receivers reject stale timestamps;
 *       {@code webhook-id} and {@code Idempotency-Key} stay the event id, so the platform can drop a repeat of an
 *       attempt whose answer we never saw.</li>
 *   <li>Waits are full-jitter exponential backoff, or longer if the server's Retry-After asks for it; no retry
 *       starts unless its wait plus one whole call ends within the time budget.</li>
 * </ul>
 *
 * Thread-safe and immutable; build one per process and share it (it holds one shared {@link OkHttpClient}).
 */
public final class OkHttpPlatformClient implements PlatformClient {

    static final MediaType CLOUDEVENTS_JSON = MediaType.get("application/cloudevents+json");
    /** Enough of an error body to say why the platform refused, short enough for a stored lastError. */
    static final int ERROR_BODY_PREFIX_BYTES = 256;
    static final int ERROR_DETAIL_CHARS = 200;
    static final int DEFAULT_MAX_IDLE_CONNECTIONS = 64;

    private final HttpUrl endpoint;
    private final WebhookSigner signer;
    private final OkHttpClient http;
    private final int maxAttempts;
    private final Backoff backoff;
    private final RetryBudget budget;
    private final Duration longestDelivery;
    private final Sleeper sleeper;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final String userAgent;
    /** Parts of the endpoint URL that may be keys (query values such as {@code code=}, a password): never shown. */
    private final List<String> endpointSecrets;

    private OkHttpPlatformClient(Builder b, OkHttpClient http) {
        this.endpoint = HttpUrl.get(b.endpoint);
        this.endpointSecrets = endpointSecrets(endpoint);
        this.signer = new WebhookSigner(b.secrets);
        this.http = http;
        this.maxAttempts = b.maxAttempts;
        this.backoff = new Backoff(b.backoffBase, b.backoffCap, b.random);
        this.budget = new RetryBudget(b.timeBudget, b.callTimeout);
        this.longestDelivery = b.timeBudget.plus(b.callTimeout);
        this.sleeper = b.sleeper;
        this.nanoTime = b.nanoTime;
        this.clock = b.clock;
        this.userAgent = userAgent();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} The time budget plus one call: the last attempt may start just inside the budget. */
    @Override
    public Duration longestDelivery() {
        return longestDelivery;
    }

    @Override
    public DeliveryOutcome deliver(String eventId, byte[] cloudEventJson, AttemptGate gate) {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(cloudEventJson, "cloudEventJson");
        if (eventId.isBlank()) {
            throw new IllegalArgumentException("eventId is blank");
        }
        long start = nanoTime.getAsLong();
        for (int attempt = 1; ; attempt++) {
            if (!gate.stillWanted()) {
                return DeliveryOutcome.withdrawn(attempt - 1);
            }
            Attempt result = attempt(eventId, cloudEventJson);
            if (result.kind == Kind.DELIVERED) {
                return DeliveryOutcome.delivered(result.status, attempt);
            }
            if (result.kind == Kind.REJECTED) {
                return DeliveryOutcome.rejected(result.status, result.message, attempt);
            }
            if (Thread.currentThread().isInterrupted()) {
                return result.giveUp("interrupted", attempt);
            }
            if (attempt >= maxAttempts) {
                return result.giveUp("attempts exhausted", attempt);
            }
            Duration elapsed = Duration.ofNanos(nanoTime.getAsLong() - start);
            Optional<Duration> wait = budget.nextWait(elapsed, backoff.delay(attempt - 1), result.retryAfter);
            if (wait.isEmpty()) {
                return result.giveUp("time budget spent", attempt);
            }
            try {
                sleeper.sleep(wait.get());
            } catch (InterruptedException e) {
                // The host is shutting down or cancelled the invocation: stop now, the broker will redeliver.
                Thread.currentThread().interrupt();
                return result.giveUp("interrupted", attempt);
            }
        }
    }

    /** One signed POST, classified. Never throws for an HTTP or network failure. */
    private Attempt attempt(String eventId, byte[] body) {
        long timestamp = clock.instant().getEpochSecond();
        Request request = new Request.Builder()
                .url(endpoint)
                .header("webhook-id", eventId)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", signer.signature(eventId, timestamp, body))
                .header("Idempotency-Key", eventId)
                .header("User-Agent", userAgent)
                .post(RequestBody.create(body, CLOUDEVENTS_JSON)) // bytes: no "; charset" is appended
                .build();
        // try-with-resources: an unclosed body leaks the connection and keeps the call timeout's timer running.
        try (Response response = http.newCall(request).execute()) {
            int status = response.code();
            if (status >= 200 && status < 300) {
                return new Attempt(Kind.DELIVERED, status, "delivered", Optional.empty());
            }
            String message = "HTTP " + status + errorDetail(response);
            if (status >= 300 && status < 400) {
                // Not followed (a signed request must not travel to another address), and not final either: a
                // redirect is the platform's configuration or a proxy in the way, which someone can fix.
                return new Attempt(Kind.TRANSIENT, status, "HTTP " + status + " redirect, not followed",
                        Optional.empty());
            }
            if (status == 408 || status == 429 || status >= 500) {
                Optional<Duration> retryAfter = RetryAfter.parse(response.header("Retry-After"), clock.instant());
                return new Attempt(Kind.TRANSIENT, status, message, retryAfter);
            }
            return new Attempt(Kind.REJECTED, status, message, Optional.empty());
        } catch (IOException e) {
            return new Attempt(Kind.TRANSIENT, null, describe(e), Optional.empty());
        }
    }

    /**
     * A short, single-line prefix of the error body, or nothing if it cannot be read within the timeouts. Only a
     * prefix: the body may be a whole HTML error page, and the message is stored with the document.
     */
    private String errorDetail(Response response) {
        try {
            String text = scrub(response.peekBody(ERROR_BODY_PREFIX_BYTES).string()); // before cutting: no half keys
            String line = text.replaceAll("\\p{Cntrl}+", " ").replaceAll("\\s+", " ").trim();
            if (line.length() > ERROR_DETAIL_CHARS) {
                line = line.substring(0, ERROR_DETAIL_CHARS) + "…";
            }
            return line.isEmpty() ? "" : ": " + line;
        } catch (IOException e) {
            return ""; // the status alone classifies the answer; a stalled body must not turn it into a timeout
        }
    }

    /** The failure for lastError and the logs: what kind, and OkHttp's own words (host and port, never the query). */
    private String describe(IOException e) {
        String kind = e instanceof InterruptedIOException && !Thread.currentThread().isInterrupted()
                ? "timeout" : "I/O failure";
        return kind + " (" + e.getClass().getSimpleName() + ": " + scrub(String.valueOf(e.getMessage())) + ")";
    }

    /**
     * The endpoint may carry a key (an Azure Functions {@code ?code=}); an error page or an exception that quotes
     * the URL must not carry it into the stored document and the logs.
     */
    private String scrub(String text) {
        String scrubbed = text.replace(endpoint.toString(), endpoint.redact());
        for (String secret : endpointSecrets) {
            scrubbed = scrubbed.replace(secret, "***");
        }
        return scrubbed;
    }

    private static List<String> endpointSecrets(HttpUrl url) {
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < url.querySize(); i++) {
            secrets.add(url.queryParameterValue(i)); // decoded, as an error page might show it
        }
        if (url.encodedQuery() != null) {
            for (String pair : url.encodedQuery().split("&")) {
                secrets.add(pair.substring(pair.indexOf('=') + 1)); // encoded, as in the URL itself
            }
        }
        secrets.add(url.password());
        secrets.add(url.encodedPassword());
        // shorter values are flags and numbers: replacing them everywhere would garble messages, not protect keys
        return secrets.stream().filter(v -> v != null && v.length() >= 4).distinct().toList();
    }

    private static String userAgent() {
        String version = OkHttpPlatformClient.class.getPackage().getImplementationVersion();
        return "AlertRelay/" + (version == null ? "dev" : version) + " okhttp/" + OkHttp.VERSION;
    }

    /** The OkHttpClient actually used (shared connection pool, our timeouts); for tests and diagnostics. */
    OkHttpClient httpClient() {
        return http;
    }

    @Override
    public String toString() {
        return "OkHttpPlatformClient[endpoint=" + endpoint.redact() + ", " + signer + ", maxAttempts=" + maxAttempts
                + ", " + backoff + ", budget=" + budget.budget() + "]";
    }

    private record Attempt(Kind kind, Integer status, String message, Optional<Duration> retryAfter) {
        DeliveryOutcome giveUp(String why, int attempts) {
            return DeliveryOutcome.transientFailure(status, message + "; gave up: " + why, attempts);
        }
    }

    /**
     * Settings for one client; {@link #build()} checks them and builds the OkHttpClient once. Defaults: connect 5 s,
     * write 10 s, read 10 s, whole call 10 s, 4 attempts, backoff base 500 ms and cap 8 s, time budget 30 s.
     */
    public static final class Builder {
        private URI endpoint;
        private List<Secret> secrets;
        private OkHttpClient sharedClient;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration writeTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(10);
        private Duration callTimeout = Duration.ofSeconds(10);
        private int maxAttempts = 4;
        private int maxIdleConnections = DEFAULT_MAX_IDLE_CONNECTIONS;
        private Duration backoffBase = Duration.ofMillis(500);
        private Duration backoffCap = Duration.ofSeconds(8);
        private Duration timeBudget = Duration.ofSeconds(30);
        private Sleeper sleeper = Sleeper.THREAD_SLEEP;
        private LongSupplier nanoTime = System::nanoTime;
        private Clock clock = Clock.systemUTC();
        private RandomGenerator random = new Random();

        private Builder() {
        }

        /** The platform endpoint, http or https ({@code PLATFORM_ENDPOINT_URL}). Required. */
        public Builder endpoint(URI endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /** One signing secret, or two during rotation, current first ({@code PLATFORM_SIGNING_SECRET}). Required. */
        public Builder secrets(List<Secret> secrets) {
            this.secrets = List.copyOf(Objects.requireNonNull(secrets, "secrets"));
            return this;
        }

        /**
         * A process-wide OkHttpClient to share its connection pool and threads. Our timeouts and policies are
         * applied to a derived client ({@link OkHttpClient#newBuilder()} shares the pool); the given one is unchanged.
         * Without it, the builder makes one.
         */
        public Builder okHttpClient(OkHttpClient client) {
            this.sharedClient = Objects.requireNonNull(client, "client");
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        public Builder writeTimeout(Duration timeout) {
            this.writeTimeout = positive(timeout, "writeTimeout");
            return this;
        }

        /** The longest silence while waiting for the answer. */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "readTimeout");
            return this;
        }

        /** The bound on one whole attempt, connect to last byte; the budget reserves this much for each retry. */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = positive(timeout, "callTimeout");
            return this;
        }

        /**
         * How many idle connections to the platform the client keeps for reuse (default
         * {@value #DEFAULT_MAX_IDLE_CONNECTIONS}: the two dequeuer functions × host.json's {@code maxConcurrentCalls}
         * 32). OkHttp's default pool keeps 5 ("holds up to 5 idle connections which will be evicted after 5 minutes of
         * inactivity", https://square.github.io/okhttp/4.x/okhttp/okhttp3/-connection-pool/), so with more
         * deliveries under way than that every burst closed most connections and opened new ones — a TCP and TLS
         * handshake per delivery (issue 16's profile found connects in the delivery path). Ignored with
         * {@link #okHttpClient}: a shared client brings its own pool.
         */
        public Builder maxIdleConnections(int maxIdleConnections) {
            if (maxIdleConnections < 1) {
                throw new IllegalArgumentException("maxIdleConnections must be >= 1: " + maxIdleConnections);
            }
            this.maxIdleConnections = maxIdleConnections;
            return this;
        }

        /** HTTP calls per delivery, the first included; 1 disables retries. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Full-jitter exponential backoff: the wait before retry n is uniform in [0, min(cap, base * 2^n)]. */
        public Builder backoff(Duration base, Duration cap) {
            this.backoffBase = positive(base, "backoff base");
            this.backoffCap = positive(cap, "backoff cap");
            return this;
        }

        /**
         * The most one {@link #deliver} may take, waits included; keep it well inside the Service Bus lock duration.
         * Must hold at least one call timeout.
         */
        public Builder timeBudget(Duration budget) {
            this.timeBudget = positive(budget, "timeBudget");
            return this;
        }

        /** For tests: records waits instead of sleeping. */
        Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** For tests: the monotonic time, in nanoseconds, that the budget is measured with. */
        Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        /** For tests: the wall clock of {@code webhook-timestamp} and of Retry-After dates. */
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** For tests: the jitter source. */
        Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        public OkHttpPlatformClient build() {
            if (endpoint == null) {
                throw new IllegalStateException("endpoint is required");
            }
            if (!endpoint.isAbsolute() || !("https".equalsIgnoreCase(endpoint.getScheme())
                    || "http".equalsIgnoreCase(endpoint.getScheme())) || HttpUrl.parse(endpoint.toString()) == null) {
                throw new IllegalArgumentException("endpoint must be an absolute http(s) URL: "
                        + (endpoint.getScheme() + "://" + endpoint.getHost())); // not the query: it may hold a key
            }
            if (secrets == null) {
                throw new IllegalStateException("signing secrets are required: every delivery is signed");
            }
            if (timeBudget.compareTo(callTimeout) < 0) {
                throw new IllegalArgumentException("timeBudget " + timeBudget + " is shorter than one call timeout " + callTimeout);
            }
            new Backoff(backoffBase, backoffCap); // validates base <= cap before anything is built
            OkHttpClient.Builder http = sharedClient != null ? sharedClient.newBuilder()
                    : new OkHttpClient.Builder().connectionPool(new ConnectionPool(maxIdleConnections, 5, TimeUnit.MINUTES));
            http.connectTimeout(connectTimeout)
                    .writeTimeout(writeTimeout)
                    .readTimeout(readTimeout)
                    .callTimeout(callTimeout)
                    // OkHttp would otherwise resend the POST by itself after some connection failures, invisible
                    // to our attempts, budget and logs; our loop is the only place that retries.
                    .retryOnConnectionFailure(false)
                    // A redirect of a signed POST is a misconfigured endpoint: report it (REJECTED), don't follow.
                    .followRedirects(false)
                    .followSslRedirects(false);
            return new OkHttpPlatformClient(this, http.build());
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}
