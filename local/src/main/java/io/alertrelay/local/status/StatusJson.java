package io.alertrelay.local.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.local.ThisProcess;
import io.alertrelay.local.host.HttpRequestThrottle;
import io.alertrelay.local.platform.Delivery;
import io.alertrelay.local.platform.Recorded;
import io.alertrelay.local.platform.SamplePlatformReceiver;
import io.alertrelay.local.servicebus.ServiceBusEmulator;
import io.alertrelay.local.status.PipelineActivity.EventActivity;
import java.time.Instant;
import java.util.Map;

/** The JSON documents behind the status page ({@code /status.json}) and the load command ({@code /status/deliveries.json}). */
final class StatusJson {

    static final int LATEST_EVENTS = 25;
    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusJson() {
    }

    static ObjectNode status(StatusSources sources) {
        ObjectNode root = JSON.createObjectNode();
        root.put("now", Instant.now().toString());
        root.put("startedAt", sources.activity().startedAt().toString());
        process(root.putObject("process"));
        http(root.putObject("http"), sources.http());
        ObjectNode stages = root.putObject("stages");
        sources.activity().stageCounts().forEach((op, counts) -> {
            ObjectNode byStage = stages.putObject(op);
            counts.forEach(byStage::put);
        });
        sources.bus().ifPresentOrElse(bus -> queue(root.putObject("queue"), bus, sources), () -> root.putNull("queue"));
        sources.store().ifPresentOrElse(store -> {
            ObjectNode byStatus = root.putObject("store");
            store.countsByStatus().forEach(byStatus::put);
        }, () -> root.putNull("store"));
        sources.receiver().ifPresentOrElse(r -> receiver(root.putObject("receiver"), r), () -> root.putNull("receiver"));
        ArrayNode tenants = root.putArray("tenants");
        for (TenantActivity.TenantStatus t : sources.activity().tenants()) {
            ObjectNode n = tenants.addObject();
            n.put("tenant", t.tenant()).put("accepted", t.accepted()).put("bulk", t.bulk())
                    .put("backlog", t.backlog()).put("delivered", t.delivered());
            n.put("p50Ms", t.p50Millis()).put("p99Ms", t.p99Millis());
        }
        ArrayNode events = root.putArray("events");
        for (EventActivity e : sources.activity().latest(LATEST_EVENTS)) {
            ObjectNode n = events.addObject();
            n.put("id", e.id()).put("type", e.type()).put("tenant", e.tenant()).put("status", e.status());
            n.put("acceptedAt", time(e.acceptedAt())).put("deliveredAt", time(e.deliveredAt()));
            n.put("updatedAt", time(e.updatedAt()));
            if (e.latencyMillis() == null) {
                n.putNull("latencyMs");
            } else {
                n.put("latencyMs", e.latencyMillis());
            }
        }
        return root;
    }

    /**
     * This process's CPU time so far, all threads (the functions and every stand-in in it), and the processors it
     * may use: {@code load} reads it before and after each phase to give the pipeline's CPU per alert.
     */
    private static void process(ObjectNode n) {
        ThisProcess.cpuSeconds().ifPresentOrElse(seconds -> n.put("cpuSeconds", seconds), () -> n.putNull("cpuSeconds"));
        n.put("processors", Runtime.getRuntime().availableProcessors());
        ThisProcess.tieredStopAtLevel().ifPresentOrElse(level -> n.put("tieredStopAtLevel", level),
                () -> n.putNull("tieredStopAtLevel"));
    }

    /**
     * host.json's limits on the HTTP functions (-1: none) and the requests held now, running or waiting for a slot: a
     * burst beyond {@code maxConcurrentRequests} waits here for its 202.
     */
    private static void http(ObjectNode n, HttpRequestThrottle throttle) {
        n.put("maxConcurrentRequests", throttle.limits().maxConcurrentRequests());
        n.put("maxOutstandingRequests", throttle.limits().maxOutstandingRequests());
        n.put("held", throttle.held());
    }

    /**
     * The topic's lanes: each subscription's active and dead-lettered messages, and their sums; the topic's size and
     * the size at which it refuses sends.
     */
    private static void queue(ObjectNode queue, ServiceBusEmulator bus, StatusSources sources) {
        queue.put("topic", sources.topic());
        int active = 0;
        int deadLettered = 0;
        ArrayNode lanes = queue.putArray("lanes");
        for (Map.Entry<String, String> lane : sources.lanes().entrySet()) {
            int a = bus.activeMessageCount(sources.topic(), lane.getValue());
            int d = bus.deadLetterMessageCount(sources.topic(), lane.getValue());
            lanes.addObject().put("lane", lane.getKey()).put("subscription", lane.getValue()).put("active", a)
                    .put("deadLettered", d);
            active += a;
            deadLettered += d;
        }
        queue.put("active", active);
        queue.put("deadLettered", deadLettered);
        queue.put("sizeBytes", bus.topicSizeInBytes(sources.topic()));
        queue.put("maxSizeBytes", bus.maxTopicBytes());
        queue.put("duplicatesDropped", bus.duplicateMessageCount(sources.topic()));
    }

    private static void receiver(ObjectNode n, SamplePlatformReceiver r) {
        SamplePlatformReceiver.Stats stats = r.stats();
        n.put("url", r.eventsUri().toString());
        n.put("deliveries", stats.deliveries());
        n.put("requests", stats.requests());
        n.put("repeats", stats.repeats());
        n.put("badSignatures", stats.badSignatures());
        n.put("outage", stats.outage());
    }

    /** Arrival times at the sample receiver, for end-to-end latency measured outside this process. */
    static ObjectNode deliveries(Recorded recorded) {
        ObjectNode root = JSON.createObjectNode();
        root.put("count", recorded.deliveries().size());
        root.put("next", recorded.next());
        ArrayNode list = root.putArray("deliveries");
        for (Delivery d : recorded.deliveries()) {
            list.addObject().put("id", d.id()).put("type", d.type()).put("arrivedAtMillis", d.arrivedAtMillis());
        }
        return root;
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
