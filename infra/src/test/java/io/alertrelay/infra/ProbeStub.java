package io.alertrelay.infra;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.alertrelay.domain.schema.AlertNormaliser;
import io.alertrelay.domain.PlatformEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.IntFunction;

/**
 * A stand-in for a deployed Alert Relay, speaking the probe's contract (DESIGN §5): {@code POST
 * /api/alerts/{tenant}?token=&code=} answers 202 {"id","type"} with the id the real normaliser gives the body, and
 * {@code GET /api/events/{tenant}/{id}} answers what the test scripts, 401 without the admin key. It records what
 * it was sent.
 */
final class ProbeStub implements AutoCloseable {

    record Answer(int status, String body) {
    }

    record Post(Map<String, String> query, String contentType, byte[] body, PlatformEvent event) {
    }

    record Get(String path, String functionsKey) {
    }

    final List<Post> posts = new CopyOnWriteArrayList<>();
    final List<Get> gets = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final String adminKey;
    /** (attempt from 1, event id) -> answer of the webhook. */
    volatile BiFunction<Integer, String, Answer> webhook = (n, id) ->
            new Answer(202, "{\"id\":\"" + id + "\",\"type\":\"io.alertrelay.probe\"}");
    /** poll from 1 -> answer of the status read. */
    volatile IntFunction<Answer> status = n -> new Answer(404, "{\"title\":\"Not found\",\"status\":404}");

    ProbeStub(String adminKey) throws IOException {
        this.adminKey = adminKey;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/alerts/", this::webhook);
        server.createContext("/api/events/", this::status);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void webhook(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String tenant = exchange.getRequestURI().getPath().substring("/api/alerts/".length());
        PlatformEvent event;
        try {
            event = new AlertNormaliser().normalise(tenant, body);
        } catch (RuntimeException e) {
            send(exchange, new Answer(400, "{\"title\":\"Bad notification\"}"));
            return;
        }
        posts.add(new Post(query(exchange.getRequestURI().getRawQuery()),
                exchange.getRequestHeaders().getFirst("Content-Type"), body, event));
        send(exchange, webhook.apply(posts.size(), event.id()));
    }

    private void status(HttpExchange exchange) throws IOException {
        String key = exchange.getRequestHeaders().getFirst("x-functions-key");
        gets.add(new Get(exchange.getRequestURI().getPath(), key));
        send(exchange, adminKey.equals(key) ? status.apply(gets.size()) : new Answer(401, ""));
    }

    private static void send(HttpExchange exchange, Answer a) throws IOException {
        byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", a.status() < 300 ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** The EventStatus answer for a status (DESIGN §5, §7): status fields only, never the payload. */
    static Answer eventStatus(String id, String status) {
        String lastError = status.equals("delivered") || status.equals("received") ? "null"
                : "{\"status\":422,\"message\":\"the platform refused it\"}";
        return new Answer(200, "{\"id\":\"" + id + "\",\"tenant\":\"alertrelay-probe\",\"type\":\"io.alertrelay.probe\","
                + "\"status\":\"" + status + "\",\"attempts\":1,\"createdAt\":\"2026-01-01T00:00:00Z\","
                + "\"updatedAt\":\"2026-01-01T00:00:01Z\",\"deliveredAt\":" + (status.equals("delivered")
                ? "\"2026-01-01T00:00:01Z\"" : "null") + ",\"lastError\":" + lastError + "}");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
