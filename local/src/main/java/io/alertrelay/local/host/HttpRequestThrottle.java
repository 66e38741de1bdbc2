package io.alertrelay.local.host;

import com.sun.net.httpserver.HttpExchange;
import io.alertrelay.local.HostJson;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * host.json's {@code extensions.http.maxConcurrentRequests} and {@code maxOutstandingRequests} as the Functions host
 * applies them to HTTP function invocations ({@code HttpRequestManager} in azure-webjobs-sdk-extensions: one queue for
 * all HTTP functions, at most {@code maxConcurrentRequests} run at once, the rest wait in arrival order, and a request
 * that would make more than {@code maxOutstandingRequests} held, running and waiting, is answered 429 without running).
 *
 * <p>Here a request counts once a request thread has read its body (a slow client holds a thread, not a slot); with
 * both limits unbounded nothing waits.
 */
public final class HttpRequestThrottle {

    /** One request's work, run once it may. */
    @FunctionalInterface
    public interface Work {
        void run() throws IOException;
    }

    private final HostJson.Http limits;
    private final Semaphore slots; // null: no limit on running requests
    private final AtomicInteger held = new AtomicInteger();

    private HttpRequestThrottle(HostJson.Http limits) {
        this.limits = limits;
        this.slots = limits.maxConcurrentRequests() == HostJson.Http.UNBOUNDED
                ? null : new Semaphore(limits.maxConcurrentRequests(), true);
    }

    public static HttpRequestThrottle of(HostJson.Http limits) {
        return new HttpRequestThrottle(limits);
    }

    public static HttpRequestThrottle unbounded() {
        return of(HostJson.Http.unbounded());
    }

    /**
     * Runs {@code work}, which answers {@code exchange}, once fewer than {@code maxConcurrentRequests} others run; when
     * {@code maxOutstandingRequests} are already held, runs nothing and answers 429 with no body, as the host does.
     */
    public void serve(HttpExchange exchange, Work work) throws IOException {
        int maxHeld = limits.maxOutstandingRequests();
        if (held.incrementAndGet() > maxHeld && maxHeld != HostJson.Http.UNBOUNDED) {
            held.decrementAndGet();
            exchange.sendResponseHeaders(429, -1);
            return;
        }
        try {
            takeSlot();
            try {
                work.run();
            } finally {
                if (slots != null) {
                    slots.release();
                }
            }
        } finally {
            held.decrementAndGet();
        }
    }

    public HostJson.Http limits() {
        return limits;
    }

    /** Requests held now: running, and waiting for a slot. */
    public int held() {
        return held.get();
    }

    private void takeSlot() throws InterruptedIOException {
        if (slots == null) {
            return;
        }
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a free HTTP slot");
        }
    }
}
