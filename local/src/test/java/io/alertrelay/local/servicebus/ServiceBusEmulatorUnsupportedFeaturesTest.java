package io.alertrelay.local.servicebus;

import static io.alertrelay.local.servicebus.SdkClients.receiveOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSessionReceiverClient;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the emulator does not emulate fails loudly, instead of behaving unlike Service Bus. */
class ServiceBusEmulatorUnsupportedFeaturesTest {
    private ServiceBusEmulator emulator;
    private SdkClients clients;

    @BeforeEach
    void start() {
        emulator = ServiceBusEmulator.builder().topic("alerts", "platform-delivery").build().start();
        clients = new SdkClients(emulator);
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        emulator.close();
    }

    @Test
    void aMessageWithAScheduledEnqueueTimeIsRefused() {
        ServiceBusMessage scheduled = new ServiceBusMessage("later")
                .setScheduledEnqueueTime(OffsetDateTime.now().plusMinutes(5));

        assertThatThrownBy(() -> clients.sender("alerts").sendMessage(scheduled))
                .isInstanceOf(ServiceBusException.class).hasMessageContaining("Scheduled messages are not emulated");
        assertThat(emulator.activeMessageCount("alerts", "platform-delivery")).isZero();
    }

    @Test
    void schedulingThroughTheManagementNodeIsRefused() {
        assertThatThrownBy(() -> clients.sender("alerts").scheduleMessage(new ServiceBusMessage("later"),
                OffsetDateTime.now().plusMinutes(5)))
                .isInstanceOf(ServiceBusException.class).hasMessageContaining("does not support");
    }

    @Test
    void deferringAMessageIsRefusedAndTheMessageStaysLocked() {
        clients.sender("alerts").sendMessage(new ServiceBusMessage("x").setMessageId("evt-1"));
        ServiceBusReceiverClient receiver = clients.receiver("alerts", "platform-delivery");

        var message = receiveOne(receiver);
        assertThatThrownBy(() -> receiver.defer(message)).isInstanceOf(ServiceBusException.class);
        assertThat(emulator.activeMessageCount("alerts", "platform-delivery")).isEqualTo(1);

        // Settle through another receiver ($management): right after a failed settlement the SDK may still hold
        // the settled delivery on the first receiver's link for a moment, and a second settlement there can hang.
        clients.receiver("alerts", "platform-delivery").complete(message);
        assertThat(emulator.activeMessageCount("alerts", "platform-delivery")).isZero();
    }

    @Test
    void aSessionReceiverIsRefused() {
        ServiceBusSessionReceiverClient sessions = clients.track(clients.builder().sessionReceiver()
                .topicName("alerts").subscriptionName("platform-delivery").buildClient());

        // The SDK maps amqp:not-implemented to UnsupportedOperationException.
        assertThatThrownBy(sessions::acceptNextSession).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("Sessions are not emulated");
    }
}
