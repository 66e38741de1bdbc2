package io.alertrelay.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/** A platform endpoint that answers 204 at once and notes when each event id first arrived (System.nanoTime). */
final class PlatformStub implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    private final java.util.concurrent.ExecutorService workers;

    PlatformStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.createContext("/", exchange -> {
            long now = System.nanoTime();
            exchange.getRequestBody().readAllBytes();
            arrivals.putIfAbsent(exchange.getRequestHeaders().getFirst("webhook-id"), now);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        workers = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "platform-stub"); // named, so a benchmark can tell a stand-in's CPU apart
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/platform/events");
    }

    Map<String, Long> arrivals() {
        return arrivals;
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
