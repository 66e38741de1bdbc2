package io.alertrelay.local.e2e;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * The platform endpoint for end-to-end tests, on MockWebServer: verifies every Standard Webhooks signature with
 * the standardwebhooks library, records what it accepted, treats a repeated Idempotency-Key as the same delivery
 * (as a well-behaved receiver does), and can be told to fail the next N requests with 503.
 */
final class RecordingPlatform implements AutoCloseable {

    private final MockWebServer server = new MockWebServer();
    private final Webhook verifier;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Map<String, String> bodies = new ConcurrentHashMap<>();
    private final List<String> badSignatures = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    RecordingPlatform(String signingSecret) throws Exception {
        this.verifier = new Webhook(signingSecret);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
        server.start();
    }

    URI url() {
        return server.url("/platform/events").uri();
    }

    void failNext(int count) {
        failuresLeft.set(count);
    }

    private MockResponse answer(RecordedRequest request) {
        requests.incrementAndGet();
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return new MockResponse().setResponseCode(503).setBody("platform down");
        }
        String body = request.getBody().readUtf8();
        try {
            verifier.verify(body, Map.of(
                    "webhook-id", List.of(String.valueOf(request.getHeader("webhook-id"))),
                    "webhook-timestamp", List.of(String.valueOf(request.getHeader("webhook-timestamp"))),
                    "webhook-signature", List.of(String.valueOf(request.getHeader("webhook-signature")))));
        } catch (WebhookVerificationException e) {
            badSignatures.add(request.getHeader("webhook-id"));
            return new MockResponse().setResponseCode(401);
        }
        accepted.incrementAndGet();
        bodies.put(request.getHeader("Idempotency-Key"), body);
        return new MockResponse().setResponseCode(204);
    }

    /** Event ids delivered with a valid signature, once each however often they were sent. */
    Set<String> effectiveDeliveries() {
        return Set.copyOf(bodies.keySet());
    }

    /** Accepted requests, repeats included. */
    int acceptedRequests() {
        return accepted.get();
    }

    String bodyOf(String eventId) {
        return bodies.get(eventId);
    }

    List<String> badSignatures() {
        return badSignatures;
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }
}
