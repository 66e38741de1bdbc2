package io.alertrelay.port;

import io.alertrelay.domain.DeliveryOutcome;

/**
 * Delivers a platform event to the platform endpoint (DESIGN §3), signed, with Idempotency-Key = event id. Makes
 * its own bounded retries of transient failures within one call and reports the final outcome; never throws for
 * an HTTP or network failure.
 */
public interface PlatformClient {

    /**
     * Delivers, asking {@code gate} before every attempt — the first and each retry — whether the event is still to
     * be delivered (a Fired whose Resolved has been stored meanwhile is not). When the gate says no, no further
     * request is made and the outcome is {@link DeliveryOutcome.Kind#WITHDRAWN}. What the gate throws, this throws.
     */
    DeliveryOutcome deliver(String eventId, byte[] cloudEventJson, AttemptGate gate);

    /**
     * The longest one {@link #deliver} call can take, all attempts and waits included: how long a Fired's delivery
     * lease must last. The default suits a client without a time budget of its own (fakes).
     */
    default java.time.Duration longestDelivery() {
        return java.time.Duration.ofSeconds(30);
    }

    /** Delivers with no gate: every attempt is wanted. */
    default DeliveryOutcome deliver(String eventId, byte[] cloudEventJson) {
        return deliver(eventId, cloudEventJson, AttemptGate.ALWAYS);
    }

    /** Asked before every attempt. */
    @FunctionalInterface
    interface AttemptGate {

        AttemptGate ALWAYS = () -> true;

        boolean stillWanted();
    }
}
