package io.alertrelay.local.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.ServiceBusTopicTrigger;
import io.alertrelay.local.host.FunctionApp;
import io.alertrelay.local.host.FunctionInstances;
import io.alertrelay.local.servicebus.ServiceBusEmulator;
import io.alertrelay.testing.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While the driver drains, a message handed to it is held and its lock left to lapse, so the broker gives it out again
 * at the next start. On a message's last allowed delivery a lapse would make the broker dead-letter it with no
 * invocation to mark its document (the 1,000-seed fault history's seed 829), so that one is processed.
 */
class ServiceBusTriggerDrainTest {

    static final List<String> CALLS = new CopyOnWriteArrayList<>();
    static final CountDownLatch RELEASE_SLOW = new CountDownLatch(1);
    static volatile ServiceBusTriggerDriver current;

    /**
     * "slow" holds the drain open until released; "flaky" fails its first delivery once the drain has begun, so its
     * second and last delivery arrives during the drain.
     */
    public static class DrainFunction {
        public void run(@ServiceBusTopicTrigger(name = "message", topicName = "%TOPIC%", subscriptionName = "%SUB%",
                                connection = "ServiceBusConnection") String message,
                        @BindingName("DeliveryCount") int deliveryCount,
                        @BindingName("MessageId") String messageId,
                        ExecutionContext context) throws InterruptedException {
            CALLS.add(messageId + ":" + deliveryCount);
            if (messageId.equals("slow")) {
                RELEASE_SLOW.await(30, TimeUnit.SECONDS);
            } else if (deliveryCount == 1) {
                Eventually.await("the drain begun", Duration.ofSeconds(10), () -> current.draining(), d -> d);
                throw new IllegalStateException("first delivery fails");
            }
        }
    }

    @TempDir
    Path app;
    private ServiceBusEmulator bus;

    @BeforeEach
    void startBus() {
        CALLS.clear();
        bus = ServiceBusEmulator.builder().topic("t", "s").maxDeliveryCount(2).build().start();
    }

    @AfterEach
    void stop() {
        RELEASE_SLOW.countDown();
        bus.close();
    }

    @Test
    void aMessageOnItsLastAllowedDeliveryDuringADrainIsProcessedNotLeftToBeDeadLettered() throws IOException {
        current = start();
        send("slow");
        Eventually.await("the slow invocation under way", Duration.ofSeconds(20), () -> List.copyOf(CALLS),
                c -> c.contains("slow:1"));
        send("flaky");
        Eventually.await("the flaky invocation under way", Duration.ofSeconds(20), () -> List.copyOf(CALLS),
                c -> c.contains("flaky:1"));

        CompletableFuture<Void> closing = CompletableFuture.runAsync(current::close);

        Eventually.await("the last delivery processed during the drain", Duration.ofSeconds(20),
                () -> List.copyOf(CALLS), c -> c.contains("flaky:2"));
        RELEASE_SLOW.countDown();
        closing.join();
        assertThat(bus.deadLetterMessageCount("t", "s")).as("nothing dead-lettered").isZero();
        assertThat(bus.activeMessageCount("t", "s")).as("both messages completed").isZero();
    }

    private ServiceBusTriggerDriver start() throws IOException {
        Files.writeString(app.resolve("host.json"), "{\"version\":\"2.0\"}");
        Files.createDirectories(app.resolve("Drain"));
        Files.writeString(app.resolve("Drain/function.json"), """
                {"scriptFile":"../x.jar","entryPoint":"%s.run","bindings":[{"type":"serviceBusTrigger",
                "direction":"in","name":"message","topicName":"%%TOPIC%%","subscriptionName":"%%SUB%%",
                "connection":"ServiceBusConnection"}]}
                """.formatted(DrainFunction.class.getName()));
        Map<String, String> settings = Map.of("TOPIC", "t", "SUB", "s", "ServiceBusConnection", bus.connectionString());
        FunctionApp functions = FunctionApp.load(app, settings, FunctionInstances.newInstances());
        ServiceBusTriggerDriver driver = new ServiceBusTriggerDriver(ServiceBusTriggerDriver.clientFor(
                functions.function("Drain").orElseThrow().definition().trigger(), settings),
                functions.function("Drain").orElseThrow(), 2, Duration.ofMinutes(1), Duration.ofSeconds(30), 2);
        driver.start();
        return driver;
    }

    private void send(String id) {
        try (ServiceBusSenderClient sender = new ServiceBusClientBuilder().connectionString(bus.connectionString())
                .sender().topicName("t").buildClient()) {
            sender.sendMessage(new ServiceBusMessage("{}").setMessageId(id));
        }
    }
}
