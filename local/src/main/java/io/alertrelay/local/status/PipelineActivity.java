package io.alertrelay.local.status;

import io.alertrelay.logging.entry.LogEntry;
import io.alertrelay.logging.entry.Outcome;
import io.alertrelay.logging.entry.Stage;
import io.alertrelay.domain.AlertMessage;
import io.alertrelay.domain.Lane;
import io.alertrelay.port.AlertPublisher;
import io.alertrelay.domain.StoredAlert;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the status page shows, read off the pipeline's own log entries (so it works whichever backends are real):
 * entries per function and stage since start, and the latest events with the stage each has reached.
 *
 * <p>Every time it shows comes from one clock, its own (monotonic by default), read when it is told of a step —
 * never the entries' own {@code TimeGenerated}. The acceptance of an event is taken just before the webhook
 * publishes it ({@link #recordingAcceptance}): the dequeuer may deliver before the webhook has logged
 * "published", so a time taken from that entry could come after the delivery and make the latency negative.
 */
public final class PipelineActivity {

    private final int keep;
    private final Clock clock;
    private final Map<String, Map<Stage, LongAdder>> counts = new ConcurrentHashMap<>();
    /** Latest events, least recently changed first; guarded by itself. */
    private final LinkedHashMap<String, EventActivity> events = new LinkedHashMap<>();
    private final TenantActivity tenants = new TenantActivity();
    private final Instant startedAt;

    /** Keeps the latest {@code keep} events; times from a monotonic clock anchored at the wall clock now. */
    public PipelineActivity(int keep) {
        this(keep, monotonicClock());
    }

    /** As {@link #PipelineActivity(int)}, with the clock every shown time is read from. */
    public PipelineActivity(int keep, Clock clock) {
        this.keep = keep;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /** One event as far as the pipeline has taken it. */
    public record EventActivity(String id, String type, String tenant, String status, Instant acceptedAt,
                                Instant deliveredAt, Instant updatedAt) {

        /**
         * Webhook acceptance (just before the publish) to the platform's acceptance, when both were seen by this run;
         * both times come from one clock and the first precedes the second.
         */
        public Long latencyMillis() {
            return acceptedAt == null || deliveredAt == null ? null
                    : Duration.between(acceptedAt, deliveredAt).toMillis();
        }
    }

    /**
     * The publisher the webhook uses, with the event's acceptance recorded before each publish (and kept only when
     * the publish succeeded): the delivery can only come after it.
     */
    public AlertPublisher recordingAcceptance(AlertPublisher publisher) {
        return new AlertPublisher() {
            @Override
            public void publish(AlertMessage message) {
                Instant at = clock.instant();
                publisher.publish(message);
                accepted(message.messageId(), message.subject(), message.properties().get("tenant"), at);
                // a replay's message has its own MessageId; its entries carry the event id
                tenants.accepted(message.properties().getOrDefault("eventId", message.messageId()),
                        message.properties().get("tenant"), message.properties().get(Lane.PROPERTY), at);
            }

            @Override
            public String health() {
                return publisher.health();
            }
        };
    }

    /**
     * An event was accepted at {@code at}; the first acceptance counts, and one after the event's delivery (a
     * duplicate post of an event delivered before a restart) changes nothing.
     */
    void accepted(String id, String type, String tenant, Instant at) {
        synchronized (events) {
            EventActivity before = events.get(id);
            if (before == null) {
                put(new EventActivity(id, type, tenant, "queued", at, null, at));
            } else if (before.acceptedAt() == null
                    && (before.deliveredAt() == null || !at.isAfter(before.deliveredAt()))) {
                // the dequeuer was faster than this thread: its entries came first, the acceptance still precedes them
                events.put(id, new EventActivity(id, before.type(), before.tenant(), before.status(), at,
                        before.deliveredAt(), before.updatedAt()));
            }
        }
    }

    public void record(LogEntry entry) {
        String operation = entry.operation() == null ? "other" : entry.operation();
        counts.computeIfAbsent(operation, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(entry.stage(), k -> new LongAdder()).increment();
        if (entry.eventId() != null) {
            Instant now = clock.instant();
            track(entry, now);
            tenants.record(entry, now);
        }
    }

    /** Per tenant: accepted, in the bulk lane, backlog and the latest deliveries' latency (largest backlog first). */
    public List<TenantActivity.TenantStatus> tenants() {
        return tenants.tenants();
    }

    /**
     * After a restart: the store's most recently changed documents, so "latest events" is not empty until the next
     * alert. Their latency is unknown to this run (its acceptance was seen by the previous one).
     */
    public void restore(List<StoredAlert> newestFirst) {
        synchronized (events) {
            for (int i = newestFirst.size() - 1; i >= 0; i--) {
                StoredAlert doc = newestFirst.get(i);
                if (!events.containsKey(doc.id())) {
                    put(new EventActivity(doc.id(), doc.type(), doc.tenant(), doc.status().value(), null,
                            doc.deliveredAt(), doc.updatedAt()));
                }
            }
        }
    }

    private void track(LogEntry entry, Instant now) {
        synchronized (events) {
            EventActivity before = events.get(entry.eventId());
            EventActivity after = next(before, entry, now);
            if (after != before) {
                events.remove(entry.eventId());
                put(after);
            }
        }
    }

    private void put(EventActivity activity) {
        events.put(activity.id(), activity);
        if (events.size() > keep) {
            Iterator<String> oldest = events.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** The event after this entry; {@code before} itself when the entry changes nothing shown. */
    private static EventActivity next(EventActivity before, LogEntry e, Instant now) {
        String status = status(e);
        if (before != null && isFinal(before.status()) && (status == null || !isFinal(status)
                || status.equals(before.status()))) {
            return before; // a duplicate post or a redelivered message: "delivered" and its time stand
        }
        String type = e.eventType() != null ? e.eventType() : before == null ? null : before.type();
        String tenant = e.tenant() != null ? e.tenant() : before == null ? null : before.tenant();
        Instant accepted = before == null ? null : before.acceptedAt();
        Instant delivered = before == null ? null : before.deliveredAt();
        if (e.stage() == Stage.PUBLISHED && accepted == null && delivered == null) {
            accepted = now; // no acceptance recorded before the publish (a publisher not wrapped): the next best
        }
        if (e.stage() == Stage.DELIVERED) {
            delivered = now;
        }
        if (status == null) {
            status = before == null ? "received" : before.status();
        }
        return new EventActivity(e.eventId(), type, tenant, status, accepted, delivered, now);
    }

    /** The stage an entry shows the event has reached, in the words of the stored document where they exist. */
    private static String status(LogEntry e) {
        if (e.outcome() == Outcome.DUPLICATE) {
            return null;
        }
        return switch (e.stage()) {
            case PUBLISHED -> "queued";
            case RECEIVED -> "processing";
            case STORED -> "stored";
            case RETRIED -> "retrying";
            case DELIVERED -> "delivered";
            case SUPERSEDED -> "superseded";
            case DEADLETTERED -> "deadlettered";
            case REJECTED -> "rejected";
            case REPLAYED -> "queued";
        };
    }

    private static boolean isFinal(String status) {
        return "delivered".equals(status) || "superseded".equals(status) || "rejected".equals(status);
    }

    /** Entries per operation (function) and stage since start. */
    public Map<String, Map<String, Long>> stageCounts() {
        Map<String, Map<String, Long>> result = new LinkedHashMap<>();
        counts.keySet().stream().sorted().forEach(op -> {
            Map<String, Long> byStage = new LinkedHashMap<>();
            Map<Stage, LongAdder> stages = new EnumMap<>(counts.get(op));
            stages.forEach((stage, n) -> byStage.put(stage.value(), n.sum()));
            result.put(op, byStage);
        });
        return result;
    }

    /** The latest events, most recently changed first. */
    public List<EventActivity> latest(int limit) {
        synchronized (events) {
            List<EventActivity> all = new ArrayList<>(events.values());
            List<EventActivity> latest = new ArrayList<>();
            for (int i = all.size() - 1; i >= 0 && latest.size() < limit; i--) {
                latest.add(all.get(i));
            }
            return latest;
        }
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** The wall clock once, then the monotonic System.nanoTime: later readings never go back. */
    static Clock monotonicClock() {
        Instant anchor = Instant.now();
        long anchorNanos = System.nanoTime();
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return anchor.plusNanos(System.nanoTime() - anchorNanos);
            }
        };
    }
}
