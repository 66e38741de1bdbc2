package io.alertrelay.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.domain.EventIdentity;
import io.alertrelay.domain.Json;
import io.alertrelay.domain.PlatformEvent;
import io.alertrelay.domain.PlatformEventCodec;
import io.alertrelay.domain.UnreadableEventException;
import io.alertrelay.domain.ClaimCheck;
import io.alertrelay.logging.InvocationLog;
import io.alertrelay.logging.entry.LogLevel;
import io.alertrelay.logging.entry.LogProperty;
import io.alertrelay.logging.entry.Outcome;
import io.alertrelay.logging.PipelineLog;
import io.alertrelay.logging.entry.Stage;
import io.alertrelay.port.AlertInstances;
import io.alertrelay.port.EventDocuments;
import io.alertrelay.port.PayloadStore;
import io.alertrelay.port.StoreException;
import io.alertrelay.port.PermanentStoreException;
import io.alertrelay.domain.DeliveryOutcome;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.port.PlatformClient;
import io.alertrelay.port.TenantRegistry;
import io.alertrelay.domain.StoredAlert;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import io.alertrelay.retry.Backoff;
import io.alertrelay.retry.RetryBudget;
import io.alertrelay.retry.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

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
    private final TenantRegistry registry;
    private final PlatformClient platform;
    private final Supersession supersession;
    private final ReplayedDelivery replays;
    private final int maxDeliveryCount;
    private final Clock clock;
    private final Backoff backoff;
    private final RetryBudget budget;
    private final Sleeper sleeper;
    private final LongSupplier nanoTime;

    private AlertDelivery(Builder b) {
        this.documents = Objects.requireNonNull(b.documents, "documents");
        this.instances = Objects.requireNonNull(b.instances, "instances");
        this.payloads = Objects.requireNonNull(b.payloads, "payloads");
        this.platform = Objects.requireNonNull(b.platform, "platform");
        this.registry = Objects.requireNonNull(b.registry, "registry");
        this.supersession = new Supersession(instances, documents, platform.longestDelivery().plus(b.firedLeaseMargin),
                b.clock, b.sleeper, b.nanoTime);
        this.replays = new ReplayedDelivery(documents, platform, b.maxDeliveryCount, b.clock);
        this.maxDeliveryCount = b.maxDeliveryCount;
        this.clock = b.clock;
        this.backoff = new Backoff(b.storeBackoffBase, b.storeBackoffCap);
        this.budget = new RetryBudget(b.storeTimeBudget, b.storeCallTimeout);
        this.sleeper = b.sleeper;
        this.nanoTime = b.nanoTime;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Handles a message and logs nothing (unit tests, benchmarks). */
    public DeliveryResult handle(DequeuedMessage message) {
        return handle(message, PipelineLog.discard("AlertDequeuer"));
    }

    /** Handles a message, writing each stage it passes (DESIGN §8) to {@code log}. */
    public DeliveryResult handle(DequeuedMessage message, InvocationLog messageLog) {
        // MessageId is the event id (DESIGN §6): the entries join the event's others before the body is read.
        InvocationLog log = messageLog.event(message.messageId(), null, null);
        log.at(Stage.RECEIVED).property(LogProperty.MESSAGE_ID, message.messageId())
                .property(LogProperty.DELIVERY_COUNT, message.deliveryCount()).log("message received");
        StoreRetry retry = new StoreRetry(backoff, budget, sleeper, nanoTime);
        PlatformEvent event;
        JsonNode json;
        try {
            json = PlatformEventCodec.readTree(message.body());
            event = PlatformEventCodec.fromTree(json);
        } catch (UnreadableEventException e) {
            DeliveryResult r = recordUnreadable(message, e, retry);
            log.at(Stage.REJECTED).property(LogProperty.MESSAGE_ID, message.messageId()).error(e)
                    .log("unreadable message recorded and completed");
            return r;
        }
        InvocationLog eventLog = log.event(event);
        try {
            return process(event, json, message, eventLog, retry);
        } catch (StoreException e) {
            throw storeFailed(event, message, eventLog, e);
        }
    }

    /** @param receivedJson the body's JSON tree, read once */
    private DeliveryResult process(PlatformEvent received, JsonNode receivedJson, DequeuedMessage message,
                                   InvocationLog log, StoreRetry retry) {
        PlatformEvent event = withClaimCheckedPayload(received, message, retry);
        // The body is the event as the webhook wrote it (DESIGN §3): stored and delivered as it is, unless its
        // claim-checked payload was restored.
        byte[] json = event == received ? message.body() : PlatformEventCodec.toJson(event);
        JsonNode tree = event == received ? receivedJson : Json.readTree(json);
        StoredAlert doc = retry.call(() -> documents.createIfAbsent(newDocument(event, tree)));
        retry.run(() -> registry.register(event.tenant())); // a replay without a tenant walks the registry
        if (message.replayId().isPresent()) {
            return replays.deliver(event, doc, message, log, retry);
        }
        if (doc.status().isFinal()) {
            log.at(Stage.STORED).outcome(Outcome.DUPLICATE).property(LogProperty.STATUS, doc.status().value())
                    .log("already settled by an earlier delivery");
            return result(doc, true, 0);
        }
        log.log(Stage.STORED, "stored");
        supersession.recordIfResolved(event, retry);
        supersession.awaitFiredDeliveries(event, retry);
        Optional<Supersession.Lease> lease = supersession.lease(event, retry);
        if (lease.isEmpty()) {
            return recordOutcome(event, doc, DeliveryOutcome.withdrawn(0), Supersession.Lease.NONE,
                    message.deliveryCount(), log, retry);
        }
        // No release in a finally: the outcome's write below ends the lease. When deliver throws (the gate's store
        // read failed past its retries) there is no outcome to write, and the lease is left to expire: it lasts the
        // platform client's longest delivery plus firedLeaseMargin, and a Resolved waits for it at most that long.
        DeliveryOutcome outcome = platform.deliver(event.id(), json, supersession.gate(event, retry));
        return recordOutcome(event, doc, outcome, lease.get(), message.deliveryCount(), log, retry);
    }

    /**
     * Writes the outcome onto the document, starting from {@code stored} (one write when nobody wrote since). Unless
     * delivered, the same write records {@code lease} as ended — also on a document already final, whose status
     * stays: a Resolved waits for a lease until its holder's outcome is written (see {@link Supersession}).
     */
    private DeliveryResult recordOutcome(PlatformEvent event, StoredAlert stored, DeliveryOutcome outcome,
                                         Supersession.Lease lease, int deliveryCount, InvocationLog log,
                                         StoreRetry retry) {
        StoredAlert.LastError error = new StoredAlert.LastError(outcome.status(), outcome.message());
        switch (outcome.kind()) {
            case DELIVERED -> {
                // No holder recorded: a delivered document ends every lease of its event, and stays delivered.
                return recordDelivered(event, stored, outcome, deliveryCount, log, retry);
            }
            case WITHDRAWN -> {
                StoredAlert d = retry.call(() -> documents.update(stored, doc -> lease.endedIn(doc.status().isFinal()
                        ? doc : doc.failed(DeliveryStatus.SUPERSEDED, outcome.attempts(), doc.lastError(), now()),
                        now())));
                log.at(Stage.SUPERSEDED).property(LogProperty.ATTEMPTS, outcome.attempts())
                        .log("a Resolved of this alert came first; not delivered");
                return result(d, false, outcome.attempts());
            }
            case REJECTED -> {
                StoredAlert d = retry.call(() -> documents.update(stored, doc -> lease.endedIn(doc.status().isFinal()
                        ? doc : doc.failed(DeliveryStatus.REJECTED, outcome.attempts(), error, now()), now())));
                log.at(Stage.REJECTED).property(LogProperty.ATTEMPTS, outcome.attempts())
                        .property(LogProperty.PLATFORM_STATUS, outcome.status())
                        .property(LogProperty.REASON, outcome.message()).log("the platform rejected the event");
                return result(d, false, outcome.attempts());
            }
            default -> {
                boolean last = deliveryCount >= maxDeliveryCount;
                DeliveryStatus next = last ? DeliveryStatus.DEADLETTERED : DeliveryStatus.RECEIVED;
                retry.call(() -> documents.update(stored, doc -> lease.endedIn(doc.status().isFinal() ? doc
                        : doc.failed(next, outcome.attempts(), error, now()), now())));
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

    /**
     * The platform has the event. If its status cannot be written now, the message goes back to the broker and the
     * next delivery posts again with the same Idempotency-Key (the platform ignores the repeat) and records it;
     * on the last allowed delivery it is completed instead — the alert reached the platform, so its message must
     * not be dead-lettered — and the document stays received, which the log says.
     */
    private DeliveryResult recordDelivered(PlatformEvent event, StoredAlert stored, DeliveryOutcome outcome,
                                           int deliveryCount, InvocationLog log, StoreRetry retry) {
        StoredAlert d;
        try {
            d = retry.call(() -> documents.update(stored, doc -> doc.delivered(outcome.attempts(), now())));
        } catch (StoreException e) {
            if (deliveryCount < maxDeliveryCount) {
                throw e;
            }
            log.at(Stage.DELIVERED).level(LogLevel.ERROR).property(LogProperty.ATTEMPTS, outcome.attempts())
                    .property(LogProperty.PLATFORM_STATUS, outcome.status()).error(e)
                    .log("delivered to the platform on the last allowed delivery, but the store could not record it");
            return new DeliveryResult(event.id(), event.tenant(), event.type().value(), DeliveryStatus.DELIVERED,
                    false, outcome.attempts());
        }
        log.at(Stage.DELIVERED).property(LogProperty.ATTEMPTS, outcome.attempts())
                .property(LogProperty.PLATFORM_STATUS, outcome.status()).log("delivered to the platform");
        return result(d, false, outcome.attempts());
    }

    /**
     * A store failure the in-invocation retries could not get past. Either kind goes back to the broker: a transient
     * one may pass, and a permanent one (a refused identity, a missing container) must not lose the alert while
     * someone fixes it. On the last allowed delivery the document is marked deadlettered if the store takes it
     * now, and the log says so in every case.
     */
    private StoreException storeFailed(PlatformEvent event, DequeuedMessage message, InvocationLog log,
                                       StoreException e) {
        boolean last = message.deliveryCount() >= maxDeliveryCount;
        if (last) {
            try {
                documents.update(event.tenant(), event.id(), doc -> doc.status().isFinal() ? doc
                        : doc.failed(DeliveryStatus.DEADLETTERED, 0, new StoredAlert.LastError(null,
                        e.kind() + " store failure"), now()));
            } catch (RuntimeException stillDown) {
                // the log below is the record, and the dead-letter queue holds the message
            }
        }
        log.at(last ? Stage.DEADLETTERED : Stage.RETRIED)
                .outcome(last || e instanceof PermanentStoreException ? Outcome.FAILURE : Outcome.TRANSIENT_FAILURE)
                .property(LogProperty.DELIVERY_COUNT, message.deliveryCount())
                .property(LogProperty.REASON, e.kind() + " store failure").error(e)
                .log(last ? "store failed (" + e.kind() + ") on the last allowed delivery; the broker dead-letters it"
                        : "store failed (" + e.kind() + "); the broker redelivers the message");
        return e;
    }

    /**
     * Restores the original payload of an event the webhook claim-checked, so the platform receives it whole. Only
     * a message the webhook marked is followed: a posted body may hold a {@code $claimCheck} key of its own, which is
     * then just data.
     */
    private PlatformEvent withClaimCheckedPayload(PlatformEvent event, DequeuedMessage message, StoreRetry retry) {
        Optional<String> ref = message.claimChecked() ? ClaimCheck.referencedEventId(event.data().payload())
                : Optional.empty();
        if (ref.isEmpty()) {
            return event;
        }
        byte[] payload = retry.call(() -> payloads.get(event.tenant(), ref.get())).orElseThrow(() ->
                new RetryLaterException("claim-checked payload of " + event.id() + " is not in the store yet",
                        message.deliveryCount() >= maxDeliveryCount, null));
        try {
            return ClaimCheck.withPayload(event, Json.readTree(payload));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("stored payload of " + event.id() + " is not JSON", e);
        }
    }

    private DeliveryResult recordUnreadable(DequeuedMessage message, UnreadableEventException e, StoreRetry retry) {
        Instant now = now();
        String id = "unreadable." + sha256(message.messageId() == null ? new String(message.body(),
                StandardCharsets.UTF_8) : message.messageId());
        StoredAlert doc = new StoredAlert(id, UNREADABLE_PARTITION, null, null, null, DeliveryStatus.REJECTED,
                0, now, now, null, new StoredAlert.LastError(null, "unreadable message " + message.messageId()
                + ": " + e.getMessage()), null, null);
        return result(retry.call(() -> documents.createIfAbsent(doc)), false, 0);
    }

    private StoredAlert newDocument(PlatformEvent event, JsonNode json) {
        Instant now = now();
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
        private TenantRegistry registry;
        private PlatformClient platform;
        private int maxDeliveryCount = 10;
        private Clock clock = Clock.systemUTC();
        // The platform client's policy: full jitter from 500 ms to 8 s, within a 30 s budget per invocation.
        private Duration storeBackoffBase = Duration.ofMillis(500);
        private Duration storeBackoffCap = Duration.ofSeconds(8);
        private Duration storeTimeBudget = Duration.ofSeconds(30);
        private Duration storeCallTimeout = Duration.ofSeconds(6);
        private Sleeper sleeper = Sleeper.THREAD_SLEEP;
        private LongSupplier nanoTime = System::nanoTime;
        private Duration firedLeaseMargin = Duration.ofSeconds(10);

        private Builder() {
        }

        /**
         * How much longer than the platform client's longest delivery a Fired's lease lasts (10 s): store round
         * trips, and the clocks of two instances that may differ. A lease whose delivery's end was never written
         * (its holder died, or the store failed) delays the instance's Resolved by the lease's length at most.
         */
        public Builder firedLeaseMargin(Duration margin) {
            this.firedLeaseMargin = Objects.requireNonNull(margin, "margin");
            return this;
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

        /** Where tenants are recorded as their events are stored (what a replay without a tenant walks). */
        public Builder registry(TenantRegistry registry) {
            this.registry = registry;
            return this;
        }

        /** The capabilities of one store. */
        public Builder store(EventDocuments documents, AlertInstances instances, PayloadStore payloads,
                             TenantRegistry registry) {
            return documents(documents).instances(instances).payloads(payloads).registry(registry);
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

        /**
         * How transient store failures are retried in one invocation: full-jitter backoff from {@code base} to
         * {@code cap}, and no retry that would end after {@code budget} (one store call taking at most
         * {@code callTimeout}). Defaults: 500 ms, 8 s, 30 s, 6 s — the platform client's.
         */
        public Builder storeRetries(Duration base, Duration cap, Duration budget, Duration callTimeout) {
            this.storeBackoffBase = base;
            this.storeBackoffCap = cap;
            this.storeTimeBudget = budget;
            this.storeCallTimeout = callTimeout;
            return this;
        }

        /** How the store retries wait (tests: a recording fake) and read the time. */
        public Builder sleeper(Sleeper sleeper, LongSupplier nanoTime) {
            this.sleeper = sleeper;
            this.nanoTime = nanoTime;
            return this;
        }

        public AlertDelivery build() {
            return new AlertDelivery(this);
        }
    }
}
