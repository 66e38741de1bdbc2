package io.alertrelay.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A Fired being delivered (README "Delivery"): one delivery of it holds this lease on the alert instance from before
 * its first POST until its outcome is written, so a Resolved of the same instance waits for it instead of racing it
 * to the platform. {@code holder} names that one delivery: when the broker hands the same message to a second
 * invocation (a lock lost), each holds its own lease and ends only its own, by writing {@code holder} into the Fired's
 * document with its outcome ({@link StoredAlert#endedLeases()}). {@code until} bounds a lease whose end was never
 * written (its holder died): longer than one delivery can take.
 *
 * @param firedAt the Fired's time; only a Resolved at or after it waits for the lease
 */
public record FiredLease(String eventId, String holder, Instant firedAt, Instant until) {

    public FiredLease {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(firedAt, "firedAt");
        Objects.requireNonNull(until, "until");
    }

    /** True while the lease holds back a Resolved at {@code resolvedAt}, at {@code now}. */
    public boolean holdsBack(Instant resolvedAt, Instant now) {
        return !firedAt.isAfter(resolvedAt) && until.isAfter(now);
    }
}
