package io.alertrelay.local.host;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.time.Duration;

/**
 * Serves the app's HTTP functions on loopback with the routes, methods and data types their {@code function.json}
 * declares ({@link FunctionApp}), calling the very function classes Azure runs through {@link FunctionInvoker}.
 * Function keys are not checked, as with Core Tools locally; the host binds 127.0.0.1 only, which is what stands in
 * for the admin key of admin-level functions. Not a Functions host: no bindings other than HTTP, no proxies.
 *
 * <p>The local runtime adds routes of its own outside the functions' ({@link #start(int, int, FunctionApp, Map)}):
 * the status page, and a no-op webhook that measures this server without the pipeline behind it.
 */
public final class LocalHttpHost implements AutoCloseable {

    /** The Functions host's default request body limit (100 MB); larger requests never reach a function. */
    static final long HOST_MAX_REQUEST_BYTES = 100L * 1024 * 1024;
    private static final Logger LOG = Logger.getLogger(LocalHttpHost.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService workers;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closing;
    private final List<HttpRoute> functionRoutes;
    private final Map<String, HttpHandler> localRoutes;
    private final HttpRequestThrottle throttle;

    private LocalHttpHost(HttpServer server, ExecutorService workers, FunctionApp app,
                          Map<String, HttpHandler> localRoutes, HttpRequestThrottle throttle) {
        this.server = server;
        this.workers = workers;
        this.throttle = throttle;
        this.functionRoutes = app.triggeredBy("httpTrigger").stream()
                .map(f -> new HttpRoute(f, new RouteTemplate(app.routePrefix(), f.definition().trigger()
                        .text("route").orElse(f.name()))))
                .toList();
        this.localRoutes = Map.copyOf(localRoutes);
    }

    /**
     * Paths that DESIGN §5 names but Azure cannot serve as a function route, answered locally by the function that
     * serves them in Azure: {@code POST /api/admin/replay} is the Replay function, whose route in Azure is
     * {@code replay} because the Functions host keeps every route starting with {@code admin} for itself (README,
     * "Replay"). On loopback only; in Azure the path is {@code /api/replay}.
     */
    static final Map<String, String> DESIGN_ALIASES = Map.of("/api/admin/replay", "/api/replay");

    static {
        LoopbackHttpServers.configure();
    }

    /**
     * Starts on 127.0.0.1:port (0 = any free port) with a bounded pool of request threads and no limit on function
     * invocations but the threads.
     */
    public static LocalHttpHost start(int port, int threads, FunctionApp app) throws IOException {
        return start(port, threads, app, Map.of(), HttpRequestThrottle.unbounded());
    }

    /**
     * As {@link #start(int, int, FunctionApp)}, with the function invocations limited by {@code throttle} (host.json),
     * and also serving {@code localRoutes} (exact path → handler) for paths no function has. They share the request
     * threads, the 503 while closing and the drain of in-flight requests, not the throttle.
     */
    public static LocalHttpHost start(int port, int threads, FunctionApp app, Map<String, HttpHandler> localRoutes,
                                      HttpRequestThrottle throttle) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        ExecutorService workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "http-function");
            t.setDaemon(true);
            return t;
        });
        LocalHttpHost host = new LocalHttpHost(server, workers, app, localRoutes, throttle);
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
            String path = DESIGN_ALIASES.getOrDefault(exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getPath());
            for (HttpRoute route : functionRoutes) {
                Optional<Map<String, String>> params = route.template().match(path);
                if (params.isPresent()) {
                    invokeWhenFree(exchange, route.function(), params.get());
                    return;
                }
            }
            if (localRoutes.containsKey(path)) {
                localRoutes.get(path).handle(exchange);
            } else {
                sendPlain(exchange, 404, "no function at " + path);
            }
        } catch (RuntimeException e) {
            // The Functions host answers 500 when a function throws or cannot be bound; ours never should.
            LOG.log(Level.SEVERE, "function failed: " + e.getMessage(), e);
            sendPlain(exchange, 500, "function failed");
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /**
     * Invokes the function once the throttle lets it run (429 when too many are held).
     * The body is read first: a client that sends it slowly holds a request thread, not one of the function slots.
     */
    private void invokeWhenFree(HttpExchange exchange, FunctionInvoker function, Map<String, String> routeParams)
            throws IOException {
        BindingDefinition trigger = function.definition().trigger();
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        if (!trigger.methods().isEmpty() && !trigger.methods().contains(method)) {
            sendPlain(exchange, 405, "method not allowed");
            return;
        }
        byte[] body = readBody(exchange);
        if (body == null) {
            sendPlain(exchange, 413, "request body too large");
            return;
        }
        throttle.serve(exchange, () -> {
            if (closing) { // the close began while this request waited for a slot
                exchange.getResponseHeaders().set("Retry-After", "5");
                sendPlain(exchange, 503, "shutting down");
            } else {
                invoke(exchange, function, routeParams, HttpMethod.value(method), body);
            }
        });
    }

    private void invoke(HttpExchange exchange, FunctionInvoker function, Map<String, String> routeParams,
                        HttpMethod method, byte[] body) throws IOException {
        BindingDefinition trigger = function.definition().trigger();
        Map<String, String> headers = headers(exchange);
        Map<String, String> query = query(exchange.getRequestURI());
        HostData.Http request = new HostData.Http(method, exchange.getRequestURI(), headers, query,
                HostData.httpBody(body, trigger.isBinary()));
        // Trigger metadata of an HTTP request: the route parameters, Query and Headers (as JSON).
        Map<String, HostData> metadata = new LinkedHashMap<>();
        routeParams.forEach((k, v) -> metadata.put(k, new HostData.Text(v)));
        metadata.put("Query", new HostData.Json(json(query)));
        metadata.put("Headers", new HostData.Json(json(headers)));
        Object result = function.invoke(Map.of(trigger.name(), request), metadata,
                new LocalExecutionContext(function.name()));
        if (!(result instanceof HttpResponseMessage response)) {
            throw new IllegalStateException(function.name() + " returned no HttpResponseMessage");
        }
        send(exchange, response);
    }

    private static String json(Map<String, String> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                String.join(",", values)));
        return headers;
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

    /** The whole body (empty when there is none), or null when it exceeds the host's limit. */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes((int) HOST_MAX_REQUEST_BYTES + 1);
            return body.length > HOST_MAX_REQUEST_BYTES ? null : body;
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

    /** One HTTP function and the route it serves. */
    private record HttpRoute(FunctionInvoker function, RouteTemplate template) {
    }

    /**
     * Answers new requests 503, lets requests in flight finish (up to a grace period), then stops. (JDK 17's
     * {@code HttpServer.stop(delay)} waits the whole delay even when idle, so we count in-flight requests ourselves.)
     */
    @Override
    public void close() {
        closing = true;
        LoopbackHttpServers.awaitNone(inFlight, Duration.ofSeconds(5));
        LoopbackHttpServers.stop(server, workers);
    }
}
