package io.alertrelay.local.servicebus;

import static io.alertrelay.local.servicebus.SdkClients.receive;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import io.alertrelay.adapter.servicebus.LaneFilters;
import io.alertrelay.adapter.servicebus.ServiceBusDeadLetters;
import io.alertrelay.domain.Lane;
import io.alertrelay.settings.Secret;
import io.alertrelay.settings.ServiceBusTarget;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: a message is dead-lettered in the subscription of its lane, so the adapter reads, counts and drains the
 * dead-letter queues of both lanes (the lanes' subscriptions with their SQL filters, through the real SDK).
 */
class ServiceBusDeadLettersLanesTest {

    private static final String STANDARD = "platform-delivery";
    private static final String BULK = "platform-delivery-bulk";

    private ServiceBusEmulator emulator;
    private SdkClients clients;
    private ServiceBusDeadLetters deadLetters;

    @BeforeEach
    void start() {
        emulator = ServiceBusEmulator.builder().topic("alerts", STANDARD, BULK)
                .filter("alerts", STANDARD, LaneFilters.of(Lane.STANDARD))
                .filter("alerts", BULK, LaneFilters.of(Lane.BULK)).build().start();
        clients = new SdkClients(emulator);
        deadLetters = ServiceBusDeadLetters.builder()
                .target(new ServiceBusTarget(Optional.of(new Secret(emulator.connectionString())), Optional.empty()),
                        null)
                .topic("alerts").subscriptions(List.of(STANDARD, BULK)).receiveWait(Duration.ofMillis(500)).build();
    }

    @AfterEach
    void stop() throws Exception {
        deadLetters.close();
        clients.close();
        emulator.close();
    }

    @Test
    void theDeadLetterQueuesOfBothLanesAreReadCountedAndDrained() {
        deadLetter(STANDARD, message("contoso.a", Lane.STANDARD), message("contoso.b", Lane.STANDARD));
        deadLetter(BULK, message("flood.c", Lane.BULK));

        assertThat(deadLetters.eventIds(1000)).containsExactly("contoso.a", "contoso.b", "flood.c");
        assertThat(deadLetters.eventIds(2)).as("at most what was asked for, in all").hasSize(2);
        assertThat(deadLetters.count(1000)).isEqualTo(3);
        assertThat(deadLetters.count(2)).isEqualTo(2);

        assertThat(deadLetters.remove(List.of("contoso.b", "flood.c"))).isEqualTo(2);

        assertThat(emulator.deadLetterMessageCount("alerts", BULK)).isZero();
        assertThat(emulator.deadLetterMessageCount("alerts", STANDARD)).isEqualTo(1);
        assertThat(deadLetters.eventIds(1000)).containsExactly("contoso.a");
    }

    private static ServiceBusMessage message(String id, Lane lane) {
        ServiceBusMessage m = new ServiceBusMessage("{}").setMessageId(id);
        m.getApplicationProperties().put(Lane.PROPERTY, lane.value());
        return m;
    }

    private void deadLetter(String subscription, ServiceBusMessage... messages) {
        for (ServiceBusMessage m : messages) {
            clients.sender("alerts").sendMessage(m);
        }
        ServiceBusReceiverClient receiver = clients.receiver("alerts", subscription);
        for (ServiceBusReceivedMessage m : receive(receiver, messages.length, Duration.ofSeconds(5))) {
            receiver.deadLetter(m);
        }
        assertThat(emulator.deadLetterMessageCount("alerts", subscription)).isEqualTo(messages.length);
    }
}
