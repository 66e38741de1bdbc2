package io.alertrelay.domain;

/**
 * How a delivery ended after the client's own retries.
 *
 * @param kind     DELIVERED (2xx), REJECTED (4xx other than 408/429: do not retry), TRANSIENT (5xx, 3xx, 408,
 *                 429, timeout or connection failure: retry later), WITHDRAWN (the caller's gate said the event is
 *                 no longer wanted before an attempt: no further request was made)
 * @param status   the last HTTP status, or null when no response came
 * @param message  a short description for the document's lastError and the logs; never a secret
 * @param attempts HTTP calls made in this delivery
 */
public record DeliveryOutcome(Kind kind, Integer status, String message, int attempts) {

    public enum Kind { DELIVERED, REJECTED, TRANSIENT, WITHDRAWN }

    public static DeliveryOutcome delivered(int status, int attempts) {
        return new DeliveryOutcome(Kind.DELIVERED, status, "delivered", attempts);
    }

    public static DeliveryOutcome rejected(int status, String message, int attempts) {
        return new DeliveryOutcome(Kind.REJECTED, status, message, attempts);
    }

    public static DeliveryOutcome withdrawn(int attempts) {
        return new DeliveryOutcome(Kind.WITHDRAWN, null, "withdrawn before an attempt", attempts);
    }

    public static DeliveryOutcome transientFailure(Integer status, String message, int attempts) {
        return new DeliveryOutcome(Kind.TRANSIENT, status, message, attempts);
    }
}
