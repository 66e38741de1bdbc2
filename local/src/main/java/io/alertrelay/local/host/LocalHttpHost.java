package io.alertrelay.local.host;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.alertrelay.functions.AlertWebhook;
import io.alertrelay.functions.Health;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves the HTTP functions on loopback with the routes, methods and bindings their {@code function.json} declares
 * (route prefix {@code api}), calling the very function classes Azure runs. Function keys are not checked, as with
 * Core Tools locally. Not a Functions host: no bindings other than HTTP, no proxies, no host keys.
 *
 * <p>The local runtime adds routes of its own outside the functions' ({@link #start(int, int, Map)}): the status
 * page, and a no-op webhook that measures this server without the pipeline behind it.
 */
public final class LocalHttpHost implements AutoCloseable {

    /** The Functions host's default request body limit (100 MB); larger requests never reach a function. */
    static final long HOST_MAX_REQUEST_BYTES = 100L * 1024 * 1024;
    private static final Pattern ALERTS = Pattern.compile("/api/alerts/([^/]+)/?");

    private final HttpServer server;
    private final ExecutorService workers;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closing;
    private final AlertWebhook webhook = new AlertWebhook();
    private final Health health = new Health();
    private final Map<String, HttpHandler> localRoutes;

    private LocalHttpHost(HttpServer server, ExecutorService workers, Map<String, HttpHandler> localRoutes) {
        this.server = server;
        this.workers = workers;
        this.localRoutes = Map.copyOf(localRoutes);
    }

    static {
        LoopbackHttpServers.sendWithoutDelay();
    }

    /** Starts on 127.0.0.1:port (0 = any free port) with a bounded pool of request threads. */
    public static LocalHttpHost start(int port, int threads) throws IOException {
        return start(port, threads, Map.of());
    }

    /**
     * As {@link #start(int, int)}, also serving {@code localRoutes} (exact path → handler) for paths no function
     * has. They share the request threads, the 503 while closing and the drain of in-flight requests.
     */
    public static LocalHttpHost start(int port, int threads, Map<String, HttpHandler> localRoutes) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        ExecutorService workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "http-function");
            t.setDaemon(true);
            return t;
        });
        LocalHttpHost host = new LocalHttpHost(server, workers, localRoutes);
        server.createContext("/", host::handle);
        server.setExecutor(workers);
        server.start();
        return host;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    private void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try (exchange) {
            if (closing) {
                exchange.getResponseHeaders().set("Retry-After", "5");
                sendPlain(exchange, 503, "shutting down");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Matcher alerts = ALERTS.matcher(path);
            if (alerts.matches()) {
                if (!method.equals("POST")) {
                    sendPlain(exchange, 405, "method not allowed");
                    return;
                }
                Optional<byte[]> body = readBody(exchange);
                if (body == null) {
                    sendPlain(exchange, 413, "request body too large");
                    return;
                }
                String tenant = URLDecoder.decode(alerts.group(1), StandardCharsets.UTF_8);
                var request = request(exchange, HttpMethod.POST, body);
                send(exchange, webhook.run(request, tenant, new LocalExecutionContext("AlertWebhook")));
            } else if (path.equals("/api/health") || path.equals("/api/health/")) {
                if (!method.equals("GET")) {
                    sendPlain(exchange, 405, "method not allowed");
                    return;
                }
                var request = request(exchange, HttpMethod.GET, Optional.<String>empty());
                send(exchange, health.run(request, new LocalExecutionContext("Health")));
            } else if (localRoutes.containsKey(path)) {
                localRoutes.get(path).handle(exchange);
            } else {
                sendPlain(exchange, 404, "no function at " + path);
            }
        } catch (RuntimeException e) {
            // The Functions host answers 500 when a function throws; ours never should, so make it visible.
            java.util.logging.Logger.getLogger(LocalHttpHost.class.getName())
                    .log(java.util.logging.Level.SEVERE, "function threw", e);
            sendPlain(exchange, 500, "function failed");
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static <T> LocalHttpRequest<T> request(HttpExchange exchange, HttpMethod method, T body) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT),
                String.join(",", values)));
        return new LocalHttpRequest<>(exchange.getRequestURI(), method, headers, query(exchange.getRequestURI()), body);
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(name, value);
        }
        return params;
    }

    /** The whole body, empty when there is none, or null when it exceeds the host's limit. */
    private static Optional<byte[]> readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes((int) HOST_MAX_REQUEST_BYTES + 1);
            if (body.length > HOST_MAX_REQUEST_BYTES) {
                return null;
            }
            return body.length == 0 ? Optional.empty() : Optional.of(body);
        }
    }

    private static void send(HttpExchange exchange, HttpResponseMessage response) throws IOException {
        byte[] body = bodyBytes(response.getBody());
        if (response instanceof LocalHttpResponse local) {
            local.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        }
        exchange.sendResponseHeaders(response.getStatusCode(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] bodyBytes(Object body) {
        if (body == null) {
            return new byte[0];
        }
        return body instanceof byte[] bytes ? bytes : body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void sendPlain(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * Answers new requests 503, lets requests in flight finish (up to a grace period), then stops. (JDK 17's
     * {@code HttpServer.stop(delay)} waits the whole delay even when idle, so we count in-flight requests ourselves.)
     */
    @Override
    public void close() {
        closing = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        server.stop(0);
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
