package io.alertrelay.bench;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.adapter.platform.OkHttpPlatformClient;
import io.alertrelay.domain.AlertMessage;
import io.alertrelay.domain.DeliveryStatus;
import io.alertrelay.domain.Json;
import io.alertrelay.domain.PlatformEvent;
import io.alertrelay.domain.PlatformEventCodec;
import io.alertrelay.domain.StoredAlert;
import io.alertrelay.functions.AppGraph;
import io.alertrelay.functions.FunctionClasses;
import io.alertrelay.http.HttpAnswer;
import io.alertrelay.local.host.FunctionApp;
import io.alertrelay.local.host.FunctionInstances;
import io.alertrelay.local.host.FunctionInvoker;
import io.alertrelay.local.servicebus.ServiceBusEmulator;
import io.alertrelay.local.store.H2Store;
import io.alertrelay.local.trigger.ServiceBusTriggerDriver;
import io.alertrelay.logging.PipelineLog;
import io.alertrelay.settings.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A replay of N dead-lettered events on this machine (issue 13): N stored documents marked deadlettered across the
 * fixture mix's tenants (about N/20 of them) and their N messages in the subscription's dead-letter queue; then
 * the Replay use case as the function runs it (page after page, no tenant: the registry walk) with the local store
 * (H2) and the Service Bus emulator, and the dequeuer delivering what it published. Prints the time and events/s
 * of the replay (select, publish, drain) and of the deliveries, and the store operations per event of each.
 * {@code java -cp bench/target/benchmarks.jar io.alertrelay.bench.ReplayBenchmark [N]} from the project root,
 * after {@code mvn -B -q -DskipTests package}.
 */
public final class ReplayBenchmark {

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        String secret = "whsec_" + Base64.getEncoder().encodeToString("bench-signing-secret-32-bytes!!!".getBytes());
        try (ScratchDirectory data = ScratchDirectory.create("replay-bench");
             ServiceBusEmulator bus = CostBenchmark.lanes(ServiceBusEmulator.builder()).build().start();
             PlatformStub platform = new PlatformStub();
             CountingStore store = new CountingStore(H2Store.open(data.path(), 16))) {
            Map<String, String> values = Map.of(Settings.SERVICE_BUS_CONNECTION, bus.connectionString(),
                    Settings.TENANT_TOKEN_KEYS, "bench", Settings.PLATFORM_SIGNING_SECRET, secret,
                    Settings.PLATFORM_ENDPOINT_URL, platform.url().toString(),
                    "ALERTS_TOPIC", "alerts", "ALERTS_SUBSCRIPTION", "platform-delivery",
                    Settings.ALERTS_BULK_SUBSCRIPTION, CostBenchmark.BULK_LANE);
            Settings settings = Settings.from(values);
            AppGraph graph = AppGraph.builder(values).store(store).platform(OkHttpPlatformClient.builder()
                    .endpoint(platform.url()).secrets(settings.platformSigningSecrets()).build()).build();
            List<AlertMessage> messages = FixtureMix.messages(total);
            long seeded = System.nanoTime();
            seed(store, messages);
            deadLetter(bus, messages);
            System.out.printf("seeded %d dead-lettered documents (%d tenants) and %d dead-lettered messages in %.1f s%n",
                    total, store.tenants().size(), bus.deadLetterMessageCount("alerts", "platform-delivery"),
                    (System.nanoTime() - seeded) / 1e9);
            store.takeCounts();

            long start = System.nanoTime();
            int replayed = replay(graph);
            double replaySeconds = (System.nanoTime() - start) / 1e9;
            Map<String, Long> replayOps = store.takeCounts();
            System.out.printf("replay: %d events selected, published and drained in %.1f s: %.0f events/s; "
                            + "dead-letter queue now %d; store operations %s = %.3f per event%n",
                    replayed, replaySeconds, replayed / replaySeconds,
                    bus.deadLetterMessageCount("alerts", "platform-delivery"), replayOps, perEvent(replayOps, replayed));

            try (ServiceBusTriggerDriver driver = new ServiceBusTriggerDriver(
                    new ServiceBusClientBuilder().connectionString(bus.connectionString()), dequeuer(values, graph),
                    32, Duration.ofMinutes(5))) {
                long deliverStart = System.nanoTime();
                driver.start();
                long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
                while (platform.arrivals().size() < total && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                double deliverSeconds = (System.nanoTime() - deliverStart) / 1e9;
                Map<String, Long> deliverOps = store.takeCounts();
                System.out.printf("deliver: %d of %d replayed events delivered in %.1f s: %.0f events/s; "
                                + "store operations %s = %.3f per event%n", platform.arrivals().size(), total,
                        deliverSeconds, platform.arrivals().size() / deliverSeconds, deliverOps,
                        perEvent(deliverOps, platform.arrivals().size()));
                System.out.printf("replay to last delivery: %.1f s%n", replaySeconds + deliverSeconds);
            } finally {
                graph.close();
            }
        }
    }

