package io.alertrelay.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.domain.EventIdentity;
import io.alertrelay.domain.EventType;
import io.alertrelay.domain.Json;
import io.alertrelay.domain.PlatformEvent;
import io.alertrelay.domain.PlatformEventCodec;
import io.alertrelay.domain.UnreadableEventException;
import io.alertrelay.domain.ClaimCheck;
import io.alertrelay.logging.InvocationLog;
import io.alertrelay.logging.entry.LogProperty;
import io.alertrelay.logging.entry.Outcome;
import io.alertrelay.logging.PipelineLog;
import io.alertrelay.logging.entry.Stage;
import io.alertrelay.port.AlertInstances;
import io.alertrelay.port.EventDocuments;
import io.alertrelay.port.PayloadStore;
import io.alertrelay.port.StoreException;
import io.alertrelay.port.TransientStoreException;
import io.alertrelay.domain.DeliveryOutcome;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.port.PlatformClient;
import io.alertrelay.domain.StoredAlert;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * The dequeuer's use case (DESIGN §4, §6): store the event, decide whether it is still worth delivering, deliver it,
 * and record the outcome — so that each event id ends as one stored document and one effective delivery, however
 * often the broker hands the message over.
 *
 * <p>Returns normally when the message should be completed (delivered, rejected, superseded, already settled, or
 * unreadable) and throws {@link RetryLaterException} when it should be redelivered.
 */
public final class AlertDelivery {

    /** Partition for messages that are not our events; the tenant alphabet has no '_', so no tenant collides. */
    static final String UNREADABLE_PARTITION = "_unreadable";

    private final EventDocuments documents;
    private final AlertInstances instances;
    private final PayloadStore payloads;
    private final PlatformClient platform;
    private final int maxDeliveryCount;
    private final Clock clock;

