package io.alertrelay.local.faults;

import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;

/**
 * The platform endpoint under a seeded schedule of faults (MockWebServer): 5xx, 429 with Retry-After, 3xx, a hang
 * (the request read, never answered), a reset (the connection closed after the request), and short outages in which
 * every request fails; otherwise 200. (A socket policy that acts before the request is read would come from the
 * dispatcher's peek, not from its answer: MockWebServer serves those as a plain 200.) Records every request it saw, in order, with what it answered: a delivery counts
 * only when the platform answered 2xx.
 */
final class ChaosPlatform implements AutoCloseable {

    /** One request the platform saw. */
    record Post(long seq, String eventId, String type, int status) {
        boolean acknowledged() {
            return status >= 200 && status < 300;
        }
    }

    private final MockWebServer server = new MockWebServer();
    private final Random random;
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private volatile long outageUntilNanos;
    private volatile boolean faults = true;

    ChaosPlatform(long seed) throws IOException {
        this.random = new Random(seed);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
        server.start();
    }

    HttpUrl url() {
        return server.url("/platform/events");
    }

    List<Post> posts() {
        return List.copyOf(posts);
    }

    /** Every request fails for this long from now. */
    void outage(long millis) {
        outageUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** Turns the faults off: what is still being retried gets through. */
    void calm() {
        faults = false;
    }

    private MockResponse answer(RecordedRequest request) {
        String id = request.getHeader("webhook-id");
        String type = typeOf(request.getBody().readUtf8());
        double r;
        synchronized (random) {
            r = random.nextDouble();
        }
        MockResponse response;
        int status;
        if (faults && System.nanoTime() < outageUntilNanos) {
            status = 503;
            response = new MockResponse().setResponseCode(503);
        } else if (!faults || r < 0.62) {
            status = 200;
            response = new MockResponse().setResponseCode(200);
        } else if (r < 0.72) {
            status = 500 + (int) (r * 1000) % 4;
            response = new MockResponse().setResponseCode(status);
        } else if (r < 0.77) {
            status = 429;
            response = new MockResponse().setResponseCode(429).setHeader("Retry-After", "1");
        } else if (r < 0.82) {
            status = 302;
            response = new MockResponse().setResponseCode(302).setHeader("Location", server.url("/elsewhere"));
        } else if (r < 0.90) {
            status = 0; // a hang: the request is read and never answered; the client's call timeout ends it
            response = new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE);
        } else {
            status = 0; // a reset: the request is read and the connection closed without an answer
            response = new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST);
        }
        posts.add(new Post(seq.incrementAndGet(), id, type, status));
        return response;
    }

    private static String typeOf(String body) {
        int at = body.indexOf("\"type\":\"");
        return at < 0 ? "" : body.substring(at + 8, body.indexOf('"', at + 8));
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }
}
