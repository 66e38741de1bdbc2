package io.alertrelay.local.servicebus;

import static io.alertrelay.local.servicebus.SdkClients.receive;
import static io.alertrelay.local.servicebus.SdkClients.receiveOne;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.models.AbandonOptions;
import com.azure.messaging.servicebus.models.DeadLetterOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runtime's journal: what the emulator acknowledged or settled is there again after a process that ended
 * without its last snapshot (kill -9), through the real SDK.
 */
class ServiceBusEmulatorJournalTest {

    private static final String TOPIC = "alerts";
    private static final String SUBSCRIPTION = "platform-delivery";

    @TempDir
    Path dir;

    private ServiceBusEmulator.Builder builder(Path snapshot) {
        return ServiceBusEmulator.builder().topic(TOPIC, SUBSCRIPTION).maxDeliveryCount(5).persistTo(snapshot);
    }

    @Test
    void everyChangeSinceTheLastSnapshotOutlivesAProcessKilledWithoutOne() throws Exception {
        Path snapshot = dir.resolve("messages.snapshot");
        ServiceBusEmulator first = builder(snapshot).build().start();
        long lastSequenceNumber;
        try (SdkClients clients = new SdkClients(first)) {
            var sender = clients.sender(TOPIC);
            for (String id : List.of("completed", "abandoned", "dead-lettered", "locked", "waiting")) {
                sender.sendMessage(message(id));
            }
            ServiceBusReceiverClient receiver = clients.receiver(TOPIC, SUBSCRIPTION);
            List<ServiceBusReceivedMessage> taken = receive(receiver, 4, Duration.ofSeconds(10)).stream()
                    .sorted(Comparator.comparingLong(ServiceBusReceivedMessage::getSequenceNumber)).toList();
            assertThat(taken).extracting(ServiceBusReceivedMessage::getMessageId)
                    .containsExactly("completed", "abandoned", "dead-lettered", "locked");
            receiver.complete(taken.get(0));
            receiver.abandon(taken.get(1), new AbandonOptions().setPropertiesToModify(Map.of("attempt", 1)));
            receiver.deadLetter(taken.get(2), new DeadLetterOptions().setDeadLetterReason("PoisonMessage")
                    .setDeadLetterErrorDescription("cannot be read"));
            lastSequenceNumber = taken.get(3).getSequenceNumber() + 1; // "locked" is never settled
        }
        first.crash();
        assertThat(snapshot).as("the start's checkpoint, from before any message").isRegularFile();

        try (ServiceBusEmulator second = builder(snapshot).build().start();
             SdkClients clients = new SdkClients(second)) {
            assertThat(second.restoredMessageCount()).isEqualTo(4);
            assertThat(second.activeMessageCount(TOPIC, SUBSCRIPTION)).isEqualTo(3);
            assertThat(second.deadLetterMessageCount(TOPIC, SUBSCRIPTION)).isEqualTo(1);

            clients.sender(TOPIC).sendMessage(message("waiting")); // duplicate detection remembers it
            clients.sender(TOPIC).sendMessage(message("new"));
            assertThat(second.duplicateMessageCount(TOPIC)).isEqualTo(1);

            List<ServiceBusReceivedMessage> active = receive(clients.receiver(TOPIC, SUBSCRIPTION), 4,
                    Duration.ofSeconds(3)).stream()
                    .sorted(Comparator.comparingLong(ServiceBusReceivedMessage::getSequenceNumber)).toList();
            assertThat(active).extracting(ServiceBusReceivedMessage::getMessageId)
                    .containsExactly("abandoned", "locked", "waiting", "new");
            assertThat(active.get(0).getDeliveryCount()).as("one failed delivery").isEqualTo(1);
            assertThat(active.get(0).getApplicationProperties()).containsEntry("attempt", 1)
                    .containsEntry("tenant", "contoso");
            assertThat(active.get(1).getDeliveryCount()).as("locked, never settled: not a failed delivery").isZero();
            assertThat(active.get(2).getBody().toString()).isEqualTo("body of waiting");
            assertThat(active.get(3).getSequenceNumber()).isGreaterThan(lastSequenceNumber);

            ServiceBusReceivedMessage deadLettered = receiveOne(clients.deadLetterReceiver(TOPIC, SUBSCRIPTION));
            assertThat(deadLettered.getMessageId()).isEqualTo("dead-lettered");
            assertThat(deadLettered.getDeadLetterReason()).isEqualTo("PoisonMessage");
            assertThat(deadLettered.getDeadLetterErrorDescription()).isEqualTo("cannot be read");
        }
    }

