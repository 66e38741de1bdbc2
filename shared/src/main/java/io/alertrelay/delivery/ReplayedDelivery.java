package io.alertrelay.delivery;

import io.alertrelay.domain.DeliveryOutcome;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.PlatformEvent;
import io.alertrelay.domain.PlatformEventCodec;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.logging.InvocationLog;
import io.alertrelay.logging.entry.LogProperty;
import io.alertrelay.logging.entry.Outcome;
import io.alertrelay.logging.entry.Stage;
import io.alertrelay.port.EventDocuments;
import io.alertrelay.port.PlatformClient;
import java.time.Clock;
import java.time.Instant;

/**
 * Delivers an event that a replay published again (DESIGN §13): even when its document is final (an operator asked
 * for it), with no supersession check (the operator chose it), and once per replay request — a replay message the
 * broker hands over again after the platform acknowledged it is completed without a second POST. The document
 * records the replay (count, time, each request's outcome); its status becomes delivered on success, deadlettered
 * when the last allowed delivery fails (unless it was delivered before), and otherwise stays.
 */
final class ReplayedDelivery {

    private final EventDocuments documents;
    private final PlatformClient platform;
    private final int maxDeliveryCount;
    private final Clock clock;

    ReplayedDelivery(EventDocuments documents, PlatformClient platform, int maxDeliveryCount, Clock clock) {
        this.documents = documents;
        this.platform = platform;
        this.maxDeliveryCount = maxDeliveryCount;
        this.clock = clock;
    }

    DeliveryResult deliver(PlatformEvent event, StoredAlert doc, DequeuedMessage message, InvocationLog log,
                           StoreRetry retry) {
        String replayId = message.replayId().orElseThrow();
        if (doc.replays().outcomeOf(replayId).filter("delivered"::equals).isPresent()) {
            log.at(Stage.STORED).outcome(Outcome.DUPLICATE).property(LogProperty.REPLAY_ID, replayId)
                    .log("already delivered for this replay");
            return result(doc, true, 0);
        }
        DeliveryOutcome outcome = platform.deliver(event.id(), PlatformEventCodec.toJson(event));
        StoredAlert.LastError error = new StoredAlert.LastError(outcome.status(), outcome.message());
        Instant now = clock.instant();
        switch (outcome.kind()) {
            case DELIVERED -> {
                StoredAlert d = retry.call(() -> documents.update(event.tenant(), event.id(),
                        x -> x.delivered(outcome.attempts(), now).replayed(replayId, "delivered", now)));
                log.at(Stage.DELIVERED).property(LogProperty.REPLAY_ID, replayId)
                        .property(LogProperty.ATTEMPTS, outcome.attempts())
                        .property(LogProperty.PLATFORM_STATUS, outcome.status()).log("replayed event delivered");
                return result(d, false, outcome.attempts());
            }
            case REJECTED -> {
                StoredAlert d = retry.call(() -> documents.update(event.tenant(), event.id(),
                        x -> (x.status() == DeliveryStatus.DELIVERED ? x
                                : x.failed(DeliveryStatus.REJECTED, outcome.attempts(), error, now))
                                .replayed(replayId, "rejected", now)));
                log.at(Stage.REJECTED).property(LogProperty.REPLAY_ID, replayId)
                        .property(LogProperty.PLATFORM_STATUS, outcome.status())
                        .property(LogProperty.REASON, outcome.message()).log("the platform rejected the replayed event");
                return result(d, false, outcome.attempts());
            }
            default -> {
                boolean last = message.deliveryCount() >= maxDeliveryCount;
                retry.call(() -> documents.update(event.tenant(), event.id(), x -> {
                    DeliveryStatus next = last && x.status() != DeliveryStatus.DELIVERED ? DeliveryStatus.DEADLETTERED
                            : x.status();
                    return x.failed(next, outcome.attempts(), error, now)
                            .replayed(replayId, last ? "deadlettered" : "retried", now);
                }));
                log.at(last ? Stage.DEADLETTERED : Stage.RETRIED).property(LogProperty.REPLAY_ID, replayId)
                        .property(LogProperty.DELIVERY_COUNT, message.deliveryCount())
                        .property(LogProperty.PLATFORM_STATUS, outcome.status())
                        .property(LogProperty.REASON, outcome.message())
                        .log(last ? "replayed event: last allowed delivery failed; the broker dead-letters it"
                                : "replayed event: delivery failed; the broker redelivers it");
                throw new RetryLaterException("replay of " + event.id() + " failed: " + outcome.message(), last, null);
            }
        }
    }

    private static DeliveryResult result(StoredAlert doc, boolean duplicate, int attempts) {
        return new DeliveryResult(doc.id(), doc.tenant(), doc.type(), doc.status(), duplicate, attempts);
    }
}
