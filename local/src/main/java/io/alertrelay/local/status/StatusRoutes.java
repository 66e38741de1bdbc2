package io.alertrelay.local.status;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.alertrelay.local.platform.Recorded;
import io.alertrelay.local.platform.SamplePlatformReceiver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The status page: {@code /} is plain HTML whose few lines of JavaScript fetch {@code /status.json} every second;
 * {@code /status/deliveries.json} lists the sample receiver's arrivals for the load command: {@code ?since=<epoch ms>}
 * those that arrived since then, {@code ?after=<position>} those recorded after the {@code next} position an earlier
 * answer gave (a poller then reads each once). Either costs what it returns, not the whole record.
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
        String query = exchange.getRequestURI().getRawQuery();
        SamplePlatformReceiver receiver = sources.receiver().get();
        Recorded recorded;
        try {
            Long after = parameter(query, "after");
            if (after != null) {
                recorded = receiver.recordedAfter((int) Math.min(Integer.MAX_VALUE, after));
            } else {
                Long since = parameter(query, "since");
                recorded = receiver.arrivedSince(since == null ? 0 : since);
            }
        } catch (NumberFormatException e) {
            send(exchange, 400, "text/plain; charset=utf-8", ("since and after are whole numbers (epoch "
                    + "milliseconds, a position): " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(exchange, 200, "application/json", StatusJson.deliveries(recorded).toString()
                .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A whole-number query parameter, at least 0; null when absent.
     *
     * @throws NumberFormatException when it is not a whole number
     */
    private static Long parameter(String query, String name) {
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith(name + "=")) {
                    return Math.max(0, Long.parseLong(pair.substring(name.length() + 1)));
                }
            }
        }
        return null;
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
