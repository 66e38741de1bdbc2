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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trigger driver binds what its function.json declares, not what the Java method would like: a byte[] body
 * without {@code dataType: binary} fails every delivery and the broker dead-letters the message, as in Azure; with
 * it, the function gets the bytes and the metadata by name.
 */
class ServiceBusTriggerBindingTest {

    /** What the functions below received: body length and DeliveryCount. */
    static final List<String> CALLS = new CopyOnWriteArrayList<>();

    /** A function class as a project would write it; its function.json is written by each test. */
    public static class BytesFunction {
        public void run(@ServiceBusTopicTrigger(name = "message", topicName = "%TOPIC%", subscriptionName = "%SUB%",
                                connection = "ServiceBusConnection") byte[] message,
                        @BindingName("DeliveryCount") int deliveryCount,
                        @BindingName("MessageId") String messageId,
                        ExecutionContext context) {
            CALLS.add(messageId + ":" + message.length + ":" + deliveryCount);
        }
    }

    @TempDir
    Path app;
    private ServiceBusEmulator bus;
    private ServiceBusTriggerDriver driver;

    @BeforeEach
    void startBus() {
        CALLS.clear();
        bus = ServiceBusEmulator.builder().topic("t", "s").maxDeliveryCount(2).build().start();
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
        bus.close();
    }

    @Test
    void aByteArrayBodyWithoutDataTypeBinaryFailsEveryDeliveryUntilDeadLettered() throws IOException {
        start(null);
        send("m-1", "{\"a\":1}");

        Eventually.await("the message dead-lettered", Duration.ofSeconds(20),
                () -> bus.deadLetterMessageCount("t", "s"), n -> n == 1);
        assertThat(CALLS).as("the function never ran").isEmpty();
    }

    @Test
    void aByteArrayBodyWithDataTypeBinaryGetsTheBytesAndTheMetadata() throws IOException {
        start("binary");
        send("m-2", "{\"a\":1}");

        Eventually.await("the function called", Duration.ofSeconds(20), () -> List.copyOf(CALLS), c -> !c.isEmpty());
        assertThat(CALLS).containsExactly("m-2:7:1");
        Eventually.await("the message completed", Duration.ofSeconds(10),
                () -> bus.activeMessageCount("t", "s"), n -> n == 0);
        assertThat(bus.deadLetterMessageCount("t", "s")).isZero();
    }

    private void start(String dataType) throws IOException {
        Files.writeString(app.resolve("host.json"), "{\"version\":\"2.0\"}");
        Files.createDirectories(app.resolve("Bytes"));
        Files.writeString(app.resolve("Bytes/function.json"), """
                {"scriptFile":"../x.jar","entryPoint":"%s.run","bindings":[{"type":"serviceBusTrigger",
                "direction":"in","name":"message","topicName":"%%TOPIC%%","subscriptionName":"%%SUB%%",
                "connection":"ServiceBusConnection"%s}]}
                """.formatted(BytesFunction.class.getName(), dataType == null ? "" : ",\"dataType\":\"" + dataType + "\""));
        Map<String, String> settings = Map.of("TOPIC", "t", "SUB", "s", "ServiceBusConnection", bus.connectionString());
        FunctionApp functions = FunctionApp.load(app, settings, FunctionInstances.newInstances());
        driver = new ServiceBusTriggerDriver(ServiceBusTriggerDriver.clientFor(
                functions.function("Bytes").orElseThrow().definition().trigger(), settings),
                functions.function("Bytes").orElseThrow(), 1, Duration.ofMinutes(1), Duration.ofSeconds(5));
        driver.start();
    }

    private void send(String id, String body) {
        try (ServiceBusSenderClient sender = new ServiceBusClientBuilder().connectionString(bus.connectionString())
                .sender().topicName("t").buildClient()) {
            sender.sendMessage(new ServiceBusMessage(body).setMessageId(id));
        }
    }
}
