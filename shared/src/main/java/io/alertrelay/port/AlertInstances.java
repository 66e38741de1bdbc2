package io.alertrelay.port;

import java.time.Instant;
import java.util.Optional;

/**
 * Per alert instance, when it was resolved: what tells a late Fired from a current one (DESIGN §4). Failures are
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
}
