package io.alertrelay.local.servicebus;

import static io.alertrelay.local.servicebus.SdkClients.receive;
import static io.alertrelay.local.servicebus.SdkClients.receiveOne;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceBusEmulatorDeadLetterTest {
    private static final int MAX_DELIVERY_COUNT = 3;

    private ServiceBusEmulator emulator;
    private SdkClients clients;

    private void start(Duration lockDuration) {
        emulator = ServiceBusEmulator.builder()
                .topic("alerts", "platform-delivery")
                .maxDeliveryCount(MAX_DELIVERY_COUNT)
                .lockDuration(lockDuration)
                .build().start();
        clients = new SdkClients(emulator);
        ServiceBusMessage message = new ServiceBusMessage("poison").setMessageId("evt-1").setSubject("fired");
        message.getApplicationProperties().put("tenant", "contoso");
        clients.sender("alerts").sendMessage(message);
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        emulator.close();
    }

    @Test
    void aMessageAbandonedOnItsLastAllowedDeliveryMovesToTheDeadLetterQueue() {
        start(Duration.ofMinutes(1));
        ServiceBusReceiverClient receiver = clients.receiver("alerts", "platform-delivery");

        for (int delivery = 0; delivery < MAX_DELIVERY_COUNT; delivery++) {
            ServiceBusReceivedMessage message = receiveOne(receiver);
            assertThat(message.getDeliveryCount()).isEqualTo(delivery);
            receiver.abandon(message);
        }

        assertThat(receive(receiver, 1, Duration.ofMillis(500))).as("gone from the subscription").isEmpty();
        assertThat(emulator.activeMessageCount("alerts", "platform-delivery")).isZero();
        assertDeadLettered();
    }

    @Test
    void aMessageWhoseLockKeepsExpiringMovesToTheDeadLetterQueue() {
        start(Duration.ofMillis(500));
        ServiceBusReceiverClient receiver = clients.receiver("alerts", "platform-delivery");

        for (int delivery = 0; delivery < MAX_DELIVERY_COUNT; delivery++) {
            assertThat(receiveOne(receiver).getDeliveryCount()).isEqualTo(delivery); // and let the lock expire
        }

        assertDeadLettered();
        assertThat(emulator.activeMessageCount("alerts", "platform-delivery")).isZero();
    }

    private void assertDeadLettered() {
        ServiceBusReceiverClient deadLetters = clients.deadLetterReceiver("alerts", "platform-delivery");
        ServiceBusReceivedMessage dead = receiveOne(deadLetters);
        assertThat(dead.getMessageId()).isEqualTo("evt-1");
        assertThat(dead.getBody().toString()).isEqualTo("poison");
        assertThat(dead.getSubject()).isEqualTo("fired");
        assertThat(dead.getApplicationProperties()).containsEntry("tenant", "contoso");
        assertThat(dead.getDeadLetterReason()).isEqualTo("MaxDeliveryCountExceeded");
        assertThat(dead.getDeadLetterErrorDescription()).contains(String.valueOf(MAX_DELIVERY_COUNT));
        deadLetters.complete(dead);
        assertThat(emulator.deadLetterMessageCount("alerts", "platform-delivery")).isZero();
    }
}
