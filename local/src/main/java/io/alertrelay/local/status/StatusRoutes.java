package io.alertrelay.local.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The status page: {@code /} is plain HTML whose few lines of JavaScript fetch {@code /status.json} every second;
 * {@code /status/deliveries.json?since=<epoch ms>} lists the sample receiver's arrivals (for the load command).
 */
public final class StatusRoutes {

    private final StatusSources sources;
    private final byte[] page;

    public StatusRoutes(StatusSources sources) {
        this.sources = sources;
        this.page = resource("index.html");
    }

    /** Path → handler, for the local HTTP host. */
    public Map<String, HttpHandler> routes() {
        Map<String, HttpHandler> routes = new LinkedHashMap<>();
        routes.put("/", this::page);
        routes.put("/status.json", this::status);
        routes.put("/status/deliveries.json", this::deliveries);
        return routes;
    }

    private void page(HttpExchange exchange) throws IOException {
        send(exchange, 200, "text/html; charset=utf-8", page);
    }

    private void status(HttpExchange exchange) throws IOException {
        send(exchange, 200, "application/json", StatusJson.status(sources).toString().getBytes(StandardCharsets.UTF_8));
    }

    private void deliveries(HttpExchange exchange) throws IOException {
        if (sources.receiver().isEmpty()) {
            send(exchange, 404, "text/plain; charset=utf-8",
                    "no sample receiver: PLATFORM_ENDPOINT_URL is set".getBytes(StandardCharsets.UTF_8));
            return;
        }
        long since = sinceParameter(exchange.getRequestURI().getRawQuery());
        send(exchange, 200, "application/json", StatusJson.deliveries(sources.receiver().get().arrivedSince(since))
                .toString().getBytes(StandardCharsets.UTF_8));
    }

    private static long sinceParameter(String query) {
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("since=")) {
                    try {
                        return Long.parseLong(pair.substring("since=".length()));
                    } catch (NumberFormatException ignored) {
                        return 0;
                    }
                }
            }
        }
        return 0;
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = StatusRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("status page resource " + name + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
