package io.alertrelay.local.host;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /api/noop}: reads the body and answers 202 at once — the local HTTP server with nothing behind it, the
 * baseline the load command compares the webhook with. It waits on the functions' {@link HttpRequestThrottle}, as a
 * function would, so the baseline goes through what the webhook's requests go through short of the function. Exists
 * only in the local host, never in Azure.
 */
public final class NoopWebhook implements HttpHandler {

    public static final String PATH = "/api/noop";
    private static final byte[] ACCEPTED = "{\"accepted\":true}".getBytes(StandardCharsets.UTF_8);

    private final HttpRequestThrottle throttle;

    public NoopWebhook(HttpRequestThrottle throttle) {
        this.throttle = throttle;
    }

    /** Reads the body first, as the host does for a function, then answers once the throttle lets it. */
    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        throttle.serve(exchange, () -> accept(exchange));
    }

    private static void accept(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(202, ACCEPTED.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(ACCEPTED);
        }
    }
}