    private static void seed(CountingStore store, List<AlertMessage> messages) {
        Instant now = Instant.now();
        for (AlertMessage m : messages) {
            PlatformEvent e = PlatformEventCodec.fromJson(m.body());
            store.createIfAbsent(new StoredAlert(e.id(), e.tenant(), e.type().value(), null, null,
                    DeliveryStatus.DEADLETTERED, 12, now, now, null, new StoredAlert.LastError(503, "outage"),
                    Json.readTree(m.body()), null));
            store.register(e.tenant());
        }
    }

    /** The originals, sent and dead-lettered, as the broker leaves them after MAX_DELIVERY_COUNT. */
    private static void deadLetter(ServiceBusEmulator bus, List<AlertMessage> messages) {
        ServiceBusClientBuilder client = new ServiceBusClientBuilder().connectionString(bus.connectionString());
        try (ServiceBusSenderClient sender = client.sender().topicName("alerts").buildClient();
             ServiceBusReceiverClient receiver = client.receiver().topicName("alerts")
                     .subscriptionName("platform-delivery").disableAutoComplete().prefetchCount(0)
                     .maxAutoLockRenewDuration(Duration.ZERO).buildClient()) {
            List<ServiceBusMessage> batch = new ArrayList<>();
            for (AlertMessage m : messages) {
                batch.add(new ServiceBusMessage(m.body()).setMessageId(m.messageId()));
                if (batch.size() == 100) {
                    sender.sendMessages(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                sender.sendMessages(batch);
            }
            int moved = 0;
            while (moved < messages.size()) {
                // exactly what is left, in batches: a receive that ends by timeout leaves credit on the link
                int want = Math.min(100, messages.size() - moved);
                for (ServiceBusReceivedMessage m : receiver.receiveMessages(want, Duration.ofSeconds(30))) {
                    receiver.deadLetter(m);
                    moved++;
                }
            }
        }
    }

    /** Every dead-lettered event, page after page, as ./alert-relay replay --status deadlettered asks. */
    private static int replay(AppGraph graph) {
        int events = 0;
        String continuation = null;
        PipelineLog log = PipelineLog.functionLoggerOnly();
        java.util.logging.Logger quiet = java.util.logging.Logger.getLogger("replay-bench");
        quiet.setLevel(java.util.logging.Level.OFF);
        do {
            String filter = "{\"status\":\"deadlettered\"" + (continuation == null ? ""
                    : ",\"continuation\":\"" + continuation + "\"") + "}";
            HttpAnswer answer = graph.replay().handle("application/json", filter.getBytes(StandardCharsets.UTF_8),
                    log.forInvocation("Replay", "bench", quiet));
            if (answer.status() != 200) {
                throw new IllegalStateException("replay answered " + answer.status() + ": " + answer.body());
            }
            JsonNode page = Json.readTree(answer.body());
            events += page.path("count").asInt();
            continuation = page.path("continuation").isTextual() ? page.path("continuation").asText() : null;
        } while (continuation != null);
        return events;
    }

    private static double perEvent(Map<String, Long> ops, int events) {
        return ops.values().stream().mapToLong(Long::longValue).sum() / (double) Math.max(1, events);
    }

    /** AlertDequeuerBulk as the packaged app declares it (run from the project root, after mvn package). */
    private static FunctionInvoker dequeuer(Map<String, String> values, AppGraph graph) {
        FunctionApp app = FunctionApp.load(FunctionApp.packagedDirectory(Path.of("")), values, new FunctionInstances() {
            @Override
            public <T> T instance(Class<T> functionClass) {
                return FunctionClasses.create(functionClass, graph);
            }
        });
        return app.function("AlertDequeuerBulk").orElseThrow(); // replays take the bulk lane
    }
}
