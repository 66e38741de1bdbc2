package io.alertrelay.local.servicebus;

import static io.alertrelay.local.servicebus.SdkClients.receive;
import static io.alertrelay.local.servicebus.SdkClients.receiveOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import java.io.DataOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local runtime's snapshot: what the emulator held at close is there again after a restart. */
class ServiceBusEmulatorPersistenceTest {

    private static final String TOPIC = "alerts";
    private static final String SUBSCRIPTION = "platform-delivery";

    @TempDir
    Path dir;

    private ServiceBusEmulator emulator(Path snapshot) {
        return ServiceBusEmulator.builder().topic(TOPIC, SUBSCRIPTION).maxDeliveryCount(1).persistTo(snapshot)
                .build().start();
    }

    @Test
    void activeLockedAndDeadLetteredMessagesAndDuplicateIdsOutliveARestart() throws Exception {
        Path snapshot = dir.resolve("bus.snapshot");
        long lastSequenceNumber;
        try (ServiceBusEmulator first = emulator(snapshot); SdkClients clients = new SdkClients(first)) {
            var sender = clients.sender(TOPIC);
            ServiceBusReceiverClient receiver = clients.receiver(TOPIC, SUBSCRIPTION);
            sender.sendMessage(message("poison"));
            receiver.abandon(receiveOne(receiver)); // maxDeliveryCount 1: dead-lettered
            sender.sendMessage(message("locked"));
            sender.sendMessage(message("waiting"));
            ServiceBusReceivedMessage locked = receiveOne(receiver); // taken, never settled
            assertThat(locked.getMessageId()).isEqualTo("locked");
            lastSequenceNumber = locked.getSequenceNumber() + 1;
        }
        assertThat(snapshot).isRegularFile();

        try (ServiceBusEmulator second = emulator(snapshot); SdkClients clients = new SdkClients(second)) {
            assertThat(second.restoredMessageCount()).isEqualTo(3);
            assertThat(second.activeMessageCount(TOPIC, SUBSCRIPTION)).isEqualTo(2);
            assertThat(second.deadLetterMessageCount(TOPIC, SUBSCRIPTION)).isEqualTo(1);

            clients.sender(TOPIC).sendMessage(message("waiting")); // a duplicate of a message sent before the restart
            clients.sender(TOPIC).sendMessage(message("new"));

            List<ServiceBusReceivedMessage> received = receive(clients.receiver(TOPIC, SUBSCRIPTION), 4,
                    Duration.ofSeconds(3)).stream()
                    .sorted(Comparator.comparingLong(ServiceBusReceivedMessage::getSequenceNumber)).toList();
            assertThat(received).extracting(ServiceBusReceivedMessage::getMessageId)
                    .containsExactly("locked", "waiting", "new");
            ServiceBusReceivedMessage locked = received.get(0);
            assertThat(locked.getBody().toString()).isEqualTo("body of locked");
            assertThat(locked.getSubject()).isEqualTo("fired");
            assertThat(locked.getApplicationProperties()).containsEntry("tenant", "contoso");
            assertThat(locked.getDeliveryCount()).as("never settled: not a failed delivery").isZero();
            assertThat(received.get(2).getSequenceNumber()).isGreaterThan(lastSequenceNumber);

            ServiceBusReceivedMessage deadLettered = receiveOne(clients.deadLetterReceiver(TOPIC, SUBSCRIPTION));
            assertThat(deadLettered.getMessageId()).isEqualTo("poison");
            assertThat(deadLettered.getDeadLetterReason()).isEqualTo(MessageQueue.MAX_DELIVERY_COUNT_EXCEEDED);
        }
    }

    @Test
    void withoutASnapshotFileTheEmulatorStartsEmptyAndWritesOneAtClose() {
        Path snapshot = dir.resolve("nested").resolve("bus.snapshot");
        try (ServiceBusEmulator empty = emulator(snapshot)) {
            assertThat(empty.restoredMessageCount()).isZero();
            assertThat(empty.activeMessageCount(TOPIC, SUBSCRIPTION)).isZero();
        }
        assertThat(snapshot).isRegularFile();
    }

    /** Version 1, written before the journal: magic, version, topics (here: one, with nothing in it). */
    @Test
    void aSnapshotWrittenBeforeTheJournalIsStillRead() throws Exception {
        Path snapshot = dir.resolve("bus.snapshot");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(snapshot))) {
            out.writeInt(0x41525342);
            out.writeInt(1);
            out.writeInt(1);
            out.writeUTF(TOPIC);
            out.writeLong(41); // the next sequence number
            out.writeInt(0); // remembered MessageIds
            out.writeInt(0); // subscriptions
        }
        try (ServiceBusEmulator restored = emulator(snapshot); SdkClients clients = new SdkClients(restored)) {
            clients.sender(TOPIC).sendMessage(message("after"));
            assertThat(receiveOne(clients.receiver(TOPIC, SUBSCRIPTION)).getSequenceNumber()).isEqualTo(41);
        }
    }

    @Test
    void aFileThatIsNotASnapshotStopsTheStartWithItsName() throws Exception {
        Path snapshot = dir.resolve("bus.snapshot");
        Files.writeString(snapshot, "not a snapshot");

        assertThatThrownBy(() -> emulator(snapshot))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(snapshot.toString());
    }

    private static ServiceBusMessage message(String id) {
        ServiceBusMessage m = new ServiceBusMessage("body of " + id).setMessageId(id).setSubject("fired");
        m.getApplicationProperties().put("tenant", "contoso");
        return m;
    }
}
