package io.alertrelay.local.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The receiver's record of what it accepted, one JSON line per delivery in a file, read back at start: so a repeated
 * Idempotency-Key is recognised across restarts of the local runtime, as a real platform would.
 * Thread-safe; a line cut short by a crash is skipped when read.
 */
final class DeliveryLog implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Delivery> byId = new HashMap<>();
    /** Every delivery in the order recorded: a reader's position in it is a cursor that skips nothing. */
    private final List<Delivery> inOrder = new ArrayList<>();
    /**
     * For each position of {@link #inOrder}, the latest arrival time up to it: never decreasing, so a binary search
     * finds where arrivals since a time can start (arrivals are stamped before they are verified and recorded, so the
     * record is nearly, not exactly, in arrival order).
     */
    private long[] latestArrivalUpTo = new long[1024];
    private final BufferedWriter out;

    private DeliveryLog(BufferedWriter out) {
        this.out = out;
    }

    static DeliveryLog open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            List<Delivery> earlier = Files.isRegularFile(file) ? read(file) : List.of();
            DeliveryLog log = new DeliveryLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND));
            earlier.forEach(log::remember);
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the receiver's delivery log " + file, e);
        }
    }

    /** Records a delivery unless its id is already recorded; true when it was new. */
    synchronized boolean recordIfNew(Delivery delivery) {
        if (!remember(delivery)) {
            return false;
        }
        try {
            out.write(line(delivery));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            // Still recorded in memory: the answer stays 2xx, only the next restart would forget it.
            java.util.logging.Logger.getLogger(DeliveryLog.class.getName())
                    .warning("cannot append to the receiver's delivery log: " + e.getMessage());
        }
        return true;
    }

    private boolean remember(Delivery delivery) {
        if (byId.putIfAbsent(delivery.id(), delivery) != null) {
            return false;
        }
        int position = inOrder.size();
        if (position == latestArrivalUpTo.length) {
            latestArrivalUpTo = Arrays.copyOf(latestArrivalUpTo, position * 2);
        }
        latestArrivalUpTo[position] = position == 0 ? delivery.arrivedAtMillis()
                : Math.max(latestArrivalUpTo[position - 1], delivery.arrivedAtMillis());
        inOrder.add(delivery);
        return true;
    }

    synchronized Optional<Delivery> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    synchronized int size() {
        return byId.size();
    }

    synchronized List<Delivery> all() {
        return new ArrayList<>(inOrder);
    }

    /** The most recent {@code limit} deliveries, newest first. */
    synchronized List<Delivery> latest(int limit) {
        List<Delivery> latest = new ArrayList<>();
        for (int i = inOrder.size() - 1; i >= 0 && latest.size() < limit; i--) {
            latest.add(inOrder.get(i));
        }
        return latest;
    }

    /**
     * The deliveries that arrived at or after {@code epochMillis}, in the order recorded: from the first position
     * whose latest arrival so far reaches that time (nothing before it can), so the cost is that of what is returned.
     */
    synchronized Recorded arrivedSince(long epochMillis) {
        int low = 0;
        int high = inOrder.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (latestArrivalUpTo[middle] < epochMillis) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        List<Delivery> since = inOrder.subList(low, inOrder.size()).stream()
                .filter(d -> d.arrivedAtMillis() >= epochMillis).toList();
        return new Recorded(since, inOrder.size());
    }

    /**
     * The deliveries recorded after the first {@code position} (a {@link Recorded#next()} read before), in the order
     * recorded: a poller reads each delivery once, in time proportional to what is new.
     */
    synchronized Recorded recordedAfter(int position) {
        int from = Math.min(Math.max(0, position), inOrder.size());
        return new Recorded(List.copyOf(inOrder.subList(from, inOrder.size())), inOrder.size());
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // nothing more to write
        }
    }

    private static String line(Delivery d) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", d.id()).put("type", d.type()).put("tenant", d.tenant()).put("arrivedAtMillis", d.arrivedAtMillis());
        return n.toString();
    }

    private static List<Delivery> read(Path file) throws IOException {
        List<Delivery> deliveries = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            try {
                JsonNode n = JSON.readTree(line);
                if (n != null && n.hasNonNull("id")) {
                    deliveries.add(new Delivery(n.get("id").asText(), text(n, "type"), text(n, "tenant"),
                            n.path("arrivedAtMillis").asLong()));
                }
            } catch (IOException cutShort) {
                // a line a crash left half-written: the delivery it described will be repeated and recorded then
            }
        }
        return deliveries;
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }
}
