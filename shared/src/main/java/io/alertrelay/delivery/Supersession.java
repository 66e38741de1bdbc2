package io.alertrelay.delivery;

import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.EventIdentity;
import io.alertrelay.domain.EventType;
import io.alertrelay.domain.FiredLease;
import io.alertrelay.domain.PlatformEvent;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.port.AlertInstances;
import io.alertrelay.port.EventDocuments;
import io.alertrelay.port.PlatformClient;
import io.alertrelay.retry.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Azure gives no order (DESIGN §4): a Fired that arrives after the Resolved of the same alert instance is stale. A
 * Resolved records its time on the instance (monotonic: a conditional write in every store); a Fired is stale when
 * a Resolved at or after its own time is recorded. Times are compared because legacy metric alerts name only their
 * rule: every firing of one rule shares an alert key, and a new firing after a resolution must still be delivered.
 *
 * <p>Checking is not enough under load: a Fired that passed the check may still be on its way to the platform when
 * its Resolved is recorded and delivered, and arrive second. So a Fired is delivered under a <b>lease</b> on its
 * instance, taken in the same conditional write that checks for a Resolved; a Resolved, once recorded, waits while a
 * lease of a Fired at or before it holds it back. Whichever write comes first, the Fired is either refused as stale
 * or acknowledged before its Resolved is sent. A lease outlives one delivery (the platform client's longest) plus a
 * margin, so a dequeuer that dies holding one delays a Resolved by at most that. The Fired also re-checks before
 * every retry, so a retried Fired stops once its Resolved is stored.
 *
 * <p>A lease is not released by a write of the instance: the end of its delivery is written with the Fired's outcome,
 * in the one write of the Fired's document that records it (its holder in {@link StoredAlert#endedLeases()}). So a
 * held, unexpired lease holds a Resolved back unless the Fired's document is {@code delivered} (the platform has the
 * event: a POST of it still in flight is a repeat it ignores by Idempotency-Key) or lists the lease's holder as
 * ended. No other status ends every lease: a document another invocation marked superseded, rejected or
 * dead-lettered says nothing of a second invocation of the same message (redelivered after a lost lock) whose lease
 * was taken before the Resolved was recorded and whose POST may still reach the platform.
 */
final class Supersession {

    private static final Duration FIRST_POLL = Duration.ofMillis(50);
    private static final Duration LONGEST_POLL = Duration.ofSeconds(1);

    private final AlertInstances instances;
    private final EventDocuments documents;
    private final Duration lease;
    private final Clock clock;
    private final Sleeper sleeper;
    private final LongSupplier nanoTime;

    /**
     * @param documents where a Fired's outcome, and with it the end of its lease, is written
     * @param lease     how long a Fired's lease lasts: longer than its delivery can take
     */
    Supersession(AlertInstances instances, EventDocuments documents, Duration lease, Clock clock, Sleeper sleeper,
                 LongSupplier nanoTime) {
        this.instances = instances;
        this.documents = documents;
        this.lease = lease;
        this.clock = clock;
        this.sleeper = sleeper;
        this.nanoTime = nanoTime;
    }

    /** For a Resolved: records it on its instance, before it is delivered. Nothing for other types. */
    void recordIfResolved(PlatformEvent event, StoreRetry retry) {
        if (event.type() == EventType.ALERT_RESOLVED) {
            retry.run(() -> instances.markResolved(event.tenant(), EventIdentity.alertKey(event), event.id(),
                    event.time()));
        }
    }

    /**
     * For a recorded Resolved: returns once no Fired at or before it is being delivered — each lease ended (see the
     * class comment) or expired — so the platform gets the Fired first. Nothing for other types.
     */
    void awaitFiredDeliveries(PlatformEvent event, StoreRetry retry) {
        if (event.type() != EventType.ALERT_RESOLVED) {
            return;
        }
        String alertKey = EventIdentity.alertKey(event);
        long giveUpAt = nanoTime.getAsLong() + lease.toNanos(); // even if the clock stood still
        Duration poll = FIRST_POLL;
        while (heldBack(event, alertKey, retry) && nanoTime.getAsLong() < giveUpAt) {
            try {
                sleeper.sleep(poll);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetryLaterException("interrupted while a Fired of " + event.id() + "'s alert was being "
                        + "delivered", false, e);
            }
            poll = poll.multipliedBy(2).compareTo(LONGEST_POLL) > 0 ? LONGEST_POLL : poll.multipliedBy(2);
        }
    }

