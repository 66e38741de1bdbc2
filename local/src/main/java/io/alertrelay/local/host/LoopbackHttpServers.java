package io.alertrelay.local.host;

import com.sun.net.httpserver.HttpServer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the local runtime's JDK HTTP servers share: TCP_NODELAY, and a graceful stop. It writes a response's headers and body
 * separately; with Nagle's algorithm on, the body then waits for the client's delayed ACK — about 40 ms per
 * request on Linux, which would dwarf everything the pipeline does. The server reads the property once, when the
 * first server of the JVM is made, so every server class calls this first.
 */
public final class LoopbackHttpServers {

    /** Idle keep-alive connections a server keeps open: more than any local client opens. */
    static final int MAX_IDLE_CONNECTIONS = 4096;

    private LoopbackHttpServers() {
    }

    /** Stops {@code server} at once and gives its request threads five seconds to finish. */
    public static void stop(HttpServer server, ExecutorService workers) {
        server.stop(0);
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits, at most {@code timeout}, until {@code inFlight} is zero: what a graceful stop lets finish. (JDK 17's
     * {@code HttpServer.stop(delay)} waits the whole delay even when idle, so the servers count for themselves.)
     *
     * @return true when nothing is in flight any more
     */
    public static boolean awaitNone(AtomicInteger inFlight, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return inFlight.get() == 0;
    }

    /**
     * Settings of the JDK's HTTP server (read once, when its first server is made), unless the JVM was started with a
     * choice of its own: TCP_NODELAY on, and up to {@value #MAX_IDLE_CONNECTIONS} idle keep-alive connections. The
     * JDK's default of 200 closes every connection that goes idle beyond the 200th, and a client sending its next
     * request on one at that moment gets an I/O error instead of an answer: 2 to 43 of 10,000 requests failed so with
     * {@code load --concurrency 256}.
     */
    public static void configure() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", Integer.toString(MAX_IDLE_CONNECTIONS));
        }
    }
}
