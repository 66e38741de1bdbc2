package io.alertrelay.local.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.alertrelay.local.host.LoopbackHttpServers;
import io.alertrelay.settings.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The platform endpoint of the local runtime (used when {@code PLATFORM_ENDPOINT_URL} is not set), on its own
 * loopback port so it keeps answering while the pipeline drains at stop. {@code POST /platform/events} verifies the
 * Standard Webhooks signature with the standardwebhooks library — an implementation independent of our signer —
 * against every configured secret, answers 401 when none matches, and otherwise records the event once per
 * Idempotency-Key (204), acknowledging a repeat without recording it again (200).
 *
 * <p>{@code POST /platform/outage?on=true} makes it answer 503 to every delivery until {@code on=false}: a platform
 * outage, to watch retries and the dead-letter queue.
 */
public final class SamplePlatformReceiver implements AutoCloseable {

    public static final String EVENTS_PATH = "/platform/events";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService workers;
    private final List<Webhook> verifiers;
    private final DeliveryLog log;
    private final Map<String, AtomicInteger> acceptedRequests = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong repeats = new AtomicLong();
    private final AtomicLong badSignatures = new AtomicLong();
    private volatile boolean outage;

    static {
        LoopbackHttpServers.configure();
    }

    private SamplePlatformReceiver(HttpServer server, ExecutorService workers, List<Webhook> verifiers,
                                   DeliveryLog log) {
        this.server = server;
        this.workers = workers;
        this.verifiers = verifiers;
        this.log = log;
    }

    /**
     * Starts on 127.0.0.1:port (0 = any free port), verifying with {@code secrets} (whsec_…), recording to
     * {@code deliveriesFile} (read first: deliveries recorded before a restart are still known).
     */
    public static SamplePlatformReceiver start(int port, List<Secret> secrets, Path deliveriesFile) throws IOException {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("the receiver needs the signing secret to verify deliveries");
        }
        List<Webhook> verifiers = new ArrayList<>();
        for (Secret s : secrets) {
            try {
                verifiers.add(new Webhook(s.reveal()));
            } catch (com.standardwebhooks.exceptions.EmptyWebhookSecretException e) {
                throw new IllegalArgumentException("a signing secret is empty");
            }
        }
        DeliveryLog log = DeliveryLog.open(deliveriesFile);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        ExecutorService workers = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "platform-receiver");
            t.setDaemon(true);
            return t;
        });
        SamplePlatformReceiver receiver = new SamplePlatformReceiver(server, workers, verifiers, log);
        server.createContext(EVENTS_PATH, receiver::events);
        server.createContext("/platform/outage", receiver::outage);
        server.setExecutor(workers);
        server.start();
        return receiver;
    }

    public URI eventsUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + EVENTS_PATH);
    }

    /** While on, every delivery is answered 503. */
    public void outage(boolean on) {
        outage = on;
    }

    public boolean inOutage() {
        return outage;
    }

    public Optional<Delivery> delivery(String eventId) {
        return log.find(eventId);
    }

    public int deliveryCount() {
        return log.size();
    }

    public List<Delivery> deliveries() {
        return log.all();
    }

    public List<Delivery> latest(int limit) {
        return log.latest(limit);
    }

    /** The deliveries that arrived at or after {@code epochMillis}, in the order recorded. */
    public Recorded arrivedSince(long epochMillis) {
        return log.arrivedSince(epochMillis);
    }

    /** The deliveries recorded after {@code position}, a {@link Recorded#next()} read before. */
    public Recorded recordedAfter(int position) {
        return log.recordedAfter(position);
    }

    /** Correctly signed requests for this event since start, repeats included (0 if none). */
    public int acceptedRequests(String eventId) {
        AtomicInteger n = acceptedRequests.get(eventId);
        return n == null ? 0 : n.get();
    }

    public Stats stats() {
        return new Stats(requests.get(), log.size(), repeats.get(), badSignatures.get(), outage);
    }

    /** Counters since start; {@code deliveries} includes those recorded before a restart. */
    public record Stats(long requests, int deliveries, long repeats, long badSignatures, boolean outage) {
    }

    private void events(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                answer(exchange, 405, "POST only");
                return;
            }
            requests.incrementAndGet();
            long arrived = System.currentTimeMillis();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (outage) {
                answer(exchange, 503, "platform outage (switched on at /platform/outage)");
                return;
            }
            if (!verified(exchange, body)) {
                badSignatures.incrementAndGet();
                answer(exchange, 401, "signature does not verify");
                return;
            }
            String id = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            if (id == null || id.isBlank()) {
                answer(exchange, 400, "Idempotency-Key is missing");
                return;
            }
            acceptedRequests.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            JsonNode event = parse(body);
            if (log.recordIfNew(new Delivery(id, text(event, "type"), text(event, "tenant"), arrived))) {
                answer(exchange, 204, null);
            } else {
                repeats.incrementAndGet();
                answer(exchange, 200, "already received " + id);
            }
        }
    }

    private boolean verified(HttpExchange exchange, byte[] body) {
        Map<String, List<String>> headers = Map.of(
                "webhook-id", header(exchange, "webhook-id"),
                "webhook-timestamp", header(exchange, "webhook-timestamp"),
                "webhook-signature", header(exchange, "webhook-signature"));
        String payload = new String(body, StandardCharsets.UTF_8);
        for (Webhook verifier : verifiers) {
            try {
                verifier.verify(payload, headers);
                return true;
            } catch (WebhookVerificationException e) {
                // try the other secret (rotation)
            }
        }
        return false;
    }

    private void outage(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                answer(exchange, 405, "POST ?on=true|false");
                return;
            }
            String query = String.valueOf(exchange.getRequestURI().getQuery());
            outage = query.contains("on=true");
            answer(exchange, 200, "outage " + (outage ? "on" : "off"));
        }
    }

    private static List<String> header(HttpExchange exchange, String name) {
        List<String> values = exchange.getRequestHeaders().get(name);
        return values == null ? List.of() : values;
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode n, String field) {
        return n != null && n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
        if (text == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        LoopbackHttpServers.stop(server, workers);
        log.close();
    }
}
