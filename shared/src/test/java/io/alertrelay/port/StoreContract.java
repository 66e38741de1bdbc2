package io.alertrelay.port;

import io.alertrelay.domain.FiredLease;
import io.alertrelay.domain.EventPage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.EventCriteria;
import io.alertrelay.domain.Json;
import io.alertrelay.domain.StoredAlert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of the store's three capabilities, run against every implementation: the in-memory fake, H2 (local
 * runtime) and Cosmos DB (against cosmosdb-server). A subclass says how to get an empty store; each test uses a
 * tenant of its own, so a store may be shared between tests.
 */
public abstract class StoreContract {

    protected static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123456789Z");

    protected final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    protected Store store;

    /** A store to test; it may hold other tenants' documents. */
    protected abstract Store store();

    @BeforeEach
    void takeStore() {
        store = store();
    }

    // --- EventDocuments

    @Test
    void createIfAbsentStoresOnceAndASecondCreateReturnsTheFirstDocumentUnchanged() {
        StoredAlert first = alert("ev-1");
        StoredAlert stored = docs().createIfAbsent(first);
        assertThat(stored.etag()).isNotBlank();
        assertThat(stored.withEtag(null)).isEqualTo(first);

        StoredAlert second = new StoredAlert("ev-1", tenant, "io.alertrelay.alert.resolved", "other-key", "Resolved",
                DeliveryStatus.DELIVERED, 7, T0.plusSeconds(60), T0.plusSeconds(60), null, null, null, null);

        assertThat(docs().createIfAbsent(second)).isEqualTo(stored);
        assertThat(docs().find(tenant, "ev-1")).contains(stored);
    }

    @Test
    void findOfAMissingIdOrAnotherTenantsIdIsEmpty() {
        docs().createIfAbsent(alert("ev-mine"));

        assertThat(docs().find(tenant, "no-such-event")).isEmpty();
        assertThat(docs().find("other-" + tenant, "ev-mine")).isEmpty();
    }

    @Test
    void everyFieldRoundTripsNanosecondTimesAndLastErrorIncluded() {
        StoredAlert a = alert("ev-fields")
                .failed(DeliveryStatus.DEADLETTERED, 3, new StoredAlert.LastError(503, "platform busy"), T0.plusNanos(7));
        docs().createIfAbsent(a);

        assertThat(docs().find(tenant, "ev-fields").orElseThrow().withEtag(null)).isEqualTo(a);
    }

    @Test
    void aStoredEventReadsBackNumericallyExact() {
        StoredAlert a = alert("ev-numbers");
        ((com.fasterxml.jackson.databind.node.ObjectNode) a.event().get("data"))
                .set("payload", Json.readTree("{\"capacity\":7.50,\"big\":12345678901234567890.123456789,\"huge\":1e400}"));
        docs().createIfAbsent(a);

        JsonNode payload = docs().find(tenant, "ev-numbers").orElseThrow().event().path("data").path("payload");

        assertThat(payload.get("capacity").decimalValue()).isEqualByComparingTo("7.50");
        assertThat(payload.get("capacity").toString()).isEqualTo("7.50");
        assertThat(payload.get("big").decimalValue()).isEqualByComparingTo("12345678901234567890.123456789");
        assertThat(payload.get("huge").decimalValue()).isEqualByComparingTo("1e400");
    }

