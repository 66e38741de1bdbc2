package io.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.adapter.platform.OkHttpPlatformClient;
import io.alertrelay.domain.DeliveryOutcome;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.Json;
import io.alertrelay.domain.PlatformEvent;
import io.alertrelay.domain.PlatformEventCodec;
import io.alertrelay.domain.schema.AlertNormaliser;
import io.alertrelay.logging.PipelineLog;
import io.alertrelay.logging.Redaction;
import io.alertrelay.logging.entry.LogEntry;
import io.alertrelay.logging.entry.Stage;
import io.alertrelay.port.TransientStoreException;
import io.alertrelay.settings.Secret;
import io.alertrelay.testing.FakeTime;
import io.alertrelay.testing.Fixtures;
import io.alertrelay.testing.FlakyStore;
import io.alertrelay.testing.FlakyStore.Op;
import io.alertrelay.testing.InMemoryLogSink;
import io.alertrelay.testing.ScriptedPlatformClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/** The dequeuer under store and platform faults (issue 12: points 7, 8 and 10). */
class DeliveryFaultsTest {

    private static final int MAX_DELIVERY_COUNT = 3;

    private final AlertNormaliser normaliser = new AlertNormaliser();
    private final FlakyStore store = new FlakyStore();
    private final ScriptedPlatformClient platform = new ScriptedPlatformClient();
    private final FakeTime time = new FakeTime();
    private final InMemoryLogSink sink = new InMemoryLogSink();

    private AlertDelivery delivery(io.alertrelay.port.PlatformClient client) {
        return AlertDelivery.builder().store(store, store, store, store.registry()).platform(client)
                .maxDeliveryCount(MAX_DELIVERY_COUNT).sleeper(time, time.nanoTime()).build();
    }

    private DeliveryResult handle(AlertDelivery d, PlatformEvent event, int deliveryCount) {
        return d.handle(new DequeuedMessage(PlatformEventCodec.toJson(event), event.id(), deliveryCount),
                PipelineLog.of(sink, Redaction.patternsOnly()).forInvocation("AlertDequeuer", "i", Logger.getAnonymousLogger()));
    }

    @Test
    void aThrottledStoreIsRetriedInTheInvocationHonouringItsRetryAfter() {
        store.failNext(Op.CREATE, 2, FlakyStore.throttled(Duration.ofMillis(1500)));
        PlatformEvent event = event("test-metric-static.json");

        DeliveryResult r = handle(delivery(platform), event, 1);

        assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(store.calls(Op.CREATE)).isEqualTo(3);
        assertThat(time.waits()).hasSize(2).allSatisfy(w -> assertThat(w).isGreaterThanOrEqualTo(Duration.ofMillis(1500)));
    }

    @Test
    void aStoreBrownoutLongerThanTheBudgetGoesBackToTheBrokerAndIsLogged() {
        store.failNext(Op.CREATE, 1_000, FlakyStore.unavailable());
        PlatformEvent event = event("test-metric-static.json");

        assertThatThrownBy(() -> handle(delivery(platform), event, 1)).isInstanceOf(TransientStoreException.class);

        assertThat(time.slept()).isLessThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(lastEntry().stage()).isEqualTo(Stage.RETRIED);
        assertThat(platform.calls()).isZero();
    }

    @Test
    void onTheLastAllowedDeliveryAStoreFailureMarksTheDocumentDeadletteredWhenTheStoreTakesIt() {
        PlatformEvent event = event("test-metric-static.json");
        platform.then(DeliveryOutcome.transientFailure(503, "busy", 1));
        assertThatThrownBy(() -> handle(delivery(platform), event, 1)).isInstanceOf(RetryLaterException.class);
        // The last delivery: creates keep failing through every retry, reads and replaces work.
        store.failNext(Op.CREATE, 1_000, FlakyStore.unavailable());

        assertThatThrownBy(() -> handle(delivery(platform), event, MAX_DELIVERY_COUNT))
                .isInstanceOf(TransientStoreException.class);

        assertThat(store.find(event.tenant(), event.id()).orElseThrow().status()).isEqualTo(DeliveryStatus.DEADLETTERED);
        assertThat(lastEntry().stage()).isEqualTo(Stage.DEADLETTERED);
        assertThat(lastEntry().toRow()).containsEntry("Outcome", "failure");
    }

    @Test
    void onTheLastAllowedDeliveryAStoreThatStaysDownIsStillLoggedAsDeadLettered() {
        PlatformEvent event = event("test-metric-static.json");
        store.failNext(Op.CREATE, 1_000, FlakyStore.unavailable());
        store.failNext(Op.FIND, 1_000, FlakyStore.unavailable());

        assertThatThrownBy(() -> handle(delivery(platform), event, MAX_DELIVERY_COUNT))
                .isInstanceOf(TransientStoreException.class);

        assertThat(lastEntry().stage()).isEqualTo(Stage.DEADLETTERED);
        assertThat(lastEntry().toRow()).containsEntry("EventId", event.id());
    }

