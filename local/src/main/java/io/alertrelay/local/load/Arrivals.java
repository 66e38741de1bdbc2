package io.alertrelay.local.load;

import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The sample receiver's arrivals as a load run sees them, read from {@code /status/deliveries.json}: each poll asks
 * only for what arrived since the latest arrival seen (with a margin), so polling does not load the pipeline it
 * measures.
 */
public final class Arrivals {

    /** An arrival is stamped when it comes in and listed once verified: one stamped earlier can be listed later. */
    private static final long MARGIN_MILLIS = 10_000;

    private final LoadGenerator load;
    private final URI deliveriesJson;
    private final Map<String, Long> arrivedAt = new HashMap<>();
    private long since;

    public Arrivals(LoadGenerator load, URI deliveriesJson, long sinceMillis) {
        this.load = load;
        this.deliveriesJson = deliveriesJson;
        this.since = sinceMillis;
    }

    /** Reads the arrivals since the last poll. */
    public void poll() throws IOException, InterruptedException {
        Map<String, Long> more = load.arrivals(deliveriesJson, since);
        arrivedAt.putAll(more);
        since = Math.max(since, more.values().stream().mapToLong(Long::longValue).max().orElse(since) - MARGIN_MILLIS);
    }

    /** Event id → arrival time (epoch ms) of every event seen so far. */
    public Map<String, Long> arrivedAt() {
        return Map.copyOf(arrivedAt);
    }

    public boolean allArrived(Set<String> ids) {
        return arrivedAt.keySet().containsAll(ids);
    }
}