    @Test
    void aRecordCutShortWhenTheProcessEndedIsIgnoredAndTheRecordsBeforeItReplay() throws Exception {
        Path snapshot = dir.resolve("messages.snapshot");
        startedWith(snapshot, "one", "two").crash();
        Path journal = onlyJournal();
        Files.write(journal, new byte[] {0, 0, 1, 0, 7, 7}, StandardOpenOption.APPEND); // a length and half a CRC

        try (ServiceBusEmulator second = builder(snapshot).build().start()) {
            assertThat(second.restoredMessageCount()).isEqualTo(2);
            assertThat(second.activeMessageCount(TOPIC, SUBSCRIPTION)).isEqualTo(2);
        }
    }

    @Test
    void aGracefulStopLeavesTheSnapshotAndNoJournal() throws Exception {
        Path snapshot = dir.resolve("messages.snapshot");
        try (ServiceBusEmulator emulator = builder(snapshot).build().start();
             SdkClients clients = new SdkClients(emulator)) {
            clients.sender(TOPIC).sendMessage(message("kept"));
            assertThat(onlyJournal()).hasFileName("messages.journal-1");
        }
        assertThat(journals()).isEmpty();
        try (ServiceBusEmulator again = builder(snapshot).build().start()) {
            assertThat(again.restoredMessageCount()).isEqualTo(1);
            assertThat(onlyJournal()).hasFileName("messages.journal-3");
        }
    }

    @Test
    void aCrashAfterAGracefulStopLeavesTheSnapshotAsTheStopWroteIt() throws Exception {
        Path snapshot = dir.resolve("messages.snapshot");
        ServiceBusEmulator emulator = startedWith(snapshot, "kept");
        emulator.close();
        emulator.crash(); // no journal is open any more: nothing to abandon

        try (ServiceBusEmulator again = builder(snapshot).build().start()) {
            assertThat(again.restoredMessageCount()).isEqualTo(1);
        }
    }

    @Test
    void aJournalPastItsBoundIsFoldedIntoANewSnapshotAndNothingIsLost() throws Exception {
        Path snapshot = dir.resolve("messages.snapshot");
        ServiceBusEmulator first = builder(snapshot).checkpointJournalAt(8 * 1024).build().start();
        try (SdkClients clients = new SdkClients(first)) {
            var sender = clients.sender(TOPIC);
            for (int i = 0; i < 40; i++) {
                sender.sendMessage(new ServiceBusMessage("x".repeat(1024)).setMessageId("m" + i));
            }
        }
        first.crash();
        String journal = onlyJournal().getFileName().toString();
        assertThat(Long.parseLong(journal.substring("messages.journal-".length())))
                .as("checkpoints taken while the messages came in").isGreaterThan(2);

        try (ServiceBusEmulator second = builder(snapshot).build().start();
             SdkClients clients = new SdkClients(second)) {
            assertThat(second.activeMessageCount(TOPIC, SUBSCRIPTION)).isEqualTo(40);
            assertThat(receive(clients.receiver(TOPIC, SUBSCRIPTION), 40, Duration.ofSeconds(5)))
                    .extracting(ServiceBusReceivedMessage::getMessageId)
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 40).mapToObj(i -> "m" + i).toList());
        }
    }

    /** A started emulator persisting to {@code snapshot}, after a sender put these messages on its topic. */
    private ServiceBusEmulator startedWith(Path snapshot, String... messageIds) throws Exception {
        ServiceBusEmulator emulator = builder(snapshot).build().start();
        try (SdkClients clients = new SdkClients(emulator)) {
            for (String id : messageIds) {
                clients.sender(TOPIC).sendMessage(message(id));
            }
        }
        return emulator;
    }

    private Path onlyJournal() throws Exception {
        List<Path> journals = journals();
        assertThat(journals).hasSize(1);
        return journals.get(0);
    }

    private List<Path> journals() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("messages.journal-")).toList();
        }
    }

    private static ServiceBusMessage message(String id) {
        ServiceBusMessage m = new ServiceBusMessage("body of " + id).setMessageId(id).setSubject("fired");
        m.getApplicationProperties().put("tenant", "contoso");
        return m;
    }
}
