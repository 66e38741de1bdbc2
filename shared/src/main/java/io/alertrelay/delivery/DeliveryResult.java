package io.alertrelay.delivery;

import io.alertrelay.domain.DeliveryStatus;

/**
 * How the dequeuer finished with a message that it completes (returns normally).
 *
 * @param eventId  the document id (for an unreadable message, the id it was recorded under)
 * @param status   the document's status afterwards
 * @param duplicate true when an earlier delivery of the same event had already settled it
 * @param attempts HTTP calls to the platform in this invocation
 */
public record DeliveryResult(String eventId, String tenant, String type, DeliveryStatus status, boolean duplicate,
                             int attempts) {
}
