package io.alertrelay.port;

import io.alertrelay.domain.FiredLease;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Per alert instance, when it was resolved and which Fireds are being delivered: what tells a late Fired from a
 * current one, and keeps a Resolved from overtaking its Fired on the way to the platform (DESIGN §4). Failures are
 * {@link StoreException}s.
 */
public interface AlertInstances {

    /**
     * Records that the alert instance {@code alertKey} was resolved at {@code resolvedAt} (by event
     * {@code resolvedEventId}), unless a later resolve is recorded already: the time never moves backwards, however
     * concurrent writers race (a conditional write in every store).
     */
    void markResolved(String tenant, String alertKey, String resolvedEventId, Instant resolvedAt);

    /** When the alert instance was resolved, if a Resolved for it has been stored. */
    Optional<Instant> resolvedAt(String tenant, String alertKey);

    /**
     * Records that Fired {@code lease.eventId()} is being delivered by {@code lease.holder()} — unless a Resolved at or after its time is
     * recorded, in which case nothing is written and the answer is false (the Fired is stale). The check and the
     * write are one atomic step against {@link #markResolved}, so a Resolved recorded afterwards sees the lease.
     *
     * <p>A lease is never released here: it lasts until its {@code until}, and the end of its delivery is written
     * with the Fired's outcome on the event's document ({@code StoredAlert.endedLeases}, or the status delivered),
     * which is what a Resolved reads. A store drops expired leases as it takes new ones, so the leases it keeps
     * are bounded by the Fireds taken within one lease's length.
     */
    boolean leaseFired(String tenant, String alertKey, FiredLease lease);

    /**
     * The Fired leases recorded on the instance and not yet dropped: every lease taken and not expired, and expired
     * ones until the store drops them (it may keep them until the next lease is taken).
     */
    List<FiredLease> firedLeases(String tenant, String alertKey);
}
