package io.alertrelay.bench;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import io.alertrelay.adapter.platform.OkHttpPlatformClient;
import io.alertrelay.adapter.servicebus.ServiceBusAlertPublisher;
import io.alertrelay.functions.AppGraph;
import io.alertrelay.functions.FunctionClasses;
import io.alertrelay.local.host.FunctionApp;
import io.alertrelay.local.host.FunctionInstances;
import io.alertrelay.local.host.FunctionInvoker;
import io.alertrelay.local.servicebus.ServiceBusEmulator;
import io.alertrelay.local.trigger.ServiceBusTriggerDriver;
import io.alertrelay.domain.AlertMessage;
import io.alertrelay.settings.Secret;
import io.alertrelay.settings.ServiceBusTarget;
import io.alertrelay.settings.Settings;
import io.alertrelay.testing.InMemoryStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Messages/s through dequeue → store → deliver, and publish → delivery latency: the real publisher, the emulator,
 * the SDK processor driving AlertDequeuer with host settlement (32 concurrent calls, as host.json), the OkHttp
 * platform client against a local stub. The store is in memory (the Cosmos stand-in is a Node program whose speed
 * says nothing about Cosmos DB). {@code java -cp bench/target/benchmarks.jar io.alertrelay.bench.DeliveryBenchmark
 * [N] [publishers]}.
 */
public final class DeliveryBenchmark {

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int publishers = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        String secret = "whsec_" + Base64.getEncoder().encodeToString("bench-signing-secret-32-bytes!!!".getBytes());
        try (ServiceBusEmulator bus = CostBenchmark.lanes(ServiceBusEmulator.builder()).build().start();
             PlatformStub platform = new PlatformStub()) {
            Map<String, String> values = Map.of(Settings.SERVICE_BUS_CONNECTION, bus.connectionString(),
                    Settings.TENANT_TOKEN_KEYS, "bench", Settings.PLATFORM_SIGNING_SECRET, secret,
                    Settings.PLATFORM_ENDPOINT_URL, platform.url().toString(),
                    "ALERTS_TOPIC", "alerts", "ALERTS_SUBSCRIPTION", CostBenchmark.STANDARD_LANE,
                    Settings.ALERTS_BULK_SUBSCRIPTION, CostBenchmark.BULK_LANE);
            Settings settings = Settings.from(values);
            AppGraph graph = AppGraph.builder(values).store(new InMemoryStore()).platform(OkHttpPlatformClient.builder()
                    .endpoint(platform.url()).secrets(settings.platformSigningSecrets()).build()).build();
            List<AlertMessage> messages = FixtureMix.messages(total);
            Map<String, Long> published = new ConcurrentHashMap<>();
            try (ServiceBusAlertPublisher publisher = ServiceBusAlertPublisher.builder()
                    .target(new ServiceBusTarget(Optional.of(new Secret(bus.connectionString())), Optional.empty()))
                    .topic("alerts").build();
                 ServiceBusTriggerDriver driver = new ServiceBusTriggerDriver(
                         new ServiceBusClientBuilder().connectionString(bus.connectionString()),
                         dequeuer(values, graph), 32, Duration.ofMinutes(5))) {
                driver.start();
                long start = System.nanoTime();
                publish(publisher, messages, publishers, published);
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (platform.arrivals().size() < total && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                long end = platform.arrivals().values().stream().mapToLong(Long::longValue).max().orElse(start);
                Latencies e2e = new Latencies(total);
                platform.arrivals().forEach((id, at) -> e2e.add(at - published.get(id)));
                System.out.printf("deliver: %d of %d delivered in %.1f s: %.0f messages/s through dequeue → store →"
                        + " deliver; publish → delivery %s%n", platform.arrivals().size(), total,
                        (end - start) / 1e9, platform.arrivals().size() / ((end - start) / 1e9), e2e.summary());
            } finally {
                graph.close();
            }
        }
    }

    /** AlertDequeuer as the packaged app declares it (run from the project root, after mvn package). */
    private static FunctionInvoker dequeuer(Map<String, String> values, AppGraph graph) {
        FunctionApp app = FunctionApp.load(FunctionApp.packagedDirectory(Path.of("")), values, new FunctionInstances() {
            @Override
            public <T> T instance(Class<T> functionClass) {
                return FunctionClasses.create(functionClass, graph);
            }
        });
        return app.function("AlertDequeuer").orElseThrow();
    }

    private static void publish(ServiceBusAlertPublisher publisher, List<AlertMessage> messages, int threads,
                                Map<String, Long> published) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger next = new AtomicInteger();
        for (int t = 0; t < threads; t++) {
            pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < messages.size(); i = next.getAndIncrement()) {
                    published.put(messages.get(i).messageId(), System.nanoTime());
                    publisher.publish(messages.get(i));
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES);
    }
}
