package io.alertrelay.local.faults;

import com.azure.core.amqp.AmqpRetryMode;
import com.azure.core.amqp.AmqpRetryOptions;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.models.SubQueue;
import io.alertrelay.adapter.platform.OkHttpPlatformClient;
import io.alertrelay.adapter.servicebus.ServiceBusAlertPublisher;
import io.alertrelay.functions.AppGraph;
import io.alertrelay.local.host.FunctionApp;
import io.alertrelay.local.host.LocalHttpHost;
import io.alertrelay.local.host.PackagedFunctions;
import io.alertrelay.local.servicebus.ServiceBusEmulator;
import io.alertrelay.local.trigger.ServiceBusTriggerDriver;
import io.alertrelay.settings.Secret;
import io.alertrelay.settings.ServiceBusTarget;
import io.alertrelay.settings.Settings;
import io.alertrelay.testing.InMemoryLogSink;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The whole pipeline in one JVM for the fault-history check: the packaged functions behind the local HTTP host, the
 * real Service Bus SDK against the emulator (short locks, no lock renewal, so locks expire under slow deliveries and
 * the broker redelivers), a store and a platform under seeded faults, and short retry budgets so a run takes
 * seconds. {@link #restart()} stops it gracefully and starts it again on the same port, store and bus snapshot.
 */
final class FaultPipeline implements AutoCloseable {

    static final int MAX_DELIVERY_COUNT = 4;
    static final String TOPIC = "alerts";
    static final String SUBSCRIPTION = "platform-delivery";

    final String tokenKey;
    final String signingSecret;
    final ChaosStore store;
    final ChaosPlatform platform;
    final InMemoryLogSink logs = new InMemoryLogSink(200_000);
    private final Path snapshot;
    private int port;
    private ServiceBusEmulator bus;
    private ServiceBusAlertPublisher publisher;
    private AppGraph graph;
    private LocalHttpHost http;
    private ServiceBusTriggerDriver driver;

    FaultPipeline(long seed, Path dir) throws IOException {
        this.tokenKey = "fault-history-key-" + seed;
        this.signingSecret = "whsec_" + java.util.Base64.getEncoder().encodeToString(("secret-of-run-" + seed
                + "-padded").getBytes());
        this.store = new ChaosStore(seed, 0.12);
        this.platform = new ChaosPlatform(seed + 1);
        this.snapshot = dir.resolve("bus.snapshot");
        start();
    }

    URI webhookBase() {
        return http.baseUri();
    }

    private void start() throws IOException {
        bus = ServiceBusEmulator.builder().topic(TOPIC, SUBSCRIPTION).maxDeliveryCount(MAX_DELIVERY_COUNT)
                .lockDuration(Duration.ofMillis(1500)).persistTo(snapshot).build().start();
        Map<String, String> values = new LinkedHashMap<>();
        values.put(Settings.SERVICE_BUS_CONNECTION, bus.connectionString());
        values.put(Settings.TENANT_TOKEN_KEYS, tokenKey);
        values.put(Settings.PLATFORM_SIGNING_SECRET, signingSecret);
        values.put(Settings.PLATFORM_ENDPOINT_URL, platform.url().toString());
        values.put(Settings.MAX_DELIVERY_COUNT, String.valueOf(MAX_DELIVERY_COUNT));
        values.put("ALERTS_TOPIC", TOPIC);
        values.put("ALERTS_SUBSCRIPTION", SUBSCRIPTION);
        Settings settings = Settings.from(values);
        publisher = ServiceBusAlertPublisher.builder().topic(TOPIC)
                .target(new ServiceBusTarget(Optional.of(new Secret(bus.connectionString())), Optional.empty()))
                .sendTimeout(Duration.ofSeconds(2)).build();
        graph = AppGraph.builder(values)
                .publisher(publisher)
                .store(store)
                .logSink(logs)
                .platform(OkHttpPlatformClient.builder().endpoint(platform.url().uri())
                        .secrets(settings.platformSigningSecrets()).maxAttempts(2)
                        .backoff(Duration.ofMillis(20), Duration.ofMillis(80))
                        .callTimeout(Duration.ofMillis(700)).timeBudget(Duration.ofMillis(1600)).build())
                .deliveryTuning(d -> d.storeRetries(Duration.ofMillis(10), Duration.ofMillis(60),
                        Duration.ofSeconds(1), Duration.ofMillis(100)).firedLeaseMargin(Duration.ofMillis(500)))
                .build();
        FunctionApp app = PackagedFunctions.load(values, graph);
        http = startHttp(app);
        driver = new ServiceBusTriggerDriver(new ServiceBusClientBuilder().connectionString(bus.connectionString())
                .retryOptions(new AmqpRetryOptions().setMode(AmqpRetryMode.FIXED).setMaxRetries(3)
                        .setDelay(Duration.ofMillis(100)).setTryTimeout(Duration.ofSeconds(5))),
                app.function("AlertDequeuer").orElseThrow(), 8, Duration.ZERO, Duration.ofSeconds(10), MAX_DELIVERY_COUNT);
        driver.start();
    }

    private LocalHttpHost startHttp(FunctionApp app) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                LocalHttpHost host = LocalHttpHost.start(port, 16, app);
                port = host.port();
                return host;
            } catch (BindException e) {
                if (attempt > 50) {
                    throw e;
                }
                sleep(100); // the port of the stopped host is not free yet
            }
        }
    }

    /** A graceful stop and a start: what was accepted is in the bus snapshot and the store. */
    void restart() throws IOException {
        stop();
        start();
    }

    private void stop() {
        http.close();
        driver.close();
        graph.close();
        publisher.close();
        bus.close(); // writes the snapshot
    }

    int activeMessages() {
        return bus.activeMessageCount(TOPIC, SUBSCRIPTION);
    }

    int inFlight() {
        return driver.inFlight();
    }

    /** The MessageIds in the dead-letter queue, peeked through the real SDK. */
    Set<String> deadLettered() {
        Set<String> ids = new HashSet<>();
        try (ServiceBusReceiverClient receiver = new ServiceBusClientBuilder().connectionString(bus.connectionString())
                .receiver().topicName(TOPIC).subscriptionName(SUBSCRIPTION).subQueue(SubQueue.DEAD_LETTER_QUEUE)
                .buildClient()) {
            long from = 0;
            while (true) {
                var batch = receiver.peekMessages(100, from).stream().toList();
                if (batch.isEmpty()) {
                    return ids;
                }
                for (ServiceBusReceivedMessage m : batch) {
                    ids.add(m.getMessageId());
                    from = Math.max(from, m.getSequenceNumber() + 1);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        stop();
        platform.close();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