    private AlertDelivery(Builder b) {
        this.documents = Objects.requireNonNull(b.documents, "documents");
        this.instances = Objects.requireNonNull(b.instances, "instances");
        this.payloads = Objects.requireNonNull(b.payloads, "payloads");
        this.platform = Objects.requireNonNull(b.platform, "platform");
        this.maxDeliveryCount = b.maxDeliveryCount;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Handles a message and logs nothing (unit tests, benchmarks). */
    public DeliveryResult handle(DequeuedMessage message) {
        return handle(message, PipelineLog.discard("AlertDequeuer"));
    }

    /** Handles a message, writing each stage it passes (DESIGN §8) to {@code log}. */
    public DeliveryResult handle(DequeuedMessage message, InvocationLog log) {
        try {
            return process(message, log);
        } catch (StoreException e) {
            // Either kind goes back to the broker: a transient one may pass, and a permanent one (a refused
            // identity, a missing container) must not lose the alert while someone fixes it; after
            // maxDeliveryCount the broker dead-letters it.
            // MessageId is the event id: the row joins the event's others even when the body was never read.
            log.event(message.messageId(), null, null).at(Stage.RETRIED)
                    .outcome(e instanceof TransientStoreException ? Outcome.TRANSIENT_FAILURE : Outcome.FAILURE)
                    .property(LogProperty.REASON, e.kind() + " store failure").error(e)
                    .log("store failed (" + e.kind() + "); the broker redelivers the message");
            throw e;
        }
    }

    private DeliveryResult process(DequeuedMessage message, InvocationLog messageLog) {
        // MessageId is the event id (DESIGN §6): the entry joins the event's others before the body is read.
        InvocationLog log = messageLog.event(message.messageId(), null, null);
        log.at(Stage.RECEIVED).property(LogProperty.MESSAGE_ID, message.messageId())
                .property(LogProperty.DELIVERY_COUNT, message.deliveryCount()).log("message received");
        PlatformEvent event;
        try {
            event = PlatformEventCodec.fromJson(message.body());
        } catch (UnreadableEventException e) {
            DeliveryResult r = recordUnreadable(message, e);
            log.at(Stage.REJECTED).property(LogProperty.MESSAGE_ID, message.messageId()).error(e)
                    .log("unreadable message recorded and completed");
            return r;
        }
        InvocationLog eventLog = log.event(event);
        event = withClaimCheckedPayload(event, message);
        StoredAlert doc = documents.createIfAbsent(newDocument(event));
        if (doc.status().isFinal()) {
            eventLog.at(Stage.STORED).outcome(Outcome.DUPLICATE).property(LogProperty.STATUS, doc.status().value())
                    .log("already settled by an earlier delivery");
            return result(doc, true, 0);
        }
        eventLog.log(Stage.STORED, "stored");
        if (isSupersededFired(event)) {
            StoredAlert superseded = documents.update(event.tenant(), event.id(),
                    d -> d.status().isFinal() ? d : d.withStatus(DeliveryStatus.SUPERSEDED, now()));
            eventLog.log(Stage.SUPERSEDED, "a Resolved of this alert came first; not delivered");
            return result(superseded, false, 0);
        }
        DeliveryOutcome outcome = platform.deliver(event.id(), PlatformEventCodec.toJson(event));
        return recordOutcome(event, outcome, message.deliveryCount(), eventLog);
    }

    /**
     * A Fired that arrives after the Resolved of the same alert instance is stale (DESIGN §4). Times are compared
     * because legacy metric alerts name only their rule: every firing of one rule shares an alert key, and a new
     * firing after a resolution must still be delivered.
     */
    private boolean isSupersededFired(PlatformEvent event) {
        String alertKey = EventIdentity.alertKey(event);
        Optional<Instant> resolvedAt = instances.resolvedAt(event.tenant(), alertKey);
        if (event.type() == EventType.ALERT_RESOLVED) {
            if (resolvedAt.isEmpty() || resolvedAt.get().isBefore(event.time())) {
                instances.markResolved(event.tenant(), alertKey, event.id(), event.time());
            }
            return false;
        }
        return event.type() == EventType.ALERT_FIRED && resolvedAt.isPresent()
                && !resolvedAt.get().isBefore(event.time());
    }

    private DeliveryResult recordOutcome(PlatformEvent event, DeliveryOutcome outcome, int deliveryCount,
                                         InvocationLog log) {
        StoredAlert.LastError error = new StoredAlert.LastError(outcome.status(), outcome.message());
        switch (outcome.kind()) {
            case DELIVERED -> {
                StoredAlert d = documents.update(event.tenant(), event.id(),
                        doc -> doc.delivered(outcome.attempts(), now()));
                log.at(Stage.DELIVERED).property(LogProperty.ATTEMPTS, outcome.attempts())
                        .property(LogProperty.PLATFORM_STATUS, outcome.status()).log("delivered to the platform");
                return result(d, false, outcome.attempts());
            }
            case REJECTED -> {
                StoredAlert d = documents.update(event.tenant(), event.id(), doc -> doc.status().isFinal() ? doc
                        : doc.failed(DeliveryStatus.REJECTED, outcome.attempts(), error, now()));
                log.at(Stage.REJECTED).property(LogProperty.ATTEMPTS, outcome.attempts())
                        .property(LogProperty.PLATFORM_STATUS, outcome.status())
                        .property(LogProperty.REASON, outcome.message()).log("the platform rejected the event");
                return result(d, false, outcome.attempts());
            }
            default -> {
                boolean last = deliveryCount >= maxDeliveryCount;
                DeliveryStatus next = last ? DeliveryStatus.DEADLETTERED : DeliveryStatus.RECEIVED;
                documents.update(event.tenant(), event.id(), doc -> doc.status().isFinal() ? doc
                        : doc.failed(next, outcome.attempts(), error, now()));
                log.at(last ? Stage.DEADLETTERED : Stage.RETRIED).outcome(last ? Outcome.FAILURE : Outcome.TRANSIENT_FAILURE)
                        .property(LogProperty.ATTEMPTS, outcome.attempts())
                        .property(LogProperty.DELIVERY_COUNT, deliveryCount)
                        .property(LogProperty.MAX_DELIVERY_COUNT, maxDeliveryCount)
                        .property(LogProperty.PLATFORM_STATUS, outcome.status())
                        .property(LogProperty.REASON, outcome.message())
                        .log(last ? "last allowed delivery failed; the broker dead-letters the message"
                                : "delivery failed; the broker redelivers the message");
                throw new RetryLaterException("delivery of " + event.id() + " failed: " + outcome.message()
                        + (last ? " (last delivery; the broker dead-letters it)" : ""), last, null);
            }
        }
    }

    /** Restores the original payload of a claim-checked event so the platform receives it whole. */
    private PlatformEvent withClaimCheckedPayload(PlatformEvent event, DequeuedMessage message) {
        Optional<String> ref = ClaimCheck.referencedEventId(event.data().payload());
        if (ref.isEmpty()) {
            return event;
        }
        byte[] payload = payloads.get(event.tenant(), ref.get()).orElseThrow(() -> new RetryLaterException(
                "claim-checked payload of " + event.id() + " is not in the store yet",
                message.deliveryCount() >= maxDeliveryCount, null));
        try {
            return ClaimCheck.withPayload(event, Json.readTree(payload));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("stored payload of " + event.id() + " is not JSON", e);
        }
    }

    private DeliveryResult recordUnreadable(DequeuedMessage message, UnreadableEventException e) {
        Instant now = now();
        String id = "unreadable." + sha256(message.messageId() == null ? new String(message.body(),
                StandardCharsets.UTF_8) : message.messageId());
        StoredAlert doc = new StoredAlert(id, UNREADABLE_PARTITION, null, null, null, DeliveryStatus.REJECTED,
                0, now, now, null, new StoredAlert.LastError(null, "unreadable message " + message.messageId()
                + ": " + e.getMessage()), null, null);
        return result(documents.createIfAbsent(doc), false, 0);
    }

    private StoredAlert newDocument(PlatformEvent event) {
        Instant now = now();
        JsonNode json = Json.readTree(PlatformEventCodec.toJson(event));
        return new StoredAlert(event.id(), event.tenant(), event.type().value(), EventIdentity.alertKey(event),
                event.data().condition(), DeliveryStatus.RECEIVED, 0, now, now, null, null, json, null);
    }

    private static DeliveryResult result(StoredAlert doc, boolean duplicate, int attempts) {
        return new DeliveryResult(doc.id(), doc.tenant(), doc.type(), doc.status(), duplicate, attempts);
    }

    private Instant now() {
        return clock.instant();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The dequeuer's collaborators: the three store capabilities, the platform client and the retry limit. */
    public static final class Builder {
        private EventDocuments documents;
        private AlertInstances instances;
        private PayloadStore payloads;
        private PlatformClient platform;
        private int maxDeliveryCount = 10;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder documents(EventDocuments documents) {
            this.documents = documents;
            return this;
        }

        public Builder instances(AlertInstances instances) {
            this.instances = instances;
            return this;
        }

        public Builder payloads(PayloadStore payloads) {
            this.payloads = payloads;
            return this;
        }

        /** The three capabilities of one store. */
        public Builder store(EventDocuments documents, AlertInstances instances, PayloadStore payloads) {
            return documents(documents).instances(instances).payloads(payloads);
        }

        public Builder platform(PlatformClient platform) {
            this.platform = platform;
            return this;
        }

        /** MAX_DELIVERY_COUNT: the delivery on which a failure marks the document dead-lettered. */
        public Builder maxDeliveryCount(int maxDeliveryCount) {
            this.maxDeliveryCount = maxDeliveryCount;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public AlertDelivery build() {
            return new AlertDelivery(this);
        }
    }
}
