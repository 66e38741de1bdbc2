package io.alertrelay.local.load;

import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The sample receiver's arrivals as a load run sees them, read from {@code /status/deliveries.json}: the first poll
 * asks for what arrived since the run started, each later one only for what was recorded after the position the
 * previous answer gave — so a poll costs the pipeline it measures what is new, not the whole run so far.
 */
public final class Arrivals {

    private final LoadGenerator load;
    private final URI deliveriesJson;
    private final Map<String, Long> arrivedAt = new HashMap<>();
    private final long sinceMillis;
    private int next = -1;

    public Arrivals(LoadGenerator load, URI deliveriesJson, long sinceMillis) {
        this.load = load;
        this.deliveriesJson = deliveriesJson;
        this.sinceMillis = sinceMillis;
    }

    /** Reads the arrivals recorded since the last poll. */
    public void poll() throws IOException, InterruptedException {
        LoadGenerator.Arrived more = load.arrivals(deliveriesJson, next < 0 ? "since=" + sinceMillis : "after=" + next);
        more.arrivedAt().forEach((id, at) -> {
            if (at >= sinceMillis) {
                arrivedAt.put(id, at);
            }
        });
        next = more.next();
    }

    /** Event id → arrival time (epoch ms) of every event seen so far. */
    public Map<String, Long> arrivedAt() {
        return Map.copyOf(arrivedAt);
    }

    public boolean allArrived(Set<String> ids) {
        return arrivedAt.keySet().containsAll(ids);
    }
}
