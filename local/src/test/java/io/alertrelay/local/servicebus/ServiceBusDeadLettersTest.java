package io.alertrelay.local.servicebus;

import static io.alertrelay.local.servicebus.SdkClients.receive;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import io.alertrelay.adapter.servicebus.ServiceBusDeadLetters;
import io.alertrelay.settings.Secret;
import io.alertrelay.settings.ServiceBusTarget;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dead-letter adapter through the real SDK against the emulator: replayed events leave the queue, others stay. */
class ServiceBusDeadLettersTest {

    private ServiceBusEmulator emulator;
    private SdkClients clients;
    private ServiceBusDeadLetters deadLetters;

    @BeforeEach
    void start() {
        emulator = ServiceBusEmulator.builder().topic("alerts", "platform-delivery").build().start();
        clients = new SdkClients(emulator);
        deadLetters = ServiceBusDeadLetters.builder()
                .target(new ServiceBusTarget(Optional.of(new Secret(emulator.connectionString())), Optional.empty()),
                        null)
                .topic("alerts").subscription("platform-delivery").receiveWait(Duration.ofMillis(500)).build();
    }

    @AfterEach
    void stop() throws Exception {
        deadLetters.close();
        clients.close();
        emulator.close();
    }

    @Test
    void removingEventsCompletesTheirDeadLetteredMessagesAndLeavesTheOthers() {
        deadLetter(message("contoso.a"), message("contoso.b"), message("contoso.c"));

        assertThat(deadLetters.remove(List.of("contoso.a", "contoso.c", "contoso.none"))).isEqualTo(2);

        assertThat(emulator.deadLetterMessageCount("alerts", "platform-delivery")).isEqualTo(1);
        assertThat(deadLetters.count(1000)).isEqualTo(1);
        List<ServiceBusReceivedMessage> left = receive(clients.deadLetterReceiver("alerts", "platform-delivery"), 1,
                Duration.ofSeconds(5));
        assertThat(left).as("the message not asked for is receivable again at once, not locked by the scan")
                .extracting(ServiceBusReceivedMessage::getMessageId).containsExactly("contoso.b");
    }

    @Test
    void aDeadLetteredReplayMessageIsFoundByItsEventIdProperty() {
        ServiceBusMessage replay = message("replay.0f3a");
        replay.getApplicationProperties().put(ServiceBusDeadLetters.EVENT_ID_PROPERTY, "contoso.a");
        deadLetter(message("contoso.a"), replay);

        assertThat(deadLetters.remove(List.of("contoso.a"))).isEqualTo(2);

        assertThat(emulator.deadLetterMessageCount("alerts", "platform-delivery")).isZero();
    }

    @Test
    void countingPeeksUpToTheLimitAndLocksNothing() {
        deadLetter(message("contoso.a"), message("contoso.b"), message("contoso.c"));

        assertThat(deadLetters.count(2)).isEqualTo(2);
        assertThat(deadLetters.count(1000)).isEqualTo(3);
        assertThat(receive(clients.deadLetterReceiver("alerts", "platform-delivery"), 3, Duration.ofSeconds(5)))
                .as("peeked messages are not locked").hasSize(3);
    }

    @Test
    void aScanReadsNoFurtherThanTheLastMessageAskedFor() {
        deadLetter(message("contoso.a"), message("contoso.b"), message("contoso.c"));

        assertThat(deadLetters.remove(List.of("contoso.a"))).isEqualTo(1);

        assertThat(receive(clients.deadLetterReceiver("alerts", "platform-delivery"), 2, Duration.ofSeconds(5)))
                .as("never received by the scan: first delivery").allSatisfy(m ->
                        assertThat(m.getDeliveryCount()).isZero()).hasSize(2);
    }

    @Test
    void theEventsInTheQueueAreReadByTheirEventIdOrMessageIdWithoutLockingThem() {
        ServiceBusMessage replay = message("replay.0f3a");
        replay.getApplicationProperties().put(ServiceBusDeadLetters.EVENT_ID_PROPERTY, "contoso.b");
        deadLetter(message("contoso.a"), replay);

        assertThat(deadLetters.eventIds(1000)).containsExactly("contoso.a", "contoso.b");
        assertThat(deadLetters.eventIds(1)).containsExactly("contoso.a");
        assertThat(receive(clients.deadLetterReceiver("alerts", "platform-delivery"), 2, Duration.ofSeconds(5)))
                .hasSize(2);
    }

    @Test
    void anEmptyQueueCountsZeroAndRemovesNothing() {
        assertThat(deadLetters.count(1000)).isZero();
        assertThat(deadLetters.remove(List.of("contoso.a"))).isZero();
    }

    private static ServiceBusMessage message(String id) {
        return new ServiceBusMessage("{}").setMessageId(id);
    }

    private void deadLetter(ServiceBusMessage... messages) {
        for (ServiceBusMessage m : messages) {
            clients.sender("alerts").sendMessage(m);
        }
        ServiceBusReceiverClient receiver = clients.receiver("alerts", "platform-delivery");
        for (ServiceBusReceivedMessage m : receive(receiver, messages.length, Duration.ofSeconds(5))) {
            receiver.deadLetter(m);
        }
        assertThat(emulator.deadLetterMessageCount("alerts", "platform-delivery")).isEqualTo(messages.length);
    }
}