    @Test
    void aDeliveryWhoseStatusCannotBeRecordedIsPostedAgainWithTheSameKeyAndEndsDelivered() {
        PlatformEvent event = event("test-metric-static.json");
        store.failNext(Op.REPLACE, 1_000, FlakyStore.unavailable());

        assertThatThrownBy(() -> handle(delivery(platform), event, 1)).isInstanceOf(TransientStoreException.class);
        store.failNext(Op.REPLACE, 0, FlakyStore.unavailable());
        DeliveryResult r = handle(delivery(platform), event, 2);

        assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(platform.deliveredIds()).containsExactly(event.id(), event.id()); // the same Idempotency-Key
        assertThat(store.find(event.tenant(), event.id()).orElseThrow().status()).isEqualTo(DeliveryStatus.DELIVERED);
    }

    @Test
    void onTheLastDeliveryADeliveredEventWhoseStatusCannotBeRecordedIsCompletedNotDeadLettered() {
        PlatformEvent event = event("test-metric-static.json");
        store.failNext(Op.REPLACE, 1_000, FlakyStore.unavailable());

        DeliveryResult r = handle(delivery(platform), event, MAX_DELIVERY_COUNT);

        assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(lastEntry().stage()).isEqualTo(Stage.DELIVERED);
        assertThat(lastEntry().toRow()).containsEntry("Level", "Error");
    }

    /**
     * A platform brownout: the Fired is retried in its invocation while its Resolved comes in, is stored and
     * delivered. The Fired must stop there (superseded), not reach the platform after its Resolved once the
     * platform recovers. Real OkHttp client against MockWebServer, the two invocations on two threads.
     */
    @Test
    void aFiredStillBeingRetriedStopsOnceItsResolvedIsStoredAndNeverReachesThePlatformAfterIt() throws Exception {
        byte[] fired = Fixtures.bytes("cs-full-metric-resolved.json");
        PlatformEvent resolved = normaliser.normalise("contoso", fired);
        ObjectNode firedBody = (ObjectNode) Json.readTree(fired);
        ((ObjectNode) firedBody.path("data").path("essentials")).put("monitorCondition", "Fired");
        ((ObjectNode) firedBody.path("data").path("essentials")).remove("resolvedDateTime");
        PlatformEvent firedEvent = normaliser.normalise("contoso", Json.writeBytes(firedBody));
        assertThat(firedEvent.type().value()).isEqualTo("io.alertrelay.alert.fired");

        List<String> received = new CopyOnWriteArrayList<>();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    String id = request.getHeader("webhook-id");
                    received.add(id);
                    boolean resolvedArrived = received.contains(resolved.id());
                    // Brownout for the Fired until the Resolved got through; then the platform is healthy again.
                    return new MockResponse().setResponseCode(id.equals(firedEvent.id()) && !resolvedArrived ? 503 : 200);
                }
            });
            OkHttpPlatformClient client = OkHttpPlatformClient.builder().endpoint(server.url("/events").uri())
                    .secrets(List.of(new Secret("whsec_MDEyMzQ1Njc4OWFiY2RlZg=="))).maxAttempts(50)
                    .backoff(Duration.ofMillis(20), Duration.ofMillis(40)).timeBudget(Duration.ofSeconds(20)).build();
            AlertDelivery d = AlertDelivery.builder().store(store, store, store, store.registry()).platform(client).build();

            CompletableFuture<DeliveryResult> firedRun = CompletableFuture.supplyAsync(() -> d.handle(
                    new DequeuedMessage(PlatformEventCodec.toJson(firedEvent), firedEvent.id(), 1)));
            while (received.stream().filter(firedEvent.id()::equals).count() < 2) {
                Thread.sleep(5); // the Fired is in its brownout retries
            }
            DeliveryResult resolvedResult = d.handle(new DequeuedMessage(PlatformEventCodec.toJson(resolved),
                    resolved.id(), 1));
            DeliveryResult firedResult = firedRun.get(20, TimeUnit.SECONDS);

            assertThat(resolvedResult.status()).isEqualTo(DeliveryStatus.DELIVERED);
            assertThat(firedResult.status()).isEqualTo(DeliveryStatus.SUPERSEDED);
            assertThat(received.subList(received.indexOf(resolved.id()), received.size()))
                    .as("nothing of the Fired after its Resolved").doesNotContain(firedEvent.id());
        }
    }

    private LogEntry lastEntry() {
        List<LogEntry> entries = sink.entries();
        return entries.get(entries.size() - 1);
    }

    private PlatformEvent event(String fixture) {
        return normaliser.normalise("contoso", Fixtures.bytes(fixture));
    }
}
