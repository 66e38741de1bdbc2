package io.alertrelay.local.platform;

/**
 * One event the sample receiver accepted: signed correctly, recorded once per Idempotency-Key.
 *
 * @param id            the Idempotency-Key (the event id)
 * @param type          the CloudEvents type, or null when the body is not a CloudEvent
 * @param tenant        the event's tenant extension, or null
 * @param arrivedAtMillis when the request arrived, epoch milliseconds (the end of a delivery's latency)
 */
public record Delivery(String id, String type, String tenant, long arrivedAtMillis) {
}
