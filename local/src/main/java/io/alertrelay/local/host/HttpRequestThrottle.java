package io.alertrelay.local.host;

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
 * <p>Here a request counts from when a request thread takes it; with both limits unbounded nothing waits.
 */
public final class HttpRequestThrottle {

    /** One request's work, run once it may. */
    @FunctionalInterface
    public interface Work {
        void run() throws IOException;
    }

    private final HostJson.Http limits;
    private final Semaphore running;
    private final int maxOutstanding;
    private final AtomicInteger outstanding = new AtomicInteger();

    private HttpRequestThrottle(HostJson.Http limits) {
        this.limits = limits;
        this.running = limits.maxConcurrentRequests() == HostJson.Http.UNBOUNDED
                ? null : new Semaphore(limits.maxConcurrentRequests(), true);
        this.maxOutstanding = limits.maxOutstandingRequests();
    }

    public static HttpRequestThrottle of(HostJson.Http limits) {
        return new HttpRequestThrottle(limits);
    }

    public static HttpRequestThrottle unbounded() {
        return of(HostJson.Http.unbounded());
    }

    /**
     * Runs {@code work} once fewer than {@code maxConcurrentRequests} others run; returns false, having run nothing,
     * when {@code maxOutstandingRequests} are already held (the caller answers 429, as the host does).
     */
    public boolean run(Work work) throws IOException {
        if (outstanding.incrementAndGet() > maxOutstanding && maxOutstanding != HostJson.Http.UNBOUNDED) {
            outstanding.decrementAndGet();
            return false;
        }
        try {
            if (running == null) {
                work.run();
                return true;
            }
            acquire();
            try {
                work.run();
                return true;
            } finally {
                running.release();
            }
        } finally {
            outstanding.decrementAndGet();
        }
    }

    public HostJson.Http limits() {
        return limits;
    }

    /** Requests held now: running, and waiting for a slot. */
    public int held() {
        return outstanding.get();
    }

    private void acquire() throws InterruptedIOException {
        try {
            running.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a free HTTP slot");
        }
    }
}
