package io.alertrelay.local.status;

import io.alertrelay.logging.entry.LogEntry;
import io.alertrelay.logging.entry.Outcome;
import io.alertrelay.logging.entry.Stage;
import java.time.Duration;
import java.time.Instant;
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
 */
public final class PipelineActivity {

    private final int keep;
    private final Map<String, Map<Stage, LongAdder>> counts = new ConcurrentHashMap<>();
    /** Latest events, least recently changed first; guarded by itself. */
    private final LinkedHashMap<String, EventActivity> events = new LinkedHashMap<>();
    private final Instant startedAt = Instant.now();

    /** Keeps the latest {@code keep} events. */
    public PipelineActivity(int keep) {
        this.keep = keep;
    }

    /** One event as far as the pipeline has taken it. */
    public record EventActivity(String id, String type, String tenant, String status, Instant acceptedAt,
                                Instant deliveredAt, Instant updatedAt) {

        /** Webhook acceptance (202) to the platform's acceptance, when both were seen by this run. */
        public Long latencyMillis() {
            return acceptedAt == null || deliveredAt == null ? null
                    : Duration.between(acceptedAt, deliveredAt).toMillis();
        }
    }

    public void record(LogEntry entry) {
        String operation = entry.operation() == null ? "other" : entry.operation();
        counts.computeIfAbsent(operation, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(entry.stage(), k -> new LongAdder()).increment();
        if (entry.eventId() != null) {
            track(entry);
        }
    }

    private void track(LogEntry entry) {
        synchronized (events) {
            EventActivity before = events.remove(entry.eventId());
            EventActivity after = next(before, entry);
            events.put(entry.eventId(), after);
            if (events.size() > keep) {
                Iterator<String> oldest = events.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
        }
    }

    private static EventActivity next(EventActivity before, LogEntry e) {
        String status = status(e);
        String type = e.eventType() != null ? e.eventType() : before == null ? null : before.type();
        String tenant = e.tenant() != null ? e.tenant() : before == null ? null : before.tenant();
        Instant accepted = before == null ? null : before.acceptedAt();
        Instant delivered = before == null ? null : before.deliveredAt();
        if (e.stage() == Stage.PUBLISHED && accepted == null) {
            accepted = e.timeGenerated();
        }
        if (e.stage() == Stage.DELIVERED) {
            delivered = e.timeGenerated();
        }
        if (before != null && (isFinal(before.status()) && !isFinal(status) || status == null)) {
            status = before.status(); // a redelivered duplicate does not undo "delivered"
        }
        return new EventActivity(e.eventId(), type, tenant, status == null ? "received" : status, accepted,
                delivered, e.timeGenerated());
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
}
