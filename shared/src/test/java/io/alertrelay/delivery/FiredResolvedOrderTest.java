package io.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.domain.DeliveryOutcome;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.EventIdentity;
import io.alertrelay.domain.FiredLease;
import io.alertrelay.domain.Json;
import io.alertrelay.domain.PlatformEvent;
import io.alertrelay.domain.PlatformEventCodec;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.domain.schema.AlertNormaliser;
import io.alertrelay.port.PlatformClient;
import io.alertrelay.retry.Sleeper;
import io.alertrelay.testing.Fixtures;
import io.alertrelay.testing.InMemoryStore;
import io.alertrelay.testing.ScriptedPlatformClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The promise of issue 12 point 8 that the seeded fault history broke in 42 of 1,000 seeds: the platform never
 * acknowledges a Fired after its Resolved. A Fired already on its way when its Resolved comes is acknowledged first.
 * A Resolved waits only for the leases whose delivery has not ended: not for a Fired delivered, nor for a delivery
 * whose outcome recorded its holder as ended (README "Delivery").
 */
class FiredResolvedOrderTest {

    private final InMemoryStore store = new InMemoryStore();
    private final GatedPlatform platform = new GatedPlatform();
    private final AlertDelivery delivery = AlertDelivery.builder().store(store, store, store, store.registry())
            .platform(platform).maxDeliveryCount(3).build();
    private final PlatformEvent fired = event("Fired");
    private final PlatformEvent resolved = event("Resolved");
    /** The Resolved's waits, recorded instead of slept through (fake time: each advances {@link #fakeNanos}). */
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final AtomicLong fakeNanos = new AtomicLong();
    private Runnable onSleep = () -> { };
    private final Sleeper sleeper = d -> {
        sleeps.add(d);
        fakeNanos.addAndGet(d.toNanos());
        onSleep.run();
    };
    private final AlertDelivery recorded = AlertDelivery.builder().store(store, store, store, store.registry())
            .platform(platform).maxDeliveryCount(3).sleeper(sleeper, fakeNanos::get).build();