    /**
     * True while a lease of a Fired at or before the Resolved is held, unexpired, and its delivery has not ended by
     * the Fired's document. Reads the instance, and the document of each such Fired (once per event id): no document
     * is read when no lease holds back, which is the common case (the Fired's lease expired long before).
     */
    private boolean heldBack(PlatformEvent event, String alertKey, StoreRetry retry) {
        Instant now = clock.instant();
        Map<String, List<FiredLease>> holding = retry.call(() -> instances.firedLeases(event.tenant(), alertKey))
                .stream().filter(l -> l.holdsBack(event.time(), now))
                .collect(Collectors.groupingBy(FiredLease::eventId, LinkedHashMap::new, Collectors.toList()));
        for (Map.Entry<String, List<FiredLease>> fired : holding.entrySet()) {
            Optional<StoredAlert> doc = retry.call(() -> documents.find(event.tenant(), fired.getKey()));
            if (doc.isEmpty()) {
                return true; // a lease is taken after its document is stored; none found is no proof of an end
            }
            if (doc.get().status() == DeliveryStatus.DELIVERED) {
                continue; // the platform has the event: a POST of it still in flight is a repeat it ignores
            }
            List<String> ended = doc.get().endedLeases();
            if (fired.getValue().stream().anyMatch(l -> !ended.contains(l.holder()))) {
                return true; // this invocation's delivery may still reach the platform
            }
        }
        return false;
    }

    /**
     * For a Fired: takes a delivery lease for this invocation unless the Fired is stale (then empty). Every other
     * type may be delivered without one ({@link Lease#NONE}).
     */
    Optional<Lease> lease(PlatformEvent event, StoreRetry retry) {
        if (event.type() != EventType.ALERT_FIRED) {
            return Optional.of(Lease.NONE);
        }
        String alertKey = EventIdentity.alertKey(event);
        FiredLease l = new FiredLease(event.id(), UUID.randomUUID().toString(), event.time(),
                clock.instant().plus(lease));
        boolean taken = retry.call(() -> instances.leaseFired(event.tenant(), alertKey, l));
        return taken ? Optional.of(new Lease(l.holder())) : Optional.empty();
    }

    /**
     * A delivery's lease on its alert instance. It is never released by a write of the instance: the write of the
     * delivery's outcome ends it ({@link #endedIn}); {@link #NONE} (not a Fired) holds nothing.
     */
    static final class Lease {
        static final Lease NONE = new Lease(null);
        private final String holder;

        private Lease(String holder) {
            this.holder = holder;
        }

        /** {@code doc} (the Fired's) with this lease recorded as ended; {@code doc} itself for {@link #NONE}. */
        StoredAlert endedIn(StoredAlert doc, Instant now) {
            return holder == null ? doc : doc.withLeaseEnded(holder, now);
        }
    }

    /**
     * The gate for the delivery of {@code event}, taken under its {@link Lease}: before each retry a Fired asks
     * whether its Resolved has been recorded meanwhile ({@link #isStale}), so it stops retrying once it is stale.
     * Its first attempt asks nothing: the lease was taken in the write that checked, and a Resolved recorded since
     * waits for the lease, so the platform gets the Fired first either way. That saves a store read per alert.
     */
    PlatformClient.AttemptGate gate(PlatformEvent event, StoreRetry retry) {
        if (event.type() != EventType.ALERT_FIRED) {
            return PlatformClient.AttemptGate.ALWAYS;
        }
        return new PlatformClient.AttemptGate() {
            private boolean first = true;

            @Override
            public boolean stillWanted() {
                if (first) {
                    first = false;
                    return true;
                }
                return !isStale(event, retry);
            }
        };
    }

    /** True for a Fired whose instance has a Resolved at or after its time; false for every other event. */
    boolean isStale(PlatformEvent event, StoreRetry retry) {
        if (event.type() != EventType.ALERT_FIRED) {
            return false;
        }
        Optional<Instant> resolvedAt = retry.call(() -> instances.resolvedAt(event.tenant(), EventIdentity.alertKey(event)));
        return resolvedAt.isPresent() && !resolvedAt.get().isBefore(event.time());
    }
}
