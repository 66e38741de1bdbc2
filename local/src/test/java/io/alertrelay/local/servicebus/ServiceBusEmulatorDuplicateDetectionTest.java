package io.alertrelay.local.servicebus;

import static io.alertrelay.local.servicebus.SdkClients.receive;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceBusEmulatorDuplicateDetectionTest {
    private ServiceBusEmulator emulator;
    private SdkClients clients;

    private ServiceBusSenderClient start(Duration window) {
        emulator = ServiceBusEmulator.builder()
                .topic("alerts", "platform-delivery")
                .duplicateDetectionWindow(window)
                .build().start();
        clients = new SdkClients(emulator);
        return clients.sender("alerts");
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        emulator.close();
    }

    @Test
    void aMessageIdSentTwiceWithinTheWindowIsAcceptedButReceivedOnce() {
        ServiceBusSenderClient sender = start(Duration.ofMinutes(10));

        sender.sendMessage(new ServiceBusMessage("first").setMessageId("evt-1"));
        sender.sendMessage(new ServiceBusMessage("second").setMessageId("evt-1")); // acknowledged, no exception
        sender.sendMessages(List.of(new ServiceBusMessage("third").setMessageId("evt-1"),
                new ServiceBusMessage("other").setMessageId("evt-2")));

        assertThat(emulator.activeMessageCount("alerts", "platform-delivery")).isEqualTo(2);
        List<ServiceBusReceivedMessage> received = receive(clients.receiver("alerts", "platform-delivery"), 3,
                Duration.ofSeconds(1)); // a third would have arrived by then
        assertThat(received).extracting(ServiceBusReceivedMessage::getMessageId).containsExactly("evt-1", "evt-2");
        assertThat(received.get(0).getBody().toString()).as("the first one is kept").isEqualTo("first");
    }

    @Test
    void everyDroppedDuplicateIsCountedSoALocalRunCanShowIt() {
        ServiceBusSenderClient sender = start(Duration.ofMinutes(10));
        assertThat(emulator.duplicateMessageCount("alerts")).isZero();

        sender.sendMessage(new ServiceBusMessage("first").setMessageId("evt-1"));
        sender.sendMessage(new ServiceBusMessage("second").setMessageId("evt-1"));
        sender.sendMessages(List.of(new ServiceBusMessage("third").setMessageId("evt-1"),
                new ServiceBusMessage("other").setMessageId("evt-2")));

        assertThat(emulator.duplicateMessageCount("alerts")).isEqualTo(2);
    }

    @Test
    void aMessageIdSentAgainAfterTheWindowIsReceivedAgain() throws InterruptedException {
        ServiceBusSenderClient sender = start(Duration.ofMillis(500));

        sender.sendMessage(new ServiceBusMessage("first").setMessageId("evt-1"));
        sender.sendMessage(new ServiceBusMessage("duplicate").setMessageId("evt-1"));
        assertThat(emulator.activeMessageCount("alerts", "platform-delivery")).isEqualTo(1);

        Thread.sleep(600); // the window is a span of time: let it pass
        sender.sendMessage(new ServiceBusMessage("again").setMessageId("evt-1"));

        assertThat(receive(clients.receiver("alerts", "platform-delivery"), 2, Duration.ofSeconds(10)))
                .extracting(m -> m.getBody().toString()).containsExactly("first", "again");
    }
}
