package io.alertrelay.delivery;

import io.alertrelay.domain.EventIdentity;
import io.alertrelay.domain.EventType;
import io.alertrelay.domain.PlatformEvent;
import io.alertrelay.port.AlertInstances;
import java.time.Instant;
import java.util.Optional;

/**
 * Azure gives no order (DESIGN §4): a Fired that arrives after the Resolved of the same alert instance is stale. A
 * Resolved records its time on the instance (monotonic: a conditional write in every store); a Fired is stale when
 * a Resolved at or after its own time is recorded. Times are compared because legacy metric alerts name only their
 * rule: every firing of one rule shares an alert key, and a new firing after a resolution must still be delivered.
 * The check runs before every delivery attempt, not once, so a Fired still being retried through a platform
 * brownout stops as soon as its Resolved is stored.
 */
final class Supersession {

    private final AlertInstances instances;

    Supersession(AlertInstances instances) {
        this.instances = instances;
    }

    /** For a Resolved: records it on its instance, before it is delivered. Nothing for other types. */
    void recordIfResolved(PlatformEvent event, StoreRetry retry) {
        if (event.type() == EventType.ALERT_RESOLVED) {
            retry.run(() -> instances.markResolved(event.tenant(), EventIdentity.alertKey(event), event.id(),
                    event.time()));
        }
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
