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
     */
    boolean leaseFired(String tenant, String alertKey, FiredLease lease);

    /** Ends this lease (its holder's); nothing when it is gone. */
    void releaseFired(String tenant, String alertKey, FiredLease lease);

    /** The Fired leases recorded on the instance; expired ones may linger until the next write. */
    List<FiredLease> firedLeases(String tenant, String alertKey);
}
