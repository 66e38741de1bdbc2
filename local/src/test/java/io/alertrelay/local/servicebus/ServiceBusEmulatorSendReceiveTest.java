package io.alertrelay.local.servicebus;

import static io.alertrelay.local.servicebus.SdkClients.receive;
import static io.alertrelay.local.servicebus.SdkClients.receiveOne;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.BinaryData;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusMessageBatch;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceBusEmulatorSendReceiveTest {
    private ServiceBusEmulator emulator;
    private SdkClients clients;

    @BeforeEach
    void start() {
        emulator = ServiceBusEmulator.builder()
                .topic("alerts", "platform-delivery", "audit")
                .build().start();
        clients = new SdkClients(emulator);
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        emulator.close();
    }

    @Test
    void aSentMessageIsReceivedWithAllItsPropertiesIntact() {
        ServiceBusSenderClient sender = clients.sender("alerts");
        ServiceBusReceiverClient receiver = clients.receiver("alerts", "platform-delivery");

        String body = "{\"id\":\"evt-1\",\"severity\":\"Sev3\"}";
        ServiceBusMessage sent = new ServiceBusMessage(BinaryData.fromString(body))
                .setMessageId("evt-1")
                .setSubject("io.alertrelay.alert.fired")
                .setContentType("application/cloudevents+json")
                .setCorrelationId("corr-1");
        sent.getApplicationProperties().putAll(Map.of("tenant", "contoso", "severity", "Sev3",
                "condition", "Fired", "attempt", 3, "critical", true));
        sender.sendMessage(sent);

        ServiceBusReceivedMessage received = receiveOne(receiver);
        assertThat(received.getMessageId()).isEqualTo("evt-1");
        assertThat(received.getSubject()).isEqualTo("io.alertrelay.alert.fired");
        assertThat(received.getContentType()).isEqualTo("application/cloudevents+json");
        assertThat(received.getCorrelationId()).isEqualTo("corr-1");
        assertThat(received.getApplicationProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "tenant", "contoso", "severity", "Sev3", "condition", "Fired", "attempt", 3, "critical", true));
        assertThat(received.getBody().toString()).isEqualTo(body);
        assertThat(received.getSequenceNumber()).isPositive();
        assertThat(received.getEnqueuedTime()).isNotNull();
        assertThat(received.getLockToken()).isNotBlank();
        assertThat(received.getLockedUntil()).isAfter(received.getEnqueuedTime());
        assertThat(received.getDeliveryCount()).as("Java SDK count of earlier failed deliveries").isZero();

        receiver.complete(received);
        assertThat(emulator.activeMessageCount("alerts", "platform-delivery")).isZero();
    }

    @Test
    void aBatchCreatedWithCreateMessageBatchArrivesAsSeparateMessagesInOrder() {
        ServiceBusSenderClient sender = clients.sender("alerts");
        ServiceBusMessageBatch batch = sender.createMessageBatch();
        for (int i = 1; i <= 3; i++) {
            ServiceBusMessage message = new ServiceBusMessage("body-" + i).setMessageId("batch-" + i)
                    .setSubject("subject-" + i);
            message.getApplicationProperties().put("index", i);
            assertThat(batch.tryAddMessage(message)).isTrue();
        }
        sender.sendMessages(batch);

        List<ServiceBusReceivedMessage> received = receive(clients.receiver("alerts", "platform-delivery"), 3,
                Duration.ofSeconds(10));
        assertThat(received).extracting(ServiceBusReceivedMessage::getMessageId)
                .containsExactly("batch-1", "batch-2", "batch-3");
        assertThat(received).extracting(m -> m.getBody().toString()).containsExactly("body-1", "body-2", "body-3");
        assertThat(received).extracting(ServiceBusReceivedMessage::getSubject)
                .containsExactly("subject-1", "subject-2", "subject-3");
        assertThat(received).extracting(m -> m.getApplicationProperties().get("index")).containsExactly(1, 2, 3);
    }

    @Test
    void aListOfMessagesSentAtOnceArrivesComplete() {
        clients.sender("alerts").sendMessages(List.of(
                new ServiceBusMessage("a").setMessageId("list-a"),
                new ServiceBusMessage("b").setMessageId("list-b")));

        assertThat(emulator.activeMessageCount("alerts", "platform-delivery")).isEqualTo(2);
        assertThat(receive(clients.receiver("alerts", "platform-delivery"), 2, Duration.ofSeconds(10)))
                .extracting(ServiceBusReceivedMessage::getMessageId).containsExactly("list-a", "list-b");
    }

    @Test
    void everySubscriptionGetsItsOwnCopyOfAMessage() {
        clients.sender("alerts").sendMessage(new ServiceBusMessage("fan-out").setMessageId("fan-1"));
        ServiceBusReceiverClient delivery = clients.receiver("alerts", "platform-delivery");
        ServiceBusReceiverClient audit = clients.receiver("alerts", "audit");

        ServiceBusReceivedMessage fromDelivery = receiveOne(delivery);
        ServiceBusReceivedMessage fromAudit = receiveOne(audit);
        assertThat(fromDelivery.getMessageId()).isEqualTo("fan-1");
        assertThat(fromAudit.getMessageId()).isEqualTo("fan-1");
        assertThat(fromAudit.getBody().toString()).isEqualTo("fan-out");

        // Settling one copy leaves the other alone.
        delivery.complete(fromDelivery);
        audit.abandon(fromAudit);
        assertThat(emulator.activeMessageCount("alerts", "platform-delivery")).isZero();
        assertThat(receiveOne(audit).getDeliveryCount()).isEqualTo(1);
    }

    @Test
    void receiveAndDeleteRemovesAMessageAsItIsReceived() {
        clients.sender("alerts").sendMessage(new ServiceBusMessage("gone").setMessageId("rad-1"));
        ServiceBusReceiverClient receiver = clients.receiver("alerts", "platform-delivery",
                options -> options.receiveMode(ServiceBusReceiveMode.RECEIVE_AND_DELETE));

        assertThat(receiveOne(receiver).getMessageId()).isEqualTo("rad-1");
        assertThat(emulator.activeMessageCount("alerts", "platform-delivery")).isZero();
    }

    @Test
    void peekShowsMessagesWithoutLockingThem() {
        clients.sender("alerts").sendMessages(List.of(new ServiceBusMessage("1").setMessageId("peek-1"),
                new ServiceBusMessage("2").setMessageId("peek-2")));
        ServiceBusReceiverClient receiver = clients.receiver("alerts", "platform-delivery");

        assertThat(receiver.peekMessages(10)).extracting(ServiceBusReceivedMessage::getMessageId)
                .containsExactly("peek-1", "peek-2");
        assertThat(receiver.peekMessages(10)).as("the next page is empty").isEmpty();
        assertThat(receive(receiver, 2, Duration.ofSeconds(10))).hasSize(2);
    }
}
