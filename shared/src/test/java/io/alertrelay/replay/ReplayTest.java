package io.alertrelay.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.delivery.AlertDelivery;
import io.alertrelay.delivery.DequeuedMessage;
import io.alertrelay.delivery.RetryLaterException;
import io.alertrelay.domain.AlertMessage;
import io.alertrelay.domain.ClaimCheck;
import io.alertrelay.domain.DeliveryOutcome;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.Json;
import io.alertrelay.domain.PlatformEvent;
import io.alertrelay.domain.PlatformEventCodec;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.domain.schema.AlertNormaliser;
import io.alertrelay.logging.InvocationLog;
import io.alertrelay.logging.PipelineLog;
import io.alertrelay.logging.Redaction;
import io.alertrelay.logging.entry.LogEntry;
import io.alertrelay.logging.entry.Stage;
import io.alertrelay.port.DeadLetters;
import io.alertrelay.testing.Fixtures;
import io.alertrelay.testing.InMemoryLogSink;
import io.alertrelay.testing.InMemoryStore;
import io.alertrelay.testing.RecordingPublisher;
import io.alertrelay.testing.ScriptedPlatformClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The replay use case over fakes of its ports, with the dequeuer's use case taking what it publishes. */
class ReplayTest {

    private static final Instant T0 = Instant.parse("2026-11-30T14:00:00Z");
    private static final int MAX_DELIVERY_COUNT = 3;
    private static final long MAX_MESSAGE_BYTES = 256 * 1024;

    private final InMemoryStore store = new InMemoryStore();
    private final RecordingPublisher bus = new RecordingPublisher();
    private final FakeDeadLetters deadLetters = new FakeDeadLetters();
    private final ScriptedPlatformClient platform = new ScriptedPlatformClient();
    private final InMemoryLogSink logs = new InMemoryLogSink();
    private final AtomicInteger replayIds = new AtomicInteger();
    private final Replay replay = new Replay(store, store, store, store, bus, deadLetters, MAX_MESSAGE_BYTES,
            () -> "replay-" + replayIds.incrementAndGet());
    private final AlertDelivery delivery = AlertDelivery.builder().store(store, store, store, store.registry())
            .platform(platform).maxDeliveryCount(MAX_DELIVERY_COUNT)
            .clock(Clock.fixed(T0.plusSeconds(86_400), ZoneOffset.UTC)).build();

    @Test
    void aDeadLetteredEventIsPublishedUnderANewMessageIdAndKeepsItsEventId() {
        StoredAlert doc = stored("contoso", 1, DeliveryStatus.DEADLETTERED);

        ReplayResult result = replay.run(request("{\"tenant\":\"contoso\",\"status\":\"deadlettered\"}"), log());

        assertThat(result.ids()).containsExactly(doc.id());
        AlertMessage message = bus.published().get(0);
        assertThat(message.messageId()).isNotEqualTo(doc.id()).startsWith("replay.");
        assertThat(message.properties()).containsEntry(Replay.REPLAY_PROPERTY, result.replayId())
                .containsEntry(Replay.EVENT_ID_PROPERTY, doc.id()).containsEntry("tenant", "contoso");
        assertThat(PlatformEventCodec.fromJson(message.body()).id()).as("CloudEvent id, webhook-id, Idempotency-Key")
                .isEqualTo(doc.id());
    }

