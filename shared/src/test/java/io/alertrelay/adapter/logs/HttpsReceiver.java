package io.alertrelay.adapter.logs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * A local stand-in for the Logs Ingestion endpoint: HTTPS on 127.0.0.1 (JDK HttpsServer, {@link TestCertificate}),
 * records each request (path, query, headers, gunzipped body, rows) and answers as scripted (default 204, as the
 * service does).
 */
final class HttpsReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    record Request(long receivedNanos, String method, String path, String query, Map<String, String> headers,
                   int compressedBytes, byte[] body, List<JsonNode> rows) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A scripted answer. */
    record Answer(int status, Map<String, String> headers, String body) {
        static Answer of(int status) {
            return new Answer(status, Map.of(), null);
        }

        static Answer throttled(int retryAfterSeconds) {
            return new Answer(429, Map.of("Retry-After", String.valueOf(retryAfterSeconds)),
                    "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"slow down\"}}");
        }

        static Answer serverError() {
            return new Answer(500, Map.of(), "{\"error\":{\"code\":\"InternalServerError\",\"message\":\"oops\"}}");
        }
    }

    private final HttpsServer server;
    // named, so a benchmark can tell the stand-in's CPU from the sink's
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> new Thread(r, "logs-receiver"));
    private final boolean keepRequests;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedDeque<Answer> script = new ConcurrentLinkedDeque<>();
    private final AtomicLong requestCount = new AtomicLong();
    private final AtomicLong rowCount = new AtomicLong();
    private final AtomicLong acceptedRowCount = new AtomicLong();
    private final AtomicLong maxUncompressedBytes = new AtomicLong();

    private HttpsReceiver(boolean keepRequests) throws IOException {
        this.keepRequests = keepRequests;
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(TestCertificate.get().serverContext()));
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Keeps every request and its parsed rows. */
    static HttpsReceiver start() throws IOException {
        return new HttpsReceiver(true);
    }

    /** Counts requests and rows only (for the benchmark). */
    static HttpsReceiver startCounting() throws IOException {
        return new HttpsReceiver(false);
    }

    String endpoint() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers the next requests with these, in order; then 204 again. */
    void script(Answer... answers) {
        Collections.addAll(script, answers);
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Rows of requests answered 2xx. */
    List<JsonNode> rows() {
        List<JsonNode> rows = new ArrayList<>();
        for (Request r : requests) {
            rows.addAll(r.rows());
        }
        return rows;
    }

    long requestCount() {
        return requestCount.get();
    }

    long rowCount() {
        return rowCount.get();
    }

    long acceptedRowCount() {
        return acceptedRowCount.get();
    }

    long maxUncompressedBytes() {
        return maxUncompressedBytes.get();
    }

    /** Waits until at least {@code n} rows were accepted (2xx); returns the count then. */
    long awaitAcceptedRows(long n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acceptedRowCount.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return acceptedRowCount.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            long now = System.nanoTime();
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
            byte[] body = raw;
            if (encoding != null && encoding.equalsIgnoreCase("gzip")) {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                    body = in.readAllBytes();
                }
            }
            Answer answer = script.poll();
            if (answer == null) {
                answer = Answer.of(204);
            }
            boolean ok = answer.status() / 100 == 2;
            requestCount.incrementAndGet();
            maxUncompressedBytes.accumulateAndGet(body.length, Math::max);
            if (keepRequests) {
                Map<String, String> headers = new TreeMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
                List<JsonNode> rows = new ArrayList<>();
                JsonNode array = JSON.readTree(body);
                array.forEach(rows::add);
                rowCount.addAndGet(rows.size());
                if (ok) {
                    acceptedRowCount.addAndGet(rows.size());
                }
                requests.add(new Request(now, exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestURI().getRawQuery(), headers, raw.length, body, ok ? rows : List.of()));
            } else {
                long n = countArrayElements(body);
                rowCount.addAndGet(n);
                if (ok) {
                    acceptedRowCount.addAndGet(n);
                }
            }
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            if (answer.body() == null) {
                exchange.sendResponseHeaders(answer.status(), -1);
            } else {
                byte[] b = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(answer.status(), b.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(b);
                }
            }
        }
    }

    private static long countArrayElements(byte[] body) throws IOException {
        long n = 0;
        try (JsonParser p = JSON.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return 0;
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                p.skipChildren();
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
