package io.alertrelay.local.servicebus;

import static io.alertrelay.local.servicebus.SdkClients.receive;
import static io.alertrelay.local.servicebus.SdkClients.receiveOne;
import static io.alertrelay.local.servicebus.SdkClients.sleepUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.models.DeadLetterOptions;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceBusEmulatorPeekLockTest {
    private static final Duration LOCK_DURATION = Duration.ofSeconds(2);

    private ServiceBusEmulator emulator;
    private SdkClients clients;
    private ServiceBusReceiverClient receiver;

    @BeforeEach
    void start() {
        emulator = ServiceBusEmulator.builder()
                .topic("alerts", "platform-delivery")
                .lockDuration(LOCK_DURATION)
                .build().start();
        clients = new SdkClients(emulator);
        receiver = clients.receiver("alerts", "platform-delivery");
        clients.sender("alerts").sendMessage(new ServiceBusMessage("payload").setMessageId("evt-1"));
    }

    @AfterEach
    void stop() throws Exception {
        clients.close();
        emulator.close();
    }

    @Test
    void anAbandonedMessageIsRedeliveredWithItsDeliveryCountOneHigher() {
        ServiceBusReceivedMessage first = receiveOne(receiver);
        receiver.abandon(first);

        ServiceBusReceivedMessage second = receiveOne(receiver);
        assertThat(second.getMessageId()).isEqualTo("evt-1");
        assertThat(second.getBody().toString()).isEqualTo("payload");
        assertThat(second.getDeliveryCount()).isEqualTo(first.getDeliveryCount() + 1);
        assertThat(second.getLockToken()).isNotEqualTo(first.getLockToken());
        receiver.complete(second);
        assertThat(emulator.activeMessageCount("alerts", "platform-delivery")).isZero();
    }

    @Test
    void aMessageWhoseLockExpiresIsRedeliveredWithItsDeliveryCountOneHigher() {
        ServiceBusReceivedMessage first = receiveOne(receiver);
        Instant firstLockedUntil = first.getLockedUntil().toInstant();

        ServiceBusReceivedMessage second = receiveOne(receiver); // arrives once the first lock has run out
        assertThat(Instant.now()).isAfterOrEqualTo(firstLockedUntil);
        assertThat(second.getMessageId()).isEqualTo("evt-1");
        assertThat(second.getDeliveryCount()).isEqualTo(first.getDeliveryCount() + 1);
        receiver.complete(second);
    }

    @Test
    void settlingAMessageWhoseLockExpiredFailsWithLockLost() throws InterruptedException {
        ServiceBusReceivedMessage message = receiveOne(receiver);
        sleepUntil(message.getLockedUntil().toInstant().plusMillis(100));

        assertThatThrownBy(() -> receiver.complete(message))
                .isInstanceOfSatisfying(ServiceBusException.class,
                        e -> assertThat(e.getReason()).isEqualTo(ServiceBusFailureReason.MESSAGE_LOCK_LOST));
        assertThat(emulator.activeMessageCount("alerts", "platform-delivery")).isEqualTo(1);
    }

    @Test
    void renewingTheLockKeepsTheMessageLockedPastItsFirstExpiry() throws InterruptedException {
        ServiceBusReceivedMessage message = receiveOne(receiver);
        Instant firstLockedUntil = message.getLockedUntil().toInstant();

        sleepUntil(firstLockedUntil.minusMillis(800));
        OffsetDateTime renewedUntil = receiver.renewMessageLock(message);
        assertThat(renewedUntil.toInstant()).isAfter(firstLockedUntil);

        sleepUntil(firstLockedUntil.plusMillis(400));
        assertThat(receive(receiver, 1, Duration.ofMillis(300))).as("still locked, so not redelivered").isEmpty();
        receiver.complete(message); // would be lock-lost without the renewal
        assertThat(emulator.activeMessageCount("alerts", "platform-delivery")).isZero();
    }

    @Test
    void renewingAnExpiredLockFailsWithLockLost() throws InterruptedException {
        ServiceBusReceivedMessage message = receiveOne(receiver);
        sleepUntil(message.getLockedUntil().toInstant().plusMillis(100));

        assertThatThrownBy(() -> receiver.renewMessageLock(message))
                .isInstanceOfSatisfying(ServiceBusException.class,
                        e -> assertThat(e.getReason()).isEqualTo(ServiceBusFailureReason.MESSAGE_LOCK_LOST));
    }

    @Test
    void aMessageCanBeSettledByAnotherReceiverThroughTheManagementNode() {
        ServiceBusReceivedMessage message = receiveOne(receiver);
        // The other receiver's link never saw this delivery, so the SDK settles through $management.
        ServiceBusReceiverClient other = clients.receiver("alerts", "platform-delivery");

        other.complete(message);
        assertThat(emulator.activeMessageCount("alerts", "platform-delivery")).isZero();
    }

    @Test
    void anExplicitlyDeadLetteredMessageCarriesTheGivenReason() {
        receiver.deadLetter(receiveOne(receiver), new DeadLetterOptions()
                .setDeadLetterReason("Unreadable").setDeadLetterErrorDescription("not JSON"));

        ServiceBusReceivedMessage dead = receiveOne(clients.deadLetterReceiver("alerts", "platform-delivery"));
        assertThat(dead.getMessageId()).isEqualTo("evt-1");
        assertThat(dead.getDeadLetterReason()).isEqualTo("Unreadable");
        assertThat(dead.getDeadLetterErrorDescription()).isEqualTo("not JSON");
        assertThat(emulator.activeMessageCount("alerts", "platform-delivery")).isZero();
    }
}