    @Test
    void theDequeuerDeliversAReplayedEventWhoseDocumentIsFinalAndRecordsTheReplay() {
        StoredAlert doc = stored("contoso", 1, DeliveryStatus.DEADLETTERED);
        ReplayResult result = replay.run(request("{\"ids\":[\"" + doc.id() + "\"]}"), log());

        delivery.handle(dequeued(bus.published().get(0), 1));

        assertThat(platform.deliveredIds()).containsExactly(doc.id());
        StoredAlert after = store.find("contoso", doc.id()).orElseThrow();
        assertThat(after.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(after.replays().count()).isEqualTo(1);
        assertThat(after.replays().lastAt()).isNotNull();
        assertThat(after.replays().outcomeOf(result.replayId())).contains("delivered");
    }

    @Test
    void aReplayMessageTheBrokerHandsOverAgainAfterSuccessDoesNotPostTwice() {
        StoredAlert doc = stored("contoso", 1, DeliveryStatus.DELIVERED);
        replay.run(request("{\"ids\":[\"" + doc.id() + "\"]}"), log());
        AlertMessage message = bus.published().get(0);

        delivery.handle(dequeued(message, 1));
        assertThat(delivery.handle(dequeued(message, 2)).duplicate()).isTrue();

        assertThat(platform.calls()).isEqualTo(1);
        assertThat(store.find("contoso", doc.id()).orElseThrow().replays().count()).isEqualTo(1);
    }

    @Test
    void theOriginalMessageHandedOverAgainStaysADuplicateAfterAReplay() {
        StoredAlert doc = stored("contoso", 1, DeliveryStatus.DELIVERED);
        replay.run(request("{\"ids\":[\"" + doc.id() + "\"]}"), log());
        delivery.handle(dequeued(bus.published().get(0), 1));

        assertThat(delivery.handle(new DequeuedMessage(Json.writeBytes(doc.event()), doc.id(), 2)).duplicate())
                .isTrue();
        assertThat(platform.calls()).isEqualTo(1);
    }

    @Test
    void twoConcurrentReplaysOfTheSameFilterDeliverEachEventOncePerReplay() throws Exception {
        List<StoredAlert> docs = List.of(stored("contoso", 1, DeliveryStatus.DEADLETTERED),
                stored("contoso", 2, DeliveryStatus.DEADLETTERED));
        String filter = "{\"tenant\":\"contoso\",\"status\":\"deadlettered\"}";
        Thread a = new Thread(() -> replay.run(request(filter), log()));
        Thread b = new Thread(() -> replay.run(request(filter), log()));
        a.start();
        b.start();
        a.join();
        b.join();
        assertThat(bus.published()).hasSize(4);

        for (AlertMessage m : bus.published()) { // each handed over twice, as after a lost lock
            delivery.handle(dequeued(m, 1));
            delivery.handle(dequeued(m, 2));
        }

        assertThat(platform.deliveredIds()).hasSize(4)
                .containsOnly(docs.get(0).id(), docs.get(1).id());
        assertThat(platform.deliveredIds().stream().filter(docs.get(0).id()::equals)).as("once per replay").hasSize(2);
        assertThat(store.find("contoso", docs.get(0).id()).orElseThrow().replays().count()).isEqualTo(2);
    }

    @Test
    void replayingWhileThePlatformIsStillDownDeadLettersAgainAndLosesNothing() {
        StoredAlert doc = stored("contoso", 1, DeliveryStatus.DEADLETTERED);
        ReplayResult first = replay.run(request("{\"status\":\"deadlettered\"}"), log());
        AlertMessage message = bus.published().get(0);
        for (int count = 1; count <= MAX_DELIVERY_COUNT; count++) {
            platform.then(DeliveryOutcome.transientFailure(503, "service unavailable", 1));
            int deliveryCount = count;
            assertThatThrownBy(() -> delivery.handle(dequeued(message, deliveryCount)))
                    .isInstanceOf(RetryLaterException.class);
        }
        StoredAlert after = store.find("contoso", doc.id()).orElseThrow();
        assertThat(after.status()).isEqualTo(DeliveryStatus.DEADLETTERED);
        assertThat(after.replays().outcomeOf(first.replayId())).contains("deadlettered");

        ReplayResult second = replay.run(request("{\"status\":\"deadlettered\"}"), log());
        assertThat(second.ids()).as("still selectable: nothing lost").containsExactly(doc.id());
        delivery.handle(dequeued(bus.published().get(1), 1));
        assertThat(platform.deliveredIds()).containsExactly(doc.id());
        assertThat(store.find("contoso", doc.id()).orElseThrow().status()).isEqualTo(DeliveryStatus.DELIVERED);
    }

    @Test
    void aClaimCheckedEventIsReplayedWithItsWholePayload() throws Exception {
        byte[] big = bigPayload();
        PlatformEvent event = new AlertNormaliser().normalise("contoso", big);
        store.register("contoso");
        store.createIfAbsent(document(event, DeliveryStatus.DEADLETTERED));
        Replay smallMessages = new Replay(store, store, store, store, bus, deadLetters, 64 * 1024,
                () -> "replay-small");

        smallMessages.run(request("{\"tenant\":\"contoso\"}"), log());

        AlertMessage message = bus.published().get(0);
        assertThat(message.body().length).isLessThan(64 * 1024);
        assertThat(message.properties()).containsEntry(ClaimCheck.PROPERTY, "true");
        delivery.handle(dequeued(message, 1));
        PlatformEvent delivered = PlatformEventCodec.fromJson(platform.bodies().get(0));
        assertThat(delivered.data().payload()).isEqualTo(Json.readTree(big));
    }

    @Test
    void aFilterSelectsByStatusAndByAWindowOnTheEventsTime() {
        stored("contoso", 0, DeliveryStatus.DEADLETTERED);
        StoredAlert inside = stored("contoso", 60, DeliveryStatus.DEADLETTERED);
        stored("contoso", 61, DeliveryStatus.DELIVERED);
        stored("contoso", 120, DeliveryStatus.DEADLETTERED);

        ReplayResult r = replay.run(request("{\"tenant\":\"contoso\",\"status\":\"deadlettered\","
                + "\"since\":\"2026-11-30T14:30:00Z\",\"until\":\"2026-11-30T16:00:00Z\"}"), log());

        assertThat(r.ids()).containsExactly(inside.id());
    }

    @Test
    void withoutAStatusEveryReplayableOneIsSelectedButNeverAnEventStillOnItsWay() {
        StoredAlert delivered = stored("contoso", 1, DeliveryStatus.DELIVERED);
        StoredAlert rejected = stored("contoso", 2, DeliveryStatus.REJECTED);
        StoredAlert superseded = stored("contoso", 3, DeliveryStatus.SUPERSEDED);
        StoredAlert dead = stored("contoso", 4, DeliveryStatus.DEADLETTERED);
        StoredAlert onItsWay = stored("contoso", 5, DeliveryStatus.RECEIVED);

        assertThat(replay.run(request("{\"tenant\":\"contoso\"}"), log()).ids())
                .containsExactly(delivered.id(), rejected.id(), superseded.id(), dead.id());
        assertThat(replay.run(request("{\"ids\":[\"" + onItsWay.id() + "\",\"contoso.nothere\"]}"), log())
                .unmatched()).containsExactly(onItsWay.id(), "contoso.nothere");
    }

    @Test
    void withoutATenantEveryRegisteredTenantIsWalkedOnePartitionAtATime() {
        StoredAlert a = stored("contoso", 1, DeliveryStatus.DEADLETTERED);
        StoredAlert b = stored("fabrikam", 2, DeliveryStatus.DEADLETTERED);
        StoredAlert c = stored("northwind", 3, DeliveryStatus.DEADLETTERED);

        assertThat(replay.run(request("{\"status\":\"deadlettered\"}"), log()).ids())
                .containsExactly(a.id(), b.id(), c.id());
    }

    @Test
    void aLargeReplayPagesPastAThousandUnderOneReplayIdAndDeliversEachOnce() {
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 700; i++) {
            all.add(stored("contoso", i, DeliveryStatus.DEADLETTERED).id());
            all.add(stored("fabrikam", i, DeliveryStatus.DEADLETTERED).id());
        }

        ReplayResult first = replay.run(request("{\"status\":\"deadlettered\"}"), log());
        deliverAll(); // the first page is delivered before the second is asked for: the selection shrinks
        ReplayResult second = replay.run(request("{\"status\":\"deadlettered\",\"continuation\":\""
                + first.continuation() + "\"}"), log());

        assertThat(first.count()).isEqualTo(Replay.PAGE);
        assertThat(first.continuation()).isNotNull();
        assertThat(second.replayId()).isEqualTo(first.replayId());
        assertThat(second.continuation()).isNull();
        List<String> both = new ArrayList<>(first.ids());
        both.addAll(second.ids());
        assertThat(both).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void anEventTheBrokerDeadLetteredWithoutAnInvocationMarkingItIsReplayedAndLeavesTheQueue() {
        StoredAlert orphan = stored("contoso", 1, DeliveryStatus.RECEIVED); // its last delivery's lock lapsed
        StoredAlert onItsWay = stored("contoso", 2, DeliveryStatus.RECEIVED); // its message is still on the topic
        deadLetters.held.add(orphan.id());

        ReplayResult r = replay.run(request("{\"status\":\"deadlettered\"}"), log());
        delivery.handle(dequeued(bus.published().get(0), 1));

        assertThat(r.ids()).containsExactly(orphan.id());
        assertThat(deadLetters.removed).containsExactly(orphan.id());
        assertThat(store.find("contoso", orphan.id()).orElseThrow().status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(store.find("contoso", onItsWay.id()).orElseThrow().status()).isEqualTo(DeliveryStatus.RECEIVED);
        assertThat(replay.run(request("{\"status\":\"delivered\",\"dryRun\":true}"), log()).ids())
                .as("delivered now, it is what a replay of delivered events selects").containsExactly(orphan.id());
    }

    @Test
    void aDryRunListsWithoutPublishingOrDraining() {
        StoredAlert doc = stored("contoso", 1, DeliveryStatus.DEADLETTERED);

        ReplayResult r = replay.run(request("{\"status\":\"deadlettered\",\"dryRun\":true}"), log());

        assertThat(r.ids()).containsExactly(doc.id());
        assertThat(r.dryRun()).isTrue();
        assertThat(bus.published()).isEmpty();
        assertThat(deadLetters.removed).isEmpty();
    }

    @Test
    void replayedDeadLetteredEventsLeaveTheDeadLetterQueueAndOthersAreNotAskedFor() {
        StoredAlert dead = stored("contoso", 1, DeliveryStatus.DEADLETTERED);
        stored("contoso", 2, DeliveryStatus.DELIVERED);

        ReplayResult r = replay.run(request("{\"tenant\":\"contoso\"}"), log());

        assertThat(deadLetters.removed).containsExactly(dead.id());
        assertThat(r.deadLettersRemoved()).isEqualTo(1);
    }

    /**
     * Dead letters take room on the topic; one they have filled refuses every send, the replay's too. So a
     * dead-lettered event leaves the queue before it is published, and an orphan (its document says received, its
     * message is the only sign it was lost) only after.
     */
    @Test
    void deadLettersLeaveTheQueueBeforeTheirEventsArePublishedAndOrphansAfter() {
        StoredAlert dead = stored("contoso", 1, DeliveryStatus.DEADLETTERED);
        StoredAlert orphan = stored("contoso", 2, DeliveryStatus.RECEIVED);
        deadLetters.held.add(orphan.id());
        deadLetters.published = () -> bus.published().size();

        ReplayResult r = replay.run(request("{\"status\":\"deadlettered\"}"), log());

        assertThat(r.ids()).containsExactlyInAnyOrder(dead.id(), orphan.id());
        assertThat(deadLetters.removed).containsExactly(dead.id(), orphan.id());
        assertThat(deadLetters.publishedAtRemove).containsExactly(0, 2);
        assertThat(r.deadLettersRemoved()).isEqualTo(2);
    }

    @Test
    void aDeadLetterQueueThatCannotBeReachedFailsNothingAndIsLogged() {
        stored("contoso", 1, DeliveryStatus.DEADLETTERED);
        deadLetters.failure = new IllegalStateException("unreachable");

        ReplayResult r = replay.run(request("{\"tenant\":\"contoso\"}"), log());

        assertThat(r.count()).isEqualTo(1);
        assertThat(bus.published()).hasSize(1);
        assertThat(logs.entries(e -> e.stage() == Stage.REPLAYED)).extracting(e -> e.outcome().value())
                .contains("transient-failure");
    }

    @Test
    void eachReplayedEventIsLoggedAtTheReplayedStageWithTheReplayId() {
        StoredAlert doc = stored("contoso", 1, DeliveryStatus.DEADLETTERED);

        ReplayResult r = replay.run(request("{\"tenant\":\"contoso\"}"), log());

        List<LogEntry> replayed = logs.entries(e -> e.stage() == Stage.REPLAYED);
        assertThat(replayed).hasSize(1);
        assertThat(replayed.get(0).toRow()).containsEntry("EventId", doc.id()).containsEntry("Tenant", "contoso");
        assertThat(replayed.get(0).toRow().get("Properties").toString()).contains(r.replayId());
    }

    @Test
    void aContinuationThisServiceDidNotGiveIsABadRequestNamingIt() {
        stored("contoso", 1, DeliveryStatus.DEADLETTERED);

        assertThatThrownBy(() -> replay.run(request("{\"continuation\":\"bm90LWEtY3Vyc29y\"}"), log()))
                .isInstanceOfSatisfying(InvalidReplayRequest.class, e -> assertThat(e.field()).isEqualTo("continuation"));
    }

    private void deliverAll() {
        for (AlertMessage m : List.copyOf(bus.published())) {
            delivery.handle(dequeued(m, 1));
        }
    }

    /** A stored event of {@code tenant}, {@code minutes} after T0, with this status. */
    private StoredAlert stored(String tenant, int minutes, DeliveryStatus status) {
        ObjectNode root = (ObjectNode) Json.readTree(Fixtures.bytes("test-metric-static.json"));
        ObjectNode essentials = root.withObject("/data").withObject("/essentials");
        essentials.put("alertId", "/subscriptions/s/providers/Microsoft.AlertsManagement/alerts/" + tenant + "-"
                + minutes + "-" + status.value());
        essentials.put("firedDateTime", T0.plusSeconds(60L * minutes).toString());
        PlatformEvent event = new AlertNormaliser().normalise(tenant, Json.writeBytes(root));
        store.register(tenant);
        return store.createIfAbsent(document(event, status));
    }

    private static StoredAlert document(PlatformEvent event, DeliveryStatus status) {
        return new StoredAlert(event.id(), event.tenant(), event.type().value(), null, null, status, 1, T0, T0,
                null, null, Json.readTree(PlatformEventCodec.toJson(event)), null);
    }

    private static byte[] bigPayload() {
        ObjectNode root = (ObjectNode) Json.readTree(Fixtures.bytes("test-metric-static.json"));
        root.withObject("/data").withObject("/customProperties").put("padding", "x".repeat(100_000));
        return Json.writeBytes(root);
    }

    private static DequeuedMessage dequeued(AlertMessage m, int deliveryCount) {
        Map<String, Object> properties = new HashMap<>(m.properties());
        return new DequeuedMessage(m.body(), m.messageId(), deliveryCount, properties);
    }

    private InvocationLog log() {
        return PipelineLog.of(logs, Redaction.patternsOnly()).forInvocation("Replay", "inv",
                Logger.getAnonymousLogger());
    }

    private static ReplayRequest request(String json) {
        return ReplayRequest.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Records which events' messages a replay asked to remove. */
    private static final class FakeDeadLetters implements DeadLetters {
        final List<String> removed = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        /** How many messages had been published at each call of remove. */
        final List<Integer> publishedAtRemove = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile java.util.function.IntSupplier published = () -> -1;
        volatile RuntimeException failure;

        @Override
        public List<String> eventIds(int upTo) {
            return List.copyOf(held);
        }

        @Override
        public int remove(Collection<String> eventIds) {
            publishedAtRemove.add(published.getAsInt());
            if (failure != null) {
                throw failure;
            }
            removed.addAll(eventIds);
            return eventIds.size();
        }

        @Override
        public int count(int upTo) {
            return 0;
        }
    }
}
