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

    /** Turns on TCP_NODELAY for the JDK's HTTP servers, unless the JVM was started with a choice of its own. */
    public static void sendWithoutDelay() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }
}