    @Test
    void aResolvedWaitsWhileItsFiredIsBeingDeliveredSoThePlatformAcknowledgesTheFiredFirst() throws Exception {
        CompletableFuture<DeliveryResult> firedDelivery = CompletableFuture.supplyAsync(() -> delivery.handle(
                new DequeuedMessage(PlatformEventCodec.toJson(fired), fired.id(), 1)));
        assertThat(platform.firedPosted.await(10, TimeUnit.SECONDS)).as("the Fired's POST started").isTrue();

        CompletableFuture<DeliveryResult> resolvedDelivery = CompletableFuture.supplyAsync(() -> delivery.handle(
                new DequeuedMessage(PlatformEventCodec.toJson(resolved), resolved.id(), 1)));
        Thread.sleep(300);
        assertThat(platform.acknowledged).as("nothing acknowledged while the Fired's POST hangs").isEmpty();
        platform.releaseFired.countDown();

        assertThat(firedDelivery.get(10, TimeUnit.SECONDS).status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(resolvedDelivery.get(10, TimeUnit.SECONDS).status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(platform.acknowledged).containsExactly(fired.id(), resolved.id());
        assertThat(store.firedLeases(fired.tenant(), EventIdentity.alertKey(fired)))
                .as("no write released the lease: it stays until it expires; the delivered document ended it")
                .hasSize(1);
    }

    @Test
    void aResolvedDoesNotWaitForAFiredThatWasDelivered() {
        platform.releaseFired.countDown();
        DeliveryResult f = recorded.handle(new DequeuedMessage(PlatformEventCodec.toJson(fired), fired.id(), 1));
        DeliveryResult r = recorded.handle(new DequeuedMessage(PlatformEventCodec.toJson(resolved), resolved.id(), 1));

        assertThat(f.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(store.firedLeases(fired.tenant(), EventIdentity.alertKey(fired))).as("its lease unexpired")
                .singleElement().satisfies(l -> assertThat(l.holdsBack(resolved.time(), Instant.now())).isTrue());
        assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(sleeps).as("the Resolved did not wait").isEmpty();
        assertThat(platform.acknowledged).containsExactly(fired.id(), resolved.id());
    }

    @Test
    void aResolvedDoesNotWaitForAFiredWhoseDeliveryFailedTransiently() {
        ScriptedPlatformClient failing = new ScriptedPlatformClient()
                .then(DeliveryOutcome.transientFailure(503, "service unavailable", 4));
        AlertDelivery withFailingPlatform = AlertDelivery.builder().store(store, store, store, store.registry())
                .platform(failing).maxDeliveryCount(3).sleeper(sleeper, fakeNanos::get).build();

        assertThatThrownBy(() -> withFailingPlatform.handle(new DequeuedMessage(PlatformEventCodec.toJson(fired),
                fired.id(), 1))).isInstanceOf(RetryLaterException.class);
        DeliveryResult r = withFailingPlatform.handle(new DequeuedMessage(PlatformEventCodec.toJson(resolved),
                resolved.id(), 1));

        StoredAlert firedDoc = store.find(fired.tenant(), fired.id()).orElseThrow();
        assertThat(firedDoc.status()).isEqualTo(DeliveryStatus.RECEIVED);
        assertThat(store.firedLeases(fired.tenant(), EventIdentity.alertKey(fired))).as("its lease unexpired")
                .singleElement().satisfies(l -> assertThat(firedDoc.endedLeases()).containsExactly(l.holder()));
        assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(sleeps).as("the Resolved did not wait").isEmpty();
    }

    /**
     * The other side of the test below: an invocation whose Fired document another invocation made final meanwhile
     * still writes the end of its own lease with its outcome (the status stays), or a Resolved would wait for it
     * until it expired.
     */
    @ParameterizedTest
    @ValueSource(strings = {"retry later", "rejected", "withdrawn"})
    void anOutcomeOnADocumentMadeFinalMeanwhileStillEndsItsLease(String outcome) {
        PlatformClient secondInvocation = (eventId, body, gate) -> {
            gate.stillWanted();
            store.update(fired.tenant(), fired.id(), d -> d.failed(DeliveryStatus.SUPERSEDED, 1, d.lastError(),
                    Instant.now()).withLeaseEnded("first-invocation", Instant.now())); // the first one's outcome
            return switch (outcome) {
                case "retry later" -> DeliveryOutcome.transientFailure(503, "service unavailable", 1);
                case "rejected" -> DeliveryOutcome.rejected(400, "bad request", 1);
                default -> DeliveryOutcome.withdrawn(1);
            };
        };
        AlertDelivery second = AlertDelivery.builder().store(store, store, store, store.registry())
                .platform(secondInvocation).maxDeliveryCount(3).sleeper(sleeper, fakeNanos::get).build();

        try {
            second.handle(new DequeuedMessage(PlatformEventCodec.toJson(fired), fired.id(), 2));
        } catch (RetryLaterException expected) {
            // a transient failure sends the message back
        }
        platform.releaseFired.countDown();
        DeliveryResult r = recorded.handle(new DequeuedMessage(PlatformEventCodec.toJson(resolved), resolved.id(), 1));

        StoredAlert firedDoc = store.find(fired.tenant(), fired.id()).orElseThrow();
        assertThat(firedDoc.status()).isEqualTo(DeliveryStatus.SUPERSEDED);
        assertThat(store.firedLeases(fired.tenant(), EventIdentity.alertKey(fired))).singleElement()
                .satisfies(l -> assertThat(firedDoc.endedLeases()).containsExactly("first-invocation", l.holder()));
        assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(sleeps).as("the Resolved did not wait").isEmpty();
    }

    /**
     * A message handed to a second invocation (the first's lock lost) has two leases of one Fired. Whatever the first
     * invocation's outcome — failed for now, superseded (its gate saw the Resolved at a retry), rejected,
     * dead-lettered — and even when it made the document final, the second invocation's POST, under a lease taken
     * before the Resolved was recorded, may still reach the platform: the Resolved waits until that invocation's
     * outcome ends its lease too.
     */
    @ParameterizedTest
    @EnumSource(value = DeliveryStatus.class, names = {"RECEIVED", "SUPERSEDED", "REJECTED", "DEADLETTERED"})
    void aResolvedWaitsForASecondInvocationsLeaseWhenTheFirstEndedTheFiredAsFinal(DeliveryStatus firstOutcome) {
        String alertKey = EventIdentity.alertKey(fired);
        StoredAlert doc = store.createIfAbsent(new StoredAlert(fired.id(), fired.tenant(), fired.type().value(),
                alertKey, "Fired", DeliveryStatus.RECEIVED, 0, Instant.now(), Instant.now(), null, null,
                Json.readTree(PlatformEventCodec.toJson(fired)), null));
        FiredLease first = new FiredLease(fired.id(), "first-invocation", fired.time(), Instant.now().plusSeconds(60));
        FiredLease second = new FiredLease(fired.id(), "second-invocation", fired.time(), Instant.now().plusSeconds(60));
        assertThat(store.leaseFired(fired.tenant(), alertKey, first)).isTrue();
        assertThat(store.leaseFired(fired.tenant(), alertKey, second)).isTrue();
        store.update(doc, d -> d.failed(firstOutcome, 1, d.lastError(), Instant.now())
                .withLeaseEnded(first.holder(), Instant.now()));
        List<String> order = new CopyOnWriteArrayList<>();
        platform.onAcknowledge = order::add;
        onSleep = () -> {
            if (order.isEmpty()) { // the second invocation's delivery ends while the Resolved waits
                order.add("second invocation ended");
                store.update(fired.tenant(), fired.id(), d -> d.withLeaseEnded(second.holder(), Instant.now()));
            }
        };

        DeliveryResult r = recorded.handle(new DequeuedMessage(PlatformEventCodec.toJson(resolved), resolved.id(), 1));

        assertThat(r.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(order).as("the Resolved was posted only after the second invocation's lease ended")
                .containsExactly("second invocation ended", resolved.id());
    }

    @Test
    void aFiredThatComesAfterItsResolvedIsWithdrawnWithoutAPost() {
        delivery.handle(new DequeuedMessage(PlatformEventCodec.toJson(resolved), resolved.id(), 1));
        platform.releaseFired.countDown();

        DeliveryResult late = delivery.handle(new DequeuedMessage(PlatformEventCodec.toJson(fired), fired.id(), 1));

        assertThat(late.status()).isEqualTo(DeliveryStatus.SUPERSEDED);
        assertThat(platform.acknowledged).containsExactly(resolved.id());
    }

    private static PlatformEvent event(String condition) {
        ObjectNode root = (ObjectNode) Json.readTree(Fixtures.bytes("test-metric-static.json"));
        ObjectNode essentials = root.withObject("/data").withObject("/essentials");
        essentials.put("monitorCondition", condition);
        if (condition.equals("Resolved")) {
            essentials.put("resolvedDateTime", "2025-04-15T18:27:12.851Z");
        } else {
            essentials.remove("resolvedDateTime");
        }
        return new AlertNormaliser().normalise("contoso", Json.writeBytes(root));
    }

    /** Holds the Fired's POST until released; records what it acknowledged, in order. */
    private final class GatedPlatform implements PlatformClient {
        final CountDownLatch firedPosted = new CountDownLatch(1);
        final CountDownLatch releaseFired = new CountDownLatch(1);
        final List<String> acknowledged = new CopyOnWriteArrayList<>();
        volatile java.util.function.Consumer<String> onAcknowledge = id -> { };

        @Override
        public DeliveryOutcome deliver(String eventId, byte[] body, AttemptGate gate) {
            if (!gate.stillWanted()) {
                return DeliveryOutcome.withdrawn(0);
            }
            if (eventId.equals(fired.id())) {
                firedPosted.countDown();
                try {
                    releaseFired.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            acknowledged.add(eventId);
            onAcknowledge.accept(eventId);
            return DeliveryOutcome.delivered(200, 1);
        }

        @Override
        public Duration longestDelivery() {
            return Duration.ofSeconds(20);
        }
    }
}