    @Test
    void updateWritesTheChangeAndReturnsANewEtag() {
        StoredAlert stored = docs().createIfAbsent(alert("ev-upd"));

        StoredAlert updated = docs().update(tenant, "ev-upd", d -> d.delivered(1, T0.plusSeconds(9)));

        assertThat(updated.etag()).isNotBlank().isNotEqualTo(stored.etag());
        assertThat(updated.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(docs().find(tenant, "ev-upd")).contains(updated);
    }

    @Test
    void aNoOpChangeWritesNothing() {
        StoredAlert stored = docs().createIfAbsent(alert("ev-noop"));

        StoredAlert result = docs().update(tenant, "ev-noop", d -> d);

        assertThat(result).isEqualTo(stored);
        assertThat(docs().find(tenant, "ev-noop").orElseThrow().etag()).isEqualTo(stored.etag());
    }

    @Test
    void replaceIfUnchangedRefusesAStaleEtag() {
        StoredAlert stored = docs().createIfAbsent(alert("ev-cas"));
        StoredAlert newer = docs().replaceIfUnchanged(stored, stored.delivered(1, T0.plusSeconds(1))).orElseThrow();

        assertThat(docs().replaceIfUnchanged(stored, stored.withStatus(DeliveryStatus.REJECTED, T0))).isEmpty();
        assertThat(docs().find(tenant, "ev-cas")).contains(newer);
    }

    @Test
    void aWriteBetweenReadAndWriteMakesTheChangeReapplyToTheFreshDocument() {
        docs().createIfAbsent(alert("ev-race"));
        AtomicInteger calls = new AtomicInteger();

        StoredAlert result = docs().update(tenant, "ev-race", d -> {
            if (calls.incrementAndGet() == 1) {
                // Another dequeuer writes behind our back, after our read and before our write.
                docs().update(tenant, "ev-race", other -> other.failed(DeliveryStatus.RECEIVED, 2,
                        new StoredAlert.LastError(503, "platform busy"), T0.plusSeconds(3)));
            }
            return d.delivered(1, T0.plusSeconds(10));
        });

        assertThat(calls).hasValue(2);
        StoredAlert now = docs().find(tenant, "ev-race").orElseThrow();
        assertThat(now).isEqualTo(result);
        assertThat(now.attempts()).isEqualTo(3);
        assertThat(now.lastError()).isEqualTo(new StoredAlert.LastError(503, "platform busy"));
    }

    @Test
    void anUpdateFromTheCopyTheCreateReturnedIsOneWriteWithoutARead() {
        StoredAlert created = docs().createIfAbsent(alert("ev-known"));
        AtomicInteger reads = new AtomicInteger();
        EventDocuments counted = readsCounted(docs(), reads);

        StoredAlert updated = counted.update(created, d -> d.delivered(1, T0.plusSeconds(9)));

        assertThat(reads).hasValue(0);
        assertThat(updated.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(updated.etag()).isNotEqualTo(created.etag());
        assertThat(docs().find(tenant, "ev-known")).contains(updated);
    }

    @Test
    void anUpdateFromACopyOthersWroteSinceReappliesToTheStoredDocument() {
        StoredAlert created = docs().createIfAbsent(alert("ev-stale-copy"));
        docs().update(tenant, "ev-stale-copy", other -> other.failed(DeliveryStatus.RECEIVED, 2,
                new StoredAlert.LastError(503, "platform busy"), T0.plusSeconds(3)));

        StoredAlert result = docs().update(created, d -> d.delivered(1, T0.plusSeconds(10)));

        StoredAlert now = docs().find(tenant, "ev-stale-copy").orElseThrow();
        assertThat(now).isEqualTo(result);
        assertThat(now.status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(now.attempts()).isEqualTo(3);
    }

    private static EventDocuments readsCounted(EventDocuments documents, AtomicInteger reads) {
        return new EventDocuments() {
            @Override
            public StoredAlert createIfAbsent(StoredAlert doc) {
                return documents.createIfAbsent(doc);
            }

            @Override
            public java.util.Optional<StoredAlert> find(String tenant, String id) {
                reads.incrementAndGet();
                return documents.find(tenant, id);
            }

            @Override
            public java.util.Optional<StoredAlert> replaceIfUnchanged(StoredAlert current, StoredAlert next) {
                return documents.replaceIfUnchanged(current, next);
            }
        };
    }

    @Test
    void concurrentUpdatesOfOneDocumentAreAllApplied() throws Exception {
        docs().createIfAbsent(alert("ev-hot"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<StoredAlert>> writers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                writers.add(() -> docs().update(tenant, "ev-hot", d -> d.failed(DeliveryStatus.RECEIVED, 1, null, T0)));
            }
            for (Future<StoredAlert> f : pool.invokeAll(writers)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(docs().find(tenant, "ev-hot").orElseThrow().attempts()).isEqualTo(12);
    }

    /** A message delivered twice at once (a lock lost, a duplicate): both creates answer the one stored document. */
    @Test
    void concurrentCreatesOfOneDocumentAllAnswerTheStoredOne() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 20; round++) {
                String id = "ev-twice-" + round;
                List<Callable<StoredAlert>> creators = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    creators.add(() -> docs().createIfAbsent(alert(id)));
                }
                for (Future<StoredAlert> f : pool.invokeAll(creators)) {
                    assertThat(f.get().id()).isEqualTo(id);
                    assertThat(f.get().etag()).isNotNull();
                }
                assertThat(docs().find(tenant, id)).isPresent();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void updateOfAMissingDocumentSaysSo() {
        assertThatThrownBy(() -> docs().update(tenant, "never-stored", d -> d.delivered(1, T0)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("never-stored");
    }

    @Test
    void anUpdateThatChangesTheIdIsRefused() {
        docs().createIfAbsent(alert("ev-keep"));

        assertThatThrownBy(() -> docs().update(tenant, "ev-keep", d -> alert("ev-other")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The holders of the leases whose delivery ended (README "Delivery"), written with the outcome, in order. */
    @Test
    void endedLeasesRoundTripAndANewDocumentHasNone() {
        StoredAlert created = docs().createIfAbsent(alert("ev-leases"));
        assertThat(created.endedLeases()).isEmpty();
        assertThat(docs().find(tenant, "ev-leases").orElseThrow().endedLeases()).isEmpty();

        StoredAlert failed = docs().update(created, d -> d.failed(DeliveryStatus.RECEIVED, 2,
                new StoredAlert.LastError(503, "busy"), T0.plusSeconds(1)).withLeaseEnded("holder-1", T0.plusSeconds(1)));
        StoredAlert superseded = docs().update(tenant, "ev-leases", d -> d.failed(DeliveryStatus.SUPERSEDED, 0,
                d.lastError(), T0.plusSeconds(2)).withLeaseEnded("holder-2", T0.plusSeconds(2)));
        StoredAlert again = docs().update(tenant, "ev-leases", d -> d.withLeaseEnded("holder-1", T0.plusSeconds(3)));

        assertThat(failed.endedLeases()).containsExactly("holder-1");
        assertThat(again).as("a holder listed already: nothing written").isEqualTo(superseded);
        StoredAlert read = docs().find(tenant, "ev-leases").orElseThrow();
        assertThat(read.endedLeases()).containsExactly("holder-1", "holder-2");
        assertThat(read.status()).isEqualTo(DeliveryStatus.SUPERSEDED);
        assertThat(read.withEtag(null)).isEqualTo(superseded.withEtag(null));
    }

    @Test
    void eventTimeAndReplaysRoundTrip() {
        StoredAlert a = alertAt("ev-replayed", DeliveryStatus.DELIVERED, T0.plusSeconds(5))
                .replayed("replay-1", "deadlettered", T0.plusSeconds(60))
                .replayed("replay-2", "delivered", T0.plusSeconds(120));
        docs().createIfAbsent(a);

        StoredAlert read = docs().find(tenant, "ev-replayed").orElseThrow();
        assertThat(read.eventTime()).isEqualTo(T0.plusSeconds(5));
        assertThat(read.replays().count()).isEqualTo(2);
        assertThat(read.replays().lastAt()).isEqualTo(T0.plusSeconds(120));
        assertThat(read.replays().outcomeOf("replay-1")).contains("deadlettered");
        assertThat(read.replays().outcomeOf("replay-2")).contains("delivered");
        assertThat(read.withEtag(null)).isEqualTo(a);
    }

    // --- EventSearch, TenantRegistry

    @Test
    void aSearchSelectsATenantsEventsByStatusAndEventTimeOldestFirstInPages() {
        for (int i = 0; i < 7; i++) {
            DeliveryStatus status = i % 3 == 0 ? DeliveryStatus.DELIVERED : DeliveryStatus.DEADLETTERED;
            docs().createIfAbsent(alertAt("ev-" + i, status, T0.plusSeconds(i * 60L)));
        }
        store.instances().markResolved(tenant, "rule/instance-1", "ev-r", T0); // not an event: never found
        store.payloads().put(tenant, "ev-1", new byte[] {1});
        EventCriteria deadLetteredInWindow = new EventCriteria(java.util.Set.of(DeliveryStatus.DEADLETTERED),
                T0.plusSeconds(60), T0.plusSeconds(5 * 60));

        List<String> found = new ArrayList<>();
        String continuation = null;
        int pages = 0;
        do {
            EventPage page = store.search().find(tenant, deadLetteredInWindow, continuation, 2);
            page.events().forEach(e -> found.add(e.id()));
            continuation = page.continuation();
            pages++;
        } while (continuation != null && pages < 10);

        assertThat(found).containsExactly("ev-1", "ev-2", "ev-4"); // ev-5 is at the window's exclusive end
        EventPage all = store.search().find(tenant, new EventCriteria(null, null, null), null, 100);
        assertThat(all.events()).extracting(StoredAlert::id).containsExactly("ev-0", "ev-1", "ev-2", "ev-3", "ev-4",
                "ev-5", "ev-6");
        assertThat(all.continuation()).isNull();
        assertThat(store.search().find("other-" + tenant, new EventCriteria(null, null, null), null, 100).events()).isEmpty();
    }

    @Test
    void eventsThatLeaveTheSelectionBetweenPagesDoNotShiftTheNextPage() {
        for (int i = 0; i < 6; i++) {
            docs().createIfAbsent(alertAt("ev-" + i, DeliveryStatus.DEADLETTERED, T0.plusSeconds(i * 60L)));
        }
        EventCriteria deadLettered = new EventCriteria(java.util.Set.of(DeliveryStatus.DEADLETTERED), null, null);

        EventPage first = store.search().find(tenant, deadLettered, null, 3);
        for (StoredAlert e : first.events()) { // replayed and delivered before the next page is asked for
            docs().update(tenant, e.id(), d -> d.withStatus(DeliveryStatus.DELIVERED, T0.plusSeconds(3600)));
        }
        List<String> rest = new ArrayList<>();
        String continuation = first.continuation();
        for (int pages = 0; continuation != null && pages < 10; pages++) {
            EventPage page = store.search().find(tenant, deadLettered, continuation, 3);
            page.events().forEach(e -> rest.add(e.id()));
            continuation = page.continuation();
        }

        assertThat(first.events()).extracting(StoredAlert::id).containsExactly("ev-0", "ev-1", "ev-2");
        assertThat(rest).containsExactly("ev-3", "ev-4", "ev-5");
    }

    @Test
    void aContinuationTheSearchDidNotGiveIsAnIllegalArgument() {
        docs().createIfAbsent(alertAt("ev-0", DeliveryStatus.DEADLETTERED, T0));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.search().find(tenant,
                new EventCriteria(null, null, null), "not-a-continuation", 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRegistryListsEveryRegisteredTenantOnce() {
        store.registry().register(tenant);
        store.registry().register(tenant);
        store.registry().register(tenant + "-b");

        assertThat(store.registry().tenants()).contains(tenant, tenant + "-b").doesNotHaveDuplicates();
    }

    // --- AlertInstances

    @Test
    void instanceStateIsEmptyUntilResolvedThenHoldsTheTime() {
        assertThat(store.instances().resolvedAt(tenant, "rule/instance-1")).isEmpty();

        store.instances().markResolved(tenant, "rule/instance-1", "ev-r", T0.plusSeconds(30));

        assertThat(store.instances().resolvedAt(tenant, "rule/instance-1")).contains(T0.plusSeconds(30));
        assertThat(store.instances().resolvedAt("other-" + tenant, "rule/instance-1")).isEmpty();
    }

    @Test
    void aFiredLeaseIsRefusedOnceAResolvedAtOrAfterItsTimeIsRecorded() {
        store.instances().markResolved(tenant, "rule/i-1", "ev-r", T0);

        assertThat(store.instances().leaseFired(tenant, "rule/i-1", lease("ev-f", T0))).isFalse();
        assertThat(store.instances().leaseFired(tenant, "rule/i-1", lease("ev-f0", T0.minusSeconds(1)))).isFalse();
        assertThat(store.instances().firedLeases(tenant, "rule/i-1")).isEmpty();
        assertThat(store.instances().leaseFired(tenant, "rule/i-1", lease("ev-refired", T0.plusSeconds(1))))
                .as("a new firing after the resolution (a legacy rule's)").isTrue();
    }

    /**
     * Nothing releases a lease (its end is written with the Fired's outcome, on the event's document): every holder's
     * unexpired lease stays through the Resolved's write and through later takes.
     */
    @Test
    void aResolvedRecordedAfterLeasesKeepsEveryHoldersAndLaterTakesKeepTheUnexpiredOnes() {
        FiredLease first = lease("ev-f", T0);
        FiredLease second = lease("ev-f", T0); // the same message handed to a second invocation
        assertThat(store.instances().leaseFired(tenant, "rule/i-2", first)).isTrue();
        assertThat(store.instances().leaseFired(tenant, "rule/i-2", second)).isTrue();
        store.instances().markResolved(tenant, "rule/i-2", "ev-r", T0.plusSeconds(60));

        assertThat(store.instances().firedLeases(tenant, "rule/i-2")).containsExactlyInAnyOrder(first, second);
        assertThat(store.instances().resolvedAt(tenant, "rule/i-2")).contains(T0.plusSeconds(60));

        FiredLease refired = lease("ev-refired", T0.plusSeconds(61)); // a new firing after the resolution
        assertThat(store.instances().leaseFired(tenant, "rule/i-2", refired)).isTrue();
        assertThat(store.instances().firedLeases(tenant, "rule/i-2")).as("each holder's unexpired lease stays")
                .containsExactlyInAnyOrder(first, second, refired);
        assertThat(store.instances().firedLeases(tenant, "rule/none")).isEmpty();
    }

    @Test
    void aLeaseRoundTripsItsTimes() {
        FiredLease l = new FiredLease("ev-f", "holder-1", T0.plusNanos(123_456_789), T0.plusSeconds(3600).plusNanos(7));
        store.instances().leaseFired(tenant, "rule/i-3", l);

        assertThat(store.instances().firedLeases(tenant, "rule/i-3")).containsExactly(l);
    }

    @Test
    void aFiredEitherSeesItsResolvedOrLeavesALeaseTheResolvedSeesHoweverTheyRace() throws Exception {
        int instances = 40;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Boolean>> leased = new ArrayList<>();
            List<java.util.concurrent.Future<Boolean>> seen = new ArrayList<>();
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            for (int i = 0; i < instances; i++) {
                String key = "rule/race-" + i;
                leased.add(pool.submit(() -> {
                    go.await();
                    return store.instances().leaseFired(tenant, key, lease("ev-f", T0));
                }));
                seen.add(pool.submit(() -> {
                    go.await();
                    store.instances().markResolved(tenant, key, "ev-r", T0.plusSeconds(1));
                    return !store.instances().firedLeases(tenant, key).isEmpty();
                }));
            }
            go.countDown();
            for (int i = 0; i < instances; i++) {
                assertThat(!leased.get(i).get() || seen.get(i).get())
                        .as("instance %d: a lease taken must be seen by the Resolved recorded after it", i).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static FiredLease lease(String eventId, Instant firedAt) {
        return new FiredLease(eventId, java.util.UUID.randomUUID().toString(), firedAt, Instant.now().plusSeconds(600));
    }

    @Test
    void theResolveTimeNeverMovesBackwardsHoweverWritersRace() throws Exception {
        store.instances().markResolved(tenant, "rule/i", "ev-late", T0.plusSeconds(60));
        store.instances().markResolved(tenant, "rule/i", "ev-early", T0.plusSeconds(10));
        assertThat(store.instances().resolvedAt(tenant, "rule/i")).contains(T0.plusSeconds(60));

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Void>> writers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                Instant at = T0.plusSeconds(100 + (i * 7L) % 16);
                writers.add(() -> {
                    store.instances().markResolved(tenant, "rule/race", "ev-" + at, at);
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(writers)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.instances().resolvedAt(tenant, "rule/race")).contains(T0.plusSeconds(115));
    }

    // --- PayloadStore

    @Test
    void aClaimCheckedPayloadOver256KiBRoundTripsByteForByte() {
        byte[] payload = new byte[300 * 1024];
        new Random(7).nextBytes(payload);

        store.payloads().put(tenant, "ev-big", payload);
        store.payloads().put(tenant, "ev-big", payload); // again: harmless

        assertThat(store.payloads().get(tenant, "ev-big")).hasValueSatisfying(p -> assertThat(p).isEqualTo(payload));
        assertThat(store.payloads().get(tenant, "ev-none")).isEmpty();
    }

    @Test
    void healthIsOk() {
        assertThat(store.health()).isEqualTo("ok");
    }

    protected EventDocuments docs() {
        return store.documents();
    }

    protected StoredAlert alertAt(String id, DeliveryStatus status, Instant eventTime) {
        StoredAlert a = alert(id);
        return new StoredAlert(a.id(), a.tenant(), a.type(), a.alertKey(), a.condition(), status, 0, T0, T0, null, null,
                a.event(), null, eventTime, null, null);
    }

    protected StoredAlert alert(String id) {
        JsonNode event = Json.readTree("{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"type\":\"io.alertrelay.alert.fired\","
                + "\"tenant\":\"" + tenant + "\",\"data\":{\"severity\":\"Sev3\",\"targetResourceIds\":[\"/subscriptions/s1\"]}}");
        return new StoredAlert(id, tenant, "io.alertrelay.alert.fired", "rule/instance-1", "Fired",
                DeliveryStatus.RECEIVED, 0, T0, T0, null, null, event, null);
    }
}
