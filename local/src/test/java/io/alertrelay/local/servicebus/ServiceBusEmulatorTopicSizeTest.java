package io.alertrelay.local.servicebus;

import static io.alertrelay.local.servicebus.SdkClients.receive;
import static io.alertrelay.local.servicebus.SdkClients.receiveOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.util.BinaryData;
import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topic's maximum size, through the real SDK: Service Bus refuses every send to a full topic ("Subsequent
 * incoming messages are rejected", https://learn.microsoft.com/azure/service-bus-messaging/service-bus-quotas), and
 * the SDK reports it as {@link ServiceBusFailureReason#QUOTA_EXCEEDED}. Dead-lettered messages still take room.
 */
class ServiceBusEmulatorTopicSizeTest {

    private static final String TOPIC = "alerts";
    private static final String SUBSCRIPTION = "platform-delivery";
    private static final int BODY_BYTES = 10_000;

    @TempDir
    Path dir;

    @Test
    void aFullTopicRefusesSendsWithQuotaExceededUntilMessagesAreCompleted() throws Exception {
        try (ServiceBusEmulator emulator = withRoomFor(3).build().start();
             SdkClients clients = new SdkClients(emulator)) {
            ServiceBusSenderClient sender = clients.sender(TOPIC);
            for (int i = 0; i < 3; i++) {
                sender.sendMessage(message("m" + i));
            }
            long full = emulator.topicSizeInBytes(TOPIC);
            assertThat(full).isGreaterThanOrEqualTo(3L * BODY_BYTES);

            assertThatThrownBy(() -> sender.sendMessage(message("refused")))
                    .isInstanceOfSatisfying(ServiceBusException.class, e -> assertThat(e.getReason())
                            .isEqualTo(ServiceBusFailureReason.QUOTA_EXCEEDED))
                    .hasMessageContaining("maximum entity size");
            assertThat(emulator.activeMessageCount(TOPIC, SUBSCRIPTION)).as("nothing of the refused send").isEqualTo(3);
            assertThat(emulator.topicSizeInBytes(TOPIC)).isEqualTo(full);

            ServiceBusReceiverClient receiver = clients.receiver(TOPIC, SUBSCRIPTION);
            receiver.complete(receiveOne(receiver));
            assertThat(emulator.topicSizeInBytes(TOPIC)).isLessThan(full);
            sender.sendMessage(message("room again"));
            assertThat(emulator.activeMessageCount(TOPIC, SUBSCRIPTION)).isEqualTo(3);
        }
    }

    @Test
    void deadLetteredMessagesStillTakeRoomUntilTheyAreCompletedFromTheDeadLetterQueue() throws Exception {
        try (ServiceBusEmulator emulator = withRoomFor(2).maxDeliveryCount(1).build().start();
             SdkClients clients = new SdkClients(emulator)) {
            ServiceBusSenderClient sender = clients.sender(TOPIC);
            sender.sendMessage(message("poison"));
            sender.sendMessage(message("abandoned"));
            long full = emulator.topicSizeInBytes(TOPIC);
            ServiceBusReceiverClient receiver = clients.receiver(TOPIC, SUBSCRIPTION);
            List<ServiceBusReceivedMessage> both = receive(receiver, 2, Duration.ofSeconds(10));
            receiver.deadLetter(both.get(0));
            receiver.abandon(both.get(1)); // its one allowed delivery: the broker dead-letters it
            assertThat(emulator.deadLetterMessageCount(TOPIC, SUBSCRIPTION)).isEqualTo(2);
            assertThat(emulator.topicSizeInBytes(TOPIC)).as("moved, not removed").isEqualTo(full);
            assertThatThrownBy(() -> sender.sendMessage(message("refused"))).isInstanceOf(ServiceBusException.class);

            ServiceBusReceiverClient deadLetters = clients.deadLetterReceiver(TOPIC, SUBSCRIPTION);
            deadLetters.complete(receiveOne(deadLetters));
            sender.sendMessage(message("room again"));
        }
    }

    @Test
    void aMessageCountsOncePerSubscriptionThatSelectedIt() throws Exception {
        try (ServiceBusEmulator emulator = ServiceBusEmulator.builder().topic(TOPIC, SUBSCRIPTION, "audit")
                .filter(TOPIC, "audit", "tenant = 'contoso'").build().start();
             SdkClients clients = new SdkClients(emulator)) {
            ServiceBusSenderClient sender = clients.sender(TOPIC);
            sender.sendMessage(forTenant("one copy", "fabrikam"));
            long one = emulator.topicSizeInBytes(TOPIC);
            sender.sendMessage(forTenant("two copies", "contoso"));

            assertThat(emulator.topicSizeInBytes(TOPIC) - one).isBetween(2 * one - 64, 2 * one + 64);
        }
    }

    @Test
    void theSizeIsTheSameAfterAKilledProcessIsRestoredFromItsJournal() throws Exception {
        Path snapshot = dir.resolve("messages.snapshot");
        ServiceBusEmulator first = withRoomFor(3).persistTo(snapshot).build().start();
        long full;
        try (SdkClients clients = new SdkClients(first)) {
            ServiceBusSenderClient sender = clients.sender(TOPIC);
            for (int i = 0; i < 3; i++) {
                sender.sendMessage(message("m" + i));
            }
            full = first.topicSizeInBytes(TOPIC);
        }
        first.crash();

        try (ServiceBusEmulator second = withRoomFor(3).persistTo(snapshot).build().start();
             SdkClients clients = new SdkClients(second)) {
            assertThat(second.topicSizeInBytes(TOPIC)).isEqualTo(full);
            assertThatThrownBy(() -> clients.sender(TOPIC).sendMessage(message("refused")))
                    .isInstanceOf(ServiceBusException.class);
        }
    }

    /** A topic that is full once it holds {@code messages} of this test's messages. */
    private static ServiceBusEmulator.Builder withRoomFor(int messages) {
        return ServiceBusEmulator.builder().topic(TOPIC, SUBSCRIPTION).maxTopicBytes((long) messages * BODY_BYTES);
    }

    private static ServiceBusMessage forTenant(String id, String tenant) {
        ServiceBusMessage message = message(id);
        message.getApplicationProperties().put("tenant", tenant);
        return message;
    }

    private static ServiceBusMessage message(String id) {
        return new ServiceBusMessage(BinaryData.fromBytes(new byte[BODY_BYTES])).setMessageId(id);
    }
}
