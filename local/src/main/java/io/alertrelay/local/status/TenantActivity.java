package io.alertrelay.local.status;

import io.alertrelay.domain.Lane;
import io.alertrelay.logging.entry.LogEntry;
import io.alertrelay.logging.entry.Outcome;
import io.alertrelay.logging.entry.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per tenant since the start (issue 14): alerts accepted and how many of them took the bulk lane, the backlog (accepted,
 * not yet delivered, superseded, rejected or dead-lettered) and the latency of the latest deliveries, from the
 * webhook's acceptance to the platform's, p50 and p99 — what the status page shows as "tenants by backlog", and what
 * infra/queries/tenants-by-backlog.kql computes from the log in Azure.
 *
 * <p>An event is counted once: a second acceptance of it (a duplicate post, which Service Bus drops) changes nothing
 * while it is in the backlog or among the last {@value #FINISHED_KEPT} finished ones. Thread-safe.
 */
final class TenantActivity {

    /** Latencies kept per tenant for its percentiles: the latest deliveries, not the whole run. */
    static final int LATENCIES_KEPT = 1000;
    static final int FINISHED_KEPT = 100_000;

    private final Map<String, Accepted> backlog = new HashMap<>();
    private final Map<String, Counts> tenants = new TreeMap<>();
    private final LinkedHashMap<String, Boolean> finished = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > FINISHED_KEPT;
        }
    };

    /** One tenant's row. */
    record TenantStatus(String tenant, long accepted, long bulk, int backlog, long delivered, Long p50Millis,
                        Long p99Millis) {
    }

    private record Accepted(String tenant, Instant at) {
    }

    synchronized void accepted(String eventId, String tenant, String lane, Instant at) {
        if (eventId == null || tenant == null || backlog.containsKey(eventId) || finished.containsKey(eventId)) {
            return;
        }
        backlog.put(eventId, new Accepted(tenant, at));
        Counts counts = tenants.computeIfAbsent(tenant, t -> new Counts());
        counts.accepted++;
        counts.backlog++;
        if (Lane.BULK.value().equals(lane)) {
            counts.bulk++;
        }
    }

    /** A dequeuer's entry that ends the event's way through the pipeline takes it off its tenant's backlog. */
    synchronized void record(LogEntry entry, Instant now) {
        if (entry.eventId() == null || !ends(entry)) {
            return;
        }
        Accepted accepted = backlog.remove(entry.eventId());
        finished.put(entry.eventId(), Boolean.TRUE);
        if (accepted == null) {
            return; // accepted before this run, or already finished
        }
        Counts counts = tenants.get(accepted.tenant());
        counts.backlog--;
        if (entry.stage() == Stage.DELIVERED) {
            counts.delivered++;
            counts.latencies.addLast(Duration.between(accepted.at(), now).toMillis());
            if (counts.latencies.size() > LATENCIES_KEPT) {
                counts.latencies.removeFirst();
            }
        }
    }

    /** Every tenant seen, the largest backlog first (then by name). */
    synchronized List<TenantStatus> tenants() {
        List<TenantStatus> rows = new ArrayList<>();
        tenants.forEach((tenant, c) -> {
            long[] sorted = c.latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            rows.add(new TenantStatus(tenant, c.accepted, c.bulk, c.backlog, c.delivered, percentile(sorted, 50),
                    percentile(sorted, 99)));
        });
        rows.sort((a, b) -> a.backlog() != b.backlog() ? Integer.compare(b.backlog(), a.backlog())
                : a.tenant().compareTo(b.tenant()));
        return rows;
    }

    private static boolean ends(LogEntry e) {
        boolean dequeuer = e.operation() != null && e.operation().startsWith("AlertDequeuer");
        return dequeuer && switch (e.stage()) {
            case DELIVERED, SUPERSEDED, REJECTED, DEADLETTERED -> true;
            case STORED -> e.outcome() == Outcome.DUPLICATE; // settled by an earlier delivery
            default -> false;
        };
    }

    /** Nearest rank; null without deliveries. */
    static Long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return null;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static final class Counts {
        long accepted;
        long bulk;
        int backlog;
        long delivered;
        final Deque<Long> latencies = new ArrayDeque<>();

        @Override
        public String toString() {
            return Arrays.toString(new long[] {accepted, bulk, backlog, delivered});
        }
    }
}
